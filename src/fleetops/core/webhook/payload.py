"""Reading untrusted JSON payloads: typed accessors that never raise on a wrong shape."""

from __future__ import annotations

from typing import Any


def obj(value: Any, *keys: str) -> dict[str, Any]:
    """The mapping at `keys` inside `value`, {} when absent or not a mapping."""
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, dict) else {}


def text(value: Any, *keys: str) -> str:
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, str) else ""


def urls(*candidates: str) -> tuple[str, ...]:
    """The non-empty candidates, first occurrence kept."""
    return tuple(dict.fromkeys(c for c in candidates if c))
