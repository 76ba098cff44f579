"""JSON pointers (RFC 6901) resolved against one object, as ``ignoreDifferences.jsonPointers``."""

from __future__ import annotations

from typing import Any

from fleetops.core.diff.paths import ValuePath

__all__ = ["InvalidPointerError", "parse_pointer", "resolve_pointer"]


class InvalidPointerError(ValueError):
    """A JSON pointer that is not RFC 6901 (it must be empty or start with ``/``)."""


def parse_pointer(pointer: str) -> tuple[str, ...]:
    """The reference tokens of ``pointer``: ``/metadata/labels/app~1name`` -> (metadata, labels, app/name)."""
    if pointer == "":
        return ()
    if not pointer.startswith("/"):
        raise InvalidPointerError(f"{pointer!r}: a JSON pointer starts with '/'")
    tokens = pointer[1:].split("/")
    for token in tokens:
        rest = token.replace("~0", "").replace("~1", "")
        if "~" in rest:
            raise InvalidPointerError(f"{pointer!r}: '~' must be followed by 0 or 1")
    return tuple(token.replace("~1", "/").replace("~0", "~") for token in tokens)


def resolve_pointer(value: Any, tokens: tuple[str, ...]) -> ValuePath | None:
    """The concrete path ``tokens`` names in ``value`` (None when it names nothing there)."""
    path: list[str | int] = []
    for token in tokens:
        if isinstance(value, dict):
            if token not in value:
                return None
            path.append(token)
            value = value[token]
        elif isinstance(value, list):
            if not token.isdigit() or (token != "0" and token.startswith("0")):
                return None
            index = int(token)
            if index >= len(value):
                return None
            path.append(index)
            value = value[index]
        else:
            return None
    return tuple(path)
