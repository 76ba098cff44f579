"""Turn YAML bytes into resources: documents split, `List` kinds flattened, empty documents dropped."""

from __future__ import annotations

from typing import Any

from fleetops.core.kustomize.errors import KustomizeError
from fleetops.core.kustomize.resource import Resource
from fleetops.core.yamlio import YamlReadError, load_documents

RAW_MAPS = frozenset(["annotations"])


class MalformedYamlError(KustomizeError):
    pass


def resources_from_bytes(data: bytes, source: str) -> list[Resource]:
    try:
        documents = load_documents(data, raw_maps=RAW_MAPS, string_keys=True)
    except YamlReadError as error:
        raise MalformedYamlError(f"MalformedYAMLError: {error} in File: {source}") from None
    result: list[Resource] = []
    for document in documents:
        _collect(document, source, result)
    return result


def _collect(document: Any, source: str, result: list[Resource]) -> None:
    if document is None or document == {}:
        return
    if not isinstance(document, dict):
        raise KustomizeError(
            f"missing Resource metadata in File: {source}: expected a map, got {type(document).__name__}"
        )
    kind = document.get("kind")
    if isinstance(kind, str) and kind.endswith("List") and isinstance(document.get("items"), list):
        for item in document["items"]:
            _collect(item, source, result)
        return
    result.append(Resource(obj=document))
