"""A controller: subscribe to the hub, resync once, then handle events one at a time."""

from __future__ import annotations

import asyncio
import copy
import functools
import logging
from typing import Any

from fleetops.core.schema.resource_info import ResourceInfo
from fleetops.kubesim import errors
from fleetops.kubesim.catalog import group_resource
from fleetops.kubesim.rest.caller import Caller, DeleteOptions, WriteOptions
from fleetops.kubesim.rest.deletion import Deleter
from fleetops.kubesim.rest.writes import Writer
from fleetops.kubesim.state import ClusterState
from fleetops.kubesim.watch import Subscription, WatchEvent

Manifest = dict[str, Any]
log = logging.getLogger(__name__)


class Controller:
    """Subclasses set `identity` and `manager` and override `accepts`, `resync` and `handle`."""

    identity = "system:kube-controller-manager"
    manager = "kube-controller-manager"

    def __init__(self, state: ClusterState) -> None:
        self.state = state
        self.writer = Writer(state)
        self.deleter = Deleter(state)
        self.caller = Caller(self.identity, f"{self.manager}/v1.32.0 (linux/amd64) kubesim")

    def accepts(self, event: WatchEvent) -> bool:
        return True

    def resync(self) -> None:
        """Bring everything already stored up to date (at start, e.g. after a restart)."""

    def handle(self, event: WatchEvent) -> None:
        raise NotImplementedError

    def start(self) -> asyncio.Task[None]:
        """Subscribe, resync synchronously (so a restarted cluster serves its CRDs at once), then
        handle events in a task."""
        subscription = self.state.store.hub.subscribe(self.accepts)
        self._guard(self.resync)
        return asyncio.create_task(self._run(subscription), name=f"kubesim-{type(self).__name__}")

    async def _run(self, subscription: Subscription) -> None:
        try:
            while True:
                event = await subscription.next()
                if event is None:
                    return
                self._guard(functools.partial(self.handle, event))
                await asyncio.sleep(0)
        finally:
            subscription.close()

    def _guard(self, action: Any) -> None:
        try:
            action()
        except errors.ApiError as exc:
            if exc.code not in (404, 409):
                log.warning("%s: %s", type(self).__name__, exc)
        except Exception:
            log.exception("%s failed", type(self).__name__)

    # -- helpers for subclasses ------------------------------------------------------------------
    def update(self, info: ResourceInfo, obj: Manifest, subresource: str = "") -> Manifest:
        metadata = obj["metadata"]
        result = self.writer.update(
            info,
            str(metadata.get("namespace") or ""),
            str(metadata["name"]),
            obj,
            WriteOptions(field_manager=self.manager, field_validation="Ignore"),
            self.caller,
            subresource,
        )
        return result.object

    def delete(self, info: ResourceInfo, obj: Manifest, propagation: str = "Background") -> None:
        metadata = obj["metadata"]
        self.deleter.delete(
            info,
            str(metadata.get("namespace") or ""),
            str(metadata["name"]),
            DeleteOptions(propagation=propagation),
            self.caller,
        )

    def remove_finalizer(self, info: ResourceInfo, obj: Manifest, finalizer: str) -> None:
        changed = copy.deepcopy(obj)
        finalizers = [f for f in changed["metadata"].get("finalizers") or [] if f != finalizer]
        if finalizers:
            changed["metadata"]["finalizers"] = finalizers
        else:
            changed["metadata"].pop("finalizers", None)
        self.update(info, changed)

    def info_of(self, obj: Manifest) -> ResourceInfo | None:
        api_version = str(obj.get("apiVersion") or "")
        group = api_version.rpartition("/")[0]
        return self.state.catalog.by_group_kind(group, str(obj.get("kind") or ""))

    def stored(self, info: ResourceInfo, obj: Manifest) -> Manifest | None:
        metadata = obj.get("metadata") or {}
        return self.state.store.get(
            group_resource(info), str(metadata.get("namespace") or ""), str(metadata.get("name") or "")
        )
