"""coordination.k8s.io/v1 Leases as the sharded controller uses them: one membership Lease per
replica (`fleetops-controller-<identity>`) and one ownership Lease per cluster
(`fleetops-cluster-<hash of the server URL>`), in the control-plane namespace.

Expiry is judged as client-go's leader election judges it: by the observer's own monotonic clock
— a Lease is expired when its observer has not seen it change for `leaseDurationSeconds` — never
by comparing the holder's `renewTime` with the local wall clock (no clock-skew assumptions)."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fleetops.model import GroupVersionKind
from fleetops.model.manifest import Manifest

LEASE = GroupVersionKind("coordination.k8s.io", "v1", "Lease")
ROLE_LABEL = "fleetops.io/lease"
"""`member` (a replica's membership) or `cluster` (ownership of one cluster)."""
SERVER_ANNOTATION = "fleetops.io/server"
"""On a cluster Lease: the server URL it guards."""
MEMBER_PREFIX = "fleetops-controller-"
CLUSTER_PREFIX = "fleetops-cluster-"

DEFAULT_LEASE_DURATION = 15.0
"""Kubernetes' (and client-go leader election's) lease duration."""
DEFAULT_RENEW_DEADLINE = 10.0
"""client-go's RenewDeadline: a holder that has not renewed for this long stops writing."""
DEFAULT_RETRY_PERIOD = 2.0
"""client-go's RetryPeriod: how often leases are renewed and the others looked at."""


def cluster_lease_name(server: str) -> str:
    return CLUSTER_PREFIX + hashlib.sha256(server.encode()).hexdigest()[:16]


def member_lease_name(identity: str) -> str:
    return MEMBER_PREFIX + identity


def micro_time(moment: datetime.datetime | None = None) -> str:
    """A Kubernetes MicroTime (RFC 3339 with microseconds, UTC)."""
    moment = moment or datetime.datetime.now(datetime.UTC)
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True, slots=True)
class LeaseRecord:
    """What a Lease says, plus the resourceVersion an update must name."""

    name: str
    role: str
    holder: str
    duration: float
    renew_time: str
    transitions: int
    server: str
    resource_version: str

    @classmethod
    def parse(cls, lease: Mapping[str, Any]) -> LeaseRecord:
        meta = lease.get("metadata") or {}
        spec = lease.get("spec") or {}
        return cls(
            name=str(meta.get("name", "")),
            role=str((meta.get("labels") or {}).get(ROLE_LABEL, "")),
            holder=str(spec.get("holderIdentity") or ""),
            duration=float(spec.get("leaseDurationSeconds") or DEFAULT_LEASE_DURATION),
            renew_time=str(spec.get("renewTime") or ""),
            transitions=int(spec.get("leaseTransitions") or 0),
            server=str((meta.get("annotations") or {}).get(SERVER_ANNOTATION, "")),
            resource_version=str(meta.get("resourceVersion", "")),
        )


def lease_manifest(
    *,
    name: str,
    namespace: str,
    role: str,
    holder: str,
    duration: float,
    server: str = "",
    transitions: int = 0,
    acquire: bool = False,
    resource_version: str = "",
) -> Manifest:
    """A Lease held by `holder` (empty: released), renewed now."""
    now = micro_time()
    metadata: dict[str, Any] = {"name": name, "namespace": namespace, "labels": {ROLE_LABEL: role}}
    if server:
        metadata["annotations"] = {SERVER_ANNOTATION: server}
    if resource_version:
        metadata["resourceVersion"] = resource_version
    spec: dict[str, Any] = {
        "holderIdentity": holder or None,
        "leaseDurationSeconds": max(1, round(duration)),
        "renewTime": now,
        "leaseTransitions": transitions,
    }
    if acquire:
        spec["acquireTime"] = now
    return {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": metadata, "spec": spec}
