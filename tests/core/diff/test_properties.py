"""Properties: a fresh sync has no drift; a field fleetops applied and another manager changed is
drift, named by its path; a field only another manager set is not."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from fleetops.core import structured
from fleetops.core.diff import diff
from fleetops.core.schema import load_schema
from fleetops.kubesim.rest.defaults import apply_defaults
from fleetops.model.gvk import GroupVersionKind

SCHEMA = load_schema("1.32")
TYPE = structured.from_schema_node(SCHEMA.node_for(GroupVersionKind("apps", "v1", "Deployment")))

NAMES = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)
VALUES = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", max_size=10)
CONTAINERS = st.lists(
    st.fixed_dictionaries(
        {
            "name": NAMES,
            "image": st.sampled_from(["web:1", "web:latest", "envoy:1.30", "redis@sha256:abc"]),
            "env": st.dictionaries(NAMES, VALUES, max_size=3),
            "ports": st.lists(st.integers(1, 65535), unique=True, max_size=2),
            "protocol": st.booleans(),
        }
    ),
    min_size=1,
    max_size=3,
    unique_by=lambda c: c["name"],
)


def deployment(
    containers: list[dict[str, Any]], labels: dict[str, str], replicas: int | None
) -> dict[str, Any]:
    spec_containers = []
    for c in containers:
        container: dict[str, Any] = {"name": c["name"], "image": c["image"]}
        if c["env"]:
            container["env"] = [{"name": k, "value": v} for k, v in c["env"].items()]
        if c["ports"]:
            container["ports"] = [
                {"containerPort": p, **({"protocol": "TCP"} if c["protocol"] else {})} for p in c["ports"]
            ]
        spec_containers.append(container)
    spec: dict[str, Any] = {
        "selector": {"matchLabels": {"app": "web"}},
        "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": spec_containers}},
    }
    if replicas is not None:
        spec["replicas"] = replicas
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "shop", "labels": {"app": "web", **labels}},
        "spec": spec,
    }


def stored(desired: dict[str, Any]) -> dict[str, Any]:
    """What the API server stores after fleetops applied ``desired``: applied, then defaulted."""
    live = structured.apply(None, desired, manager="fleetops", type_ref=TYPE, now="T0").object
    apply_defaults(live, "apps", "Deployment")
    return live


SPECS = st.tuples(CONTAINERS, st.dictionaries(NAMES, VALUES, max_size=3), st.none() | st.integers(0, 9))


@settings(max_examples=80)
@given(spec=SPECS)
def test_a_fresh_sync_has_no_drift(spec: tuple[Any, ...]) -> None:
    desired = deployment(*spec)
    assert not diff(desired, stored(desired), schema=SCHEMA).modified


@settings(max_examples=80)
@given(spec=SPECS, image=st.sampled_from(["hacked:1", "debug:2"]), which=st.integers(0, 2))
def test_an_image_another_manager_changed_is_drift(spec: tuple[Any, ...], image: str, which: int) -> None:
    desired = deployment(*spec)
    live = stored(desired)
    edited = copy.deepcopy(live)
    containers = edited["spec"]["template"]["spec"]["containers"]
    target = containers[which % len(containers)]
    target["image"] = image
    live = structured.update(live, edited, manager="kubectl-edit", type_ref=TYPE, now="T1")
    result = diff(desired, live, schema=SCHEMA)
    assert result.modified
    assert [c.path for c in result.changes] == [
        f'.spec.template.spec.containers[name="{target["name"]}"].image'
    ]


@settings(max_examples=80)
@given(spec=SPECS, extra=st.dictionaries(NAMES.map(lambda n: "x-" + n), VALUES, min_size=1, max_size=3))
def test_labels_only_another_manager_set_are_not_drift(spec: tuple[Any, ...], extra: dict[str, str]) -> None:
    desired = deployment(*spec)
    live = stored(desired)
    labelled = copy.deepcopy(live)
    labelled["metadata"]["labels"].update(extra)
    live = structured.update(live, labelled, manager="kubectl-label", type_ref=TYPE, now="T1")
    assert not diff(desired, live, schema=SCHEMA).modified
