"""Argo CD's fasttemplate mode: ``{{param}}`` (spaces inside the braces allowed) is replaced by
the flat parameter of that name; an unknown or empty tag is left exactly as written."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fleetops.core.appset.params import go_string

__all__ = ["render_fast"]


def render_fast(text: str, params: Mapping[str, Any]) -> str:
    """``text`` with every known ``{{ name }}`` tag replaced."""
    out: list[str] = []
    position = 0
    while True:
        start = text.find("{{", position)
        if start < 0:
            break
        end = text.find("}}", start + 2)
        if end < 0:
            break
        out.append(text[position:start])
        tag = text[start + 2 : end]
        name = tag.strip()
        if name and name in params:
            value = params[name]
            out.append(value if isinstance(value, str) else go_string(value))
        else:
            out.append("{{" + tag + "}}")
        position = end + 2
    out.append(text[position:])
    return "".join(out)
