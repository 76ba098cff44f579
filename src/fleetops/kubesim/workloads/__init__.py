"""The simulated kube-controller-manager, scheduler and kubelet of a kubesim cluster.

`workload_bootstrap(state, settings)` creates the nodes; `workload_controllers(state, settings)`
returns the controllers, each started with `.start()` (an asyncio task) like the core ones.
"""

from __future__ import annotations

from fleetops.kubesim.state import ClusterState
from fleetops.kubesim.workloads.base import WorkloadController
from fleetops.kubesim.workloads.deployments import DeploymentController
from fleetops.kubesim.workloads.kubelet import Kubelet
from fleetops.kubesim.workloads.nodes import workload_bootstrap
from fleetops.kubesim.workloads.replicasets import ReplicaSetController
from fleetops.kubesim.workloads.scheduler import Scheduler
from fleetops.kubesim.workloads.settings import WorkloadSettings

__all__ = ["WorkloadController", "WorkloadSettings", "workload_bootstrap", "workload_controllers"]


def workload_controllers(state: ClusterState, settings: WorkloadSettings | None = None) -> list[WorkloadController]:
    """One of each simulated controller, sharing `settings` (and so its `faults`)."""
    settings = settings or WorkloadSettings()
    kinds: list[type[WorkloadController]] = [DeploymentController, ReplicaSetController, Scheduler, Kubelet]
    return [kind(state, settings) for kind in kinds]
