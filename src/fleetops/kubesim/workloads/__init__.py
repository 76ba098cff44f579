"""The simulated kube-controller-manager, scheduler and kubelet of a kubesim cluster.

`workload_bootstrap(state, settings)` creates the nodes and the default StorageClass;
`workload_controllers(state, settings)` returns the controllers, each started with `.start()` (an
asyncio task) like the core ones; all share `settings`, and so its `faults`. `WorkloadExtension`
bundles both with the fault middleware as a `SimCluster` extension.
"""

from __future__ import annotations

from fleetops.kubesim.workloads.base import WorkloadController
from fleetops.kubesim.workloads.controllers import (
    WORKLOAD_CONTROLLERS,
    workload_bootstrap,
    workload_controllers,
)
from fleetops.kubesim.workloads.extension import WorkloadExtension, workload_extensions
from fleetops.kubesim.workloads.settings import WorkloadSettings

__all__ = [
    "WORKLOAD_CONTROLLERS",
    "WorkloadController",
    "WorkloadExtension",
    "WorkloadSettings",
    "workload_bootstrap",
    "workload_controllers",
    "workload_extensions",
]
