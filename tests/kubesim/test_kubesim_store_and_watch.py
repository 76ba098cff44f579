"""The store and the watch hub, without HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest

from fleetops.kubesim.http.openapi import convert
from fleetops.kubesim.http.watching import translate
from fleetops.kubesim.keys import GroupResource
from fleetops.kubesim.rest.protobuf import decode
from fleetops.kubesim.storage import SqliteBackend
from fleetops.kubesim.store import ObjectStore
from fleetops.kubesim.watch import TooOldError, WatchEvent, WatchHub

CM = GroupResource("", "configmaps")


def _cm(name: str, **labels: str) -> dict[str, object]:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": "ns", "labels": labels},
    }


def test_one_global_increasing_resource_version() -> None:
    store = ObjectStore()
    first = store.create(CM, _cm("a"))
    second = store.create(GroupResource("apps", "deployments"), _cm("b"))
    gone = store.delete(CM, "ns", "a")
    assert [first["metadata"]["resourceVersion"], second["metadata"]["resourceVersion"]] == ["1", "2"]
    assert gone is not None and gone["metadata"]["resourceVersion"] == "3"
    assert store.revision == 3


async def test_hub_replays_the_window_and_expires_older_versions() -> None:
    store = ObjectStore(history=3)
    for name in "abcde":
        store.create(CM, _cm(name))
    replay = store.hub.subscribe(lambda event: True, since=3)
    names = [(await replay.next(0)) for _ in range(2)]
    assert [e.object["metadata"]["name"] for e in names if e is not None] == ["d", "e"]
    with pytest.raises(TooOldError) as raised:
        store.hub.subscribe(lambda event: True, since=1)
    assert str(raised.value) == "too old resource version: 1 (3)"
    store.hub.compact()
    with pytest.raises(TooOldError):
        store.hub.subscribe(lambda event: True, since=4)


async def test_closing_the_hub_ends_subscriptions() -> None:
    hub = WatchHub()
    subscription = hub.subscribe(lambda event: True)
    hub.close()
    assert await subscription.next(1) is None
    assert subscription.closed


def test_selector_exits_are_deleted_and_entries_added() -> None:
    from fleetops.core import selectors  # noqa: PLC0415
    from fleetops.kubesim.rest.filters import ObjectFilter  # noqa: PLC0415

    selection = ObjectFilter(
        selectors.parse_label_selector("app=web"), selectors.FieldSelector.everything(), None
    )
    web, other = _cm("x", app="web"), _cm("x", app="db")
    assert translate(WatchEvent("MODIFIED", CM, other, web, 5), selection) == "DELETED"
    assert translate(WatchEvent("MODIFIED", CM, web, other, 6), selection) == "ADDED"
    assert translate(WatchEvent("MODIFIED", CM, web, web, 7), selection) == "MODIFIED"
    assert translate(WatchEvent("MODIFIED", CM, other, other, 8), selection) is None


def test_sqlite_keeps_objects_and_the_revision(tmp_path: Path) -> None:
    store = ObjectStore(SqliteBackend(tmp_path / "c.db"))
    store.create(CM, _cm("kept"))
    store.create(CM, _cm("dropped"))
    store.delete(CM, "ns", "dropped")
    store.close()
    again = ObjectStore(SqliteBackend(tmp_path / "c.db"))
    assert again.revision == 3
    assert [o["metadata"]["name"] for o in again.list(CM)] == ["kept"]
    with pytest.raises(TooOldError):
        again.hub.subscribe(lambda event: True, since=2)
    again.close()


def test_openapi_conversion_uses_single_types_and_component_refs() -> None:
    refs: set[str] = set()
    converted = convert(
        {
            "type": ["object", "null"],
            "properties": {
                "replicas": {"type": ["integer", "null"], "format": "int32"},
                "port": {"oneOf": [{"type": ["string", "null"]}, {"type": ["integer", "null"]}]},
                "template": {"$ref": "#/$defs/io.k8s.api.core.v1.PodTemplateSpec", "description": "d"},
            },
        },
        refs,
    )
    assert converted["type"] == "object"
    assert converted["properties"]["replicas"] == {"type": "integer", "format": "int32"}
    assert converted["properties"]["port"]["x-kubernetes-int-or-string"] is True
    assert converted["properties"]["template"] == {
        "description": "d",
        "allOf": [{"$ref": "#/components/schemas/io.k8s.api.core.v1.PodTemplateSpec"}],
    }
    assert refs == {"io.k8s.api.core.v1.PodTemplateSpec"}


def test_protobuf_config_map() -> None:
    def field(number: int, payload: bytes) -> bytes:
        return bytes([number << 3 | 2, len(payload)]) + payload

    meta = field(1, b"cm")
    entry = field(1, b"k") + field(2, b"v")
    raw = field(1, meta) + field(2, entry)
    type_meta = field(1, b"v1") + field(2, b"ConfigMap")
    body = b"k8s\x00" + field(1, type_meta) + field(2, raw)
    assert decode(body) == {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "cm"},
        "data": {"k": "v"},
    }
