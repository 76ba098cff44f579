"""How the simulated kubelet and controllers behave (timings, node count): one per cluster."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from fleetops.kubesim import clock
from fleetops.kubesim.faults import ClusterFaults


@dataclass
class WorkloadSettings:
    pod_startup_seconds: float = 0.2
    """From a Pod's scheduling to its containers running (KWOK's pod-ready stage)."""
    job_pod_run_seconds: float = 0.2
    """How long a Job's container runs before it completes."""
    image_pull_backoff_seconds: float = 1.0
    """From ErrImagePull to ImagePullBackOff, and between pull retries."""
    crash_backoff_seconds: float = 0.5
    """First CrashLoopBackOff delay; it doubles on every restart up to `crash_backoff_max_seconds`."""
    crash_backoff_max_seconds: float = 10.0
    events: bool = True
    """Record Events (Scheduled, Pulled, Started, ScalingReplicaSet…); off saves writes at scale."""
    node_count: int = 3
    node_name_prefix: str = "kubesim-node-"
    faults: ClusterFaults = field(default_factory=ClusterFaults)
    now: Callable[[], datetime] = clock.now
    """The CronJob controller's clock (a test seam: schedules are whole minutes)."""
