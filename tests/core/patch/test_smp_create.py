"""create_strategic_merge_patch: the two-way patch kubectl computes, and apply(create(a, b), a) == b."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from fleetops.core.patch import (
    NoStrategicMergeSchemaError,
    PatchError,
    apply_strategic_merge_patch,
    create_strategic_merge_patch,
    create_strategic_merge_patch_node,
)
from fleetops.core.schema import load_schema

SCHEMA = load_schema("1.37")

BASE = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}, finalizers: [a, b]}
spec:
  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1}}
  template:
    spec:
      containers:
      - {name: app, image: app:1, env: [{name: A, value: "1"}], args: [-v]}
      - {name: sidecar, image: s:1}
      volumes: [{name: data, emptyDir: {}}]
"""

CREATED = [
    ("no change, no patch", "{}", "{}"),
    (
        "a changed scalar",
        "spec: {template: {spec: {containers: [{name: app, image: app:2}]}}}",
        "spec: {template: {spec: {containers: [{name: app, image: app:2}],"
        " $setElementOrder/containers: [{name: app}, {name: sidecar}]}}}",
    ),
    ("a removed label becomes null", "metadata: {labels: {app: null}}", "metadata: {labels: {app: null}}"),
    (
        "finalizers use the parallel deletion list and the element order",
        "metadata: {$deleteFromPrimitiveList/finalizers: [a], finalizers: [c]}",
        "metadata: {$deleteFromPrimitiveList/finalizers: [a], finalizers: [c],"
        " $setElementOrder/finalizers: [c, b]}",
    ),
    (
        "a removed container is a delete directive",
        "spec: {template: {spec: {containers: [{name: sidecar, $patch: delete}]}}}",
        "spec: {template: {spec: {containers: [{name: sidecar, $patch: delete}],"
        " $setElementOrder/containers: [{name: app}]}}}",
    ),
    (
        "a reorder is only the element order",
        "spec: {template: {spec: {$setElementOrder/containers: [{name: sidecar}, {name: app}]}}}",
        "spec: {template: {spec: {$setElementOrder/containers: [{name: sidecar}, {name: app}]}}}",
    ),
    (
        "a retainKeys field lists the keys it keeps",
        "spec: {strategy: {$retainKeys: [type], type: Recreate}}",
        "spec: {strategy: {$retainKeys: [type], type: Recreate, rollingUpdate: null}}",
    ),
    (
        "args are replaced whole",
        "spec: {template: {spec: {containers: [{name: app, args: [-q]}]}}}",
        "spec: {template: {spec: {containers: [{name: app, args: [-q]}],"
        " $setElementOrder/containers: [{name: app}, {name: sidecar}]}}}",
    ),
]


@pytest.mark.parametrize(("title", "change", "expected"), CREATED, ids=[row[0] for row in CREATED])
def test_created_patch(title: str, change: str, expected: str) -> None:
    original = yaml.safe_load(BASE)
    modified = apply_strategic_merge_patch(original, yaml.safe_load(change), schema=SCHEMA)
    patch = create_strategic_merge_patch(original, modified, schema=SCHEMA)
    assert patch == yaml.safe_load(expected)
    assert apply_strategic_merge_patch(original, patch, schema=SCHEMA) == modified


def test_create_refuses_kinds_without_metadata_but_works_without_a_node() -> None:
    widget = {"apiVersion": "example.com/v1", "kind": "Widget", "spec": {"items": [1, 2]}}
    changed = {**widget, "spec": {"items": [2]}}
    with pytest.raises(NoStrategicMergeSchemaError):
        create_strategic_merge_patch(widget, changed, schema=SCHEMA)
    assert create_strategic_merge_patch_node(widget, changed, None) == {"spec": {"items": [2]}}


def test_create_fails_on_items_without_merge_key() -> None:
    original = yaml.safe_load(BASE)
    modified = yaml.safe_load(BASE)
    modified["spec"]["template"]["spec"]["containers"].append({"image": "nameless"})
    with pytest.raises(PatchError) as raised:
        create_strategic_merge_patch(original, modified, schema=SCHEMA)
    assert raised.value.path == "spec.template.spec.containers[2]"


# ----------------------------------------------------------------------------- properties

