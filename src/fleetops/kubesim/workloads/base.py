"""What every simulated workload controller shares: typed writes, owned objects and timers.

Controllers are driven by watch events (`handle`) and, where Kubernetes waits for time to pass
(start-up delays, back-offs, progress deadlines, schedules), by timers on the event loop. A timer
is keyed, so re-arming one for the same key replaces it; all are cancelled when the loop stops.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Callable, Hashable
from typing import Any

from fleetops.core.schema.resource_info import ResourceInfo
from fleetops.kubesim import errors
from fleetops.kubesim.controllers.base import Controller
from fleetops.kubesim.keys import GroupResource
from fleetops.kubesim.rest.caller import WriteOptions
from fleetops.kubesim.state import ClusterState
from fleetops.kubesim.watch import Subscription
from fleetops.kubesim.workloads import ownership, pods
from fleetops.kubesim.workloads.events import EventRecorder
from fleetops.kubesim.workloads.index import index_of
from fleetops.kubesim.workloads.settings import WorkloadSettings

Manifest = dict[str, Any]


class WorkloadController(Controller):
    component = "kube-controller-manager"
    """The name Events give as their source."""

    def __init__(self, state: ClusterState, settings: WorkloadSettings | None = None) -> None:
        super().__init__(state)
        self.settings = settings or WorkloadSettings()
        self._timers: dict[Hashable, asyncio.TimerHandle] = {}
        self.index = index_of(state.store)
        self.recorder = EventRecorder(state, self.component, self.caller, enabled=self.settings.events)

    async def _run(self, subscription: Subscription) -> None:
        try:
            await super()._run(subscription)
        finally:
            for timer in self._timers.values():
                timer.cancel()
            self._timers.clear()

    def _guard(self, action: Callable[[], None]) -> None:
        """As the base class, and quiet about 403s: the only ones are writes into a namespace being
        terminated, which the namespace controller is emptying anyway."""

        def quiet() -> None:
            try:
                action()
            except errors.ApiError as exc:
                if exc.code != 403:
                    raise

        super()._guard(quiet)

    # -- timers ----------------------------------------------------------------------------------
    def after(self, seconds: float, key: Hashable, action: Callable[[], None]) -> None:
        """Run `action` in `seconds` (replacing a timer of the same key)."""
        self.cancel(key)

        def fire() -> None:
            self._timers.pop(key, None)
            self._guard(action)

        self._timers[key] = asyncio.get_running_loop().call_later(max(0.0, seconds), fire)

    def cancel(self, key: Hashable) -> None:
        timer = self._timers.pop(key, None)
        if timer is not None:
            timer.cancel()

    def pending(self, key: Hashable) -> bool:
        return key in self._timers

    # -- reads -----------------------------------------------------------------------------------
    def info(self, resource: GroupResource) -> ResourceInfo:
        found = self.state.info_for(resource)
        if found is None:
            raise LookupError(f"{resource} is not served")
        return found

    def get(self, resource: GroupResource, namespace: str, name: str) -> Manifest | None:
        return self.state.store.get(resource, namespace, name)

    def owned(self, resource: GroupResource, owner: Manifest) -> list[Manifest]:
        """Objects of `resource` in the owner's namespace whose controller is `owner`."""
        uid = str(owner["metadata"].get("uid") or "")
        namespace = str(owner["metadata"].get("namespace") or "")
        return [
            obj
            for obj in self.index.owned(resource, uid)
            if str(obj["metadata"].get("namespace") or "") == namespace
        ]

    def adopt(self, resource: GroupResource, owner: Manifest, *, api_version: str, kind: str) -> None:
        """Take over orphans of `resource` that the owner's selector matches (as controllers adopt
        what a `--cascade=orphan` delete left behind)."""
        selector = (owner.get("spec") or {}).get("selector")
        if not selector or owner["metadata"].get("deletionTimestamp"):
            return
        namespace = str(owner["metadata"].get("namespace") or "")
        for orphan in self.index.orphans(resource, namespace):
            labels = orphan["metadata"].get("labels") or {}
            if orphan["metadata"].get("deletionTimestamp") or not pods.label_selector_matches(
                selector, labels
            ):
                continue
            changed = copy.deepcopy(orphan)
            references = list(changed["metadata"].get("ownerReferences") or [])
            references.append(ownership.reference_to(owner, api_version=api_version, kind=kind))
            changed["metadata"]["ownerReferences"] = references
            self.write(resource, changed)

    def controller_of(self, obj: Manifest, resource: GroupResource) -> Manifest | None:
        """The object's controlling owner when it is of `resource` (and still the same object)."""
        ref = ownership.controller_ref(obj)
        if ref is None:
            return None
        owner = self.get(resource, str(obj["metadata"].get("namespace") or ""), str(ref.get("name") or ""))
        if owner is None or owner["metadata"].get("uid") != ref.get("uid"):
            return None
        return owner

    # -- writes ----------------------------------------------------------------------------------
    def create(self, resource: GroupResource, namespace: str, obj: Manifest) -> Manifest:
        options = WriteOptions(field_manager=self.manager, field_validation="Ignore")
        return self.writer.create(self.info(resource), namespace, obj, options, self.caller).object

    def write(self, resource: GroupResource, obj: Manifest) -> Manifest:
        return self.update(self.info(resource), obj)

    def write_status(self, resource: GroupResource, obj: Manifest, status: Manifest) -> Manifest:
        """Store `status` on `obj` (through `/status` where the resource has it); no write when equal."""
        if obj.get("status") == status:
            return obj
        changed = {key: value for key, value in obj.items() if key != "status"}
        changed["metadata"] = copy.deepcopy(obj["metadata"])
        changed["status"] = status
        info = self.info(resource)
        return self.update(info, changed, "status" if "status" in info.subresources else "")

    def set_replicas(
        self, resource: GroupResource, obj: Manifest, replicas: int, annotations: dict[str, str] | None = None
    ) -> Manifest:
        current = int((obj.get("spec") or {}).get("replicas") or 0)
        wanted = dict(annotations or {})
        present = obj["metadata"].get("annotations") or {}
        if current == replicas and all(present.get(k) == v for k, v in wanted.items()):
            return obj
        changed = copy.deepcopy(obj)
        changed.setdefault("spec", {})["replicas"] = replicas
        if wanted:
            changed["metadata"].setdefault("annotations", {}).update(wanted)
        return self.write(resource, changed)

    def event(self, obj: Manifest, kind: str, reason: str, message: str, **details: str) -> None:
        """Record an Event about `obj` (an Event the API refuses is dropped, as a recorder does)."""
        try:
            self.recorder.record(obj, kind, reason, message, **details)
        except errors.ApiError:
            return

    def remove(self, resource: GroupResource, obj: Manifest) -> None:
        self.delete(self.info(resource), obj, "Background")
