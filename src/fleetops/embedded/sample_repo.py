"""The sample config repository in the seed's mono-repo layout:

    base/namespaces, base/network-policies, base/rbac      shared by every cluster
    apps/<app>/base, apps/<app>/overlays/{staging,production}
                                                            the seed's Kustomize files, as written
    clusters/<spoke>/                                       each spoke's base and its identity
    clusters/<spoke>/platform/                              its platform services (a monitoring
                                                            agent: Deployment, ConfigMap, Service,
                                                            the `platform` Namespace), what the
                                                            seed's ApplicationSet deploys

`files()` is the tree as path -> text; `create_repository` commits it into a new bare repository.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml

from fleetops.embedded.fleet_layout import APPS, SEED_APPLICATION, SPOKES, Spoke

TEMPLATE_APP = SEED_APPLICATION
"""The seed's files name payment-service; the other applications are the same with their name."""


def _template_files() -> dict[str, str]:
    root = resources.files("fleetops.embedded").joinpath("sample", "app")
    found: dict[str, str] = {}

    def walk(node: object, prefix: str) -> None:
        for child in node.iterdir():  # type: ignore[attr-defined]
            name = f"{prefix}{child.name}"
            if child.is_dir():
                walk(child, name + "/")
            elif child.name.endswith(".yaml"):
                found[name] = child.read_text("utf-8")

    walk(root, "")
    return found


def seed_application() -> str:
    """The seed's application.yaml, unchanged."""
    return resources.files("fleetops.embedded").joinpath("sample", "application.yaml").read_text("utf-8")


def seed_applicationset() -> str:
    """The seed's applicationset.yaml (`platform-services`), unchanged."""
    return resources.files("fleetops.embedded").joinpath("sample", "applicationset.yaml").read_text("utf-8")


def _dump(*documents: object) -> str:
    return "---\n".join(yaml.safe_dump(d, sort_keys=False) for d in documents)


def _kustomization(resources_: list[str]) -> str:
    return _dump(
        {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization", "resources": resources_}
    )


def _namespaces() -> dict[str, str]:
    documents = [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns, "labels": {"team": app}}}
        for app, ns in APPS.items()
    ]
    return {
        "base/namespaces/kustomization.yaml": _kustomization(["namespaces.yaml"]),
        "base/namespaces/namespaces.yaml": _dump(*documents),
    }


def _network_policies() -> dict[str, str]:
    documents = []
    for namespace in APPS.values():
        documents.append(
            {
                "apiVersion": "networking.k8s.io/v1",
                "kind": "NetworkPolicy",
                "metadata": {"name": "default-deny-ingress", "namespace": namespace},
                "spec": {"podSelector": {}, "policyTypes": ["Ingress"]},
            }
        )
        documents.append(
            {
                "apiVersion": "networking.k8s.io/v1",
                "kind": "NetworkPolicy",
                "metadata": {"name": "allow-same-namespace", "namespace": namespace},
                "spec": {"podSelector": {}, "ingress": [{"from": [{"podSelector": {}}]}]},
            }
        )
    return {
        "base/network-policies/kustomization.yaml": _kustomization(["policies.yaml"]),
        "base/network-policies/policies.yaml": _dump(*documents),
    }


def _rbac() -> dict[str, str]:
    role = {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRole",
        "metadata": {"name": "gitops-read-only"},
        "rules": [
            {"apiGroups": ["", "apps", "autoscaling"], "resources": ["*"], "verbs": ["get", "list", "watch"]}
        ],
    }
    binding = {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRoleBinding",
        "metadata": {"name": "developers-read-only"},
        "roleRef": {
            "apiGroup": "rbac.authorization.k8s.io",
            "kind": "ClusterRole",
            "name": "gitops-read-only",
        },
        "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "developers"}],
    }
    return {
        "base/rbac/kustomization.yaml": _kustomization(["read-only.yaml"]),
        "base/rbac/read-only.yaml": _dump(role, binding),
    }


def _clusters() -> dict[str, str]:
    out: dict[str, str] = {}
    for spoke in SPOKES:
        prefix = f"clusters/{spoke.name}"
        out[f"{prefix}/kustomization.yaml"] = _kustomization(
            ["../../base/namespaces", "../../base/network-policies", "../../base/rbac", "cluster-info.yaml"]
        )
        out[f"{prefix}/cluster-info.yaml"] = _dump(
            {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": {"name": "cluster-info", "namespace": "kube-system"},
                "data": {"name": spoke.name, **spoke.labels},
            }
        )
        out.update(_platform(spoke))
    return out


PLATFORM_NAMESPACE = "platform"
AGENT = "monitoring-agent"
AGENT_IMAGE = "otel/opentelemetry-collector-contrib:0.98.0"
AGENT_CONFIG = """receivers:
  otlp:
    protocols:
      grpc: {{endpoint: 0.0.0.0:4317}}
      http: {{endpoint: 0.0.0.0:4318}}
processors:
  batch: {{}}
  resource:
    attributes:
      - {{key: k8s.cluster.name, value: {cluster}, action: upsert}}
      - {{key: cloud.region, value: {region}, action: upsert}}
      - {{key: deployment.environment, value: {environment}, action: upsert}}
exporters:
  debug: {{}}
service:
  pipelines:
    metrics: {{receivers: [otlp], processors: [resource, batch], exporters: [debug]}}
    traces: {{receivers: [otlp], processors: [resource, batch], exporters: [debug]}}
"""


