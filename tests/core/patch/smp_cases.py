"""Deterministic (object, patch) cases for strategic merge patch, checked against kubectl.

Objects are Deployments, StatefulSets, Pods, Services and ConfigMaps built from a seeded random
generator; patches come from small "fragment" builders (one concern each: merge a container,
delete an env var, reorder volumes with `$setElementOrder`, …), from malformed-directive builders
(kubectl must refuse them), and from two-way patches `create_strategic_merge_patch(a, b)` of
random edits. `coverage()` reads what a patch actually uses, so the matrix is honest.
"""

from __future__ import annotations

import copy
import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

Obj = dict[str, Any]

LIST_FIELDS = (
    "containers",
    "initContainers",
    "env",
    "envFrom",
    "ports",
    "volumes",
    "volumeMounts",
    "tolerations",
    "args",
    "labels",
)
DIRECTIVES = (
    "merge-key",
    "$patch:replace(map)",
    "$patch:replace(list)",
    "$patch:delete(map)",
    "$patch:delete(item)",
    "$patch:merge",
    "$retainKeys",
    "$setElementOrder",
    "$deleteFromPrimitiveList",
    "null",
    "primitive-merge",
    "list-replace",
)
MERGE_KEYED = {
    "containers": "name",
    "initContainers": "name",
    "env": "name",
    "ports": "containerPort",
    "volumes": "name",
    "volumeMounts": "mountPath",
    "imagePullSecrets": "name",
}
PRIMITIVE_MERGE = {"finalizers"}
REPLACED_LISTS = {"args", "command", "envFrom", "tolerations"}
POD_KINDS = ("Deployment", "StatefulSet", "Pod")


@dataclass
class Case:
    """One oracle case: `family` says what it exercises; `expect_error` is the generator's intent
    (the oracle decides: where kubectl fails, fleetops must raise)."""

    name: str
    family: str
    obj: Obj
    patch: Obj
    expect_error: bool = False
    modified: Obj | None = None  # for two-way cases: what the created patch must produce
    directives: set[str] = field(default_factory=set)
    fields: set[str] = field(default_factory=set)


# ----------------------------------------------------------------------------- objects


def _container(rng: random.Random, name: str, *, ports_from: int = 8080) -> Obj:
    container: Obj = {
        "name": name,
        "image": f"registry.example/{name}:{rng.randint(1, 9)}.{rng.randint(0, 9)}",
    }
    if rng.random() < 0.8:
        container["env"] = [
            {"name": f"{name.upper()}_{i}", "value": str(rng.randint(0, 99))}
            for i in range(rng.randint(1, 4))
        ]
    if rng.random() < 0.5:
        container["envFrom"] = [{"configMapRef": {"name": f"{name}-config"}}]
    if rng.random() < 0.7:
        container["ports"] = [
            {"containerPort": ports_from + i, "name": f"p{i}", "protocol": "TCP"}
            for i in range(rng.randint(1, 3))
        ]
    if rng.random() < 0.7:
        container["volumeMounts"] = [
            {"name": f"vol{i}", "mountPath": f"/mnt/{name}/{i}"} for i in range(rng.randint(1, 3))
        ]
    if rng.random() < 0.6:
        container["args"] = [f"--flag{i}={rng.randint(0, 9)}" for i in range(rng.randint(1, 3))]
    if rng.random() < 0.5:
        container["resources"] = {"limits": {"cpu": "500m", "memory": "256Mi"}, "requests": {"cpu": "100m"}}
    return container


def _pod_spec(rng: random.Random) -> Obj:
    names = rng.sample(["app", "sidecar", "proxy", "logger", "metrics"], rng.randint(1, 4))
    spec: Obj = {
        "containers": [_container(rng, name, ports_from=8080 + 10 * i) for i, name in enumerate(names)]
    }
    if rng.random() < 0.6:
        spec["initContainers"] = [
            _container(rng, name) for name in rng.sample(["init", "migrate", "wait"], 2)
        ]
    volumes = [{"name": f"vol{i}", "emptyDir": {}} for i in range(rng.randint(1, 3))]
    if rng.random() < 0.5:
        volumes.append({"name": "config", "configMap": {"name": "app-config"}})
    spec["volumes"] = volumes
    if rng.random() < 0.7:
        spec["tolerations"] = [
            {"key": f"taint{i}", "operator": "Exists", "effect": "NoSchedule"}
            for i in range(rng.randint(1, 3))
        ]
    if rng.random() < 0.4:
        spec["securityContext"] = {"runAsNonRoot": True, "runAsUser": 1000}
    if rng.random() < 0.3:
        spec["imagePullSecrets"] = [{"name": "regcred"}]
    return spec


def _metadata(rng: random.Random, name: str) -> Obj:
    metadata: Obj = {
        "name": name,
        "namespace": "default",
        "labels": {"app": name, "tier": rng.choice(["web", "db"])},
    }
    if rng.random() < 0.6:
        metadata["annotations"] = {"example.com/owner": "team-a"}
    if rng.random() < 0.7:
        metadata["finalizers"] = [f"example.com/f{i}" for i in range(rng.randint(1, 3))]
    return metadata


