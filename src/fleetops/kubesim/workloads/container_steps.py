"""One container's next state in the simulated kubelet, from its last status and the faults."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fleetops.kubesim import clock
from fleetops.kubesim.faults import ImageReference
from fleetops.kubesim.workloads import container_status
from fleetops.kubesim.workloads.settings import WorkloadSettings

Manifest = dict[str, Any]

ERROR_SHOWN_SECONDS_FRACTION = 0.2
"""How long a crashed container shows `Error` before `CrashLoopBackOff`, as part of the back-off."""


@dataclass(frozen=True)
class ContainerStep:
    status: Manifest
    wake_after: float | None = None
    """Seconds until the container's state changes by itself (None: stable)."""
    started: bool = False
    finished: bool = False
    exit_code: int = 0
    started_moment: datetime | None = None
    """When the running container started (more precise than `startedAt`, which has seconds)."""


def _state(previous: Manifest | None) -> tuple[str, Manifest]:
    """The previous state's kind (`waiting`, `running`, `terminated`, or "") and its body."""
    for kind, body in ((previous or {}).get("state") or {}).items():
        return str(kind), dict(body or {})
    return "", {}


def crash_backoff(settings: WorkloadSettings, restarts: int) -> float:
    return float(
        min(settings.crash_backoff_max_seconds, settings.crash_backoff_seconds * 2 ** max(0, restarts - 1))
    )


def next_container_step(
    container: Manifest,
    previous: Manifest | None,
    *,
    pod_name: str,
    restart_policy: str,
    settings: WorkloadSettings,
    moment: datetime,
    known_start: datetime | None = None,
) -> ContainerStep:
    image = str(container.get("image") or "")
    faults = settings.faults
    kind, body = _state(previous)
    restarts = int((previous or {}).get("restartCount") or 0)
    last_state = (previous or {}).get("lastState") or {}
    same_image = previous is not None and previous.get("image") == str(ImageReference.parse(image))
    now = clock.rfc3339(moment)
    if kind == "terminated" and same_image and restart_policy != "Always" and body.get("exitCode") == 0:
        return ContainerStep(dict(previous or {}), started=True, finished=True)

    pull_error = faults.pull_error(image)
    if pull_error is not None:
        if kind == "waiting" and body.get("reason") == "ErrImagePull":
            reason, message = "ImagePullBackOff", f'Back-off pulling image "{image}"'
        else:
            reason = "ErrImagePull"
            message = (
                f'failed to pull and unpack image "{ImageReference.parse(image)}": failed to resolve '
                f"reference: {pull_error}"
            )
        status = container_status.waiting(
            container, reason, message, restart_count=restarts, last_state=last_state
        )
        return ContainerStep(status, settings.image_pull_backoff_seconds, started=restarts > 0)

    if faults.crashes(image):
        return _crash(container, previous, restart_policy, settings, now=now, pod_name=pod_name)

    continuing = kind == "running" and same_image
    started_at = str(body.get("startedAt") or now) if continuing else now
    start = (known_start or clock.parse(started_at) or moment) if continuing else moment
    running_for = (moment - start).total_seconds()
    if restart_policy != "Always":
        remaining = settings.job_pod_run_seconds - running_for
        if remaining <= 0:
            status = container_status.terminated(
                container,
                exit_code=0,
                reason="Completed",
                started_at=started_at,
                finished_at=now,
                restart_count=restarts,
                last_state=last_state,
            )
            return ContainerStep(status, started=True, finished=True)
        status = container_status.running(
            container, started_at, ready=True, restart_count=restarts, last_state=last_state
        )
        return ContainerStep(status, remaining, started=True, started_moment=start)
    delay = faults.readiness_delay(image)
    ready = running_for >= delay
    status = container_status.running(
        container, started_at, ready=ready, restart_count=restarts, last_state=last_state
    )
    return ContainerStep(status, None if ready else delay - running_for, started=True, started_moment=start)


def _crash(
    container: Manifest,
    previous: Manifest | None,
    restart_policy: str,
    settings: WorkloadSettings,
    *,
    now: str,
    pod_name: str,
) -> ContainerStep:
    """Error, then CrashLoopBackOff with one more restart and a doubled back-off, again and again."""
    kind, body = _state(previous)
    restarts = int((previous or {}).get("restartCount") or 0)
    name = str(container.get("name") or "")
    if kind == "terminated" and body.get("exitCode"):
        if restart_policy == "Never":
            return ContainerStep(dict(previous or {}), started=True, finished=True, exit_code=1)
        count = restarts + 1
        backoff = crash_backoff(settings, count)
        message = f"back-off {_seconds(backoff)} restarting failed container={name} pod={pod_name}"
        status = container_status.waiting(
            container, "CrashLoopBackOff", message, restart_count=count, last_state={"terminated": body}
        )
        status["imageID"] = container_status.image_id(str(container.get("image") or ""))
        status["containerID"] = container_status.container_id(status)
        return ContainerStep(status, backoff, started=True)
    status = container_status.terminated(
        container,
        exit_code=1,
        reason="Error",
        started_at=now,
        finished_at=now,
        restart_count=restarts,
        last_state=(previous or {}).get("lastState") or {},
    )
    if restart_policy == "Never":
        return ContainerStep(status, started=True, finished=True, exit_code=1)
    shown = crash_backoff(settings, max(1, restarts)) * ERROR_SHOWN_SECONDS_FRACTION
    return ContainerStep(status, shown, started=True, finished=True, exit_code=1)


def _seconds(value: float) -> str:
    """Go's duration format for whole and fractional seconds: `10s`, `500ms`, `5m0s`."""
    if value < 1:
        return f"{int(value * 1000)}ms"
    whole = int(value)
    if whole >= 60:
        return f"{whole // 60}m{whole % 60}s"
    return f"{whole}s"
