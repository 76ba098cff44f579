"""Small shared readers over an Application's plain dict: no field is ever assumed present."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def sequence(value: object) -> Sequence[Any]:
    return value if isinstance(value, list | tuple) else ()


def string(value: object, default: str = "") -> str:
    return value if isinstance(value, str) and value else default


def spec(app: Mapping[str, Any]) -> Mapping[str, Any]:
    return mapping(app.get("spec"))


def status(app: Mapping[str, Any]) -> Mapping[str, Any]:
    return mapping(app.get("status"))


def string_map(value: object) -> dict[str, str]:
    return {str(k): "" if v is None else str(v) for k, v in mapping(value).items()}


def strings(value: object) -> tuple[str, ...]:
    return tuple(str(item) for item in sequence(value) if item is not None)
