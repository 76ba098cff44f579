"""fleetops' Argo CD CRDs: they load into the Kubernetes schema, carry Argo CD's names and
columns, and accept the seed's YAML (and everything Argo CD writes) as written."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from crd_schema_check import problems
from tests.support.shared import SHARED_DIR

from fleetops.core import crds
from fleetops.core.schema import LIST_ITEMS, KubeSchema, SchemaNode, load_schema
from fleetops.model.gvk import GroupVersionKind

# The seed and other shared files (tests/conftest.py's rule, without importing it by name).
SEED = SHARED_DIR / "seed" / "examples"
GROUP, VERSION = "argoproj.io", "v1alpha1"


@pytest.fixture(scope="module")
def schema() -> KubeSchema:
    return crds.with_argo_crds(load_schema())


def _root(schema: KubeSchema, kind: str) -> SchemaNode:
    node = schema.node_for(GroupVersionKind(GROUP, VERSION, kind))
    assert node is not None
    return node


def _seed(name: str) -> dict[str, Any]:
    path = SEED / name
    if not path.is_file():
        pytest.skip(f"{path} is absent (../shared is not checked out here)")
    loaded: dict[str, Any] = yaml.safe_load(path.read_text())
    return loaded


@pytest.mark.parametrize("name", [crds.APPLICATION_CRD, crds.APPPROJECT_CRD, crds.APPLICATIONSET_CRD])
def test_each_crd_loads_through_with_crd(name: str) -> None:
    base = load_schema()
    extended = base.with_crd(crds.crd(name))
    assert name in extended.crd_names()
    assert name not in base.crd_names()


def test_unknown_crd_name_is_a_key_error() -> None:
    with pytest.raises(KeyError, match=r"applications\.argoproj\.io"):
        crds.crd("widgets.example.com")


def test_copies_are_independent() -> None:
    first = crds.application_crd()
    first["spec"]["names"]["shortNames"].append("x")
    assert crds.application_crd()["spec"]["names"]["shortNames"] == ["app", "apps"]


@pytest.mark.parametrize(
    ("kind", "plural", "short_names", "subresources"),
    [
        ("Application", "applications", ("app", "apps"), ("status",)),
        ("AppProject", "appprojects", ("appproj", "appprojs"), ()),
        ("ApplicationSet", "applicationsets", ("appset", "appsets"), ("status",)),
    ],
)
def test_resources_as_argo_cd_names_them(
    schema: KubeSchema, kind: str, plural: str, short_names: tuple[str, ...], subresources: tuple[str, ...]
) -> None:
    info = schema.resource_for_kind(GroupVersionKind(GROUP, VERSION, kind))
    assert info is not None
    assert (info.plural, info.short_names, info.subresources, info.namespaced) == (
        plural,
        short_names,
        subresources,
        True,
    )


def test_application_printer_columns_are_argo_cds() -> None:
    (version,) = crds.application_crd()["spec"]["versions"]
    columns = [(c["name"], c["jsonPath"], c.get("priority", 0)) for c in version["additionalPrinterColumns"]]
    assert columns == [
        ("Sync Status", ".status.sync.status", 0),
        ("Health Status", ".status.health.status", 0),
        ("Revision", ".status.sync.revision", 10),
        ("Project", ".spec.project", 10),
    ]


def test_seed_application_is_accepted_unchanged(schema: KubeSchema) -> None:
    assert problems(_seed("application.yaml"), _root(schema, "Application")) == []


def test_seed_applicationset_is_accepted_unchanged(schema: KubeSchema) -> None:
    assert problems(_seed("applicationset.yaml"), _root(schema, "ApplicationSet")) == []


FULL_APPLICATION = textwrap.dedent("""
    apiVersion: argoproj.io/v1alpha1
    kind: Application
    metadata: {name: guestbook, namespace: fleetops}
    spec:
      project: team-a
      sources:
      - repoURL: https://github.com/org/gitops-config
        targetRevision: v1.2.0
        path: apps/guestbook/overlays/prod
        kustomize:
          images: [gcr.io/heptio-images/ks-guestbook-demo:0.2]
          namePrefix: prod-
          nameSuffix: -v1
          namespace: guestbook
          commonLabels: {team: a}
          commonAnnotations: {owner: a}
          replicas:
          - {name: guestbook-ui, count: 3}
          - {name: guestbook-worker, count: "2"}
          patches:
          - target: {kind: Deployment, name: guestbook-ui}
            patch: |-
              - op: replace
                path: /spec/template/spec/containers/0/ports/0/containerPort
                value: 443
      - repoURL: https://github.com/org/values
        ref: values
      - repoURL: https://github.com/org/plain
        path: manifests
        directory: {recurse: true, include: '*.yaml', exclude: 'test-*', jsonnet: {}}
      destination: {name: prod-us-east-1, namespace: guestbook}
      syncPolicy:
        automated: {prune: true, selfHeal: true, allowEmpty: false, enabled: true}
        syncOptions: [CreateNamespace=true, PruneLast=true]
        retry: {limit: -1, backoff: {duration: 5s, factor: 2, maxDuration: 3m}, refresh: false}
        managedNamespaceMetadata:
          labels: {env: prod}
          annotations: {note: managed}
      ignoreDifferences:
      - group: apps
        kind: Deployment
        jsonPointers: [/spec/replicas]
        jqPathExpressions: ['.spec.template.spec.initContainers[] | select(.name == "x")']
        managedFieldsManagers: [kube-controller-manager]
      info:
      - {name: url, value: https://guestbook.example.com}
      revisionHistoryLimit: 3
    operation:
      initiatedBy: {automated: true}
      retry: {limit: 5}
      sync:
        revision: 0a1b2c3
        prune: true
        syncOptions: [ServerSideApply=true]
        resources: [{group: apps, kind: Deployment, name: guestbook-ui}]
        syncStrategy: {hook: {}}
    status:
      sync:
        status: OutOfSync
        revisions: [0a1b2c3, 4d5e6f7, 8a9b0c1]
        comparedTo:
          sources: [{repoURL: https://github.com/org/gitops-config, path: apps/guestbook}]
          destination: {name: prod-us-east-1, namespace: guestbook}
      health: {status: Degraded, message: Deployment has timed out progressing.}
      conditions:
      - type: UnsupportedField
        message: "spec.sources[1].ref: not yet"
        lastTransitionTime: "2026-01-02T03:04:05Z"
      history:
      - id: 0
        revisions: [0a1b2c3, 4d5e6f7, 8a9b0c1]
        deployedAt: "2026-01-02T03:04:05Z"
        deployStartedAt: "2026-01-02T03:04:00Z"
        sources: [{repoURL: https://github.com/org/gitops-config, path: apps/guestbook}]
        initiatedBy: {automated: true}
      operationState:
        operation: {sync: {revision: 0a1b2c3}, initiatedBy: {username: admin}}
        phase: Failed
        message: one or more objects failed to apply
        startedAt: "2026-01-02T03:04:00Z"
        finishedAt: "2026-01-02T03:04:05Z"
        retryCount: 2
        syncResult:
          revision: 0a1b2c3
          source: {repoURL: https://github.com/org/gitops-config}
          resources:
          - {group: apps, version: v1, kind: Deployment, namespace: guestbook, name: guestbook-ui,
             status: SyncFailed, message: boom, hookPhase: Failed, syncPhase: Sync}
      resources:
      - {group: apps, version: v1, kind: Deployment, namespace: guestbook, name: guestbook-ui,
         status: OutOfSync, health: {status: Degraded, message: timed out}, syncWave: -1}
      - {version: v1, kind: Namespace, name: guestbook, status: Synced, requiresPruning: true}
      summary: {images: ["gcr.io/heptio-images/ks-guestbook-demo:0.2"], externalURLs: ["https://x"]}
      reconciledAt: "2026-01-02T03:04:05Z"
      sourceTypes: [Kustomize, Helm, Directory]
      controllerNamespace: fleetops
""")


def test_every_typed_application_field_is_accepted(schema: KubeSchema) -> None:
    assert problems(yaml.safe_load(FULL_APPLICATION), _root(schema, "Application")) == []


def test_unknown_fields_are_preserved_not_dropped(schema: KubeSchema) -> None:
    app = yaml.safe_load(FULL_APPLICATION)
    app["spec"]["futureField"] = {"a": 1}
    app["spec"]["sources"][0]["helm"] = {"valueFiles": ["values.yaml"], "newHelmOption": True}
    app["spec"]["sources"][0]["kustomize"]["someNewOption"] = "x"
    app["spec"]["syncPolicy"]["automated"]["newFlag"] = True
    app["status"]["newStatusField"] = [1, 2]
    assert problems(app, _root(schema, "Application")) == []


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (("spec", "project"), 3, ".spec.project: must be of type string, not int"),
        (("spec", "revisionHistoryLimit"), "ten", ".spec.revisionHistoryLimit: must be of type integer"),
        (("spec", "syncPolicy", "automated", "prune"), "yes", "automated.prune: must be of type boolean"),
        (("spec", "syncPolicy", "syncOptions"), "CreateNamespace=true", "syncOptions: must be of type array"),
    ],
)
def test_wrongly_typed_fields_are_refused(
    schema: KubeSchema, path: tuple[str, ...], value: object, expected: str
) -> None:
    app = yaml.safe_load(FULL_APPLICATION)
    target = app
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    found = problems(app, _root(schema, "Application"))
    assert len(found) == 1 and expected in found[0]


def test_application_requires_destination_and_project(schema: KubeSchema) -> None:
    app = {"apiVersion": f"{GROUP}/{VERSION}", "kind": "Application", "metadata": {"name": "x"}, "spec": {}}
    assert problems(app, _root(schema, "Application")) == [
        ".spec.destination: required",
        ".spec.project: required",
    ]


def test_sources_items_share_the_source_schema(schema: KubeSchema) -> None:
    gvk = GroupVersionKind(GROUP, VERSION, "Application")
    single = schema.node_at(gvk, ("spec", "source", "kustomize", "replicas", LIST_ITEMS, "count"))
    multi = schema.node_at(gvk, ("spec", "sources", LIST_ITEMS, "kustomize", "replicas", LIST_ITEMS, "count"))
    assert single is not None and multi is not None
    assert single.int_or_string and multi.int_or_string


def test_appproject_from_argo_cd_docs_is_accepted(schema: KubeSchema) -> None:
    project = yaml.safe_load(
        textwrap.dedent("""
        apiVersion: argoproj.io/v1alpha1
        kind: AppProject
        metadata: {name: my-project, namespace: fleetops}
        spec:
          description: Example Project
          sourceRepos: ['*', '!https://github.com/org/forbidden']
          sourceNamespaces: [team-*]
          destinations:
          - {namespace: guestbook, server: https://kubernetes.default.svc}
          - {namespace: '!kube-system', server: '*'}
          clusterResourceWhitelist: [{group: '', kind: Namespace}]
          clusterResourceBlacklist: [{group: rbac.authorization.k8s.io, kind: ClusterRole}]
          namespaceResourceBlacklist: [{group: '', kind: ResourceQuota}]
          namespaceResourceWhitelist: [{group: apps, kind: Deployment}]
          orphanedResources: {warn: false, ignore: [{kind: ConfigMap, name: x}]}
          roles:
          - name: read-only
            description: Read-only privileges to my-project
            policies: ['p, proj:my-project:read-only, applications, get, my-project/*, allow']
            groups: [my-oidc-group]
            jwtTokens: [{iat: 1535390316}]
          syncWindows:
          - {kind: allow, schedule: '10 1 * * *', duration: 1h, applications: ['*-prod'], manualSync: true}
          signatureKeys: [{keyID: ABCDEF1234567890}]
        """)
    )
    assert problems(project, _root(schema, "AppProject")) == []


def test_crd_files_are_package_data() -> None:
    files = sorted(p.name for p in (Path(crds.__file__).parent / "manifests").iterdir())
    assert files == ["application.yaml", "applicationset.yaml", "appproject.yaml"]
