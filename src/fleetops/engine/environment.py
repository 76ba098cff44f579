"""What one reconcile of an Application is given: the ports (Git, the hub, the destination
clusters), the render cache, the clock and the Event recorder. The controller builds one
`AppEnvironment` and shares it between reconciles."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from fleetops.core.app import Destination
from fleetops.core.rendercache import RenderCache
from fleetops.core.schema import KubeSchema, load_schema
from fleetops.core.sync import SelfHealBackoff
from fleetops.engine.events import EventRecorder
from fleetops.engine.render_stage import RemoteBases
from fleetops.model.manifest import Manifest
from fleetops.ports.git import GitSource
from fleetops.ports.kube import KubeClient, LiveCache


class DestinationError(Exception):
    """The destination names no known cluster (or its registration is unusable)."""


@dataclass(frozen=True)
class ClusterConnection:
    """A destination cluster: its API and its watch-fed cache."""

    server: str
    name: str
    client: KubeClient
    cache: LiveCache


class Clusters(Protocol):
    """The destination clusters the hub knows (itself and its cluster Secrets)."""

    async def connect(self, destination: Destination) -> ClusterConnection:
        """The connection of `destination`; `DestinationError` when unknown, `KubeError` when
        the cluster cannot be reached."""
        ...


def utc_now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def rfc3339(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class AppEnvironment:
    git: GitSource
    hub: KubeClient
    clusters: Clusters
    events: EventRecorder
    namespace: str = "fleetops"
    """The control-plane namespace."""
    render_cache: RenderCache[list[Manifest]] = field(default_factory=RenderCache)
    schema: KubeSchema = field(default_factory=load_schema)
    clock: Callable[[], datetime.datetime] = utc_now  # a fake clock in tests
    self_heal_backoff: SelfHealBackoff = field(default_factory=SelfHealBackoff)
    sync_timeout: float = 300.0
    """The longest a sync operation may run, from its `startedAt`, per attempt (seconds; retry
    backoffs not counted): then it is terminated (Failed, and retried if its `retry` allows)."""
    sync_wait: float = 2.0
    """The longest one reconcile waits (for health between waves, hooks, deletions) before it
    records how far the operation got and returns `requeue_after=sync_requeue`: a sync never
    holds a worker for long; the next reconcile takes it up from `status.operationState`."""
    sync_requeue: float = 1.0
    """When a waiting operation is looked at again (seconds); watch events come sooner."""
    health_poll: float = 0.2
    """How often a waiting sync looks at the resources it waits for (seconds)."""
    remote_bases: RemoteBases | None = None
    """Remote Kustomize bases (Git URLs in `resources:`). None (the default) refuses them with a
    ComparisonError: a render then reads only the application's own repository, whose commits
    the render cache and the webhooks track. Argo CD lets kustomize fetch them; here that is
    opt-in (`fleetops controller --kustomize-remote-bases`). When set, renders run in a worker
    thread, since fetching blocks."""

    def now(self) -> str:
        return rfc3339(self.clock())
