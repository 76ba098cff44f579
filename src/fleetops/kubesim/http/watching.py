"""`?watch=true`: a stream of JSON watch events (ADDED/MODIFIED/DELETED/BOOKMARK/ERROR).

An object that stops matching the watch's selectors is sent as DELETED, one that starts matching
as ADDED. A resourceVersion older than the hub's window gets HTTP 200 and one ERROR event carrying
a 410 Expired Status, as from a real API server.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from aiohttp import web

from fleetops.core.schema.resource_info import ResourceInfo
from fleetops.kubesim import errors
from fleetops.kubesim.catalog import group_resource
from fleetops.kubesim.http.tables import to_table
from fleetops.kubesim.rest.filters import ObjectFilter
from fleetops.kubesim.rest.reads import as_served
from fleetops.kubesim.state import ClusterState
from fleetops.kubesim.watch import TooOldError, WatchEvent

Manifest = dict[str, Any]

BOOKMARK_INTERVAL = 1.0
DEFAULT_TIMEOUT = 1800.0


def translate(event: WatchEvent, selection: ObjectFilter) -> str | None:
    """The event type a watcher with `selection` sees, or None when it sees nothing."""
    now_matches = selection.matches(event.object)
    before = event.old is not None and selection.matches(event.old)
    if event.type == "ADDED":
        return "ADDED" if now_matches else None
    if event.type == "DELETED":
        return "DELETED" if before or now_matches else None
    if now_matches:
        return "MODIFIED" if before else "ADDED"
    return "DELETED" if before else None


class WatchStream:
    def __init__(
        self,
        state: ClusterState,
        info: ResourceInfo,
        selection: ObjectFilter,
        *,
        table: bool,
        crd: Manifest | None,
    ) -> None:
        self.state = state
        self.info = info
        self.selection = selection
        self.table = table
        self.crd = crd
        self.resource = group_resource(info)

    def accepts(self, event: WatchEvent) -> bool:
        return event.resource == self.resource

    def _object(self, obj: Manifest) -> Manifest:
        served = as_served(obj, self.info)
        if self.table:
            return to_table(
                self.info,
                [served],
                {"resourceVersion": served["metadata"].get("resourceVersion", "")},
                self.crd,
            )
        return served

    async def serve(self, request: web.Request) -> web.StreamResponse:
        query = request.query
        rv_text = query.get("resourceVersion", "")
        timeout = float(query.get("timeoutSeconds") or DEFAULT_TIMEOUT)
        bookmarks = query.get("allowWatchBookmarks", "").lower() == "true"
        hub = self.state.store.hub
        initial: list[Manifest] = []
        expired: errors.ApiError | None = None
        subscription = None
        initial_events = query.get("sendInitialEvents", "").lower() == "true"
        if rv_text in ("", "0") or initial_events:
            subscription = hub.subscribe(self.accepts)
            initial = [
                obj
                for obj in self.state.store.list(self.resource, self.selection.namespace)
                if self.selection.matches(obj)
            ]
        else:
            try:
                since = int(rv_text)
            except ValueError as exc:
                raise errors.bad_request(f"invalid resource version: {rv_text}") from exc
            try:
                subscription = hub.subscribe(self.accepts, since)
            except TooOldError as exc:
                expired = errors.expired(str(exc))
        response = web.StreamResponse(status=200)
        response.content_type = "application/json"
        response.enable_chunked_encoding()
        await response.prepare(request)
        try:
            if expired is not None:
                await self._send(response, "ERROR", expired.status())
                return response
            assert subscription is not None
            for obj in initial:
                await self._send(response, "ADDED", self._object(obj))
            if initial_events:
                end = self._bookmark()
                end["metadata"]["annotations"] = {"k8s.io/initial-events-end": "true"}
                await self._send(response, "BOOKMARK", end)
            await self._stream(request, response, subscription, timeout, bookmarks)
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        finally:
            if subscription is not None:
                subscription.close()
        return response

    async def _stream(
        self,
        request: web.Request,
        response: web.StreamResponse,
        subscription: Any,
        timeout: float,
        bookmarks: bool,
    ) -> None:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or request.transport is None or request.transport.is_closing():
                return  # timed out, or the client went away
            event = await subscription.next(min(remaining, BOOKMARK_INTERVAL))
            if event is None:
                if subscription.closed:
                    return
                if bookmarks:
                    await self._send(response, "BOOKMARK", self._bookmark())
                continue
            kind = translate(event, self.selection)
            if kind is not None:
                await self._send(response, kind, self._object(event.object))

    def _bookmark(self) -> Manifest:
        return {
            "kind": self.info.gvk.kind,
            "apiVersion": self.info.gvk.api_version,
            "metadata": {"resourceVersion": str(self.state.store.revision)},
        }

    async def _send(self, response: web.StreamResponse, kind: str, obj: Manifest) -> None:
        await response.write(json.dumps({"type": kind, "object": obj}).encode() + b"\n")
