"""`status.containerStatuses` entries, in the shapes a kubelet reports them."""

from __future__ import annotations

import hashlib
from typing import Any

from fleetops.kubesim.faults import ImageReference

Manifest = dict[str, Any]


def image_id(image: str) -> str:
    """A stable digest reference for an image, as the runtime reports after a pull."""
    reference = ImageReference.parse(image)
    digest = reference.digest or "sha256:" + hashlib.sha256(str(reference).encode()).hexdigest()
    return f"{reference.registry}/{reference.repository}@{digest}"


def _base(container: Manifest, restart_count: int, last_state: Manifest | None) -> Manifest:
    image = str(container.get("image") or "")
    return {
        "name": container.get("name"),
        "image": str(ImageReference.parse(image)) if image else image,
        "imageID": "",
        "lastState": last_state or {},
        "ready": False,
        "restartCount": restart_count,
        "started": False,
    }


def waiting(
    container: Manifest,
    reason: str,
    message: str = "",
    *,
    restart_count: int = 0,
    last_state: Manifest | None = None,
) -> Manifest:
    status = _base(container, restart_count, last_state)
    state: Manifest = {"reason": reason}
    if message:
        state["message"] = message
    status["state"] = {"waiting": state}
    return status


def running(
    container: Manifest,
    started_at: str,
    *,
    ready: bool,
    restart_count: int = 0,
    last_state: Manifest | None = None,
) -> Manifest:
    status = _base(container, restart_count, last_state)
    status.update(
        imageID=image_id(str(container.get("image") or "")),
        ready=ready,
        started=True,
        state={"running": {"startedAt": started_at}},
    )
    status["containerID"] = container_id(status)
    return status


def terminated(
    container: Manifest,
    *,
    exit_code: int,
    reason: str,
    started_at: str,
    finished_at: str,
    restart_count: int = 0,
    last_state: Manifest | None = None,
) -> Manifest:
    status = _base(container, restart_count, last_state)
    status.update(
        imageID=image_id(str(container.get("image") or "")),
        state={
            "terminated": terminated_state(
                exit_code=exit_code, reason=reason, started_at=started_at, finished_at=finished_at
            )
        },
    )
    status["containerID"] = container_id(status)
    return status


def terminated_state(*, exit_code: int, reason: str, started_at: str, finished_at: str) -> Manifest:
    return {"exitCode": exit_code, "reason": reason, "startedAt": started_at, "finishedAt": finished_at}


def container_id(status: Manifest) -> str:
    seed = f"{status.get('name')}/{status.get('restartCount')}/{status.get('image')}"
    return "containerd://" + hashlib.sha256(seed.encode()).hexdigest()


def restart_count(pod: Manifest, name: str) -> int:
    for status in (pod.get("status") or {}).get("containerStatuses") or []:
        if status.get("name") == name:
            return int(status.get("restartCount") or 0)
    return 0


def previous(pod: Manifest, name: str) -> Manifest | None:
    for status in (pod.get("status") or {}).get("containerStatuses") or []:
        if status.get("name") == name:
            return dict(status)
    return None
