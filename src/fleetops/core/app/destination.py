"""`spec.destination`: a cluster by API server URL or registered name, and a namespace."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fleetops.core.app.fields import mapping, spec, string

IN_CLUSTER_SERVER = "https://kubernetes.default.svc"  # the hub fleetops runs in
IN_CLUSTER_NAME = "in-cluster"  # Argo CD's name for it


@dataclass(frozen=True, slots=True)
class Destination:
    server: str = ""
    name: str = ""
    namespace: str = ""

    @property
    def is_hub(self) -> bool:
        """Does it name the hub itself (by server URL or by the `in-cluster` name)?"""
        if self.server:
            return self.server.rstrip("/") == IN_CLUSTER_SERVER
        return self.name == IN_CLUSTER_NAME


def destination(app: Mapping[str, Any]) -> Destination:
    raw = mapping(spec(app).get("destination"))
    return Destination(
        server=string(raw.get("server")),
        name=string(raw.get("name")),
        namespace=string(raw.get("namespace")),
    )
