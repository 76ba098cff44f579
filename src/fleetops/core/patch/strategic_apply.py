"""Applying a strategic merge patch, with kubectl's semantics (`kubectl patch --type strategic`).

The algorithm follows apimachinery's strategicpatch package as documented behaviour:
per object, `$patch` first, then `$retainKeys`, then every `$setElementOrder/<list>`, then the
remaining keys (`null` deletes, `$deleteFromPrimitiveList/<list>` filters, objects merge, lists
merge by merge key or are replaced, per the schema). Values new to the object are taken from the
patch with `null` members and `$patch`-marked objects dropped. Items appended to a merged list
are taken as written, exactly as kubectl does.

One Go detail is reproduced on purpose: kubectl merges a list in place inside the live list's
array (a deletion shifts the items after it left, an append reuses the freed slots), and
`$setElementOrder` then orders server-only items by the live list's first n slots as that left
them. `merge_list` keeps the same array (`MergedList.live_view`), so the order matches kubectl's.
Slots at n and beyond are never read, so the decoded slice's capacity does not matter.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fleetops.core.patch import directives as d
from fleetops.core.patch.errors import NoStrategicMergeSchemaError, PatchError, PathStep
from fleetops.core.patch.json_values import GoKey, copy_json, go_key, go_type
from fleetops.core.patch.list_order import (
    item_key,
    merge_sorted,
    require_merge_keys,
    sort_by_order,
)
from fleetops.core.patch.patch_meta import MERGE, REPLACE, FieldMeta, MetaLookupError, PatchMeta, meta_for
from fleetops.core.schema import KubeSchema, SchemaNode
from fleetops.model import manifest

Manifest = dict[str, Any]
Path = tuple[PathStep, ...]


def apply_strategic_merge_patch(
    obj: Mapping[str, Any], patch: Mapping[str, Any], *, schema: KubeSchema
) -> Manifest:
    """`obj` patched with a strategic merge patch, using the metadata of `obj`'s kind.

    Raises `NoStrategicMergeSchemaError` for a kind without strategic-merge metadata (custom
    resources, kinds the schema does not know) and `PatchError` for a malformed patch."""
    gvk = manifest.gvk(obj)
    node = schema.node_for(gvk) if schema.is_builtin(gvk) else None
    if node is None:
        raise NoStrategicMergeSchemaError(f"{gvk.api_version}, Kind={gvk.kind}")
    return apply_strategic_merge_patch_node(obj, patch, node)


def apply_strategic_merge_patch_node(
    obj: Mapping[str, Any], patch: Mapping[str, Any], node: SchemaNode | None
) -> Manifest:
    """`obj` patched using the metadata of `node`; None means no metadata: objects merge, lists
    are replaced, directives are honoured (what kustomize does for custom resources)."""
    if not isinstance(patch, Mapping):
        raise PatchError("a strategic merge patch must be an object")
    return merge_map(copy_json(dict(obj)), copy_json(dict(patch)), meta_for(node), ())


def merge_map(original: dict[str, Any], patch: dict[str, Any], meta: PatchMeta, path: Path) -> dict[str, Any]:
    """Merge `patch` into `original` (both owned: mutated and reused)."""
    if d.PATCH in patch:
        directive = patch[d.PATCH]
        if directive == d.REPLACE:
            del patch[d.PATCH]
            return patch
        if directive == d.DELETE:
            return {}
        raise PatchError(f"unknown patch type {directive!r} in map", (*path, d.PATCH))
    handled: set[str] = set()
    if d.RETAIN_KEYS in patch:
        _retain_keys(original, patch, path)
        handled.add(d.RETAIN_KEYS)
    for key in [key for key in patch if key.startswith(d.SET_ELEMENT_ORDER)]:
        handled.add(key)
        list_key = _set_element_order(original, patch, key, meta, path)
        if list_key is not None:
            handled.add(list_key)
    for key, value in patch.items():
        if key not in handled:
            _merge_key(original, key, value, meta, path)
    return original


def _retain_keys(original: dict[str, Any], patch: dict[str, Any], path: Path) -> None:
    retained = patch[d.RETAIN_KEYS]
    where = (*path, d.RETAIN_KEYS)
    if not isinstance(retained, list):
        raise PatchError("invalid patch format of retainKeys: not a list", where)
    allowed = {go_key(item, where) for item in retained}
    for key, value in patch.items():
        if value is None or key == d.RETAIN_KEYS or key.startswith(d.DELETE_FROM_PRIMITIVE_LIST):
            continue
        if key.startswith(d.SET_ELEMENT_ORDER):
            continue
        if ("string", key) not in allowed:
            reason = f"invalid patch format of retainKeys: {key!r} is patched but not retained"
            raise PatchError(reason, where)
    for key in [key for key in original if ("string", key) not in allowed]:
        del original[key]


def _merge_key(original: dict[str, Any], key: str, value: Any, meta: PatchMeta, path: Path) -> None:
    is_delete_list = key.startswith(d.DELETE_FROM_PRIMITIVE_LIST)
    if is_delete_list:
        name = d.parallel_list_key(key, d.DELETE_FROM_PRIMITIVE_LIST)
        if name is None:
            raise PatchError("invalid patch format of $deleteFromPrimitiveList", (*path, key))
        key = name
    if value is None:
        original.pop(key, None)
        return
    if key not in original or go_type(original[key]) != go_type(value):
        if not is_delete_list:
            d.discard_nulls(value)
            keep, cleaned = d.remove_patch_markers(value)
            if keep:
                original[key] = cleaned
            else:
                original.pop(key, None)
        return
    current = original[key]
    where = (*path, key)
    if isinstance(current, dict):
        field = _lookup(meta, key, where, want_list=False)
        original[key] = value if field.strategy == REPLACE else merge_map(current, value, field.value, where)
    elif isinstance(current, list):
        field = _lookup(meta, key, where, want_list=True)
        if field.strategy == MERGE or is_delete_list:
            original[key] = merge_list(current, value, field, where, delete_list=is_delete_list).merged
        else:
            original[key] = value
    else:
        original[key] = value


def _lookup(meta: PatchMeta, key: str, path: Path, *, want_list: bool) -> FieldMeta:
    try:
        return meta.list_field(key) if want_list else meta.map_field(key)
    except MetaLookupError as error:
        raise PatchError(str(error), path) from None


def _set_element_order(
    original: dict[str, Any], patch: dict[str, Any], key: str, meta: PatchMeta, path: Path
) -> str | None:
    """Merge the list `$setElementOrder/<list>` names and order it; returns the list's key."""
    order = patch[key]
    where = (*path, key)
    if not isinstance(order, list):
        raise PatchError("invalid patch format of $setElementOrder: not a list", where)
    list_key = d.parallel_list_key(key, d.SET_ELEMENT_ORDER)
    if list_key is None:
        raise PatchError("invalid patch format of $setElementOrder", where)
    list_path = (*path, list_key)
    found_original, found_patch = list_key in original, list_key in patch
    original_list = original.get(list_key)
    patch_list = patch.get(list_key)
    if found_original and not isinstance(original_list, list):
        raise PatchError("the object's value is not a list", list_path)
    if found_patch and not isinstance(patch_list, list):
        raise PatchError("the patch's value is not a list", list_path)
    field = _lookup(meta, list_key, list_path, want_list=True)
    _validate_order(patch_list or [], order, field.merge_key, where)
    if found_original and found_patch:
        assert isinstance(original_list, list) and isinstance(patch_list, list)
        if field.strategy == MERGE:
            result = merge_list(original_list, patch_list, field, list_path, delete_list=False)
            merged, server_order = result.merged, result.live_view
        else:
            merged, server_order = patch_list, original_list
    elif found_original:
        assert isinstance(original_list, list)
        merged, server_order = original_list, original_list
    elif found_patch:
        _, merged = d.remove_patch_markers(patch_list)
        server_order = []
    else:
        return None
    mk = field.merge_key
    in_order = _order_membership(order, mk, where)
    patch_items: list[Any] = []
    server_only: list[Any] = []
    for index, item in enumerate(merged):
        if mk and (not isinstance(item, dict) or mk not in item):
            raise PatchError(f"list item has no merge key {mk!r}", (*list_path, index))
        key_of = item_key(item, mk, list_path)
        (patch_items if in_order(key_of) else server_only).append(item)
    kind = _element_kind([original_list or [], patch_list or []], list_path)
    original[list_key] = _normalize(
        patch_items, server_only, order, server_order, merge_key=mk, kind=kind, path=list_path
    )
    return list_key


