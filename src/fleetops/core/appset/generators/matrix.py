"""The ``matrix`` generator: the cartesian product of two child generators; the second child's
spec is rendered with each parameter set of the first."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fleetops.core.appset.errors import GeneratorError
from fleetops.core.appset.generators.context import GeneratorContext
from fleetops.core.appset.params import Params, merge_nested
from fleetops.core.appset.templating import render_value

__all__ = ["matrix_params"]

Generate = Callable[[Mapping[str, Any], GeneratorContext], list[Params]]


def matrix_params(spec: Mapping[str, Any], context: GeneratorContext, generate: Generate) -> list[Params]:
    """Every combination of the two children's parameter sets, merged."""
    children = spec.get("generators") or []
    if len(children) != 2:
        raise GeneratorError("matrix generator must have exactly 2 child generators")
    result: list[Params] = []
    for first in generate(children[0], context):
        second_spec = render_value(children[1], first, context.mode)
        for second in generate(second_spec, context):
            result.append(_combine(first, second, go=context.mode.go_template))
    return result


def _combine(first: Params, second: Params, *, go: bool) -> Params:
    if go:
        return merge_nested(first, second)
    combined = dict(first)
    for key, value in second.items():
        if key in combined and combined[key] != value:
            raise GeneratorError(
                f"found duplicate key {key} with different value, a: {combined[key]} ,b: {value}"
            )
        combined[key] = value
    return combined
