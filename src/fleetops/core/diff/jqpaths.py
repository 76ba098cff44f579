"""jq path expressions (``ignoreDifferences.jqPathExpressions``), via the ``jq`` C binding.

Argo CD deletes ``del(<expression>)`` from each object; here the expression's paths are listed
with ``[path(<expression>)]`` so that the same paths can also be copied (RespectIgnoreDifferences).
An expression that fails on an object (``.spec.template.spec.containers[]`` on a ConfigMap)
selects nothing there, as in Argo CD.
"""

from __future__ import annotations

import functools
from typing import Any

import jq  # type: ignore[import-not-found]  # a C binding without stubs

from fleetops.core.diff.paths import MISSING, ValuePath, get_path

__all__ = ["InvalidJqExpressionError", "check_jq_expression", "jq_paths"]


class InvalidJqExpressionError(ValueError):
    """A jq path expression that does not compile."""


@functools.lru_cache(maxsize=512)
def _program(expression: str) -> Any:
    try:
        return jq.compile(f"[path({expression})]")
    except ValueError as error:
        raise InvalidJqExpressionError(f"{expression!r}: {error}") from None


def check_jq_expression(expression: str) -> None:
    """Raise ``InvalidJqExpressionError`` unless ``expression`` compiles as a path expression."""
    _program(expression)


def jq_paths(value: Any, expression: str) -> list[ValuePath]:
    """The concrete paths ``expression`` selects in ``value`` that exist there."""
    program = _program(expression)
    try:
        found = program.input_value(value).first()
    except ValueError:
        return []
    paths: list[ValuePath] = []
    for raw in found or []:
        if isinstance(raw, list) and all(isinstance(step, str | int) for step in raw):
            path = tuple(int(step) if isinstance(step, int) else step for step in raw)
            if get_path(value, path) is not MISSING:
                paths.append(path)
    return paths
