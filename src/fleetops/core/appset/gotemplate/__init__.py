"""A pure-Python interpreter for the subset of Go's ``text/template`` that ApplicationSet
templates use (see :mod:`fleetops.core.appset` for exactly what is supported)."""

from __future__ import annotations

from typing import Any

from fleetops.core.appset.gotemplate.execute import execute
from fleetops.core.appset.gotemplate.functions import FUNCTIONS
from fleetops.core.appset.gotemplate.parser import parse

__all__ = ["FUNCTIONS", "render_go"]


def render_go(template: str, data: Any, *, missing_key_error: bool = False) -> str:
    """``template`` executed with ``data`` as ``.``; :class:`TemplateError` on any failure."""
    return execute(parse(template), data, missing_key_error=missing_key_error)
