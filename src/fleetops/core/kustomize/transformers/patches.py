"""patches, patchesStrategicMerge and patchesJson6902: strategic merge and JSON 6902 patches."""

from __future__ import annotations

import json
from typing import Any

from fleetops.core.kustomize.errors import KustomizeError
from fleetops.core.kustomize.loader import Loader
from fleetops.core.kustomize.resmap import ResMap
from fleetops.core.kustomize.resource import Resource
from fleetops.core.kustomize.resources import resources_from_bytes
from fleetops.core.kustomize.transformers.selection import select
from fleetops.core.kustomize.transformers.strategic_merge import apply_patch_to
from fleetops.core.yamlio import YamlReadError, dump_document, load_documents


def parse_json_patch(text: str) -> list[Any]:
    stripped = text.strip()
    if not stripped:
        raise KustomizeError("empty json patch operations")
    try:
        if stripped.startswith("["):
            ops = json.loads(stripped)
        else:
            docs = load_documents(stripped)
            ops = docs[0] if len(docs) == 1 else None
    except (ValueError, YamlReadError) as error:
        raise KustomizeError(f"unable to parse json patch: {error}") from None
    if not isinstance(ops, list) or not all(isinstance(op, dict) for op in ops):
        raise KustomizeError("json patch is not a list of operations")
    return ops


def _sm_patches(text: str, source: str) -> list[Resource] | None:
    try:
        return resources_from_bytes(text.encode(), source)
    except KustomizeError:
        return None


def _lenient(doc: Any, op: dict[str, Any]) -> dict[str, Any]:
    """kustomize's JSON patch library lets `replace` set a missing key of an object (like `add`)."""
    if op.get("op") != "replace" or not isinstance(op.get("path"), str):
        return op
    parts = [p.replace("~1", "/").replace("~0", "~") for p in str(op["path"]).split("/")[1:]]
    node = doc
    for part in parts[:-1]:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return op
    if parts and isinstance(node, dict) and parts[-1] not in node:
        return {**op, "op": "add"}
    return op


def apply_json6902(resources: ResMap, target: dict[str, Any] | None, ops: list[Any], text: str) -> None:
    if target is None:
        raise KustomizeError(f"must specify a target for JSON patch {text}")
    for resource in select(resources, target):
        resource.store_previous_id()
        resource.shared_values = []  # the JSON round trip copies every node (see vars.resolve_vars)
        if any(str(op.get("path")) in ("/metadata", "/metadata/annotations") for op in ops):
            # kustomize keeps origin and transformations as annotations: replacing them loses both
            resource.origin, resource.transformations = None, []
        # imported here: the CLI's start-up stays light when a build has no JSON patch
        from fleetops.core.patch import PatchError, apply_json_patch  # noqa: PLC0415

        try:
            obj = resource.obj
            for op in ops:
                obj = apply_json_patch(obj, [_lenient(obj, op)])
            resource.obj = obj
        except PatchError as error:
            raise KustomizeError(f"unable to apply json patch to {resource.cur_id()}: {error}") from None


def apply_sm_by_id(resources: ResMap, patch: Resource) -> None:
    target = resources.get_by_id(patch.org_id())
    apply_patch_to(resources, [target], patch)


def apply_patch_entry(resources: ResMap, ldr: Loader, entry: dict[str, Any]) -> None:
    """One item of `patches:` (also the PatchTransformer builtin plugin)."""
    patch_text = str(entry.get("patch") or "").strip()
    path = str(entry.get("path") or "")
    if not patch_text and not path:
        raise KustomizeError(f"must specify one of patch and path in\n{_describe(entry)}")
    if patch_text and path:
        raise KustomizeError(f"patch and path can't be set at the same time\n{_describe(entry)}")
    if path:
        patch_text = ldr.read(path).decode("utf-8", errors="replace")
    target = entry.get("target")
    options = entry.get("options") or {}
    sm = _sm_patches(patch_text, path or "patch")
    ops: list[Any] | None
    try:
        ops = parse_json_patch(patch_text)
    except KustomizeError:
        ops = None
    if sm is not None and ops is not None:
        raise KustomizeError(f"illegally qualifies as both an SM and JSON patch: {patch_text}")
    if sm is None and ops is None:
        raise KustomizeError(f"unable to parse SM or JSON patch from {patch_text}")
    if ops is not None:
        apply_json6902(resources, target if isinstance(target, dict) else None, ops, patch_text)
        return
    assert sm is not None
    for patch in sm:
        patch.allow_name_change = bool(options.get("allowNameChange"))  # type: ignore[attr-defined]
        patch.allow_kind_change = bool(options.get("allowKindChange"))  # type: ignore[attr-defined]
        if isinstance(target, dict):
            apply_patch_to(resources, select(resources, target), patch)
        else:
            apply_sm_by_id(resources, patch)


def load_strategic_merge_patches(ldr: Loader, entries: list[Any]) -> list[Resource]:
    """`patchesStrategicMerge:` items: inline patch text, or file paths."""
    patches: list[Resource] = []
    for entry in entries:
        text = str(entry)
        inline = _sm_patches(text, "patch") if "\n" in text or ":" in text else None
        if inline is None:
            inline = resources_from_bytes(ldr.read(text), ldr.absolute(text))
        patches.extend(inline)
    if not patches:
        raise KustomizeError(f"patch appears to be empty; files={entries}, Patch=")
    return patches


def _describe(entry: dict[str, Any]) -> str:

    return dump_document(entry)


def apply_json6902_entry(resources: ResMap, ldr: Loader, entry: dict[str, Any]) -> None:
    """One item of `patchesJson6902:` (also the PatchJson6902Transformer builtin plugin)."""
    target = entry.get("target")
    if not isinstance(target, dict) or not target.get("name"):
        raise KustomizeError("must specify the target name")
    path = str(entry.get("path") or "")
    text = str(entry.get("patch") or entry.get("jsonOp") or "")
    if not path and not text:
        raise KustomizeError("empty file path and empty jsonOp")
    if path:
        text = ldr.read(path).decode("utf-8", errors="replace")
    apply_json6902(resources, target, parse_json_patch(text), text)
