"""Plain-data values as structured merge sees them: typing checks, equality, list item names."""

from __future__ import annotations

import functools
from typing import Any, Final

from fleetops.core.structured import pathelements
from fleetops.core.structured.pathelements import Path, PathElement
from fleetops.core.structured.types import ListType, ScalarKind

__all__ = ["MISSING", "StructuredMergeError", "item_element", "values_equal"]


class _Missing:
    """An absent value (as opposed to an explicit null)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final[Any] = _Missing()


class StructuredMergeError(ValueError):
    """A value that does not fit its schema, or that structured merge cannot process."""

    def __init__(self, message: str, path: Path = ()) -> None:
        self.path = path
        where = pathelements.format_path(path)
        super().__init__(f"{where}: {message}" if where else message)


def values_equal(left: Any, right: Any) -> bool:
    """Deep equality where numbers compare numerically and booleans are not numbers."""
    if left is right:
        return True
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if isinstance(left, dict):
        if not isinstance(right, dict) or len(left) != len(right):
            return False
        return all(k in right and values_equal(v, right[k]) for k, v in left.items())
    if isinstance(left, list):
        if not isinstance(right, list) or len(left) != len(right):
            return False
        return all(values_equal(a, b) for a, b in zip(left, right, strict=True))
    if isinstance(left, int | float) and isinstance(right, int | float):
        return left == right
    if isinstance(left, dict | list) or isinstance(right, dict | list):
        return False
    return type(left) is type(right) and left == right


def scalar_fits(kind: ScalarKind, value: Any) -> bool:
    if value is None:
        return True
    if kind == "numeric":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    return isinstance(value, str | int | float | bool)


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool)


@functools.lru_cache(maxsize=8192)
def _key_element(fields: tuple[tuple[str, str, Any], ...]) -> PathElement:
    return pathelements.key((name, value) for name, _, value in fields)


@functools.lru_cache(maxsize=8192)
def _value_element(_: str, item: Any) -> PathElement:
    return pathelements.value(item)


def item_element(list_type: ListType, position: int, item: Any, path: Path) -> PathElement:
    """The path element naming a list item: ``k:`` by keys, ``v:`` by value, ``i:`` by index."""
    if list_type.atomic:
        return pathelements.index(position)
    if list_type.keys:
        if not isinstance(item, dict):
            what = "a null element" if item is None else "non-map elements"
            raise StructuredMergeError(f"associative list with keys may not have {what}", path)
        element_atom = list_type.element.atom
        defaults = element_atom.map.defaults if element_atom.map is not None else {}
        fields = []
        for name in list_type.keys:
            if name in item:
                fields.append((name, item[name]))
            elif name in defaults:
                fields.append((name, defaults[name]))
        if not fields:
            raise StructuredMergeError(
                "associative list with keys has an element that omits all key fields", path
            )
        try:
            return _key_element(tuple((name, type(value).__name__, value) for name, value in fields))
        except TypeError:  # a key value that is a map or list: not cacheable
            return pathelements.key(fields)
    if not _is_scalar(item):
        what = "an explicit null" if item is None else "a map or list"
        raise StructuredMergeError(f"associative list without keys has an element that's {what}", path)
    return _value_element(type(item).__name__, item)
