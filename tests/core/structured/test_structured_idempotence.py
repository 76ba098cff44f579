"""Property: applying the same configuration twice by the same manager changes nothing.

After the second apply the object and the managed fields (all but the time) are what the
first apply left, whatever live object other managers made before.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from fleetops.core.schema import load_schema
from fleetops.core.structured import apply, from_schema_node
from fleetops.model.gvk import GroupVersionKind

Manifest = dict[str, Any]

_DEPLOYMENT = from_schema_node(load_schema("1.32").node_for(GroupVersionKind("apps", "v1", "Deployment")))

_names = st.sampled_from(["app", "sidecar", "init", "proxy"])
_images = st.sampled_from(["nginx:1.27", "nginx:1.28", "envoy:1.30", "busybox"])
_ports = st.lists(
    st.fixed_dictionaries(
        {"containerPort": st.sampled_from([80, 443, 8080]), "protocol": st.sampled_from(["TCP", "UDP"])},
        optional={"name": st.sampled_from(["http", "https", "metrics"])},
    ),
    max_size=3,
    unique_by=lambda p: (p["containerPort"], p["protocol"]),
)
_env = st.lists(
    st.fixed_dictionaries({"name": st.sampled_from(["A", "B", "C"]), "value": st.sampled_from(["1", "2"])}),
    max_size=3,
    unique_by=lambda e: e["name"],
)
_container = st.fixed_dictionaries(
    {"name": _names},
    optional={
        "image": _images,
        "ports": _ports,
        "env": _env,
        "args": st.lists(st.sampled_from(["--a", "--b", "-v"]), max_size=3),
    },
)
_labels = st.dictionaries(st.sampled_from(["app", "team", "tier"]), st.sampled_from(["web", "x"]), max_size=3)


@st.composite
def deployments(draw: st.DrawFn) -> Manifest:
    pod: Manifest = {
        "containers": draw(st.lists(_container, min_size=1, max_size=3, unique_by=lambda c: c["name"]))
    }
    if draw(st.booleans()):
        pod["tolerations"] = [{"key": draw(st.sampled_from(["gpu", "spot"])), "operator": "Exists"}]
    spec: Manifest = {
        "selector": {"matchLabels": {"app": "web"}},
        "template": {"metadata": {"labels": draw(_labels)}, "spec": pod},
    }
    if draw(st.booleans()):
        spec["replicas"] = draw(st.integers(0, 5))
    metadata: Manifest = {"name": "web", "namespace": "default"}
    labels = draw(_labels)
    if labels:
        metadata["labels"] = labels
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": metadata, "spec": spec}


def _without_times(obj: Manifest) -> Manifest:
    entries = [{k: v for k, v in e.items() if k != "time"} for e in obj["metadata"].get("managedFields", [])]
    return {**obj, "metadata": {**obj["metadata"], "managedFields": entries}}


@settings(max_examples=150)
@given(others=st.lists(deployments(), max_size=2), config=deployments(), force=st.booleans())
def test_applying_twice_changes_nothing(others: list[Manifest], config: Manifest, force: bool) -> None:
    live: Manifest | None = None
    for number, other in enumerate(others):
        live = apply(
            live, other, manager=f"other-{number}", force=True, type_ref=_DEPLOYMENT, now="T0"
        ).object
    first = apply(live, config, manager="ci", force=True, type_ref=_DEPLOYMENT, now="T1")
    assert first.ok
    second = apply(first.object, config, manager="ci", force=force, type_ref=_DEPLOYMENT, now="T2")
    assert second.ok
    assert _without_times(second.object) == _without_times(first.object)