def _platform(spoke: Spoke) -> dict[str, str]:
    """`clusters/<spoke>/platform`: the cluster's monitoring agent (an OpenTelemetry collector)
    with its configuration (the cluster's identity as resource attributes) and Service."""
    labels = {"app.kubernetes.io/name": AGENT, "app.kubernetes.io/part-of": "platform-services"}
    namespace = {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": PLATFORM_NAMESPACE, "labels": {"team": "platform"}},
    }
    config = (
        _dump(
            {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": {"name": f"{AGENT}-config", "namespace": PLATFORM_NAMESPACE, "labels": labels},
            }
        )
        + "data:\n  config.yaml: |\n"
        + "".join(
            f"    {line}\n" for line in AGENT_CONFIG.format(cluster=spoke.name, **spoke.labels).splitlines()
        )
    )
    ports = [("otlp-grpc", 4317), ("otlp-http", 4318), ("metrics", 8888)]
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": AGENT, "namespace": PLATFORM_NAMESPACE, "labels": labels},
        "spec": {
            "replicas": 2 if spoke.environment == "production" else 1,
            "selector": {"matchLabels": {"app.kubernetes.io/name": AGENT}},
            "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "containers": [
                        {
                            "name": "agent",
                            "image": AGENT_IMAGE,
                            "args": ["--config=/etc/agent/config.yaml"],
                            "ports": [{"name": n, "containerPort": p} for n, p in ports],
                            "resources": {
                                "requests": {"cpu": "100m", "memory": "128Mi"},
                                "limits": {"memory": "256Mi"},
                            },
                            "volumeMounts": [{"name": "config", "mountPath": "/etc/agent"}],
                        }
                    ],
                    "volumes": [{"name": "config", "configMap": {"name": f"{AGENT}-config"}}],
                },
            },
        },
    }
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": AGENT, "namespace": PLATFORM_NAMESPACE, "labels": labels},
        "spec": {
            "selector": {"app.kubernetes.io/name": AGENT},
            "ports": [{"name": n, "port": p, "targetPort": n} for n, p in ports],
        },
    }
    prefix = f"clusters/{spoke.name}/platform"
    return {
        f"{prefix}/kustomization.yaml": _kustomization(
            ["namespace.yaml", "configmap.yaml", "deployment.yaml", "service.yaml"]
        ),
        f"{prefix}/namespace.yaml": _dump(namespace),
        f"{prefix}/configmap.yaml": config,
        f"{prefix}/deployment.yaml": _dump(deployment),
        f"{prefix}/service.yaml": _dump(service),
    }


def _apps() -> dict[str, str]:
    templates = _template_files()
    out: dict[str, str] = {}
    for app in APPS:
        for path, text in templates.items():
            out[f"apps/{app}/{path}"] = text.replace(TEMPLATE_APP, app)
    return out


README = """# gitops-config

The sample configuration repository of `fleetops up`, in the seed article's mono-repo layout:
`base/` (namespaces, network policies, RBAC shared by every cluster), `apps/<app>/base` with
`overlays/staging` and `overlays/production`, and `clusters/<cluster>/` for every cluster, with
`clusters/<cluster>/platform` (a monitoring agent) that the `platform-services` ApplicationSet
deploys to every cluster labelled `environment=production`.
"""


def files() -> dict[str, str]:
    """The whole sample repository: path -> text."""
    return {"README.md": README, **_namespaces(), **_network_policies(), **_rbac(), **_apps(), **_clusters()}


def create_repository(path: Path, *, branch: str = "main", tree: dict[str, str] | None = None) -> str:
    """A new bare repository at `path` holding `files()` (or `tree`) as its first commit; returns
    the SHA."""
    import pygit2  # noqa: PLC0415

    repo = pygit2.init_repository(str(path), bare=True, initial_head=branch)
    index = pygit2.Index()
    for name, text in sorted((files() if tree is None else tree).items()):
        blob = repo.create_blob(text.encode())
        index.add(pygit2.IndexEntry(name, blob, pygit2.enums.FileMode.BLOB))
    written = index.write_tree(repo)
    author = pygit2.Signature("fleetops", "fleetops@localhost")
    oid = repo.create_commit(
        f"refs/heads/{branch}", author, author, "Sample fleet configuration (fleetops up)", written, []
    )
    return str(oid)


def platform_files() -> dict[str, str]:
    """Every `clusters/<spoke>/platform/` file of the sample."""
    return {path: text for path, text in files().items() if path.split("/")[2:3] == ["platform"]}


def add_platform(path: Path, *, branch: str = "main") -> str | None:
    """For a sample repository written before `clusters/<spoke>/platform` existed: one commit on
    `branch` adding those directories when none of them is there; the new SHA, or None when the
    branch is missing or already has any of them (nothing is overwritten)."""
    import pygit2  # noqa: PLC0415

    repo = pygit2.Repository(str(path))
    head = repo.references.get(f"refs/heads/{branch}")
    if head is None:
        return None
    parent = repo[head.target].peel(pygit2.Commit)
    wanted = platform_files()
    if any(name in parent.tree for name in wanted):
        return None
    index = pygit2.Index()
    index.read_tree(parent.tree)
    for name, text in sorted(wanted.items()):
        index.add(pygit2.IndexEntry(name, repo.create_blob(text.encode()), pygit2.enums.FileMode.BLOB))
    written = index.write_tree(repo)
    author = pygit2.Signature("fleetops", "fleetops@localhost")
    message = "Platform services: clusters/<cluster>/platform (fleetops up)"
    return str(repo.create_commit(head.name, author, author, message, written, [parent.id]))