def make_object(rng: random.Random, kind: str, index: int) -> Obj:
    name = f"{kind.lower()}-{index}"
    if kind in ("Deployment", "StatefulSet"):
        spec: Obj = {
            "replicas": rng.randint(1, 5),
            "selector": {"matchLabels": {"app": name}},
            "template": {"metadata": {"labels": {"app": name}}, "spec": _pod_spec(rng)},
        }
        if kind == "Deployment":
            spec["strategy"] = rng.choice(
                [
                    {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}},
                    {"type": "Recreate"},
                ]
            )
        else:
            spec["serviceName"] = name
        return {"apiVersion": "apps/v1", "kind": kind, "metadata": _metadata(rng, name), "spec": spec}
    if kind == "Pod":
        return {"apiVersion": "v1", "kind": "Pod", "metadata": _metadata(rng, name), "spec": _pod_spec(rng)}
    if kind == "Service":
        ports = [
            {"name": f"p{i}", "port": 80 + i, "targetPort": 8080 + i, "protocol": "TCP"}
            for i in range(rng.randint(1, 3))
        ]
        spec = {"selector": {"app": name}, "ports": ports, "type": "ClusterIP"}
        return {"apiVersion": "v1", "kind": "Service", "metadata": _metadata(rng, name), "spec": spec}
    data = {f"key{i}": f"value{i}" for i in range(rng.randint(1, 4))}
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": _metadata(rng, name), "data": data}


def pod_spec_path(obj: Obj) -> list[str]:
    return ["spec", "template", "spec"] if obj["kind"] in ("Deployment", "StatefulSet") else ["spec"]


def get_in(obj: Obj, path: list[str]) -> Any:
    for step in path:
        obj = obj[step]
    return obj


def nest(path: list[str], value: Any) -> Obj:
    for step in reversed(path):
        value = {step: value}
    return value


# ----------------------------------------------------------------------------- fragments

Fragment = Callable[[random.Random, Obj], Obj | None]


def _pick_container(rng: random.Random, obj: Obj, list_key: str = "containers") -> Obj | None:
    items = get_in(obj, pod_spec_path(obj)).get(list_key)
    return rng.choice(items) if items else None


def f_merge_container(rng: random.Random, obj: Obj) -> Obj | None:
    list_key = rng.choice(["containers", "containers", "initContainers"])
    target = _pick_container(rng, obj, list_key)
    if target is None:
        return None
    item: Obj = {"name": target["name"], "image": f"registry.example/{target['name']}:patched"}
    choice = rng.randint(0, 5)
    if choice == 0:
        item["env"] = [{"name": "NEW_VAR", "value": "x"}]
    elif choice == 1 and target.get("env"):
        item["env"] = [{"name": rng.choice(target["env"])["name"], "value": "changed"}]
    elif choice == 2:
        item["ports"] = [{"containerPort": 9999, "name": "extra"}]
    elif choice == 3:
        item["volumeMounts"] = [{"name": "vol0", "mountPath": "/extra"}]
    elif choice == 4:
        item["args"] = ["--replaced"]
    else:
        item["envFrom"] = [{"secretRef": {"name": "secret-env"}}]
    return nest([*pod_spec_path(obj), list_key], [item])


def f_add_container(rng: random.Random, obj: Obj) -> Obj | None:
    list_key = rng.choice(["containers", "initContainers"])
    new = _container(rng, rng.choice(["added", "extra", "newbie"]))
    return nest([*pod_spec_path(obj), list_key], [new])


def f_delete_item(rng: random.Random, obj: Obj) -> Obj | None:
    """`{<key>: …, $patch: delete}` in a merging list (containers, env, ports, volumes, mounts)."""
    spec_path = pod_spec_path(obj)
    spec = get_in(obj, spec_path)
    choice = rng.choice(["containers", "initContainers", "volumes", "env", "ports", "volumeMounts"])
    if choice in ("containers", "initContainers", "volumes"):
        items = spec.get(choice)
        if not items:
            return None
        victim = rng.choice(items)
        return nest([*spec_path, choice], [{"name": victim["name"], "$patch": "delete"}])
    container = _pick_container(rng, obj)
    if container is None or not container.get(choice):
        return None
    key = MERGE_KEYED[choice]
    victim = rng.choice(container[choice])
    item = {"name": container["name"], choice: [{key: victim[key], "$patch": "delete"}]}
    return nest([*spec_path, "containers"], [item])


def f_replace_list(rng: random.Random, obj: Obj) -> Obj | None:
    """The `{$patch: replace}` list element: the list becomes the other elements."""
    spec_path = pod_spec_path(obj)
    choice = rng.choice(["containers", "volumes", "env", "ports", "initContainers"])
    if choice in ("containers", "initContainers"):
        return nest([*spec_path, choice], [{"$patch": "replace"}, _container(rng, "only")])
    if choice == "volumes":
        return nest([*spec_path, "volumes"], [{"name": "fresh", "emptyDir": {}}, {"$patch": "replace"}])
    container = _pick_container(rng, obj)
    if container is None:
        return None
    key = MERGE_KEYED[choice]
    fresh = {"name": "ONLY", "value": "1"} if choice == "env" else {"containerPort": 7000}
    assert key in fresh
    return nest(
        [*spec_path, "containers"], [{"name": container["name"], choice: [{"$patch": "replace"}, fresh]}]
    )


