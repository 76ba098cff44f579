"""Random kustomizations for the differential test against `kubectl kustomize`.

Each case is a small tree: one or two bases built from a pool of Kubernetes 1.21 objects, then
one to three overlay levels, each using a random subset of kustomization fields. Everything is
derived from the case's seed, so a failing case can be regenerated and written out.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import yaml

APP_NAMES = ["web", "api", "worker", "db"]


@dataclass
class Case:
    seed: int
    files: dict[str, str] = field(default_factory=dict)
    run_dir: str = ""
    fields: Counter[str] = field(default_factory=Counter)
    directives: Counter[str] = field(default_factory=Counter)


def _dump(obj: Any) -> str:
    return yaml.safe_dump(obj, sort_keys=False)


def _dump_all(objs: list[Any]) -> str:
    return yaml.safe_dump_all(objs, sort_keys=False)


def _deployment(name: str, rnd: random.Random, kind: str = "Deployment") -> dict[str, Any]:
    containers: list[dict[str, Any]] = [
        {
            "name": name,
            "image": rnd.choice(
                [f"registry.example.com/{name}:1.0", f"{name}:latest", f"docker.io/library/{name}"]
            ),
            "ports": [{"containerPort": 8080, "name": "http"}],
            "env": [{"name": "MODE", "value": "prod"}],
            "envFrom": [{"configMapRef": {"name": f"{name}-config"}}],
            "volumeMounts": [{"name": "config", "mountPath": "/etc/config"}],
        }
    ]
    if rnd.random() < 0.3:
        containers.append({"name": "sidecar", "image": "envoy:1.20", "args": ["--port", "$(SERVICE_PORT)"]})
    spec: dict[str, Any] = {
        "selector": {"matchLabels": {"app": name}},
        "template": {
            "metadata": {"labels": {"app": name}},
            "spec": {
                "serviceAccountName": f"{name}-sa",
                "containers": containers,
                "volumes": [
                    {"name": "config", "configMap": {"name": f"{name}-config"}},
                    {"name": "creds", "secret": {"secretName": f"{name}-secret"}},
                ],
            },
        },
    }
    if rnd.random() < 0.3:
        spec["template"]["spec"]["initContainers"] = [{"name": "init", "image": "busybox:1.34"}]
    if kind in ("Deployment", "StatefulSet"):
        spec["replicas"] = rnd.choice([1, 2, 3])
    if kind == "StatefulSet":
        spec["serviceName"] = name
    return {
        "apiVersion": "apps/v1",
        "kind": kind,
        "metadata": {"name": name, "labels": {"app": name}},
        "spec": spec,
    }


def _base_objects(name: str, rnd: random.Random) -> list[dict[str, Any]]:
    kind = rnd.choice(["Deployment", "Deployment", "StatefulSet", "DaemonSet"])
    objs = [
        _deployment(name, rnd, kind),
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": name},
            "spec": {"selector": {"app": name}, "ports": [{"port": 80, "targetPort": 8080, "name": "http"}]},
        },
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": f"{name}-sa"}},
    ]
    if rnd.random() < 0.5 and kind == "Deployment":
        objs.append(
            {
                "apiVersion": "autoscaling/v1",
                "kind": "HorizontalPodAutoscaler",
                "metadata": {"name": name},
                "spec": {
                    "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": name},
                    "minReplicas": 1,
                    "maxReplicas": 5,
                },
            }
        )
    if rnd.random() < 0.4:
        objs.append(
            {
                "apiVersion": "rbac.authorization.k8s.io/v1",
                "kind": "Role",
                "metadata": {"name": f"{name}-role"},
                "rules": [{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get"]}],
            }
        )
        objs.append(
            {
                "apiVersion": "rbac.authorization.k8s.io/v1",
                "kind": "RoleBinding",
                "metadata": {"name": f"{name}-rb"},
                "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": f"{name}-role"},
                "subjects": [{"kind": "ServiceAccount", "name": f"{name}-sa"}],
            }
        )
    if rnd.random() < 0.3:
        objs.append(
            {
                "apiVersion": "networking.k8s.io/v1",
                "kind": "Ingress",
                "metadata": {"name": name, "annotations": {"team": "a"}},
                "spec": {
                    "rules": [
                        {
                            "host": f"{name}.example.com",
                            "http": {
                                "paths": [
                                    {
                                        "path": "/",
                                        "pathType": "Prefix",
                                        "backend": {"service": {"name": name, "port": {"number": 80}}},
                                    }
                                ]
                            },
                        }
                    ]
                },
            }
        )
    if rnd.random() < 0.3:
        objs.append(
            {
                "apiVersion": "policy/v1",
                "kind": "PodDisruptionBudget",
                "metadata": {"name": name},
                "spec": {"minAvailable": 1, "selector": {"matchLabels": {"app": name}}},
            }
        )
    if rnd.random() < 0.25:
        objs.append(
            {
                "apiVersion": "batch/v1",
                "kind": "CronJob",
                "metadata": {"name": f"{name}-cron"},
                "spec": {
                    "schedule": "*/5 * * * *",
                    "jobTemplate": {
                        "spec": {
                            "template": {
                                "spec": {
                                    "restartPolicy": "OnFailure",
                                    "containers": [{"name": "job", "image": f"{name}:latest"}],
                                }
                            }
                        }
                    },
                },
            }
        )
    if rnd.random() < 0.25:
        objs.append(
            {
                "apiVersion": "v1",
                "kind": "PersistentVolumeClaim",
                "metadata": {"name": f"{name}-data"},
                "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}},
            }
        )
    objs.extend(_more_objects(name, rnd))
    if rnd.random() < 0.2:
        objs.append(
            {
                "apiVersion": "example.com/v1",
                "kind": "Widget",
                "metadata": {"name": name},
                "spec": {"size": 3, "items": [{"name": "a", "value": 1}]},
            }
        )
    return objs


def _more_objects(name: str, rnd: random.Random) -> list[dict[str, Any]]:
    """Cluster-scoped objects, a Namespace and a List-wrapped Job (registry port, quoted labels)."""
    objs: list[dict[str, Any]] = []
    if rnd.random() < 0.2:
        objs.append(
            {
                "apiVersion": "rbac.authorization.k8s.io/v1",
                "kind": "ClusterRoleBinding",
                "metadata": {"name": f"{name}-crb"},
                "roleRef": {
                    "apiGroup": "rbac.authorization.k8s.io",
                    "kind": "ClusterRole",
                    "name": f"{name}-cr",
                },
                "subjects": [
                    {"kind": "ServiceAccount", "name": f"{name}-sa", "namespace": "default"},
                    {"kind": "ServiceAccount", "name": "default"},
                ],
            }
        )
        objs.append(
            {
                "apiVersion": "rbac.authorization.k8s.io/v1",
                "kind": "ClusterRole",
                "metadata": {"name": f"{name}-cr", "annotations": {"multi": "line one\nline two\n"}},
                "rules": [
                    {
                        "apiGroups": [""],
                        "resources": ["secrets"],
                        "resourceNames": [f"{name}-secret"],
                        "verbs": ["get"],
                    }
                ],
            }
        )
    if rnd.random() < 0.15:
        objs.append({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": f"{name}-ns"}})
    if rnd.random() < 0.2:
        job = {
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": {"name": f"{name}-migrate", "labels": {"version": "1.10", "on": "true"}},
            "spec": {
                "template": {
                    "spec": {
                        "restartPolicy": "Never",
                        "containers": [{"name": "m", "image": "localhost:5000/migrate:1.0"}],
                        "imagePullSecrets": [{"name": f"{name}-secret"}],
                    }
                }
            },
        }
        objs.append({"apiVersion": "v1", "kind": "List", "items": [job]})
    return objs


def _smp_patch(name: str, kind: str, rnd: random.Random, case: Case) -> dict[str, Any]:
    choice = rnd.choice(
        ["replicas", "container", "env", "label", "delete-volume", "new-container", "resources", "replace"]
    )
    case.directives[f"smp:{choice}"] += 1
    patch: dict[str, Any] = {"apiVersion": "apps/v1", "kind": kind, "metadata": {"name": name}}
    if choice == "replicas":
        patch["spec"] = {"replicas": rnd.choice([4, 5])} if kind != "DaemonSet" else {"minReadySeconds": 5}
    elif choice == "container":
        patch["spec"] = {"template": {"spec": {"containers": [{"name": name, "image": "patched:2.0"}]}}}
    elif choice == "env":
        patch["spec"] = {
            "template": {"spec": {"containers": [{"name": name, "env": [{"name": "EXTRA", "value": "1"}]}]}}
        }
    elif choice == "label":
        patch["metadata"]["labels"] = {"patched": "true"}
    elif choice == "delete-volume":
        case.directives["$patch: delete"] += 1
        patch["spec"] = {"template": {"spec": {"volumes": [{"name": "creds", "$patch": "delete"}]}}}
    elif choice == "new-container":
        patch["spec"] = {"template": {"spec": {"containers": [{"name": "extra", "image": "extra:1"}]}}}
    elif choice == "replace":
        case.directives["$patch: replace"] += 1
        patch["spec"] = {
            "template": {"metadata": {"$patch": "replace", "labels": {"app": name, "fresh": "y"}}}
        }
    else:
        patch["spec"] = {
            "template": {
                "spec": {
                    "containers": [{"name": name, "resources": {"limits": {"memory": "128Mi", "cpu": "1"}}}]
                }
            }
        }
    return patch


def _json_patch(rnd: random.Random, case: Case) -> list[dict[str, Any]]:
    choice = rnd.choice(["add-label", "replace-image", "add-annotation", "remove-env"])
    case.directives[f"json:{choice}"] += 1
    if choice == "add-label":
        return [{"op": "add", "path": "/metadata/labels/jsonpatched", "value": "yes"}]
    if choice == "replace-image":
        return [{"op": "replace", "path": "/spec/template/spec/containers/0/image", "value": "json:3.0"}]
    if choice == "add-annotation":
        return [{"op": "add", "path": "/metadata/annotations", "value": {"note": "json"}}]
    return [{"op": "remove", "path": "/spec/template/spec/containers/0/env"}]


def _overlay(
    case: Case,
    rnd: random.Random,
    directory: str,
    below: list[str],
    *,
    apps: list[tuple[str, str]],
    depth: int,
) -> None:
    k: dict[str, Any] = {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization"}
    rel = [_relative(directory, b) for b in below]
    if rnd.random() < 0.1:
        k["bases"] = rel
        case.fields["bases"] += 1
    else:
        k["resources"] = list(rel)
        case.fields["resources"] += 1
    name, kind = rnd.choice(apps)

    def use(field_name: str, probability: float) -> bool:
        if rnd.random() < probability:
            case.fields[field_name] += 1
            return True
        return False

    if use("namePrefix", 0.35):
        k["namePrefix"] = rnd.choice(["dev-", "prod-", "x-"]) + str(depth)[:0]
    if use("nameSuffix", 0.25):
        k["nameSuffix"] = rnd.choice(["-v1", "-blue"])
    if use("namespace", 0.35):
        k["namespace"] = rnd.choice(["staging", "production", "team-a"])
    if use("commonLabels", 0.3):
        k["commonLabels"] = {"env": rnd.choice(["dev", "prod"])}
    if use("labels", 0.3):
        entry: dict[str, Any] = {"pairs": {"owner": "team"}}
        if rnd.random() < 0.5:
            entry["includeSelectors"] = True
            case.directives["labels.includeSelectors"] += 1
        elif rnd.random() < 0.5:
            entry["includeTemplates"] = True
            case.directives["labels.includeTemplates"] += 1
        k["labels"] = [entry]
    if use("commonAnnotations", 0.3):
        k["commonAnnotations"] = {"note": rnd.choice(["hello", "release 1"])}
    if use("images", 0.35):
        image: dict[str, Any] = {
            "name": rnd.choice(
                [f"registry.example.com/{name}", name, "envoy", "busybox", "localhost:5000/migrate"]
            )
        }
        what = rnd.choice(["newTag", "newName", "digest", "both"])
        case.directives[f"images.{what}"] += 1
        if what in ("newTag", "both"):
            image["newTag"] = rnd.choice(["2.0", "v1.2.3"])
        if what in ("newName", "both"):
            image["newName"] = "mirror.example.com/" + name
        if what == "digest":
            image["digest"] = "sha256:" + "a" * 64
        k["images"] = [image]
    if use("replicas", 0.25):
        k["replicas"] = [{"name": name, "count": rnd.choice([0, 3, 7])}]
    generated_name = f"{name}-config"
    if use("configMapGenerator", 0.4):
        gen: dict[str, Any] = {"name": generated_name}
        source = rnd.choice(["literals", "files", "envs"])
        case.directives[f"configMapGenerator.{source}"] += 1
        if source == "literals":
            gen["literals"] = [f"KEY{depth}=value{rnd.randint(0, 9)}", "OTHER=x y"]
        elif source == "files":
            case.files[f"{directory}/app.properties"] = f"a=1\nb={rnd.randint(0, 9)}\n"
            gen["files"] = ["app.properties"]
        else:
            case.files[f"{directory}/vars.env"] = f"# comment\nA=1\nB={rnd.randint(0, 9)}\n"
            gen["envs"] = ["vars.env"]
        if depth > 0 and rnd.random() < 0.5:
            gen["behavior"] = rnd.choice(["merge", "replace"])
            case.directives[f"behavior.{gen['behavior']}"] += 1
        k["configMapGenerator"] = [gen]
    if use("secretGenerator", 0.25):
        k["secretGenerator"] = [{"name": f"{name}-secret", "literals": ["password=s3cret"], "type": "Opaque"}]
    if use("generatorOptions", 0.2):
        options: dict[str, Any] = {"labels": {"generated": "yes"}}
        if rnd.random() < 0.5:
            options["disableNameSuffixHash"] = True
        k["generatorOptions"] = options
    if use("patches", 0.4):
        entries = []
        if rnd.random() < 0.5:
            patch = _smp_patch(name, kind, rnd, case)
            entry: dict[str, Any] = {"patch": _dump(patch)}
            if rnd.random() < 0.4:
                entry["target"] = {"kind": kind, "name": name}
                case.directives["patches.target"] += 1
            entries.append(entry)
        else:
            target: dict[str, Any] = {"kind": rnd.choice([kind, "Deployment|StatefulSet|DaemonSet"])}
            if rnd.random() < 0.5:
                target["labelSelector"] = f"app={name}"
                case.directives["patches.labelSelector"] += 1
            else:
                target["name"] = name
            case.files[f"{directory}/json-patch.yaml"] = _dump(_json_patch(rnd, case))
            entries.append({"path": "json-patch.yaml", "target": target})
        k["patches"] = entries
    if use("patchesStrategicMerge", 0.25):
        case.files[f"{directory}/smp.yaml"] = _dump(_smp_patch(name, kind, rnd, case))
        k["patchesStrategicMerge"] = ["smp.yaml"]
    if use("patchesJson6902", 0.2):
        k["patchesJson6902"] = [
            {
                "target": {"group": "apps", "version": "v1", "kind": kind, "name": name},
                "patch": _dump(_json_patch(rnd, case)),
            }
        ]
    if use("vars", 0.12):
        k["vars"] = [
            {
                "name": "SERVICE_PORT",
                "objref": {"kind": "Service", "name": name, "apiVersion": "v1"},
                "fieldref": {"fieldpath": "spec.ports[0].port"},
            },
            {
                "name": "SERVICE_NAME",
                "objref": {"kind": "Service", "name": name, "apiVersion": "v1"},
            },
        ]
        k.setdefault("commonAnnotations", {})["service"] = "$(SERVICE_NAME).svc"
    elif use("replacements", 0.2):
        variant = rnd.choice(["create", "delimiter", "configmap", "reject"])
        case.directives[f"replacements.{variant}"] += 1
        if variant == "create":
            source: dict[str, Any] = {"kind": "Service", "name": name, "fieldPath": "metadata.name"}
            target: dict[str, Any] = {
                "select": {"kind": kind, "name": name},
                "fieldPaths": ["spec.template.metadata.annotations.service"],
                "options": {"create": True},
            }
        elif variant == "delimiter":
            source = {
                "kind": kind,
                "name": name,
                "fieldPath": "spec.template.spec.containers.0.image",
                "options": {"delimiter": ":", "index": 0},
            }
            target = {
                "select": {"kind": "Service"},
                "fieldPaths": ["metadata.annotations.image"],
                "options": {"create": True},
            }
        elif variant == "configmap":
            source = {"kind": "ConfigMap", "name": f"{name}-config", "fieldPath": "metadata.name"}
            target = {
                "select": {"kind": kind},
                "fieldPaths": [f"spec.template.spec.containers.[name={name}].env.[name=MODE].value"],
            }
        else:
            source = {"kind": "Service", "name": name, "fieldPath": "spec.ports.0.port"}
            target = {
                "select": {"kind": "Service"},
                "reject": [{"name": "nothing"}],
                "fieldPaths": ["spec.ports.0.targetPort"],
            }
        k["replacements"] = [{"source": source, "targets": [target]}]
    if use("sortOptions", 0.1):
        k["sortOptions"] = {"order": rnd.choice(["fifo", "legacy"])}
    if use("buildMetadata", 0.1):
        k["buildMetadata"] = [rnd.choice(["originAnnotations", "managedByLabel"])]
    if use("components", 0.15):
        component = f"{directory}/component"
        case.files[f"{component}/kustomization.yaml"] = _dump(
            {
                "apiVersion": "kustomize.config.k8s.io/v1alpha1",
                "kind": "Component",
                "commonAnnotations": {"component": "on"},
                "patches": [{"patch": _dump(_smp_patch(name, kind, rnd, case))}],
            }
        )
        k["components"] = ["component"]
    _extensions(case, rnd, directory, k, name)
    case.files[f"{directory}/kustomization.yaml"] = _dump(k)


WIDGET_CRD_SCHEMA = {
    "example.com.v1.Widget": {
        "Schema": {
            "properties": {
                "apiVersion": {"type": "string"},
                "kind": {"type": "string"},
                "metadata": {"type": "object"},
                "spec": {"$ref": "example.com.v1.WidgetSpec"},
            }
        }
    },
    "example.com.v1.WidgetSpec": {
        "Schema": {
            "properties": {
                "configRef": {
                    "x-kubernetes-object-ref-api-version": "v1",
                    "x-kubernetes-object-ref-kind": "ConfigMap",
                    "$ref": "example.com.v1.Ref",
                }
            }
        }
    },
    "example.com.v1.Ref": {"Schema": {"properties": {"name": {"type": "string"}}}},
}

WIDGET_OPENAPI = {
    "definitions": {
        "com.example.v1.Widget": {
            "type": "object",
            "properties": {
                "apiVersion": {"type": "string"},
                "kind": {"type": "string"},
                "metadata": {"type": "object"},
                "spec": {
                    "type": "object",
                    "properties": {
                        "size": {"type": "integer"},
                        "items": {
                            "type": "array",
                            "items": {"type": "object"},
                            "x-kubernetes-patch-merge-key": "name",
                            "x-kubernetes-patch-strategy": "merge",
                        },
                    },
                },
            },
            "x-kubernetes-group-version-kind": [{"group": "example.com", "kind": "Widget", "version": "v1"}],
        }
    }
}


def _extensions(case: Case, rnd: random.Random, directory: str, k: dict[str, Any], name: str) -> None:
    """configurations, crds, openapi and builtin plugin configs (generators:, transformers:)."""
    if rnd.random() < 0.1:
        case.fields["configurations"] += 1
        case.files[f"{directory}/config.yaml"] = _dump(
            {
                "commonLabels": [{"path": "spec/selector", "kind": "Widget", "create": True}],
                "nameReference": [
                    {
                        "kind": "ConfigMap",
                        "version": "v1",
                        "fieldSpecs": [{"path": "spec/config", "kind": "Widget"}],
                    }
                ],
            }
        )
        k["configurations"] = ["config.yaml"]
        k.setdefault("commonLabels", {"configured": "yes"})
    if rnd.random() < 0.08:
        case.fields["crds"] += 1
        case.files[f"{directory}/crd.json"] = json.dumps(WIDGET_CRD_SCHEMA, indent=2)
        k["crds"] = ["crd.json"]
    if rnd.random() < 0.08:
        case.fields["openapi"] += 1
        case.files[f"{directory}/openapi.json"] = json.dumps(WIDGET_OPENAPI, indent=2)
        k["openapi"] = {"path": "openapi.json"}
        patch = {
            "apiVersion": "example.com/v1",
            "kind": "Widget",
            "metadata": {"name": name},
            "spec": {"items": [{"name": "b", "value": 2}]},
        }
        k.setdefault("patches", []).append({"patch": _dump(patch), "target": {"kind": "Widget"}})
    if rnd.random() < 0.1:
        case.fields["generators"] += 1
        k["generators"] = [
            _dump(
                {
                    "apiVersion": "builtin",
                    "kind": "ConfigMapGenerator",
                    "metadata": {"name": "plugin-config"},
                    "literals": [f"FROM=plugin{rnd.randint(0, 3)}"],
                }
            )
        ]
    if rnd.random() < 0.1:
        case.fields["transformers"] += 1
        plugin = rnd.choice(
            [
                {
                    "apiVersion": "builtin",
                    "kind": "LabelTransformer",
                    "metadata": {"name": "labels"},
                    "labels": {"plugin": "label"},
                    "fieldSpecs": [{"path": "metadata/labels", "create": True}],
                },
                {
                    "apiVersion": "builtin",
                    "kind": "PrefixSuffixTransformer",
                    "metadata": {"name": "prefix"},
                    "prefix": "pp-",
                    "fieldSpecs": [{"path": "metadata/name"}],
                },
            ]
        )
        case.directives[f"transformers.{plugin['kind']}"] += 1
        k["transformers"] = [_dump(plugin)]


def _relative(src: str, dst: str) -> str:
    src_parts = src.split("/")
    dst_parts = dst.split("/")
    common = 0
    while common < min(len(src_parts), len(dst_parts)) and src_parts[common] == dst_parts[common]:
        common += 1
    return "/".join([".."] * (len(src_parts) - common) + dst_parts[common:])


def generate_case(seed: int) -> Case:
    rnd = random.Random(seed)
    case = Case(seed)
    bases = []
    apps: list[tuple[str, str]] = []
    for index in range(rnd.choice([1, 1, 2])):
        name = APP_NAMES[index if index else rnd.randint(0, 1)]
        objs = _base_objects(name, rnd)
        directory = f"bases/{name}"
        case.files[f"{directory}/resources.yaml"] = _dump_all(objs)
        case.files[f"{directory}/kustomization.yaml"] = _dump(
            {
                "resources": ["resources.yaml"],
                "configMapGenerator": [{"name": f"{name}-config", "literals": ["LEVEL=base"]}],
                "secretGenerator": [{"name": f"{name}-secret", "literals": ["token=abc"]}],
            }
        )
        bases.append(directory)
        apps.append((name, str(objs[0]["kind"])))
    below = bases
    depth = rnd.choice([1, 2, 3])
    for level in range(depth):
        directory = f"overlays/level{level}"
        _overlay(case, rnd, directory, below, apps=apps, depth=level)
        below = [directory]
    case.run_dir = below[0]
    return case
