"""Every simulated controller of a cluster, and what a fresh cluster's nodes and storage provide."""

from __future__ import annotations

from fleetops.kubesim.state import ClusterState
from fleetops.kubesim.workloads.base import WorkloadController
from fleetops.kubesim.workloads.cronjobs import CronJobController
from fleetops.kubesim.workloads.daemonsets import DaemonSetController
from fleetops.kubesim.workloads.deployments import DeploymentController
from fleetops.kubesim.workloads.endpoints import EndpointsController
from fleetops.kubesim.workloads.ingresses import IngressController
from fleetops.kubesim.workloads.jobs import JobController
from fleetops.kubesim.workloads.kubelet import Kubelet
from fleetops.kubesim.workloads.nodes import create_nodes
from fleetops.kubesim.workloads.replicasets import ReplicaSetController
from fleetops.kubesim.workloads.scheduler import Scheduler
from fleetops.kubesim.workloads.services import ServiceController
from fleetops.kubesim.workloads.settings import WorkloadSettings
from fleetops.kubesim.workloads.statefulsets import StatefulSetController
from fleetops.kubesim.workloads.volumes import VolumeBinder, ensure_storage_class

WORKLOAD_CONTROLLERS: tuple[type[WorkloadController], ...] = (
    DeploymentController,
    ReplicaSetController,
    StatefulSetController,
    DaemonSetController,
    JobController,
    CronJobController,
    ServiceController,
    EndpointsController,
    IngressController,
    VolumeBinder,
    Scheduler,
    Kubelet,
)


def workload_bootstrap(state: ClusterState, settings: WorkloadSettings | None = None) -> None:
    """What a fresh cluster's nodes and storage provide (idempotent): Ready nodes, StorageClass `standard`."""
    create_nodes(state, settings or WorkloadSettings())
    ensure_storage_class(state)


def workload_controllers(
    state: ClusterState, settings: WorkloadSettings | None = None
) -> list[WorkloadController]:
    """One of each simulated controller, sharing `settings` (and so its `faults`)."""
    shared = settings or WorkloadSettings()
    return [kind(state, shared) for kind in WORKLOAD_CONTROLLERS]