def _order(rng: random.Random, items: list[Obj], key: str, *, extra: list[Obj] | None = None) -> list[Obj]:
    names = [{key: item[key]} for item in items] + [{key: item[key]} for item in extra or []]
    rng.shuffle(names)
    if names and rng.random() < 0.3:
        names.pop()  # items only in the live list keep their relative place
    return names


def f_set_element_order(rng: random.Random, obj: Obj) -> Obj | None:
    spec_path = pod_spec_path(obj)
    spec = get_in(obj, spec_path)
    choice = rng.choice(["containers", "volumes", "env", "ports", "volumeMounts", "initContainers"])
    if choice in ("containers", "volumes", "initContainers"):
        items = spec.get(choice)
        if not items:
            return None
        patch: Obj = {}
        extra: list[Obj] = []
        if rng.random() < 0.5:
            extra = (
                [{"name": "ordered-new", "image": "x"}]
                if choice != "volumes"
                else [{"name": "ordered-new", "emptyDir": {}}]
            )
            patch[choice] = list(extra)
        if rng.random() < 0.4 and len(items) > 1:
            victim = rng.choice(items)
            items = [item for item in items if item is not victim]
            patch.setdefault(choice, []).append({"name": victim["name"], "$patch": "delete"})
        patch[f"$setElementOrder/{choice}"] = _order(rng, items, "name", extra=extra)
        if rng.random() < 0.3 and patch.get(choice) and patch[f"$setElementOrder/{choice}"]:
            extra_names = {entry["name"] for entry in extra}
            order = patch[f"$setElementOrder/{choice}"]
            if extra_names and not any(entry["name"] in extra_names for entry in order):
                order.append({"name": extra[0]["name"]})
        for entry in extra:
            if not any(o["name"] == entry["name"] for o in patch[f"$setElementOrder/{choice}"]):
                patch[f"$setElementOrder/{choice}"].append({"name": entry["name"]})
        return nest(spec_path, patch)
    container = _pick_container(rng, obj)
    if container is None or not container.get(choice):
        return None
    key = MERGE_KEYED[choice]
    inner: Obj = {
        "name": container["name"],
        f"$setElementOrder/{choice}": _order(rng, container[choice], key),
    }
    if rng.random() < 0.5:
        changed = copy.deepcopy(rng.choice(container[choice]))
        if choice == "env":
            changed["value"] = "reordered"
        elif choice == "ports":
            changed["name"] = "rp"
        else:
            changed["readOnly"] = True
        inner[choice] = [changed]
        if not any(entry[key] == changed[key] for entry in inner[f"$setElementOrder/{choice}"]):
            inner[f"$setElementOrder/{choice}"].append({key: changed[key]})
    return nest([*spec_path, "containers"], [inner])


def f_volume_retain_keys(rng: random.Random, obj: Obj) -> Obj | None:
    spec_path = pod_spec_path(obj)
    volume = rng.choice(get_in(obj, spec_path)["volumes"])
    source = rng.choice(
        [
            {"configMap": {"name": "other"}},
            {"secret": {"secretName": "s"}},
            {"emptyDir": {"medium": "Memory"}},
        ]
    )
    item = {"name": volume["name"], **source, "$retainKeys": ["name", *source]}
    if rng.random() < 0.3:
        item["$retainKeys"].append("emptyDir")
    return nest([*spec_path, "volumes"], [item])


def f_strategy_retain_keys(rng: random.Random, obj: Obj) -> Obj | None:
    if obj["kind"] != "Deployment":
        return f_labels(rng, obj)
    if rng.random() < 0.5:
        strategy: Obj = {"type": "Recreate", "$retainKeys": ["type"]}
    else:
        strategy = {
            "type": "RollingUpdate",
            "rollingUpdate": {"maxSurge": "25%"},
            "$retainKeys": ["type", "rollingUpdate"],
        }
    return {"spec": {"strategy": strategy}}


def f_tolerations(rng: random.Random, obj: Obj) -> Obj | None:
    spec_path = pod_spec_path(obj)
    new = [
        {
            "key": "dedicated",
            "operator": "Equal",
            "value": rng.choice(["gpu", "infra"]),
            "effect": "NoSchedule",
        }
    ]
    if rng.random() < 0.3:
        new.append({"key": "old", "$patch": "delete"})  # tolerations are replaced: kept as written
    return nest([*spec_path, "tolerations"], new)


def f_args(rng: random.Random, obj: Obj) -> Obj | None:
    container = _pick_container(rng, obj)
    if container is None:
        return None
    item: Obj = {"name": container["name"]}
    if container.get("args") and rng.random() < 0.4:
        item["$deleteFromPrimitiveList/args"] = [rng.choice(container["args"])]
    else:
        item["args"] = [f"--new={rng.randint(0, 9)}", "--verbose"]
    return nest([*pod_spec_path(obj), "containers"], [item])


def f_env_from(rng: random.Random, obj: Obj) -> Obj | None:
    container = _pick_container(rng, obj)
    if container is None:
        return None
    refs = [{"configMapRef": {"name": "cm-a"}}, {"secretRef": {"name": "sec-b"}, "prefix": "B_"}]
    item = {"name": container["name"], "envFrom": rng.sample(refs, rng.randint(1, 2))}
    return nest([*pod_spec_path(obj), "containers"], [item])


