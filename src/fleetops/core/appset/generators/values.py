"""A generator's ``values``: extra parameters, themselves rendered with the generator's parameters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fleetops.core.appset.errors import GeneratorError
from fleetops.core.appset.params import Params
from fleetops.core.appset.templating import TemplateMode, render_string

__all__ = ["with_values"]


def with_values(params: Params, values: Any, mode: TemplateMode) -> Params:
    """``params`` plus ``values.<k>`` (flat) or ``values: {k: …}`` (goTemplate)."""
    if not values:
        return params
    if not isinstance(values, Mapping):
        raise GeneratorError("values must be a map of strings")
    rendered: dict[str, str] = {}
    for key, value in values.items():
        if not isinstance(value, str):
            raise GeneratorError(f"values.{key} must be a string")
        rendered[str(key)] = render_string(value, params, mode)
    if mode.go_template:
        return {**params, "values": rendered}
    return {**params, **{f"values.{key}": value for key, value in rendered.items()}}
