"""managedFields: server-side apply and the Update entries of other writes, via `core.structured`."""

from __future__ import annotations

from typing import Any

from fleetops.core import structured
from fleetops.core.schema.resource_info import ResourceInfo
from fleetops.core.structured.pathelements import format_path
from fleetops.kubesim import errors
from fleetops.kubesim.state import ClusterState

Manifest = dict[str, Any]


def _type_ref(state: ClusterState, info: ResourceInfo) -> structured.TypeRef:
    return structured.from_schema_node(state.schema.node_for(info.gvk))


def record_update(
    state: ClusterState,
    info: ResourceInfo,
    live: Manifest | None,
    new: Manifest,
    *,
    manager: str,
    now: str,
    subresource: str = "",
) -> Manifest:
    """`new` with managedFields updated for a non-apply write by `manager`.

    As the API server does, a write of the main resource whose managedFields are valid, non-empty
    and differ from the live ones replaces them: they are the base the write is recorded on.
    """
    result: Manifest = structured.update(
        _with_written_managed_fields(live, new, subresource),
        new,
        manager=manager,
        type_ref=_type_ref(state, info),
        now=now,
        subresource=subresource,
    )
    return result


def _with_written_managed_fields(live: Manifest | None, new: Manifest, subresource: str) -> Manifest | None:
    if live is None or subresource:
        return live
    written = (new.get("metadata") or {}).get("managedFields")
    live_metadata = live.get("metadata") or {}
    if not isinstance(written, list) or not written or written == live_metadata.get("managedFields"):
        return live
    try:
        structured.decode_managed_fields(written)
    except structured.StructuredMergeError:
        return live
    return {**live, "metadata": {**live_metadata, "managedFields": written}}


def server_side_apply(
    state: ClusterState,
    info: ResourceInfo,
    live: Manifest | None,
    applied: Manifest,
    *,
    manager: str,
    force: bool,
    now: str,
    subresource: str = "",
) -> Manifest:
    """The result of applying `applied`; a 409 listing the conflicts unless forced."""
    result = structured.apply(
        live,
        applied,
        manager=manager,
        force=force,
        type_ref=_type_ref(state, info),
        now=now,
        subresource=subresource,
    )
    if result.conflicts:
        name = str((applied.get("metadata") or {}).get("name") or "")
        raise apply_conflict(info, name, result.conflicts, live)
    obj: Manifest = result.object
    return obj


def apply_conflict(
    info: ResourceInfo, name: str, conflicts: list[Any], live: Manifest | None
) -> errors.ApiError:
    """A 409 worded as the API server words it (`conflict with "m" using v1: .data.x`)."""
    entries = ((live or {}).get("metadata") or {}).get("managedFields") or []
    printed = {c.manager: _print_manager(c.manager, entries) for c in conflicts}
    causes = [
        errors.Cause("FieldManagerConflict", f"conflict with {printed[c.manager]}", format_path(c.path))
        for c in conflicts
    ]
    if len(conflicts) == 1:
        first = conflicts[0]
        message = (
            f"Apply failed with 1 conflict: conflict with {printed[first.manager]}: {format_path(first.path)}"
        )
    else:
        lines: list[str] = []
        for manager in sorted(printed):
            lines.append(f"conflicts with {printed[manager]}:")
            lines.extend(f"- {format_path(c.path)}" for c in conflicts if c.manager == manager)
        message = f"Apply failed with {len(conflicts)} conflicts: " + "\n".join(lines)
    return errors.ApiError(
        409, "Conflict", message, name=name, group=info.gvk.group, kind=info.plural, causes=causes
    )


def _print_manager(manager: str, entries: list[Manifest]) -> str:
    for entry in entries:
        if entry.get("manager") == manager:
            text = f'"{manager}"'
            if entry.get("subresource"):
                text += f' with subresource "{entry["subresource"]}"'
            if entry.get("operation") == "Update":
                text += f" using {entry.get('apiVersion', '')}"
            return text
    return f'"{manager}"'
