"""GET and LIST: one object, or a page of a filtered list with `limit` / `continue`."""

from __future__ import annotations

import base64
import binascii
import copy
import json
from dataclasses import dataclass
from typing import Any

from fleetops.core.schema.resource_info import ResourceInfo
from fleetops.kubesim import errors
from fleetops.kubesim.catalog import group_resource
from fleetops.kubesim.rest.filters import ObjectFilter
from fleetops.kubesim.state import ClusterState

Manifest = dict[str, Any]

CONTINUE_TOO_OLD = (
    "The provided continue parameter is too old to display a consistent list result. You can start a new "
    "list without the continue parameter, or use the continue token in this response to retrieve the "
    "remainder of the results. Continuing with the provided token results in an inconsistent list - objects "
    "that were created, modified, or deleted between the time the first chunk was returned and now may show "
    "up in the list."
)


def as_served(obj: Manifest, info: ResourceInfo) -> Manifest:
    """A copy of a stored object as the requested version presents it (apiVersion and kind set)."""
    out = copy.deepcopy(obj)
    out["apiVersion"] = info.gvk.api_version
    out["kind"] = info.gvk.kind
    return out


def get_object(state: ClusterState, info: ResourceInfo, namespace: str, name: str) -> Manifest:
    found = state.store.get(group_resource(info), namespace, name)
    if found is None:
        raise errors.not_found(info.plural, info.gvk.group, name)
    return as_served(found, info)


@dataclass(frozen=True)
class Page:
    items: list[Manifest]
    resource_version: str
    continue_token: str
    remaining: int | None


def _encode_continue(revision: int, last: tuple[str, str]) -> str:
    raw = json.dumps({"v": "meta.k8s.io/v1", "rv": revision, "start": f"{last[0]}/{last[1]}\x00"})
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_continue(token: str) -> tuple[int, tuple[str, str]]:
    try:
        padded = token + "=" * (-len(token) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        namespace, _, name = str(data["start"]).rstrip("\x00").partition("/")
        return int(data["rv"]), (namespace, name)
    except (ValueError, KeyError, TypeError, binascii.Error) as exc:
        raise errors.bad_request(f"continue key is not valid: {exc}") from exc


def list_objects(
    state: ClusterState, info: ResourceInfo, selection: ObjectFilter, limit: int = 0, continue_token: str = ""
) -> Page:
    start: tuple[str, str] | None = None
    if continue_token:
        revision, start = _decode_continue(continue_token)
        if revision < state.store.hub.floor:
            raise errors.expired(CONTINUE_TOO_OLD)
    resource = group_resource(info)
    candidates = state.store.list(resource, selection.namespace)
    matching = [obj for obj in candidates if selection.matches(obj) and (start is None or _key(obj) > start)]
    revision = state.store.revision
    if limit <= 0 or len(matching) <= limit:
        return Page([as_served(obj, info) for obj in matching], str(revision), "", None)
    page = matching[:limit]
    remaining = len(matching) - limit if selection.selects_all else None
    return Page(
        [as_served(obj, info) for obj in page],
        str(revision),
        _encode_continue(revision, _key(page[-1])),
        remaining,
    )


def _key(obj: Manifest) -> tuple[str, str]:
    metadata = obj.get("metadata") or {}
    return str(metadata.get("namespace") or ""), str(metadata.get("name") or "")


def list_body(info: ResourceInfo, page: Page) -> Manifest:
    metadata: Manifest = {"resourceVersion": page.resource_version}
    if page.continue_token:
        metadata["continue"] = page.continue_token
    if page.remaining is not None:
        metadata["remainingItemCount"] = page.remaining
    return {
        "apiVersion": info.gvk.api_version,
        "kind": f"{info.gvk.kind}List",
        "metadata": metadata,
        "items": page.items,
    }
