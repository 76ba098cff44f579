"""Turn YAML bytes into resources: documents split, `List` kinds flattened, empty documents dropped."""

from __future__ import annotations

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
    # kustomize inlines the items of a `*List` after the file's other documents
    queue = list(documents)
    result: list[Resource] = []
    while queue:
        document = queue.pop(0)
        if document is None or document == {}:
            continue
        if not isinstance(document, dict):
            raise KustomizeError(
                f"missing Resource metadata in File: {source}: expected a map, got {type(document).__name__}"
            )
        kind = document.get("kind")
        if isinstance(kind, str) and kind.endswith("List") and "items" in document:
            items = document.get("items")
            if items is None:
                continue
            if not isinstance(items, list):
                raise KustomizeError(f"expected array in {kind}/items, but found {type(items).__name__}")
            queue.extend(items)
            continue
        result.append(Resource(obj=document))
    return result
