"""Rendering any YAML value (strings, and map keys) with one parameter set, in either mode."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from fleetops.core.appset.errors import AppSetError, TemplateError
from fleetops.core.appset.fasttemplate import render_fast
from fleetops.core.appset.gotemplate import render_go
from fleetops.core.appset.params import Params

__all__ = ["TemplateMode", "render_string", "render_value"]

_OPTIONS = frozenset({"missingkey=error", "missingkey=default", "missingkey=invalid", "missingkey=zero"})


@dataclasses.dataclass(frozen=True)
class TemplateMode:
    """``spec.goTemplate`` and ``spec.goTemplateOptions``."""

    go_template: bool = False
    missing_key_error: bool = False

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any]) -> TemplateMode:
        options = spec.get("goTemplateOptions") or []
        if not isinstance(options, list) or not all(isinstance(o, str) for o in options):
            raise AppSetError("goTemplateOptions must be a list of strings")
        unknown = [option for option in options if option not in _OPTIONS]
        if unknown:
            raise AppSetError(f"goTemplateOptions: unsupported option {unknown[0]!r}")
        return cls(bool(spec.get("goTemplate", False)), "missingkey=error" in options)


def render_string(text: str, params: Params, mode: TemplateMode) -> str:
    """One string rendered with ``params``."""
    if not mode.go_template:
        return render_fast(text, params)
    try:
        return render_go(text, params, missing_key_error=mode.missing_key_error)
    except TemplateError as error:
        raise TemplateError(f"failed to execute go template {text}: {error}") from error


def render_value(value: Any, params: Params, mode: TemplateMode) -> Any:
    """A copy of ``value`` with every string (map keys included) rendered."""
    if isinstance(value, str):
        return render_string(value, params, mode)
    if isinstance(value, Mapping):
        return {
            (render_string(k, params, mode) if isinstance(k, str) else k): render_value(v, params, mode)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [render_value(item, params, mode) for item in value]
    return value