_names = st.sampled_from(["app", "sidecar", "proxy", "logger", "init", "metrics"])
_env = st.lists(
    st.fixed_dictionaries(
        {"name": st.sampled_from(list("ABCDEF")), "value": st.sampled_from(["0", "1", "x"])}
    ),
    unique_by=lambda var: var["name"],
    max_size=4,
)
_ports = st.lists(
    st.fixed_dictionaries(
        {"containerPort": st.sampled_from([80, 443, 8080, 9090])},
        optional={"name": st.sampled_from(["http", "https"]), "protocol": st.sampled_from(["TCP", "UDP"])},
    ),
    unique_by=lambda port: port["containerPort"],
    max_size=3,
)
_mounts = st.lists(
    st.fixed_dictionaries(
        {"name": st.sampled_from(["data", "cfg"]), "mountPath": st.sampled_from(["/a", "/b", "/c"])}
    ),
    unique_by=lambda mount: mount["mountPath"],
    max_size=3,
)
_container = st.fixed_dictionaries(
    {"name": _names, "image": st.sampled_from(["img:1", "img:2"])},
    optional={
        "env": _env,
        "ports": _ports,
        "volumeMounts": _mounts,
        "args": st.lists(st.sampled_from(["-v", "-q", "--x"]), max_size=3),
        "resources": st.fixed_dictionaries(
            {}, optional={"limits": st.just({"cpu": "1"}), "requests": st.just({"cpu": "1"})}
        ),
    },
)
_volume = st.builds(
    lambda name, source: {"name": name, **source},
    st.sampled_from(["data", "cfg", "cache"]),
    st.sampled_from([{"emptyDir": {}}, {"configMap": {"name": "c"}}, {"secret": {"secretName": "s"}}]),
)
_pod_spec = st.fixed_dictionaries(
    {"containers": st.lists(_container, min_size=1, max_size=4, unique_by=lambda c: c["name"])},
    optional={
        "initContainers": st.lists(_container, max_size=2, unique_by=lambda c: c["name"]),
        "volumes": st.lists(_volume, max_size=3, unique_by=lambda v: v["name"]),
        "tolerations": st.lists(
            st.fixed_dictionaries({"key": st.sampled_from(["a", "b"]), "operator": st.just("Exists")}),
            max_size=2,
        ),
    },
)
_metadata = st.fixed_dictionaries(
    {"name": st.just("web")},
    optional={
        "labels": st.dictionaries(
            st.sampled_from(["app", "tier", "env"]), st.sampled_from(["x", "y"]), max_size=3
        ),
        "finalizers": st.lists(st.sampled_from(["f/a", "f/b", "f/c", "f/d"]), unique=True, max_size=4),
    },
)
_strategy = st.sampled_from(
    [
        {"type": "Recreate"},
        {"type": "RollingUpdate"},
        {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}},
    ]
)


@st.composite
def _workloads(draw: st.DrawFn) -> dict[str, Any]:
    if draw(st.booleans()):
        return {"apiVersion": "v1", "kind": "Pod", "metadata": draw(_metadata), "spec": draw(_pod_spec)}
    spec = {"template": {"spec": draw(_pod_spec)}, "strategy": draw(_strategy)}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": draw(_metadata), "spec": spec}


def _pod_spec_of(obj: dict[str, Any]) -> dict[str, Any]:
    return obj["spec"]["template"]["spec"] if obj["kind"] == "Deployment" else obj["spec"]


@st.composite
def _reordered(draw: st.DrawFn, obj: dict[str, Any]) -> dict[str, Any]:
    """`obj` with its merging lists permuted (containers, env, ports, volumes, finalizers)."""
    new = json.loads(json.dumps(obj))
    spec = _pod_spec_of(new)
    spec["containers"] = draw(st.permutations(spec["containers"]))
    for container in spec["containers"]:
        for key in ("env", "ports", "volumeMounts"):
            if key in container:
                container[key] = draw(st.permutations(container[key]))
    if "volumes" in spec:
        spec["volumes"] = draw(st.permutations(spec["volumes"]))
    if "finalizers" in new["metadata"]:
        new["metadata"]["finalizers"] = draw(st.permutations(new["metadata"]["finalizers"]))
    return new


def _exact(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _round_trip(original: dict[str, Any], modified: dict[str, Any]) -> None:
    patch = create_strategic_merge_patch(original, modified, schema=SCHEMA)
    assert _exact(apply_strategic_merge_patch(original, patch, schema=SCHEMA)) == _exact(modified)


@settings(max_examples=300)
@given(st.data())
def test_apply_of_created_patch_gives_modified(data: st.DataObject) -> None:
    original = data.draw(_workloads())
    modified = data.draw(_workloads().filter(lambda obj: obj["kind"] == original["kind"]))
    _round_trip(original, modified)


@settings(max_examples=200)
@given(st.data())
def test_apply_of_created_patch_gives_reordered(data: st.DataObject) -> None:
    original = data.draw(_workloads())
    _round_trip(original, data.draw(_reordered(original)))