def f_null_deletes(rng: random.Random, obj: Obj) -> Obj | None:
    spec_path = pod_spec_path(obj)
    choice = rng.randint(0, 3)
    if choice == 0:
        container = _pick_container(rng, obj)
        if container is None:
            return None
        return nest(
            [*spec_path, "containers"], [{"name": container["name"], "resources": None, "args": None}]
        )
    if choice == 1:
        return nest(spec_path, {"securityContext": None, "tolerations": None})
    if choice == 2:
        return {"metadata": {"annotations": None, "labels": {"tier": None}}}
    return nest(spec_path, {"volumes": [{"name": "vol0", "emptyDir": None, "hostPath": {"path": "/data"}}]})


def f_map_directive(rng: random.Random, obj: Obj) -> Obj | None:
    spec_path = pod_spec_path(obj)
    container = _pick_container(rng, obj)
    choice = rng.randint(0, 3)
    if choice == 0 and container is not None:
        resources = {"$patch": "replace", "limits": {"cpu": "1"}}
        return nest([*spec_path, "containers"], [{"name": container["name"], "resources": resources}])
    if choice == 1 and container is not None:
        return nest(
            [*spec_path, "containers"], [{"name": container["name"], "resources": {"$patch": "delete"}}]
        )
    if choice == 2:
        return nest(spec_path, {"securityContext": {"$patch": "replace", "fsGroup": 2000}})
    return {"metadata": {"annotations": {"$patch": "delete"}}}


def f_labels(rng: random.Random, obj: Obj) -> Obj | None:
    choice = rng.randint(0, 4)
    if choice == 0:
        return {"metadata": {"labels": {"release": "canary", "tier": "frontend"}}}
    if choice == 1:
        return {"metadata": {"labels": {"$patch": "replace", "only": "this"}}}
    if choice == 2:
        return {"metadata": {"labels": {"$patch": "delete"}}}
    if choice == 3:
        return {"metadata": {"labels": {"$retainKeys": ["app", "new"], "new": "yes"}}}
    if obj["kind"] in ("Deployment", "StatefulSet"):
        return {"spec": {"template": {"metadata": {"labels": {"version": "v2", "app": None}}}}}
    return {"metadata": {"labels": {"app": None}}}


def f_finalizers(rng: random.Random, obj: Obj) -> Obj | None:
    existing = obj["metadata"].get("finalizers", [])
    choice = rng.randint(0, 3)
    if choice == 0 or not existing:
        return {"metadata": {"finalizers": ["example.com/added", *existing[:1]]}}
    if choice == 1:
        return {"metadata": {"$deleteFromPrimitiveList/finalizers": [rng.choice(existing)]}}
    order = [*existing, "example.com/new"]
    rng.shuffle(order)
    if choice == 2:
        return {"metadata": {"$setElementOrder/finalizers": order, "finalizers": ["example.com/new"]}}
    kept = existing[1:]
    return {
        "metadata": {
            "$setElementOrder/finalizers": kept[::-1],
            "$deleteFromPrimitiveList/finalizers": existing[:1],
        }
    }


def f_service(rng: random.Random, obj: Obj) -> Obj | None:
    ports = obj["spec"]["ports"]
    choice = rng.randint(0, 4)
    if choice == 0:
        return {"spec": {"ports": [{"port": ports[0]["port"], "targetPort": 9090}]}}
    if choice == 1:
        return {"spec": {"ports": [{"port": 443, "name": "https", "targetPort": 8443}]}}
    if choice == 2:
        return {"spec": {"ports": [{"port": ports[-1]["port"], "$patch": "delete"}]}}
    if choice == 3:
        order = [{"port": port["port"]} for port in ports] + [{"port": 8000}]
        rng.shuffle(order)
        return {"spec": {"$setElementOrder/ports": order, "ports": [{"port": 8000, "name": "alt"}]}}
    return {
        "spec": {
            "selector": {"$patch": "replace", "app": "other"},
            "ports": [{"$patch": "replace"}, {"port": 1}],
        }
    }


def f_configmap(rng: random.Random, obj: Obj) -> Obj | None:
    key = rng.choice(list(obj["data"]))
    choice = rng.randint(0, 3)
    if choice == 0:
        return {"data": {key: None, "added": "v"}}
    if choice == 1:
        return {"data": {"$patch": "replace", "fresh": "1"}}
    if choice == 2:
        return {"data": {"$retainKeys": [key]}}
    return {"data": {"$patch": "delete"}, "binaryData": {"b": "AAAA"}}


POD_FRAGMENTS: list[Fragment] = [
    f_merge_container,
    f_add_container,
    f_delete_item,
    f_replace_list,
    f_set_element_order,
    f_volume_retain_keys,
    f_strategy_retain_keys,
    f_tolerations,
    f_args,
    f_env_from,
    f_null_deletes,
    f_map_directive,
]
META_FRAGMENTS: list[Fragment] = [f_labels, f_finalizers]


# ----------------------------------------------------------------------------- malformed


