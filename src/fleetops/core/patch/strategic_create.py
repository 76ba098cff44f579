"""Computing a strategic merge patch from (original, modified), as kubectl's two-way patch does.

- keys added or changed are set, keys removed become `null`;
- lists with the merge strategy: changed or added items (changed ones reduced to their changes
  plus the merge key), removed items as `{<key>: …, $patch: delete}`, and `$setElementOrder/<list>`
  with the modified order; lists of scalars use `$deleteFromPrimitiveList/<list>`;
- fields with the retainKeys strategy get `$retainKeys` (the modified object's keys);
- every other list is replaced whole when it changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fleetops.core.patch import directives as d
from fleetops.core.patch.errors import NoStrategicMergeSchemaError, PatchError, PathStep
from fleetops.core.patch.json_values import GoKey, copy_json, go_format, go_key, go_type, json_equal
from fleetops.core.patch.patch_meta import MERGE, REPLACE, FieldMeta, MetaLookupError, PatchMeta, meta_for
from fleetops.core.schema import KubeSchema, SchemaNode
from fleetops.model import manifest

Manifest = dict[str, Any]
Path = tuple[PathStep, ...]


def create_strategic_merge_patch(
    original: Mapping[str, Any], modified: Mapping[str, Any], *, schema: KubeSchema
) -> Manifest:
    """The patch that turns `original` into `modified` (kind metadata from `modified`).

    Raises `NoStrategicMergeSchemaError` for kinds without strategic-merge metadata."""
    gvk = manifest.gvk(modified) if manifest.kind(modified) else manifest.gvk(original)
    node = schema.node_for(gvk) if schema.is_builtin(gvk) else None
    if node is None:
        raise NoStrategicMergeSchemaError(f"{gvk.api_version}, Kind={gvk.kind}")
    return create_strategic_merge_patch_node(original, modified, node)


def create_strategic_merge_patch_node(
    original: Mapping[str, Any], modified: Mapping[str, Any], node: SchemaNode | None
) -> Manifest:
    """The two-way patch using the metadata of `node` (None: no metadata, lists replaced)."""
    return _diff_maps(dict(original), dict(modified), meta_for(node), (), retain_keys=False)


def _diff_maps(
    original: dict[str, Any], modified: dict[str, Any], meta: PatchMeta, path: Path, *, retain_keys: bool
) -> dict[str, Any]:
    patch: dict[str, Any] = {}
    retained: list[str] = []
    for key, new in modified.items():
        if retain_keys and new is not None:
            retained.append(key)
        if key not in original:
            patch[key] = copy_json(new)
            continue
        old = original[key]
        where = (*path, key)
        if key == d.PATCH:
            if not isinstance(old, str) or not isinstance(new, str):
                raise PatchError("invalid value for the special key $patch", where)
            if old != new:
                patch[key] = new
            continue
        if go_type(old) != go_type(new):
            patch[key] = copy_json(new)
        elif isinstance(old, dict):
            _diff_map_field(patch, key, old, new, meta=meta, path=where)
        elif isinstance(old, list):
            _diff_list_field(patch, key, old, new, meta=meta, path=where)
        elif not json_equal(old, new):
            patch[key] = new
    for key in original:
        if key not in modified:
            patch[key] = None
    if retained and (patch or _has_dropped_field(original, modified)):
        patch[d.RETAIN_KEYS] = sorted(retained)
    return patch


def _has_dropped_field(original: dict[str, Any], modified: dict[str, Any]) -> bool:
    return any(value is not None and key not in modified for key, value in original.items())


def _field(meta: PatchMeta, key: str, old: Any, new: Any, path: Path, *, want_list: bool) -> FieldMeta | None:
    """The field's metadata; None when unknown but unchanged (no patch needed, as kubectl)."""
    try:
        return meta.list_field(key) if want_list else meta.map_field(key)
    except MetaLookupError as error:
        if json_equal(old, new):
            return None
        raise PatchError(str(error), path) from None


def _diff_map_field(
    patch: dict[str, Any], key: str, old: dict[str, Any], new: dict[str, Any], *, meta: PatchMeta, path: Path
) -> None:
    field = _field(meta, key, old, new, path, want_list=False)
    if field is None:
        return
    if field.strategy == REPLACE:
        patch[key] = copy_json(new)
        return
    child = _diff_maps(old, new, field.value, path, retain_keys=field.retain_keys)
    if child:
        patch[key] = child


def _diff_list_field(
    patch: dict[str, Any], key: str, old: list[Any], new: list[Any], *, meta: PatchMeta, path: Path
) -> None:
    field = _field(meta, key, old, new, path, want_list=True)
    if field is None:
        return
    if field.strategy != MERGE:
        if not json_equal(old, new):
            patch[key] = copy_json(new)
        return
    changes, deletions, order = _diff_lists(old, new, field, path)
    if changes:
        patch[key] = changes
    if deletions:
        patch[f"{d.DELETE_FROM_PRIMITIVE_LIST}/{key}"] = deletions
    if order:
        patch[f"{d.SET_ELEMENT_ORDER}/{key}"] = order


