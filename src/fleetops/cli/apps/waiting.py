"""Waiting on an Application through a watch on the hub (no polling): until a condition holds,
within a deadline, showing progress."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from rich.console import Console

from fleetops.cli.apps.errors import CliError
from fleetops.cli.apps.hub import Hub
from fleetops.core import app as applications
from fleetops.core.app.kinds import APPLICATION
from fleetops.model.manifest import Manifest
from fleetops.ports.kube import Gone

TERMINAL_PHASES = frozenset({"Succeeded", "Failed", "Error"})
WATCH_SECONDS = 60


@dataclass(frozen=True)
class WaitFor:
    """What `fleetops app wait` waits for (all three when none is asked)."""

    sync: bool = False
    health: bool = False
    operation: bool = False

    def normalized(self) -> WaitFor:
        return self if (self.sync or self.health or self.operation) else WaitFor(True, True, True)

    def unmet(self, app: Mapping[str, Any]) -> list[str]:
        """What is not yet so (empty when the application is as asked)."""
        missing: list[str] = []
        if self.operation and operation_running(app):
            missing.append("operation to finish")
        if self.sync and applications.current_sync_status(app) != "Synced":
            missing.append(f"sync (is {applications.current_sync_status(app)})")
        if self.health and applications.current_health_status(app) != "Healthy":
            missing.append(f"health (is {applications.current_health_status(app)})")
        return missing


def operation_state(app: Mapping[str, Any]) -> Mapping[str, Any]:
    status = app.get("status") or {}
    state = status.get("operationState") if isinstance(status, Mapping) else None
    return state if isinstance(state, Mapping) else {}


def operation_running(app: Mapping[str, Any]) -> bool:
    return bool(app.get("operation")) or operation_state(app).get("phase") in ("Running", "Terminating")


def progress_line(app: Mapping[str, Any]) -> str:
    state = operation_state(app)
    phase = "requested" if app.get("operation") and not state else str(state.get("phase") or "-")
    return (
        f"operation {phase} · sync {applications.current_sync_status(app)} · "
        f"health {applications.current_health_status(app)}"
    )


async def updates(hub: Hub, name: str, since: Manifest) -> AsyncIterator[Manifest]:
    """The application as it changes after `since` (its current state first)."""
    yield since
    version = str(since.get("metadata", {}).get("resourceVersion", ""))
    while True:
        try:
            async for event in hub.client.watch(
                APPLICATION,
                hub.namespace,
                resource_version=version,
                field_selector=f"metadata.name={name}",
                timeout_seconds=WATCH_SECONDS,
            ):
                if event.resource_version:
                    version = event.resource_version
                if event.type == "BOOKMARK":
                    continue
                if event.type == "DELETED":
                    raise CliError(f'application "{name}" was deleted')
                yield event.object
        except Gone:
            current = await hub.app(name)
            version = str(current.get("metadata", {}).get("resourceVersion", ""))
            yield current


async def wait_until(
    hub: Hub,
    name: str,
    done: Callable[[Manifest], bool],
    *,
    timeout: float,
    console: Console,
    since: Manifest | None = None,
    what: Callable[[Manifest], str] = progress_line,
) -> Manifest:
    """The application once `done(app)` holds; CliError (exit 1) when `timeout` seconds pass."""
    current = since if since is not None else await hub.app(name)
    latest = current
    with console.status(f"{name}: {what(current)}") as status:
        try:
            async with asyncio.timeout(timeout if timeout > 0 else None):
                async for app in updates(hub, name, current):
                    latest = app
                    status.update(f"{name}: {what(app)}")
                    if done(app):
                        return app
        except TimeoutError:
            pass
    raise CliError(f"timed out after {timeout:g}s waiting for {name}: {what(latest)}", code=1)