def e_patch_merge(rng: random.Random, obj: Obj) -> Obj | None:
    container = _pick_container(rng, obj)
    if container is None or rng.random() < 0.3:
        return {"metadata": {"labels": {"$patch": "merge", "a": "b"}}}
    return nest([*pod_spec_path(obj), "containers"], [{"name": container["name"], "$patch": "merge"}])


def e_unknown_directive(rng: random.Random, obj: Obj) -> Obj | None:
    value = rng.choice(["remove", "Replace", "keep", 1])
    if rng.random() < 0.5:
        return {"metadata": {"labels": {"$patch": value}}}
    return nest([*pod_spec_path(obj), "volumes"], [{"name": "vol0", "$patch": value}])


def e_missing_merge_key(rng: random.Random, obj: Obj) -> Obj | None:
    container = _pick_container(rng, obj)
    choice = rng.choice(["containers", "env", "ports", "volumes", "volumeMounts", "delete"])
    if choice == "containers":
        return nest([*pod_spec_path(obj), "containers"], [{"image": "nameless"}])
    if choice == "volumes":
        return nest([*pod_spec_path(obj), "volumes"], [{"emptyDir": {}}])
    if choice == "delete":
        return nest([*pod_spec_path(obj), "containers"], [{"$patch": "delete", "image": "x"}])
    if container is None or not container.get(choice):
        return nest([*pod_spec_path(obj), "initContainers"], [{"image": "nameless"}])
    item = {"name": container["name"], choice: [{"value": "no-key", "readOnly": True}]}
    return nest([*pod_spec_path(obj), "containers"], [item])


def e_set_element_order_not_list(rng: random.Random, obj: Obj) -> Obj | None:
    value = rng.choice(["containers", {"name": "app"}, 3])
    return nest(pod_spec_path(obj), {"$setElementOrder/containers": value})


def e_set_element_order_mismatch(rng: random.Random, obj: Obj) -> Obj | None:
    spec = get_in(obj, pod_spec_path(obj))
    names = [item["name"] for item in spec["containers"]] + ["zz-new"]
    patch_items = [{"name": "zz-new"}, {"name": names[0], "image": "x"}]
    return nest(
        pod_spec_path(obj),
        {"$setElementOrder/containers": [{"name": n} for n in names], "containers": patch_items},
    )


def e_retain_keys(rng: random.Random, obj: Obj) -> Obj | None:
    if rng.random() < 0.5:
        return {"metadata": {"labels": {"$retainKeys": "app"}}}
    volume = get_in(obj, pod_spec_path(obj))["volumes"][0]
    return nest(
        [*pod_spec_path(obj), "volumes"],
        [{"name": volume["name"], "secret": {"secretName": "s"}, "$retainKeys": ["name"]}],
    )


def e_bad_prefix(rng: random.Random, obj: Obj) -> Obj | None:
    key = rng.choice(
        ["$deleteFromPrimitiveList_finalizers", "$deleteFromPrimitiveList", "$setElementOrder-containers"]
    )
    if key.startswith("$setElementOrder"):
        return nest(pod_spec_path(obj), {key: [{"name": "app"}]})
    return {"metadata": {key: ["example.com/f0"]}}


def e_order_on_atomic_list(rng: random.Random, obj: Obj) -> Obj | None:
    spec = get_in(obj, pod_spec_path(obj))
    if not spec.get("tolerations"):
        return nest(pod_spec_path(obj), {"$setElementOrder/containers": []})
    return nest(
        pod_spec_path(obj),
        {"$setElementOrder/tolerations": [{"key": "taint0"}], "tolerations": spec["tolerations"][:1]},
    )


ERROR_FRAGMENTS: list[Fragment] = [
    e_patch_merge,
    e_unknown_directive,
    e_missing_merge_key,
    e_set_element_order_not_list,
    e_set_element_order_mismatch,
    e_retain_keys,
    e_bad_prefix,
    e_order_on_atomic_list,
]


# ----------------------------------------------------------------------------- two-way edits


