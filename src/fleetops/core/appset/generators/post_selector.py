"""A generator's ``selector``: keeps only the parameter sets whose (flattened) parameters match."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fleetops.core.appset.errors import GeneratorError
from fleetops.core.appset.params import Params, flatten
from fleetops.core.selectors import LabelSelector, SelectorError

__all__ = ["post_select"]


def post_select(params: list[Params], selector: Mapping[str, Any] | None) -> list[Params]:
    """``params`` filtered by the ``matchLabels`` / ``matchExpressions`` of ``selector``."""
    if not selector:
        return params
    try:
        parsed = LabelSelector.from_struct(selector)
    except SelectorError as error:
        raise GeneratorError(f"generator selector: {error}") from error
    return [p for p in params if parsed.matches(flatten(p))]
