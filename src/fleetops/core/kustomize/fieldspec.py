"""Field specs: "this path, in objects of this kind", and the walk that visits those fields.

A path is `/`-separated (`\\/` escapes a slash inside a field name); `name[]` says the field is a
sequence whose items the walk enters; any sequence met on the way is entered implicitly.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fleetops.core.kustomize.errors import KustomizeError
from fleetops.core.kustomize.resid import Gvk, ResId


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
KEEP: Any = object()
"""Returned by a setter to leave the field as it is."""

Setter = Callable[[Any], Any]
"""Receives the field's value (MISSING if absent) and returns the new value, or KEEP."""


@dataclass(frozen=True)
class FieldSpec:
    path: str
    gvk: Gvk = field(default_factory=Gvk)
    create: bool = False

    @staticmethod
    def from_dict(data: dict[str, Any]) -> FieldSpec:
        return FieldSpec(
            path=str(data.get("path") or ""),
            gvk=Gvk(
                str(data.get("group") or ""), str(data.get("version") or ""), str(data.get("kind") or "")
            ),
            create=bool(data.get("create", False)),
        )

    def applies_to(self, obj: dict[str, Any]) -> bool:
        api_version = str(obj.get("apiVersion") or "")
        group, _, version = api_version.rpartition("/")
        return Gvk(group, version, str(obj.get("kind") or "")).selected_by(self.gvk)


def split_path(path: str) -> list[str]:
    """Split on `/`, honouring `\\/` escapes and slashes inside `[...]`."""
    return list(_split_path(path))


@functools.lru_cache(maxsize=4096)
def _split_path(path: str) -> tuple[str, ...]:
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    i = 0
    while i < len(path):
        char = path[i]
        if char == "\\" and i + 1 < len(path) and path[i + 1] == "/":
            current.append("/")
            i += 2
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth = max(0, depth - 1)
        if char == "/" and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    parts.append("".join(current))
    return tuple(parts)


def apply_field_spec(
    obj: dict[str, Any], spec: FieldSpec, setter: Setter, *, create_kind: str | None = None
) -> None:
    """Call `setter` on every field `spec` names in `obj` (a no-op if `spec` is for another kind).

    `create_kind` ("map" or "scalar") is what a missing last field is created as when the spec
    says `create`; intermediate fields are created as maps.
    """
    if not spec.applies_to(obj):
        return
    try:
        _walk(obj, split_path(spec.path), setter, spec.create and create_kind is not None, create_kind)
    except KustomizeError as error:
        raise KustomizeError(f"considering field '{spec.path}' of object {_describe(obj)}: {error}") from None


def _describe(obj: dict[str, Any]) -> str:

    meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    assert isinstance(meta, dict)
    gvk = Gvk.from_api_version(str(obj.get("apiVersion") or ""), str(obj.get("kind") or ""))
    return str(ResId(gvk, str(meta.get("name") or ""), str(meta.get("namespace") or "")))


def _walk(node: Any, path: list[str], setter: Setter, create: bool, create_kind: str | None) -> None:
    if node is None:
        return
    if isinstance(node, list):
        for item in node:
            _walk(item, path, setter, create, create_kind)
        return
    if not isinstance(node, dict):
        raise KustomizeError("expected sequence or mapping node")
    head = path[0]
    is_seq = head.endswith("[]")
    name = head[:-2] if is_seq else head
    if not name:
        raise KustomizeError("cannot set or create an empty field name")
    rest = path[1:]
    if name not in node:
        if not create or is_seq:
            return
        if rest or create_kind == "map":
            node[name] = {}
        else:
            node[name] = MISSING
    value = node[name]
    if value is None and is_seq and rest:
        return
    if not rest:
        result = setter(value)
        if result is KEEP:
            if node[name] is MISSING:
                del node[name]
        else:
            node[name] = result
        return
    if value is None:
        if create:
            node[name] = value = {}
        else:
            return
    _walk(value, rest, setter, create, create_kind)
