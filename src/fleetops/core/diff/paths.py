"""Concrete value paths (map keys and list indices) and the edits the diff makes with them.

Every ignore mechanism (JSON pointers, jq path expressions, managed field sets) resolves to
concrete paths in one object; deleting and copying values is then the same for all of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["MISSING", "ValuePath", "delete_paths", "format_path", "get_path", "set_path"]

ValuePath = tuple[str | int, ...]


class _Missing:
    """The value at a path that does not exist."""

    def __repr__(self) -> str:
        return "<missing>"


MISSING: Any = _Missing()


def get_path(value: Any, path: ValuePath) -> Any:
    """The value at ``path`` (``MISSING`` when a step does not exist)."""
    for step in path:
        if isinstance(step, int) and isinstance(value, list) and not isinstance(step, bool):
            if not 0 <= step < len(value):
                return MISSING
            value = value[step]
        elif isinstance(step, str) and isinstance(value, dict):
            if step not in value:
                return MISSING
            value = value[step]
        else:
            return MISSING
    return value


def delete_paths(value: Any, paths: Iterable[ValuePath]) -> Any:
    """A copy of ``value`` without the values at ``paths`` (paths that do not exist are skipped).

    The empty path deletes everything (None). List indices refer to ``value`` as given: items are
    removed from the highest index down so that several deletions in one list agree.
    """
    ordered = sorted(set(paths), key=_deletion_order, reverse=True)
    if () in ordered:
        return None
    result = _copy(value)
    for path in ordered:
        parent = get_path(result, path[:-1])
        step = path[-1]
        if isinstance(parent, dict) and isinstance(step, str):
            parent.pop(step, None)
        elif isinstance(parent, list) and isinstance(step, int) and 0 <= step < len(parent):
            del parent[step]
    return result


def set_path(value: Any, path: ValuePath, new: Any) -> Any:
    """A copy of ``value`` with ``new`` at ``path``; missing maps on the way are created.

    A step into a list item that does not exist leaves ``value`` unchanged.
    """
    if not path:
        return _copy(new)
    result = _copy(value) if isinstance(value, dict | list) else {}
    node: Any = result
    for position, step in enumerate(path):
        last = position == len(path) - 1
        if isinstance(node, dict) and isinstance(step, str):
            if last:
                node[step] = _copy(new)
            else:
                if not isinstance(node.get(step), dict | list):
                    node[step] = {}
                node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            if last:
                node[step] = _copy(new)
            else:
                node = node[step]
        else:
            return value
    return result


def format_path(path: ValuePath) -> str:
    """``.spec.template.spec.containers[0].image``; odd keys quoted (``.metadata.labels."app/x"``)."""
    text = ""
    for step in path:
        if isinstance(step, int):
            text += f"[{step}]"
        elif step.replace("_", "a").isalnum() and not step[:1].isdigit():
            text += "." + step
        else:
            escaped = step.replace("\\", "\\\\").replace('"', '\\"')
            text += f'."{escaped}"'
    return text or "."


def _deletion_order(path: ValuePath) -> tuple[tuple[int, int | str], ...]:
    return tuple((0, step) if isinstance(step, int) else (1, step) for step in path)


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value
