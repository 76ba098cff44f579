"""ApplicationSet generators: pure functions of (generator spec, inputs) → parameter sets."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fleetops.core.appset.errors import GeneratorError
from fleetops.core.appset.generators.clusters import clusters_params
from fleetops.core.appset.generators.context import GeneratorContext
from fleetops.core.appset.generators.git import git_params
from fleetops.core.appset.generators.list_gen import list_params
from fleetops.core.appset.generators.matrix import matrix_params
from fleetops.core.appset.generators.merge import merge_params
from fleetops.core.appset.generators.post_selector import post_select
from fleetops.core.appset.params import Params

__all__ = ["GeneratorContext", "generator_params"]

_UNSUPPORTED = ("scmProvider", "pullRequest", "clusterDecisionResource", "plugin")


def generator_params(generator: Mapping[str, Any], context: GeneratorContext) -> list[Params]:
    """The parameter sets of one ``spec.generators[]`` entry, post-selector applied."""
    if not isinstance(generator, Mapping):
        raise GeneratorError("a generator must be a map")
    kinds = [k for k in generator if k != "selector"]
    if len(kinds) != 1:
        raise GeneratorError(f"a generator needs exactly one kind, got {sorted(kinds) or 'none'}")
    kind = kinds[0]
    spec = generator[kind] or {}
    if kind in _UNSUPPORTED:
        raise GeneratorError(f"the {kind} generator is not supported by fleetops")
    if kind == "list":
        params = list_params(spec, context.mode)
    elif kind == "clusters":
        params = clusters_params(spec, context)
    elif kind == "git":
        params = git_params(spec, context)
    elif kind == "matrix":
        params = matrix_params(spec, context, generator_params)
    elif kind == "merge":
        params = merge_params(spec, context, generator_params)
    else:
        raise GeneratorError(f"unknown generator {kind!r}")
    return post_select(params, generator.get("selector"))