def _order_membership(order: list[Any], merge_key: str, path: Path) -> Callable[[GoKey], bool]:
    """A predicate: is a key among `order`'s (kubectl fails on malformed order entries)."""
    if not merge_key:
        keys = {go_key(item, path) for item in order}
        return keys.__contains__
    first: dict[GoKey, int] = {}
    bad_at = len(order)
    for index, item in enumerate(order):
        if not isinstance(item, dict):
            bad_at = index
            break
        if merge_key in item:
            first.setdefault(go_key(item[merge_key], path), index)

    def contains(key: GoKey) -> bool:
        if key in first:
            return True
        if bad_at < len(order):
            raise PatchError("$setElementOrder entries must be objects", (*path, bad_at))
        return False

    return contains


def _validate_order(patch_list: list[Any], order: list[Any], merge_key: str, path: Path) -> None:
    """Items of the patch list must appear in `$setElementOrder`, in the same relative order."""
    if not order or not patch_list:
        return
    items = patch_list
    if merge_key:
        for index, item in enumerate(patch_list):
            if not isinstance(item, dict):
                raise PatchError("list item is not an object", (*path, index))
        items = [item for item in patch_list if item.get(d.PATCH) != d.DELETE]
    i = j = 0
    while i < len(items) and j < len(order):
        item = items[i]
        if isinstance(item, dict) and d.PATCH in item:
            i += 1
            continue
        if _same_key(item, order[j], merge_key, path, j):
            i += 1
        j += 1
    if i < len(items) and j >= len(order):
        raise PatchError("the order of the patch list does not match $setElementOrder", path)


