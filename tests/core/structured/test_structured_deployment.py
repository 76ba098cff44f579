"""Server-side apply on real Kubernetes kinds, with the Kubernetes 1.32 schema."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from fleetops.core.schema import load_schema
from fleetops.core.structured import (
    Conflict,
    FieldSet,
    StructuredMergeError,
    TypeRef,
    apply,
    from_schema_node,
    update,
)
from fleetops.model.gvk import GroupVersionKind

Manifest = dict[str, Any]
APP = 'k:{"name":"app"}'
SIDECAR = 'k:{"name":"sidecar"}'
CONTAINERS = ("f:spec", "f:template", "f:spec", "f:containers")


@pytest.fixture(scope="module")
def deployment_type() -> TypeRef:
    return from_schema_node(load_schema("1.32").node_for(GroupVersionKind("apps", "v1", "Deployment")))


def deployment(**spec: Any) -> Manifest:
    pod_spec = spec.pop("pod", None) or {
        "containers": [
            {"name": "app", "image": "nginx:1.27", "ports": [{"containerPort": 80, "protocol": "TCP"}]}
        ]
    }
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
        "spec": {
            "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}}, "spec": pod_spec},
            **spec,
        },
    }


def owned(obj: Manifest, manager: str, operation: str | None = None) -> FieldSet:
    for entry in obj["metadata"].get("managedFields", []):
        if entry["manager"] == manager and operation in (None, entry["operation"]):
            return FieldSet.from_fields_v1(entry["fieldsV1"])
    return FieldSet()


def containers(obj: Manifest) -> list[Manifest]:
    return obj["spec"]["template"]["spec"]["containers"]  # type: ignore[no-any-return]


def test_create_records_apply_ownership(deployment_type: TypeRef) -> None:
    result = apply(None, deployment(replicas=2), manager="ci", type_ref=deployment_type, now="T1")
    assert result.ok
    [entry] = result.object["metadata"]["managedFields"]
    assert {k: entry[k] for k in ("manager", "operation", "apiVersion", "time", "fieldsType")} == {
        "manager": "ci",
        "operation": "Apply",
        "apiVersion": "apps/v1",
        "time": "T1",
        "fieldsType": "FieldsV1",
    }
    fields = FieldSet.from_fields_v1(entry["fieldsV1"])
    assert fields.has(("f:spec", "f:replicas"))
    assert fields.has(("f:spec", "f:selector"))  # an atomic map: owned as a whole
    assert not fields.has(("f:spec", "f:selector", "f:matchLabels"))
    assert fields.has((*CONTAINERS, APP, "f:image"))
    assert fields.has(
        (*CONTAINERS, APP, "f:ports", 'k:{"containerPort":80,"protocol":"TCP"}', "f:containerPort")
    )
    # server-set metadata is never owned
    assert not fields.has(("f:metadata", "f:name"))
    assert not fields.has(("f:metadata", "f:namespace"))
    assert result.object["spec"]["replicas"] == 2


def test_containers_merge_by_name(deployment_type: TypeRef) -> None:
    live = apply(None, deployment(), manager="ci", type_ref=deployment_type, now="T1").object
    sidecar = deployment(pod={"containers": [{"name": "sidecar", "image": "envoy:1.30"}]})
    result = apply(live, sidecar, manager="mesh", type_ref=deployment_type, now="T2")
    assert result.ok
    assert [c["name"] for c in containers(result.object)] == ["app", "sidecar"]
    assert containers(result.object)[0]["image"] == "nginx:1.27"
    assert owned(result.object, "mesh").has((*CONTAINERS, SIDECAR, "f:image"))
    assert not owned(result.object, "mesh").has((*CONTAINERS, APP, "f:image"))
    assert owned(result.object, "ci").has((*CONTAINERS, APP, "f:image"))


def test_container_ports_merge_by_port_and_protocol(deployment_type: TypeRef) -> None:
    live = apply(None, deployment(), manager="ci", type_ref=deployment_type, now="T1").object
    more = deployment(
        pod={
            "containers": [
                {"name": "app", "ports": [{"containerPort": 80, "protocol": "UDP", "name": "dns"}]}
            ]
        }
    )
    result = apply(live, more, manager="dns", type_ref=deployment_type, now="T2")
    assert result.ok
    ports = containers(result.object)[0]["ports"]
    assert ports == [
        {"containerPort": 80, "protocol": "TCP"},
        {"containerPort": 80, "protocol": "UDP", "name": "dns"},
    ]
    udp = 'k:{"containerPort":80,"protocol":"UDP"}'
    assert owned(result.object, "dns").has((*CONTAINERS, APP, "f:ports", udp, "f:name"))


def test_atomic_lists_are_replaced_and_owned_whole(deployment_type: TypeRef) -> None:
    pod = {
        "containers": [{"name": "app", "image": "nginx:1.27", "args": ["--a", "--b"]}],
        "tolerations": [{"key": "gpu", "operator": "Exists"}],
    }
    live = apply(None, deployment(pod=pod), manager="ci", type_ref=deployment_type, now="T1").object
    assert owned(live, "ci").has(("f:spec", "f:template", "f:spec", "f:tolerations"))
    assert not owned(live, "ci").has(("f:spec", "f:template", "f:spec", "f:tolerations", "i:0"))
    other = {
        "containers": [{"name": "app", "args": ["--c"]}],
        "tolerations": [{"key": "spot", "operator": "Exists"}],
    }
    result = apply(live, deployment(pod=other), manager="ops", type_ref=deployment_type, now="T2")
    assert sorted(result.conflicts) == [
        Conflict("ci", (*CONTAINERS, APP, "f:args")),
        Conflict("ci", ("f:spec", "f:template", "f:spec", "f:tolerations")),
    ]
    assert result.object == live
    forced = apply(live, deployment(pod=other), manager="ops", force=True, type_ref=deployment_type, now="T2")
    assert containers(forced.object)[0]["args"] == ["--c"]
    assert forced.object["spec"]["template"]["spec"]["tolerations"] == [{"key": "spot", "operator": "Exists"}]
    assert not owned(forced.object, "ci").has((*CONTAINERS, APP, "f:args"))
    assert owned(forced.object, "ops").has((*CONTAINERS, APP, "f:args"))


def test_same_value_from_two_managers_is_shared_not_a_conflict(deployment_type: TypeRef) -> None:
    live = apply(None, deployment(replicas=3), manager="ci", type_ref=deployment_type, now="T1").object
    result = apply(live, deployment(replicas=3), manager="other", type_ref=deployment_type, now="T2")
    assert result.ok
    assert owned(result.object, "ci").has(("f:spec", "f:replicas"))
    assert owned(result.object, "other").has(("f:spec", "f:replicas"))


def test_scale_update_then_apply_conflicts_on_replicas(deployment_type: TypeRef) -> None:
    live = apply(None, deployment(replicas=3), manager="ci", type_ref=deployment_type, now="T1").object
    scaled = copy.deepcopy(live)
    scaled["spec"]["replicas"] = 5
    scaled = update(live, scaled, manager="kubectl-scale", type_ref=deployment_type, now="T2")
    assert scaled["spec"]["replicas"] == 5
    assert owned(scaled, "kubectl-scale", "Update") == FieldSet.from_paths([("f:spec", "f:replicas")])
    assert not owned(scaled, "ci").has(("f:spec", "f:replicas"))
    entry = next(e for e in scaled["metadata"]["managedFields"] if e["manager"] == "kubectl-scale")
    assert entry["operation"] == "Update" and entry["time"] == "T2"

    result = apply(scaled, deployment(replicas=3), manager="ci", type_ref=deployment_type, now="T3")
    assert result.conflicts == [Conflict("kubectl-scale", ("f:spec", "f:replicas"))]
    assert str(result.conflicts[0]) == "conflict with 'kubectl-scale': .spec.replicas"
    assert str(result.conflicts[0].path) == ".spec.replicas"
    assert result.object == scaled

    forced = apply(
        scaled, deployment(replicas=3), manager="ci", force=True, type_ref=deployment_type, now="T3"
    )
    assert forced.ok
    assert forced.object["spec"]["replicas"] == 3
    assert owned(forced.object, "ci").has(("f:spec", "f:replicas"))
    assert all(e["manager"] != "kubectl-scale" for e in forced.object["metadata"]["managedFields"])


def test_dropped_field_is_removed_unless_another_manager_owns_it(deployment_type: TypeRef) -> None:
    pod = {
        "containers": [
            {"name": "app", "image": "nginx:1.27"},
            {"name": "sidecar", "image": "envoy:1.30"},
        ]
    }
    live = apply(
        None, deployment(replicas=2, pod=pod), manager="ci", type_ref=deployment_type, now="T1"
    ).object
    # another manager also sets the same replicas
    live = apply(
        live, {**deployment(), "spec": {"replicas": 2}}, manager="hpa", type_ref=deployment_type, now="T2"
    ).object
    lean = deployment(pod={"containers": [{"name": "app", "image": "nginx:1.27"}]})
    result = apply(live, lean, manager="ci", type_ref=deployment_type, now="T3")
    assert result.ok
    assert [c["name"] for c in containers(result.object)] == ["app"]  # only ci owned the sidecar
    assert result.object["spec"]["replicas"] == 2  # hpa still owns replicas
    assert not owned(result.object, "ci").has(("f:spec", "f:replicas"))
    assert not owned(result.object, "ci").has((*CONTAINERS, SIDECAR))


def test_update_gives_changed_fields_to_the_writer(deployment_type: TypeRef) -> None:
    live = apply(None, deployment(), manager="ci", type_ref=deployment_type, now="T1").object
    edited = copy.deepcopy(live)
    containers(edited)[0]["image"] = "nginx:1.28"
    edited["metadata"]["labels"]["team"] = "web"
    del edited["metadata"]["labels"]["app"]
    result = update(live, edited, manager="kubectl-edit", type_ref=deployment_type, now="T2")
    editor = owned(result, "kubectl-edit", "Update")
    assert editor.has((*CONTAINERS, APP, "f:image"))
    assert editor.has(("f:metadata", "f:labels", "f:team"))
    ci = owned(result, "ci")
    assert not ci.has((*CONTAINERS, APP, "f:image"))
    assert not ci.has(("f:metadata", "f:labels", "f:app"))
    assert ci.has((*CONTAINERS, APP, "f:name"))


def test_conflicting_apply_leaves_object_and_managed_fields_unchanged(deployment_type: TypeRef) -> None:
    live = apply(None, deployment(replicas=1), manager="a", type_ref=deployment_type, now="T1").object
    before = copy.deepcopy(live)
    result = apply(live, deployment(replicas=9), manager="b", type_ref=deployment_type, now="T2")
    assert not result.ok
    assert result.object == before
    assert live == before  # inputs are never mutated


def test_managed_fields_in_the_applied_object_are_ignored(deployment_type: TypeRef) -> None:
    live = apply(None, deployment(), manager="ci", type_ref=deployment_type, now="T1").object
    again = apply(live, live, manager="ci", type_ref=deployment_type, now="T2")
    assert again.ok
    assert [e["manager"] for e in again.object["metadata"]["managedFields"]] == ["ci"]


def test_unknown_kind_uses_the_deduced_type() -> None:
    crd_object = {
        "apiVersion": "example.com/v1",
        "kind": "Widget",
        "metadata": {"name": "w"},
        "spec": {"size": 1, "tags": ["a"]},
    }
    live = apply(None, crd_object, manager="ci", now="T1").object
    # without a schema every map field is owned, lists are atomic
    assert owned(live, "ci") == FieldSet.from_paths([("f:spec",), ("f:spec", "f:size"), ("f:spec", "f:tags")])
    result = apply(live, {**crd_object, "spec": {"tags": ["b"]}}, manager="ci", now="T2")
    assert result.object["spec"] == {"tags": ["b"]}


def test_create_by_update_and_subresource_entries(deployment_type: TypeRef) -> None:
    created = update(
        None, deployment(replicas=1), manager="kubectl-create", type_ref=deployment_type, now="T1"
    )
    [entry] = created["metadata"]["managedFields"]
    assert (entry["manager"], entry["operation"], entry["apiVersion"]) == (
        "kubectl-create",
        "Update",
        "apps/v1",
    )
    assert owned(created, "kubectl-create").has(("f:spec", "f:replicas"))
    scaled = copy.deepcopy(created)
    scaled["spec"]["replicas"] = 4
    scaled = update(created, scaled, manager="hpa", type_ref=deployment_type, now="T2", subresource="scale")
    entry = next(e for e in scaled["metadata"]["managedFields"] if e["manager"] == "hpa")
    assert entry["subresource"] == "scale"
    assert FieldSet.from_fields_v1(entry["fieldsV1"]) == FieldSet.from_paths([("f:spec", "f:replicas")])
    assert not owned(scaled, "kubectl-create").has(("f:spec", "f:replicas"))


def test_objects_that_do_not_fit_the_schema_are_rejected(deployment_type: TypeRef) -> None:
    bad = deployment()
    bad["spec"]["replicaz"] = 3
    with pytest.raises(StructuredMergeError, match="not declared"):
        apply(None, bad, manager="ci", type_ref=deployment_type, now="T1")
    twice = deployment(pod={"containers": [{"name": "app", "image": "a"}, {"name": "app", "image": "b"}]})
    with pytest.raises(StructuredMergeError, match="duplicate"):
        apply(None, twice, manager="ci", type_ref=deployment_type, now="T1")


def test_configmap_data_keys_are_owned_one_by_one() -> None:
    configmap_type = from_schema_node(load_schema("1.32").node_for(GroupVersionKind("", "v1", "ConfigMap")))
    base = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"}}
    live = apply(
        None, {**base, "data": {"a": "1", "b": "2"}}, manager="ci", type_ref=configmap_type, now="T1"
    )
    other = apply(live.object, {**base, "data": {"c": "3"}}, manager="ops", type_ref=configmap_type, now="T2")
    assert other.object["data"] == {"a": "1", "b": "2", "c": "3"}
    dropped = apply(
        other.object, {**base, "data": {"a": "1"}}, manager="ci", type_ref=configmap_type, now="T3"
    )
    assert dropped.object["data"] == {"a": "1", "c": "3"}
    assert owned(dropped.object, "ops") == FieldSet.from_paths([("f:data", "f:c")])


def test_service_ports_merge_by_port_and_protocol() -> None:
    service_type = from_schema_node(load_schema("1.32").node_for(GroupVersionKind("", "v1", "Service")))
    base = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}}
    http = {"port": 80, "protocol": "TCP", "targetPort": 8080}
    dns = {"port": 53, "protocol": "UDP"}
    live = apply(None, {**base, "spec": {"ports": [http]}}, manager="ci", type_ref=service_type, now="T1")
    both = apply(
        live.object, {**base, "spec": {"ports": [dns]}}, manager="dns", type_ref=service_type, now="T2"
    )
    assert both.object["spec"]["ports"] == [http, dns]
    retarget = {**base, "spec": {"ports": [{"port": 80, "protocol": "TCP", "targetPort": 9090}]}}
    result = apply(both.object, retarget, manager="dns", type_ref=service_type, now="T3")
    assert result.conflicts == [
        Conflict("ci", ("f:spec", "f:ports", 'k:{"port":80,"protocol":"TCP"}', "f:targetPort"))
    ]
