"""PATCH bodies: JSON patch, merge patch, strategic merge patch (apply patches go to `managed`)."""

from __future__ import annotations

import copy
from typing import Any

from fleetops.core import patch as patching
from fleetops.core.schema.resource_info import ResourceInfo
from fleetops.kubesim import errors
from fleetops.kubesim.rest.decode import decode_document
from fleetops.kubesim.state import ClusterState

Manifest = dict[str, Any]

JSON_PATCH = "application/json-patch+json"
MERGE_PATCH = "application/merge-patch+json"
STRATEGIC_PATCH = "application/strategic-merge-patch+json"
APPLY_PATCH = "application/apply-patch+yaml"


def accepted_types(info: ResourceInfo) -> list[str]:
    types = [JSON_PATCH, MERGE_PATCH, APPLY_PATCH]
    if info.builtin:
        types.insert(2, STRATEGIC_PATCH)
    return types


def media_type(content_type: str) -> str:
    return content_type.split(";", maxsplit=1)[0].strip().lower()


def check_patch_type(content_type: str, info: ResourceInfo) -> str:
    kind = media_type(content_type)
    if kind not in accepted_types(info) and kind != "application/apply-patch+json":
        raise errors.unsupported_media_type(accepted_types(info))
    return APPLY_PATCH if kind == "application/apply-patch+json" else kind


def apply_patch(state: ClusterState, info: ResourceInfo, live: Manifest, kind: str, raw: bytes) -> Manifest:
    """`live` with a JSON, merge or strategic merge patch applied (never mutates `live`)."""
    document = decode_document(raw, "application/json")
    base = copy.deepcopy(live)
    try:
        if kind == JSON_PATCH:
            if not isinstance(document, list):
                raise errors.bad_request(
                    "json: cannot unmarshal object into Go value of type jsonpatch.Patch"
                )
            result = patching.apply_json_patch(base, document)
        elif kind == MERGE_PATCH:
            _require_object(document)
            result = patching.apply_merge_patch(base, document)
        else:
            _require_object(document)
            result = patching.apply_strategic_merge_patch(base, document, schema=state.schema)
    except patching.NoStrategicMergeSchemaError as exc:
        raise errors.unsupported_media_type(accepted_types(info)) from exc
    except patching.PatchError as exc:
        if kind == JSON_PATCH:
            raise errors.ApiError(422, "Invalid", str(exc)) from exc
        raise errors.bad_request(str(exc)) from exc
    if not isinstance(result, dict):
        raise errors.bad_request("the patch did not produce an object")
    return result


def _require_object(document: Any) -> None:
    if not isinstance(document, dict):
        raise errors.bad_request("json: cannot unmarshal array into Go value of type map[string]interface {}")