def _same_key(left: Any, right: Any, merge_key: str, path: Path, index: int) -> bool:
    if not merge_key:
        return go_key(left, path) == go_key(right, path)
    if not isinstance(right, dict) or not isinstance(left, dict):
        raise PatchError("$setElementOrder entries must be objects", (*path, index))
    if merge_key not in left or merge_key not in right:
        raise PatchError(f"$setElementOrder entry has no merge key {merge_key!r}", (*path, index))
    return go_key(left[merge_key], path) == go_key(right[merge_key], path)


def _element_kind(lists: list[list[Any]], path: Path) -> str:
    """The one Go type of all items of `lists` (kubectl refuses mixed lists, lists of lists)."""
    kind: str | None = None
    for values in lists:
        for value in values:
            current = go_type(value)
            if current == "nil":
                raise PatchError("null list items cannot be merged", path)
            if kind is None:
                if current == "slice":
                    raise PatchError("lists of lists are not supported", path)
                kind = current
            elif current != kind:
                raise PatchError("list element types are not identical", path)
    if kind is None:
        raise PatchError("no elements in any of the given lists", path)
    return kind


class MergedList:
    """A merged list, and the live list as kubectl's in-place merge left it (see module doc)."""

    __slots__ = ("live_view", "merged")

    def __init__(self, merged: list[Any], live_view: list[Any]) -> None:
        self.merged = merged
        self.live_view = live_view


