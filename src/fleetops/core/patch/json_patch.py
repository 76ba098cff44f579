"""JSON patch (RFC 6902) through the `jsonpatch` package, with errors naming the operation's path."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import jsonpatch
import jsonpointer

from fleetops.core.patch.errors import PatchError, PathStep
from fleetops.core.patch.json_values import copy_json

Manifest = dict[str, Any]


def apply_json_patch(obj: Mapping[str, Any], operations: Sequence[Mapping[str, Any]]) -> Manifest:
    """`obj` with the operations applied in order; `obj` is not modified.

    Raises `PatchError` whose `.path` is the failing operation's target (`spec.containers[1]`)."""
    if not isinstance(operations, list | tuple):
        raise PatchError("a JSON patch is a list of operations")
    document: Any = copy_json(dict(obj))
    for index, operation in enumerate(operations):
        if not isinstance(operation, Mapping):
            raise PatchError(f"operation {index} is not an object")
        pointer = operation.get("path")
        try:
            document = jsonpatch.JsonPatch([dict(operation)]).apply(document, in_place=True)
        except jsonpatch.JsonPatchTestFailed as error:
            where = _readable(document, pointer)
            raise PatchError(f"operation {index} (test) failed: {error}", where) from None
        except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException) as error:
            name = operation.get("op")
            raise PatchError(f"operation {index} ({name}): {error}", _readable(document, pointer)) from None
        except (TypeError, KeyError, IndexError, ValueError) as error:
            raise PatchError(f"operation {index}: {error}", _readable(document, pointer)) from None
    if not isinstance(document, dict):
        raise PatchError("a JSON patch turned the object into a non-object")
    return document


def _readable(document: Any, pointer: object) -> tuple[PathStep, ...] | str:
    """A JSON pointer as a dotted path, using list indexes where the document has lists."""
    if not isinstance(pointer, str):
        return "."
    try:
        tokens = jsonpointer.JsonPointer(pointer).parts
    except jsonpointer.JsonPointerException:
        return pointer
    steps: list[PathStep] = []
    node: Any = document
    for token in tokens:
        if isinstance(node, list) and token.isdigit():
            steps.append(int(token))
            node = node[int(token)] if int(token) < len(node) else None
        else:
            steps.append(token)
            node = node.get(token) if isinstance(node, dict) else None
    return tuple(steps)
