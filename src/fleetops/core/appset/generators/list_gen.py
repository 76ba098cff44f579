"""The ``list`` generator: ``elements`` (and ``elementsYaml``) as parameter sets."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fleetops.core.appset.errors import GeneratorError
from fleetops.core.appset.params import Params
from fleetops.core.appset.templating import TemplateMode
from fleetops.core.yamlio import YamlReadError, load_documents

__all__ = ["list_params"]


def list_params(spec: Mapping[str, Any], mode: TemplateMode) -> list[Params]:
    """One parameter set per element. Flat mode: values must be strings, except ``values``
    (a map whose entries become ``values.<k>``)."""
    elements = list(spec.get("elements") or [])
    elements_yaml = spec.get("elementsYaml")
    if elements_yaml:
        try:
            documents = load_documents(str(elements_yaml))
        except YamlReadError as error:
            raise GeneratorError(f"list generator: elementsYaml: {error}") from error
        parsed = documents[0] if documents else None
        if parsed is not None and not isinstance(parsed, list):
            raise GeneratorError("list generator: elementsYaml must be a YAML list")
        elements.extend(parsed or [])
    result: list[Params] = []
    for index, element in enumerate(elements):
        if not isinstance(element, Mapping):
            raise GeneratorError(f"list generator: element {index} is not a map")
        result.append(dict(element) if mode.go_template else _flat(element, index))
    return result


def _flat(element: Mapping[str, Any], index: int) -> Params:
    params: Params = {}
    for key, value in element.items():
        if key == "values" and isinstance(value, Mapping):
            params.update({f"values.{k}": str(v) for k, v in value.items()})
        elif isinstance(value, str):
            params[str(key)] = value
        else:
            raise GeneratorError(
                f"list generator: element {index}: error parsing value of {key!r} as string "
                "(use goTemplate: true for non-string values)"
            )
    return params