def merge_list(
    original: list[Any], patch: list[Any], field: FieldMeta, path: Path, *, delete_list: bool
) -> MergedList:
    """Merge two lists of a field with the merge strategy (or apply a deletion list)."""
    if not original and not patch:
        return MergedList(original, original)
    kind = _element_kind([original, patch], path)
    if kind != "map":
        return _merge_scalars(original, patch, path, delete_list=delete_list)
    mk = field.merge_key
    if not mk:
        raise PatchError("cannot merge lists without a merge key", path)
    live = list(original)
    length = len(original)
    rest: list[tuple[int, dict[str, Any]]] = []
    replace = False
    for index, item in enumerate(patch):
        if d.PATCH not in item:
            rest.append((index, item))
            continue
        directive = item[d.PATCH]
        if directive == d.DELETE:
            if mk not in item:
                raise PatchError(f"a $patch: delete item has no merge key {mk!r}", (*path, index))
            length = _delete_matching(live, length, go_key(item[mk], path), mk, path)
        elif directive == d.REPLACE:
            replace = True
        elif directive == d.MERGE:
            raise PatchError("merging lists cannot yet be specified in the patch", (*path, index))
        else:
            raise PatchError(f"unknown patch type {directive!r} in list item", (*path, index))
    if replace:
        replacement = [item for _, item in rest]
        server_order, patch_items, store, size = replacement, [], list(replacement), len(replacement)
    else:
        store, size = _merge_items(live, length, rest, field, path)
        server_order, patch_items = live[:length], [item for _, item in rest]
    merged = store[:size]
    in_patch = {go_key(item[mk], path) for item in patch_items}
    ours: list[Any] = []
    server_only: list[Any] = []
    for index, item in enumerate(merged):
        if mk not in item:
            raise PatchError(f"list item has no merge key {mk!r}", (*path, index))
        (ours if go_key(item[mk], path) in in_patch else server_only).append(item)
    result = _normalize(ours, server_only, patch_items, server_order, merge_key=mk, kind="map", path=path)
    return MergedList(result, live[: len(original)])


def _delete_matching(live: list[Any], length: int, target: GoKey, mk: str, path: Path) -> int:
    """Remove every item whose merge key equals `target`, shifting like Go's append(s[:k], s[k+1:]...)."""
    while True:
        for k in range(length):
            if item_key(live[k], mk, path) == target:
                live[k : length - 1] = live[k + 1 : length]
                length -= 1
                break
        else:
            return length


def _merge_items(
    live: list[Any], length: int, items: list[tuple[int, dict[str, Any]]], field: FieldMeta, path: Path
) -> tuple[list[Any], int]:
    """Merge patch items into the live items by merge key; new ones are appended as written,
    into the slots deletions freed first (as Go's append into the same array does)."""
    mk = field.merge_key
    store = live
    for index, item in items:
        if mk not in item:
            raise PatchError(f"list item has no merge key {mk!r}", (*path, index))
        target = go_key(item[mk], path)
        for k in range(length):
            if item_key(store[k], mk, path) == target:
                store[k] = merge_map(store[k], item, field.value, (*path, index))
                break
        else:
            if length < len(store):
                store[length] = item  # a slot a deletion freed: visible in the live view
            else:
                store.append(item)
            length += 1
    return store, length


def _merge_scalars(original: list[Any], patch: list[Any], path: Path, *, delete_list: bool) -> MergedList:
    if delete_list:
        doomed = {go_key(item, path) for item in patch}
        return MergedList([item for item in original if go_key(item, path) not in doomed], original)
    seen: set[GoKey] = set()
    merged: list[Any] = []
    for item in original + patch:
        key = go_key(item, path)
        if key not in seen:
            seen.add(key)
            merged.append(item)
    in_patch = {go_key(item, path) for item in patch}
    ours = [item for item in merged if go_key(item, path) in in_patch]
    server_only = [item for item in merged if go_key(item, path) not in in_patch]
    ordered = _normalize(ours, server_only, patch, original, merge_key="", kind="scalar", path=path)
    return MergedList(ordered, original)


def _normalize(
    patch_items: list[Any],
    server_only: list[Any],
    patch_order: list[Any],
    server_order: list[Any],
    *,
    merge_key: str,
    kind: str,
    path: Path,
) -> list[Any]:
    """Patch items in patch order, server-only items in live order, then interleaved."""
    ours = _sort_slice(patch_items, patch_order, merge_key, kind, path)
    theirs = _sort_slice(server_only, server_order, merge_key, kind, path)
    return merge_sorted(theirs, ours, server_order, merge_key, path)


def _sort_slice(items: list[Any], order: list[Any], merge_key: str, kind: str, path: Path) -> list[Any]:
    if kind != "map":
        return sort_by_order(items, order, merge_key, path)
    require_merge_keys(items, merge_key, path)
    require_merge_keys(order, merge_key, path)
    kept = [item for item in items if item.get(d.PATCH) != d.DELETE]
    deleted = [item for item in items if item.get(d.PATCH) == d.DELETE]
    return [*sort_by_order(kept, order, merge_key, path), *deleted]


__all__ = ["apply_strategic_merge_patch", "apply_strategic_merge_patch_node", "merge_map"]