def _diff_lists(
    original: list[Any], modified: list[Any], field: FieldMeta, path: Path
) -> tuple[list[Any], list[Any], list[Any]]:
    """(patch list, deletion list, $setElementOrder list) for a merging list."""
    if not original:
        return (copy_json(modified), [], []) if modified else ([], [], [])
    kind = _element_kind(original, modified, path)
    if kind == "slice":
        raise PatchError("lists of lists are not supported", path)
    if kind != "map":
        return _diff_scalar_lists(original, modified, path)
    mk = field.merge_key
    changes, deletions = _diff_map_lists(original, modified, field, path)
    where = _positions(modified, mk, path)
    changes.sort(key=lambda item: where.get(go_key(item[mk], path), -1))
    order_same = len(original) == len(modified) and all(
        go_key(before[mk], path) == go_key(after[mk], path)
        for before, after in zip(original, modified, strict=True)
    )
    changes.extend(deletions)
    order = [{mk: copy_json(item[mk])} for item in modified] if changes or not order_same else []
    return changes, [], order


def _element_kind(original: list[Any], modified: list[Any], path: Path) -> str:
    kinds = {go_type(item) for item in [*original, *modified]}
    if len(kinds) != 1 or "nil" in kinds:
        raise PatchError("list element types are not identical", path)
    return kinds.pop()


def _positions(items: list[Any], mk: str, path: Path) -> dict[GoKey, int]:
    found: dict[GoKey, int] = {}
    for index, item in enumerate(items):
        found.setdefault(go_key(item[mk], path), index)
    return found


def _sorted_by_key(items: list[Any], mk: str, path: Path) -> list[tuple[str, dict[str, Any]]]:
    keyed: list[tuple[str, dict[str, Any]]] = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise PatchError("list item is not an object", (*path, index))
        if mk not in item:
            raise PatchError(f"list item has no merge key {mk!r}", (*path, index))
        keyed.append((go_format(item[mk]), item))
    keyed.sort(key=lambda pair: pair[0])
    return keyed


def _diff_map_lists(
    original: list[Any], modified: list[Any], field: FieldMeta, path: Path
) -> tuple[list[Any], list[Any]]:
    """Walk both lists sorted by merge key: changed, added and deleted items."""
    mk = field.merge_key
    if not mk:
        raise PatchError("cannot merge lists without a merge key", path)
    before = _sorted_by_key(original, mk, path)
    after = _sorted_by_key(modified, mk, path)
    changes: list[Any] = []
    deletions: list[Any] = []
    i = j = 0
    while i < len(before) or j < len(after):
        if i < len(before) and j < len(after) and before[i][0] == after[j][0]:
            old, new = before[i][1], after[j][1]
            child = _diff_maps(old, new, field.value, path, retain_keys=field.retain_keys)
            if child:
                child[mk] = copy_json(new[mk])
                changes.append(child)
            i, j = i + 1, j + 1
        elif i >= len(before) or (j < len(after) and before[i][0] > after[j][0]):
            changes.append(copy_json(after[j][1]))
            j += 1
        else:
            deletions.append({mk: copy_json(before[i][1][mk]), d.PATCH: d.DELETE})
            i += 1
    return changes, deletions


def _diff_scalar_lists(
    original: list[Any], modified: list[Any], path: Path
) -> tuple[list[Any], list[Any], list[Any]]:
    before = sorted(original, key=go_format)
    after = sorted(modified, key=go_format)
    additions: list[Any] = []
    deletions: list[Any] = []
    i = j = 0
    while i < len(before) or j < len(after):
        left = go_format(before[i]) if i < len(before) else None
        right = go_format(after[j]) if j < len(after) else None
        if left is not None and right is not None and left == right:
            i, j = i + 1, j + 1
        elif left is None or (right is not None and left > right):
            additions.append(after[j])
            j += 1
        else:
            deletions.append(before[i])
            i += 1
    where: dict[GoKey, int] = {}
    for index, item in enumerate(modified):
        where.setdefault(go_key(item, path), index)
    additions.sort(key=lambda item: where.get(go_key(item, path), -1))
    unique_deletions: list[Any] = []
    seen: set[GoKey] = set()
    for item in deletions:
        if go_key(item, path) not in seen:
            seen.add(go_key(item, path))
            unique_deletions.append(item)
    changed = bool(unique_deletions) or not json_equal(original, modified)
    return additions, unique_deletions, (list(modified) if changed else [])
