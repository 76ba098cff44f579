"""Kubernetes Events on Applications and ApplicationSets (Normal/Warning), as Argo CD records them.

Writing an Event never fails a reconcile: errors are logged."""

from __future__ import annotations

import datetime
import logging
import secrets
from collections.abc import Mapping
from typing import Any, Literal

from fleetops.model import manifest
from fleetops.ports.kube import KubeClient, KubeError

log = logging.getLogger(__name__)

EventType = Literal["Normal", "Warning"]
COMPONENT = "fleetops-application-controller"
APPSET_COMPONENT = "applicationset-controller"
"""The event source of Argo CD's ApplicationSet controller."""


class EventRecorder:
    """Creates core/v1 Events about an object in the hub."""

    def __init__(self, hub: KubeClient, *, instance: str = "", component: str = COMPONENT) -> None:
        self._hub = hub
        self._instance = instance
        self._component = component

    async def record(self, obj: Mapping[str, Any], type: EventType, reason: str, message: str) -> None:
        now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        name, namespace = manifest.name(obj), manifest.namespace(obj)
        event = {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": f"{name}.{secrets.token_hex(8)}", "namespace": namespace},
            "involvedObject": {
                "apiVersion": manifest.api_version(obj),
                "kind": manifest.kind(obj),
                "name": name,
                "namespace": namespace,
                "uid": obj.get("metadata", {}).get("uid", ""),
                "resourceVersion": obj.get("metadata", {}).get("resourceVersion", ""),
            },
            "reason": reason,
            "message": message[:1024],
            "type": type,
            "source": {"component": self._component},
            "reportingComponent": self._component,
            "reportingInstance": self._instance,
            "firstTimestamp": now,
            "lastTimestamp": now,
            "count": 1,
        }
        try:
            await self._hub.create(event, field_manager="fleetops")
        except KubeError as error:
            log.warning("cannot record event %s on %s/%s: %s", reason, namespace, name, error)
