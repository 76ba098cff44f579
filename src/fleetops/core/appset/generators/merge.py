"""The ``merge`` generator: the first child's parameter sets, each updated by the parameter sets
of later children that agree with it on every ``mergeKeys`` value."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from fleetops.core.appset.errors import GeneratorError
from fleetops.core.appset.generators.context import GeneratorContext
from fleetops.core.appset.params import Params, flatten, merge_nested

__all__ = ["merge_params"]

Generate = Callable[[Mapping[str, Any], GeneratorContext], list[Params]]


def merge_params(spec: Mapping[str, Any], context: GeneratorContext, generate: Generate) -> list[Params]:
    """Base parameter sets from the first child, overridden by matching later ones."""
    children = spec.get("generators") or []
    keys = [str(k) for k in spec.get("mergeKeys") or []]
    if len(children) < 2:
        raise GeneratorError("merge generator must have at least 2 child generators")
    if not keys:
        raise GeneratorError("merge generator: mergeKeys is required")
    go = context.mode.go_template
    base = generate(children[0], context)
    _index(base, keys, "base")
    for child in children[1:]:
        index = _index(generate(child, context), keys, "child")
        merged: list[Params] = []
        for params in base:
            other = index.get(_key(params, keys) or "")
            if other is None:
                merged.append(params)
            else:
                merged.append(merge_nested(params, other) if go else {**params, **other})
        base = merged
    return base


def _key(params: Params, keys: list[str]) -> str | None:
    flat = flatten(params)
    if any(key not in flat for key in keys):
        return None
    return json.dumps([flat[key] for key in keys])


def _index(sets: list[Params], keys: list[str], which: str) -> dict[str, Params]:
    index: dict[str, Params] = {}
    for params in sets:
        key = _key(params, keys)
        if key is None:
            continue
        if key in index:
            raise GeneratorError(f"merge generator: {which} generator has duplicate mergeKeys values {key}")
        index[key] = params
    return index