def edit(rng: random.Random, obj: Obj) -> Obj:
    """A random edit of `obj` (no nulls): what a user changes between two versions."""
    new = copy.deepcopy(obj)
    metadata = new["metadata"]
    if rng.random() < 0.5:
        metadata["labels"] = {**metadata["labels"], "edited": "yes"}
        if rng.random() < 0.5:
            metadata["labels"].pop("tier", None)
    if rng.random() < 0.5:
        finalizers = [f for f in metadata.get("finalizers", []) if rng.random() < 0.7]
        if rng.random() < 0.5:
            finalizers.insert(rng.randint(0, len(finalizers)), "example.com/two-way")
        rng.shuffle(finalizers)
        metadata["finalizers"] = finalizers
    if new["kind"] == "Service":
        ports = [port for port in new["spec"]["ports"] if rng.random() < 0.8]
        if rng.random() < 0.5:
            ports.append({"name": "extra", "port": 9000, "protocol": "TCP"})
        rng.shuffle(ports)
        new["spec"]["ports"] = ports
        return new
    if new["kind"] == "ConfigMap":
        new["data"] = {key: value + "!" for key, value in new["data"].items() if rng.random() < 0.8}
        return new
    spec = get_in(new, pod_spec_path(new))
    containers = spec["containers"]
    for container in containers:
        if rng.random() < 0.5:
            container["image"] += "-next"
        env = container.get("env")
        if env and rng.random() < 0.6:
            env[:] = [var for var in env if rng.random() < 0.8]
            if rng.random() < 0.5:
                env.insert(rng.randint(0, len(env)), {"name": "INSERTED", "value": "1"})
            if rng.random() < 0.4:
                rng.shuffle(env)
        if container.get("ports") and rng.random() < 0.4:
            container["ports"] = [*container["ports"][1:], {"containerPort": 7777, "protocol": "TCP"}]
        if container.get("args") and rng.random() < 0.4:
            container["args"] = [*container["args"][::-1], "--two-way"]
        if container.get("volumeMounts") and rng.random() < 0.3:
            container["volumeMounts"].reverse()
    if rng.random() < 0.3 and len(containers) > 1:
        containers.pop(rng.randrange(len(containers)))
    if rng.random() < 0.3:
        containers.insert(rng.randint(0, len(containers)), _container(rng, "twoway"))
    if rng.random() < 0.4:
        rng.shuffle(containers)
    if rng.random() < 0.3 and containers:
        containers[0]["name"] = containers[0]["name"] + "-renamed"
    volumes = spec["volumes"]
    if rng.random() < 0.5:
        volume = rng.choice(volumes)
        for source in ("emptyDir", "configMap", "secret"):
            volume.pop(source, None)
        volume["secret"] = {"secretName": "rotated"}
    if rng.random() < 0.3:
        volumes.append({"name": "added-volume", "emptyDir": {}})
    if rng.random() < 0.3 and spec.get("tolerations"):
        spec["tolerations"] = spec["tolerations"][::-1]
    if new["kind"] == "Deployment" and rng.random() < 0.4:
        strategy = new["spec"]["strategy"]
        new["spec"]["strategy"] = (
            {"type": "Recreate"}
            if strategy["type"] == "RollingUpdate"
            else {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 2}}
        )
    return new


# ----------------------------------------------------------------------------- coverage


def coverage(patch: Any) -> tuple[set[str], set[str]]:
    """(directives, list fields) a patch actually uses."""
    directives: set[str] = set()
    fields: set[str] = set()

    def visit(value: Any, key: str | None, in_list: bool) -> None:
        if isinstance(value, dict):
            for name, item in value.items():
                if name == "$patch":
                    if item == "merge":
                        directives.add("$patch:merge")
                    elif item in ("replace", "delete"):
                        where = "list" if item == "replace" and in_list else ("item" if in_list else "map")
                        directives.add(f"$patch:{item}({where})")
                    continue
                if name == "$retainKeys":
                    directives.add("$retainKeys")
                    continue
                if name.startswith("$setElementOrder"):
                    directives.add("$setElementOrder")
                    fields.add(name.partition("/")[2])
                    continue
                if name.startswith("$deleteFromPrimitiveList"):
                    directives.add("$deleteFromPrimitiveList")
                    fields.add(name.partition("/")[2])
                    continue
                if item is None:
                    directives.add("null")
                fields.add(name)
                if isinstance(item, list):
                    if name in MERGE_KEYED and any(isinstance(i, dict) and "$patch" not in i for i in item):
                        directives.add("merge-key")
                    if name in PRIMITIVE_MERGE:
                        directives.add("primitive-merge")
                    if name in REPLACED_LISTS:
                        directives.add("list-replace")
                    for entry in item:
                        visit(entry, name, True)
                else:
                    visit(item, name, False)

    visit(patch, None, False)
    return directives, {name for name in fields if name in LIST_FIELDS}


# ----------------------------------------------------------------------------- the corpus

KINDS = ("Deployment", "StatefulSet", "Pod", "Service", "ConfigMap")


def _combine(first: Obj, second: Obj) -> Obj | None:
    """Both fragments in one patch, or None when they touch the same key differently."""
    result = copy.deepcopy(first)
    for key, value in second.items():
        if key not in result:
            result[key] = copy.deepcopy(value)
        elif isinstance(result[key], dict) and isinstance(value, dict):
            merged = _combine(result[key], value)
            if merged is None:
                return None
            result[key] = merged
        else:
            return None
    return result


def generate_cases(seed: int = 20261130) -> list[Case]:
    rng = random.Random(seed)
    cases: list[Case] = []
    objects = [make_object(rng, KINDS[i % len(KINDS)], i) for i in range(60)]

    def add(
        family: str, obj: Obj, patch: Obj | None, *, expect_error: bool = False, modified: Obj | None = None
    ) -> None:
        if patch is None:
            return
        directives, fields = coverage(patch)
        name = f"{len(cases):03d}-{family}-{obj['kind']}"
        cases.append(Case(name, family, obj, patch, expect_error, modified, directives, fields))

    for round_ in range(6):
        for obj in objects:
            kind = obj["kind"]
            if kind in POD_KINDS:
                fragment = POD_FRAGMENTS[(round_ * 7 + len(cases)) % len(POD_FRAGMENTS)]
                patch = fragment(rng, obj)
                if patch is not None and rng.random() < 0.4:
                    extra = rng.choice(META_FRAGMENTS)(rng, obj)
                    combined = _combine(patch, extra) if extra else None
                    patch = combined or patch
                add(fragment.__name__.removeprefix("f_"), obj, patch)
            elif kind == "Service":
                add("service", obj, f_service(rng, obj))
                add("labels", obj, f_labels(rng, obj))
            else:
                add("configmap", obj, f_configmap(rng, obj))
                add("finalizers", obj, f_finalizers(rng, obj))
    pod_objects = [obj for obj in objects if obj["kind"] in POD_KINDS]
    for round_ in range(5):
        for index, fragment in enumerate(ERROR_FRAGMENTS):
            for offset in range(3):
                obj = pod_objects[(round_ * 11 + index * 3 + offset) % len(pod_objects)]
                add(
                    "malformed-" + fragment.__name__.removeprefix("e_"),
                    obj,
                    fragment(rng, obj),
                    expect_error=True,
                )
    return cases


