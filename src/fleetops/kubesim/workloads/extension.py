"""The workload simulation as a `ClusterExtension` of a `SimCluster`: nodes and storage at start,
the simulated controllers, scheduler and kubelet as tasks, and the cluster's fault middleware."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from fleetops.kubesim.extension import ExtensionFactory, Middleware, Startable
from fleetops.kubesim.fault_middleware import fault_middleware
from fleetops.kubesim.faults import ClusterFaults
from fleetops.kubesim.state import ClusterState
from fleetops.kubesim.workloads.controllers import workload_bootstrap, workload_controllers
from fleetops.kubesim.workloads.settings import WorkloadSettings


class WorkloadExtension:
    """One cluster's simulated workloads; `faults` may be changed while the cluster runs."""

    def __init__(self, settings: WorkloadSettings | None = None) -> None:
        self.settings = settings or WorkloadSettings()

    @property
    def faults(self) -> ClusterFaults:
        return self.settings.faults

    def bootstrap(self, state: ClusterState) -> None:
        workload_bootstrap(state, self.settings)

    def controllers(self, state: ClusterState) -> Sequence[Startable]:
        return workload_controllers(state, self.settings)

    def middlewares(self) -> Sequence[Middleware]:
        return [fault_middleware(self.settings.faults)]


def workload_extensions(
    settings_for: Callable[[str], WorkloadSettings] | None = None,
    *,
    registry: dict[str, WorkloadExtension] | None = None,
) -> ExtensionFactory:
    """An `ExtensionFactory` for `Fleet(extensions=…)`: one `WorkloadExtension` per cluster name,
    recorded in `registry` (so a control endpoint can reach each cluster's faults)."""

    def build(name: str) -> WorkloadExtension:
        extension = WorkloadExtension(settings_for(name) if settings_for else None)
        if registry is not None:
            registry[name] = extension
        return extension

    return build
