"""Events the simulated components record (`kubectl describe` lists them): repeated ones are
counted on the same Event, as the client-go event recorder aggregates them."""

from __future__ import annotations

import secrets
from typing import Any

from fleetops.kubesim import clock
from fleetops.kubesim.rest.caller import Caller, WriteOptions
from fleetops.kubesim.rest.writes import Writer
from fleetops.kubesim.state import ClusterState
from fleetops.kubesim.workloads.resources import EVENTS

Manifest = dict[str, Any]

MEMORY = 10_000
"""How many recent Events a recorder remembers to count repeats on."""


def involved(obj: Manifest, field_path: str = "") -> Manifest:
    metadata = obj["metadata"]
    reference = {
        "apiVersion": obj.get("apiVersion", "v1"),
        "kind": obj.get("kind", ""),
        "name": metadata["name"],
        "namespace": metadata.get("namespace", ""),
        "uid": metadata.get("uid", ""),
        "resourceVersion": metadata.get("resourceVersion", ""),
    }
    if field_path:
        reference["fieldPath"] = field_path
    return {key: value for key, value in reference.items() if value}


class EventRecorder:
    """Records Events for one component (`deployment-controller`, `kubelet`…) of one cluster."""

    def __init__(
        self, state: ClusterState, component: str, caller: Caller, *, enabled: bool = True, host: str = ""
    ) -> None:
        self.state = state
        self.component = component
        self.caller = caller
        self.enabled = enabled
        self.host = host
        self._seen: dict[tuple[str, str, str, str], str] = {}

    def record(
        self, obj: Manifest, kind: str, reason: str, message: str, *, field_path: str = "", host: str = ""
    ) -> None:
        """Record (or count again) an Event about `obj`; `kind` is `Normal` or `Warning`."""
        if not self.enabled:
            return
        info = self.state.info_for(EVENTS)
        namespace = str(obj["metadata"].get("namespace") or "default")
        if info is None or self.state.namespace_phase(namespace) != "Active":
            return
        reference = involved(obj, field_path)
        key = (str(reference.get("uid") or reference["name"]), kind, reason, message)
        now = clock.rfc3339()
        writer = Writer(self.state)
        options = WriteOptions(field_manager=self.component, field_validation="Ignore")
        existing_name = self._seen.get(key)
        existing = self.state.store.get(EVENTS, namespace, existing_name) if existing_name else None
        if existing is not None:
            changed = {**existing, "count": int(existing.get("count") or 1) + 1, "lastTimestamp": now}
            writer.update(info, namespace, str(existing["metadata"]["name"]), changed, options, self.caller)
            return
        name = f"{reference['name']}.{secrets.token_hex(8)}"
        source = {"component": self.component}
        if host or self.host:
            source["host"] = host or self.host
        event = {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": name, "namespace": namespace},
            "involvedObject": reference,
            "reason": reason,
            "message": message,
            "source": source,
            "firstTimestamp": now,
            "lastTimestamp": now,
            "count": 1,
            "type": kind,
            "eventTime": None,
            "reportingComponent": self.component,
            "reportingInstance": host or self.host,
        }
        writer.create(info, namespace, event, options, self.caller)
        if len(self._seen) >= MEMORY:
            self._seen.clear()
        self._seen[key] = name
