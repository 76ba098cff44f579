"""The paths that differ between the live object and the predicted one, with both values.

Maps are compared field by field; list items are matched by the schema's list-map keys (or
``name``) and compared item by item; lists of unkeyed objects of equal length item by item;
any other differing list is one change.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from fleetops.core.diff.paths import MISSING
from fleetops.core.schema import SchemaNode
from fleetops.core.structured import values_equal

__all__ = ["ChangeKind", "ChangedPath", "changed_paths"]

ChangeKind = Literal["added", "removed", "changed"]


@dataclass(frozen=True, slots=True)
class ChangedPath:
    """One difference: ``.spec.replicas``, live ``5``, desired ``3`` (a sync would write 3)."""

    path: str
    kind: ChangeKind
    live: Any = None
    desired: Any = None

    def __str__(self) -> str:
        if self.kind == "added":
            return f"{self.path}: added {_show(self.desired)}"
        if self.kind == "removed":
            return f"{self.path}: removed (live {_show(self.live)})"
        return f"{self.path}: live {_show(self.live)} → desired {_show(self.desired)}"


def changed_paths(live: Any, desired: Any, node: SchemaNode | None) -> list[ChangedPath]:
    """The differences between ``live`` and ``desired`` (both normalized), in document order."""
    return list(_walk(live, desired, node, ""))


def _walk(live: Any, desired: Any, node: SchemaNode | None, path: str) -> Iterator[ChangedPath]:
    if live is MISSING and desired is MISSING:
        return
    if live is MISSING:
        yield ChangedPath(path or ".", "added", None, desired)
    elif desired is MISSING:
        yield ChangedPath(path or ".", "removed", live, None)
    elif values_equal(live, desired):
        return
    elif isinstance(live, dict) and isinstance(desired, dict):
        for name in [*live, *(k for k in desired if k not in live)]:
            child = _field(node, name)
            yield from _walk(live.get(name, MISSING), desired.get(name, MISSING), child, path + _step(name))
    elif isinstance(live, list) and isinstance(desired, list):
        yield from _lists(live, desired, node, path)
    else:
        yield ChangedPath(path or ".", "changed", live, desired)


def _lists(live: list[Any], desired: list[Any], node: SchemaNode | None, path: str) -> Iterator[ChangedPath]:
    items = node.items if node is not None else None
    keys = _keys(node, live, desired)
    if keys:
        live_items = {_identity(item, keys): item for item in live}
        desired_items = {_identity(item, keys): item for item in desired}
        if len(live_items) == len(live) and len(desired_items) == len(desired):
            same_order = [k for k in live_items if k in desired_items] == [
                k for k in desired_items if k in live_items
            ]
            if same_order:
                for identity in [*live_items, *(k for k in desired_items if k not in live_items)]:
                    yield from _walk(
                        live_items.get(identity, MISSING),
                        desired_items.get(identity, MISSING),
                        items,
                        path + _selector(identity),
                    )
                return
    elif len(live) == len(desired) and all(isinstance(i, dict) for i in [*live, *desired]):
        for position, (left, right) in enumerate(zip(live, desired, strict=True)):
            yield from _walk(left, right, items, f"{path}[{position}]")
        return
    yield ChangedPath(path or ".", "changed", live, desired)


def _keys(node: SchemaNode | None, live: list[Any], desired: list[Any]) -> tuple[str, ...]:
    both = [*live, *desired]
    if not both or not all(isinstance(item, dict) for item in both):
        return ()
    if node is not None and node.list_type == "map" and node.list_map_keys:
        return node.list_map_keys
    if node is not None and node.patch_merge_key:
        return (node.patch_merge_key,)
    if all("name" in item for item in both):
        return ("name",)
    return ()


def _identity(item: dict[str, Any], keys: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((key, json.dumps(item[key], sort_keys=True)) for key in keys if key in item)


def _selector(identity: tuple[tuple[str, str], ...]) -> str:
    return "[" + ",".join(f"{key}={value}" for key, value in identity) + "]"


def _field(node: SchemaNode | None, name: str) -> SchemaNode | None:
    if node is None:
        return None
    return node.field(name) or node.additional_properties


def _step(name: str) -> str:
    if name.replace("_", "a").isalnum() and not name[:1].isdigit():
        return "." + name
    return "." + json.dumps(name)


def _show(value: Any) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, separators=(",", ":"))
    return json.dumps(value)
