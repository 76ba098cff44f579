"""An in-process cluster (store, core controllers, simulated workloads) for the workload tests."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest

from fleetops.core.schema.kube_schema import load_schema
from fleetops.kubesim.bootstrap import bootstrap
from fleetops.kubesim.catalog import Catalog
from fleetops.kubesim.controllers import core_controllers
from fleetops.kubesim.state import ClusterState
from fleetops.kubesim.store import ObjectStore
from fleetops.kubesim.workloads import WorkloadSettings, workload_bootstrap, workload_controllers

from .simulation import Sim


@pytest.fixture
def settings() -> WorkloadSettings:
    return WorkloadSettings(
        pod_startup_seconds=0.05,
        job_pod_run_seconds=0.05,
        image_pull_backoff_seconds=0.2,
        crash_backoff_seconds=0.1,
        crash_backoff_max_seconds=0.4,
    )


@pytest.fixture
async def sim(settings: WorkloadSettings) -> AsyncIterator[Sim]:
    state = ClusterState("test", ObjectStore(), Catalog(load_schema("1.32")))
    tasks = [controller(state).start() for controller in core_controllers()]
    bootstrap(state)
    workload_bootstrap(state, settings)
    tasks += [controller.start() for controller in workload_controllers(state, settings)]
    try:
        yield Sim(state, settings)
    finally:
        state.store.hub.close()
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        state.store.close()
