"""Path elements of a field path, in the per-element encoding of Kubernetes FieldsV1.

A path element is a canonical string, so equal elements are equal strings:

- ``f:<name>``: a map field;
- ``k:<json>``: an associative-list item by its key fields (compact JSON, keys sorted);
- ``v:<json>``: a set item by its value;
- ``i:<n>``: a list item by index (atomic lists only).

Numbers are canonical: a float with an integral value is written as an integer, so ``1`` and
``1.0`` name the same element, as they do upstream.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

PathElement = str
Path = tuple[PathElement, ...]

__all__ = [
    "FieldPath",
    "Path",
    "PathElement",
    "canonical_json",
    "field",
    "format_path",
    "index",
    "key",
    "kind_of",
    "value",
]


def _canonical(data: Any) -> Any:
    if isinstance(data, bool) or data is None or isinstance(data, str | int):
        return data
    if isinstance(data, float):
        return int(data) if data.is_integer() else data
    if isinstance(data, dict):
        return {k: _canonical(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_canonical(v) for v in data]
    return data


def canonical_json(data: Any) -> str:
    """Compact JSON with sorted keys and canonical numbers."""
    return json.dumps(_canonical(data), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def field(name: str) -> PathElement:
    return "f:" + name


def key(fields: Iterable[tuple[str, Any]]) -> PathElement:
    return "k:" + canonical_json(dict(fields))


def value(item: Any) -> PathElement:
    return "v:" + canonical_json(item)


def index(position: int) -> PathElement:
    return "i:" + str(position)


def kind_of(element: PathElement) -> str:
    """``f``, ``k``, ``v`` or ``i``."""
    return element[0]


def _describe(element: PathElement) -> str:
    kind, body = element[0], element[2:]
    if kind == "f":
        return "." + body
    if kind == "k":
        fields = json.loads(body)
        return "[" + ",".join(f"{k}={json.dumps(v)}" for k, v in sorted(fields.items())) + "]"
    if kind == "v":
        return "[=" + body + "]"
    return "[" + body + "]"


def format_path(path: Path) -> str:
    """Human-readable form, as upstream prints it: ``.spec.containers[name="app"].image``."""
    return "".join(_describe(element) for element in path)


class FieldPath(tuple[PathElement, ...]):
    """A path that prints as upstream prints paths (``.spec.replicas``); equal to its tuple."""

    __slots__ = ()

    def __str__(self) -> str:
        return format_path(self)