def generate_two_way(create: Callable[[Obj, Obj], Obj], seed: int = 7) -> Iterator[Case]:
    """Cases whose patch is `create(original, edited)`; the oracle must also produce `edited`."""
    rng = random.Random(seed)
    for index in range(150):
        obj = make_object(rng, KINDS[index % len(KINDS)], 100 + index)
        modified = edit(rng, obj)
        patch = create(obj, modified)
        if not patch:
            continue
        directives, fields = coverage(patch)
        yield Case(
            f"tw{index:03d}-two-way-{obj['kind']}", "two-way", obj, patch, False, modified, directives, fields
        )


def custom_resource_case() -> Case:
    obj = {
        "apiVersion": "example.com/v1",
        "kind": "Widget",
        "metadata": {"name": "w", "namespace": "default"},
        "spec": {"items": [{"name": "a"}], "size": 1},
    }
    return Case("custom-resource", "custom-resource", obj, {"spec": {"size": 2}}, expect_error=True)


def matrix(cases: list[Case]) -> tuple[Counter[str], Counter[str]]:
    directives: Counter[str] = Counter()
    fields: Counter[str] = Counter()
    for case in cases:
        directives.update(case.directives)
        fields.update(case.fields)
    return directives, fields


# ----------------------------------------------------------------------------- random mixes


def _mixed_item(rng: random.Random, list_key: str, key: str, pool: list[Any]) -> Obj:
    """A list item for a patch: sometimes a directive, sometimes with nested lists and nulls."""
    item: Obj = {key: rng.choice(pool)}
    roll = rng.random()
    if roll < 0.15:
        item["$patch"] = rng.choice(["delete", "delete", "replace"])
    elif roll < 0.25:
        item["$retainKeys"] = [key, "image"]
    if list_key in ("containers", "initContainers"):
        if rng.random() < 0.5:
            item["image"] = rng.choice(["a:1", "b:2", None])
        if rng.random() < 0.3:
            item["env"] = [
                _mixed_item(rng, "env", "name", ["A", "B", "APP_0"]) for _ in range(rng.randint(0, 2))
            ]
        if rng.random() < 0.2:
            names = rng.sample(["A", "B", "APP_0", "APP_1"], rng.randint(0, 3))
            item["$setElementOrder/env"] = [{"name": name} for name in names]
        if rng.random() < 0.1:
            item["resources"] = {"$patch": rng.choice(["delete", "replace"]), "limits": {"cpu": "1"}}
    elif list_key == "env":
        item["value"] = rng.choice(["1", "2", None])
    elif list_key == "volumes" and rng.random() < 0.5:
        item["configMap"] = {"name": "c"}
    return item


def _mixed_list(rng: random.Random, live: list[Obj], list_key: str, key: str, extra: list[Any]) -> Obj:
    """A patch for one merging list: items, and maybe a `$setElementOrder` consistent with them."""
    pool = [item[key] for item in live] + extra
    patch: Obj = {}
    if rng.random() < 0.8:
        items = [_mixed_item(rng, list_key, key, pool) for _ in range(rng.randint(0, 3))]
        if rng.random() < 0.1:
            items.append({"$patch": "replace"})
        patch[list_key] = items
    if rng.random() < 0.5:
        named = [item[key] for item in patch.get(list_key, []) if "$patch" not in item]
        others = list(dict.fromkeys(name for name in pool if rng.random() < 0.6 and name not in named))
        rng.shuffle(others)
        order: list[Any] = []
        for name in others:  # interleave, keeping the patch list's own order
            while named and rng.random() < 0.5:
                order.append(named.pop(0))
            order.append(name)
        order.extend(named if rng.random() < 0.9 else named[::-1])
        patch[f"$setElementOrder/{list_key}"] = [{key: name} for name in dict.fromkeys(order)]
    return patch


