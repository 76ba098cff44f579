"""The in-process cluster the workload tests drive: writes as a user, reads the store, waits."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from fleetops.kubesim.keys import GroupResource
from fleetops.kubesim.rest.caller import Caller, DeleteOptions, WriteOptions
from fleetops.kubesim.rest.deletion import Deleter
from fleetops.kubesim.rest.writes import Writer
from fleetops.kubesim.state import ClusterState
from fleetops.kubesim.watch import WatchEvent
from fleetops.kubesim.workloads import WorkloadSettings

Manifest = dict[str, Any]
DEADLINE_SECONDS = 20.0
USER = Caller("kubernetes-admin", "kubectl/v1.37.1 (linux/amd64) kubernetes/test")


class Sim:
    """The cluster as a test drives it: writes as a user, reads the store, waits for conditions."""

    def __init__(self, state: ClusterState, settings: WorkloadSettings) -> None:
        self.state = state
        self.settings = settings
        self.faults = settings.faults
        self.writer = Writer(state)
        self.deleter = Deleter(state)

    def _info(self, resource: GroupResource) -> Any:
        info = self.state.info_for(resource)
        assert info is not None, resource
        return info

    def create(self, resource: GroupResource, obj: Manifest, namespace: str = "default") -> Manifest:
        options = WriteOptions(field_manager="kubectl-client-side-apply", field_validation="Strict")
        return self.writer.create(self._info(resource), namespace, obj, options, USER).object

    def update(self, resource: GroupResource, obj: Manifest) -> Manifest:
        metadata = obj["metadata"]
        options = WriteOptions(field_manager="kubectl-edit", field_validation="Strict")
        return self.writer.update(
            self._info(resource), str(metadata.get("namespace") or ""), metadata["name"], obj, options, USER
        ).object

    def delete(self, resource: GroupResource, name: str, namespace: str = "default") -> None:
        self.deleter.delete(self._info(resource), namespace, name, DeleteOptions(), USER)

    def get(self, resource: GroupResource, name: str, namespace: str = "default") -> Manifest | None:
        return self.state.store.get(resource, namespace, name)

    def list(self, resource: GroupResource, namespace: str | None = "default") -> list[Manifest]:
        return self.state.store.list(resource, namespace)

    async def wait_for(
        self,
        condition: Callable[[], Any],
        *,
        what: str = "",
        on_event: Callable[[WatchEvent], None] | None = None,
    ) -> Any:
        """Wait (generously) until `condition()` is truthy; `on_event` sees every store event meanwhile."""
        subscription = self.state.store.hub.subscribe(lambda _event: True)
        try:
            async with asyncio.timeout(DEADLINE_SECONDS):
                while True:
                    found = condition()
                    if found:
                        return found
                    event = await subscription.next(0.5)
                    if event is not None and on_event is not None:
                        on_event(event)
        except TimeoutError:
            pytest.fail(f"timed out waiting for {what or condition}")
        finally:
            subscription.close()