def _mixed_metadata(rng: random.Random, obj: Obj) -> Obj:
    live = obj["metadata"].get("finalizers", [])
    pool = ["example.com/f0", "example.com/f1", "example.com/x", "example.com/y"]
    metadata: Obj = {}
    added = [name for name in pool if rng.random() < 0.3]
    if rng.random() < 0.5:
        metadata["finalizers"] = added
    if rng.random() < 0.4:  # never delete what the same patch adds: kubectl's order is random then
        metadata["$deleteFromPrimitiveList/finalizers"] = [
            name for name in [*pool, *live] if name not in added
        ][:2]
    if rng.random() < 0.4:
        order = list(dict.fromkeys(name for name in [*pool, *live] if rng.random() < 0.6))
        rng.shuffle(order)
        metadata["$setElementOrder/finalizers"] = [*[n for n in order if n not in added], *added]
    if rng.random() < 0.3:
        metadata["labels"] = {"app": rng.choice([None, "z"]), "new": "1"}
        if rng.random() < 0.3:
            metadata["labels"]["$retainKeys"] = ["app", "new", "tier"]
    return metadata


def random_mix(rng: random.Random, obj: Obj) -> Obj:
    """A patch mixing every directive at random places of `obj` (valid or not: the oracle decides)."""
    patch: Obj = {}
    metadata = _mixed_metadata(rng, obj)
    if metadata:
        patch["metadata"] = metadata
    if obj["kind"] == "Service":
        patch["spec"] = _mixed_list(rng, obj["spec"]["ports"], "ports", "port", [8000, 81])
        return patch
    if obj["kind"] not in POD_KINDS:
        return patch
    spec_path = pod_spec_path(obj)
    spec = get_in(obj, spec_path)
    changes: Obj = {}
    for list_key, extra in (
        ("containers", ["new1", "new2"]),
        ("initContainers", ["new1"]),
        ("volumes", ["vnew"]),
    ):
        if rng.random() < 0.5:
            changes.update(_mixed_list(rng, spec.get(list_key) or [], list_key, "name", extra))
    if "containers" not in changes and rng.random() < 0.5:
        container = rng.choice(spec["containers"])
        item: Obj = {"name": container["name"]}
        for list_key, key, extra in (("env", "name", ["NEW"]), ("ports", "containerPort", [1111, "80"])):
            if rng.random() < 0.5:
                item.update(_mixed_list(rng, container.get(list_key) or [], list_key, key, extra))
        changes["containers"] = [item]
    if rng.random() < 0.05:
        changes["$setElementOrder/tolerations"] = []
    if rng.random() < 0.05:
        changes["hostAliases"] = [{"ip": "1.2.3.4", "hostnames": ["a"], "note": None}]
    if changes:
        patch = _combine(patch, nest(spec_path, changes)) or patch
    return patch


def generate_random_mixes(count: int = 200, seed: int = 99) -> list[Case]:
    rng = random.Random(seed)
    cases = []
    for index in range(count):
        obj = make_object(rng, KINDS[index % len(KINDS)], 300 + index)
        patch = random_mix(rng, obj)
        directives, fields = coverage(patch)
        cases.append(
            Case(
                f"mix{index:03d}-random-mix-{obj['kind']}",
                "random-mix",
                obj,
                patch,
                False,
                None,
                directives,
                fields,
            )
        )
    return cases


# ----------------------------------------------------------------------------- long lists


def long_list_case(rng: random.Random, index: int) -> Case:
    """A Pod with long env and finalizer lists and a patch that orders them partially: exercises
    kubectl's ordering where items are missing from the reference order (Go's stable sort on
    blocks of 20, then merges)."""
    live = [
        {"name": f"V{j:02d}", "value": str(j)} for j in rng.sample(range(60), rng.choice([0, 3, 8, 25, 45]))
    ]
    container: Obj = {"name": "app", "image": "app:1"}
    if live or rng.random() < 0.5:
        container["env"] = live
    finalizers = [f"example.com/f{j}" for j in rng.sample(range(60), rng.choice([0, 4, 30]))]
    obj: Obj = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": f"long-{index}", "finalizers": finalizers},
        "spec": {"containers": [container]},
    }
    items = [
        {"name": f"V{j:02d}", "value": "patched"} for j in rng.sample(range(60), rng.choice([0, 6, 23, 41]))
    ]
    for item in items:
        if rng.random() < 0.2:
            item["$patch"] = "delete"
    patch_container: Obj = {"name": "app"}
    if items or rng.random() < 0.5:
        patch_container["env"] = items
    if rng.random() < 0.7:
        named = [item["name"] for item in items if "$patch" not in item]
        others = [var["name"] for var in live if var["name"] not in named and rng.random() < 0.5]
        rng.shuffle(others)
        order = [] if rng.random() < 0.3 else [*others, *named]
        patch_container["$setElementOrder/env"] = [{"name": name} for name in order]
    metadata: Obj = {}
    if rng.random() < 0.6:
        added = [f"example.com/g{j}" for j in range(rng.randint(0, 25))]
        order = [name for name in finalizers if rng.random() < 0.5] + added
        rng.shuffle(order)
        metadata["$setElementOrder/finalizers"] = order if rng.random() < 0.7 else []
        if rng.random() < 0.5:
            metadata["finalizers"] = added
    patch: Obj = {"spec": {"containers": [patch_container]}}
    if metadata:
        patch["metadata"] = metadata
    directives, fields = coverage(patch)
    return Case(f"long{index:03d}-long-lists-Pod", "long-lists", obj, patch, False, None, directives, fields)


def generate_long_lists(count: int = 60, seed: int = 5) -> list[Case]:
    rng = random.Random(seed)
    return [long_list_case(rng, index) for index in range(count)]
