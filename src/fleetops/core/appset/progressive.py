"""Progressive syncs (Argo CD's ``strategy.type: RollingSync``), the pure decision.

Given the ApplicationSet's steps, the state of its Applications (labels, sync and health, the last
operation) and the previous ``status.applicationStatus[]``, :func:`plan_rollout` says which
Applications to sync now and returns the new ``applicationStatus[]`` entries and a summary of the
rollout (step, what it waits for and since when, whether it is halted or paused).

Argo CD's rules: an Application belongs to the first step whose ``matchExpressions`` select its
labels (fleetops: the first; Applications no step selects are left out of the rollout and are
never synced by the ApplicationSet); a step's Applications are synced only once every Application
of every earlier step is Healthy; at most ``maxUpdate`` of a step (int, or a percentage rounded
down but at least 1 when above 0%; ``0``: none, the step waits for a hand) are Pending or
Progressing at once. Statuses: ``Waiting`` (needs an update), ``Pending`` (a sync is requested),
``Progressing`` (the sync runs or the Application is Progressing), ``Healthy`` (Synced and Healthy).

Better than Argo CD: a step is complete only while its Applications are *still* Synced and
Healthy, and an Application the rollout touched that becomes Degraded (or whose sync failed)
halts the whole rollout with that reason — no further Application is synced until it recovers.
A paused rollout (annotation ``fleetops.io/paused: "true"``) syncs nothing new either.
"""

from __future__ import annotations

import dataclasses
import enum
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from fleetops.core.appset.errors import AppSetError
from fleetops.core.selectors import LabelSelector, SelectorError

__all__ = [
    "APPSET_SYNC_USERNAME",
    "PAUSED_ANNOTATION",
    "AppState",
    "RolloutPlan",
    "RolloutStatus",
    "Step",
    "app_state",
    "is_paused",
    "plan_rollout",
    "rolling_sync_steps",
    "sync_operation",
]

PAUSED_ANNOTATION = "fleetops.io/paused"
APPSET_SYNC_USERNAME = "applicationset-controller"
SYNC_REASON = "ApplicationSet RollingSync triggered a sync of this Application resource."
_PERCENT = re.compile(r"^(\d+)%$")
_TERMINAL = ("Succeeded", "Failed", "Error")


class RolloutStatus(enum.StrEnum):
    WAITING = "Waiting"
    PENDING = "Pending"
    PROGRESSING = "Progressing"
    HEALTHY = "Healthy"


@dataclasses.dataclass(frozen=True)
class Step:
    selector: LabelSelector
    max_update: int | str | None = None

    def limit(self, total: int) -> int:
        """How many of the step's `total` Applications may be Pending or Progressing at once."""
        if self.max_update is None:
            return total
        if isinstance(self.max_update, int):
            return self.max_update
        percent = int(self.max_update.rstrip("%"))
        scaled = math.floor(total * percent / 100)
        return max(scaled, 1) if percent > 0 else 0


def rolling_sync_steps(spec: Mapping[str, Any]) -> tuple[Step, ...] | None:
    """The steps of ``spec.strategy`` (None: no strategy or ``AllAtOnce``); AppSetError if invalid."""
    strategy = spec.get("strategy")
    if not strategy:
        return None
    if not isinstance(strategy, Mapping):
        raise AppSetError("spec.strategy must be a map")
    kind = str(strategy.get("type") or "AllAtOnce")
    if kind == "AllAtOnce":
        return None
    if kind != "RollingSync":
        raise AppSetError(f"spec.strategy.type {kind!r} is not supported (AllAtOnce or RollingSync)")
    rolling = strategy.get("rollingSync") or {}
    steps = rolling.get("steps") if isinstance(rolling, Mapping) else None
    if not isinstance(steps, list) or not steps:
        raise AppSetError("spec.strategy.rollingSync.steps must be a non-empty list")
    parsed: list[Step] = []
    for number, step in enumerate(steps, start=1):
        if not isinstance(step, Mapping):
            raise AppSetError(f"rollingSync step {number} must be a map")
        try:
            selector = LabelSelector.from_struct(
                {"matchExpressions": list(step.get("matchExpressions") or [])}
            )
        except SelectorError as error:
            raise AppSetError(f"rollingSync step {number}: {error}") from error
        parsed.append(Step(selector, _max_update(step.get("maxUpdate"), number)))
    return tuple(parsed)


def _max_update(value: Any, number: int) -> int | str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise AppSetError(f"rollingSync step {number}: maxUpdate must be an integer or a percentage")
    if isinstance(value, int):
        if value < 0:
            raise AppSetError(f"rollingSync step {number}: maxUpdate must not be negative")
        return value
    if value.isdigit():
        return int(value)
    if not _PERCENT.match(value):
        raise AppSetError(f"rollingSync step {number}: maxUpdate {value!r} is not an integer or N%")
    return value


def is_paused(appset: Mapping[str, Any]) -> bool:
    annotations = (appset.get("metadata") or {}).get("annotations") or {}
    return str(annotations.get(PAUSED_ANNOTATION, "")).lower() == "true"


def sync_operation(*, prune: bool) -> dict[str, Any]:
    """The ``operation`` the ApplicationSet writes on an Application to sync it (as Argo CD)."""
    sync: dict[str, Any] = {"prune": True} if prune else {}
    return {
        "initiatedBy": {"username": APPSET_SYNC_USERNAME, "automated": True},
        "info": [{"name": "Reason", "value": SYNC_REASON}],
        "sync": sync,
    }


@dataclasses.dataclass(frozen=True)
class AppState:
    """What the rollout needs to know of one Application."""

    name: str
    labels: Mapping[str, str] = dataclasses.field(default_factory=dict)
    sync_status: str = ""
    health_status: str = ""
    health_message: str = ""
    operation_requested: bool = False
    """``operation`` is set and has not run yet."""
    operation_phase: str = ""
    operation_message: str = ""
    operation_started_at: str = ""
    operation_by_appset: bool = False

    @property
    def healthy(self) -> bool:
        return (
            self.sync_status == "Synced"
            and self.health_status == "Healthy"
            and not self.operation_requested
            and self.operation_phase != "Running"
        )


def app_state(app: Mapping[str, Any]) -> AppState:
    """An Application manifest as an :class:`AppState`."""
    metadata = app.get("metadata") or {}
    status = app.get("status") or {}
    sync = status.get("sync") or {}
    health = status.get("health") or {}
    state = status.get("operationState") or {}
    initiated = (state.get("operation") or {}).get("initiatedBy") or {}
    return AppState(
        name=str(metadata.get("name", "")),
        labels={str(k): str(v) for k, v in (metadata.get("labels") or {}).items()},
        sync_status=str(sync.get("status") or ""),
        health_status=str(health.get("status") or ""),
        health_message=str(health.get("message") or "") or _degraded_resources(status),
        operation_requested=isinstance(app.get("operation"), Mapping)
        and not (state.get("operation") == app.get("operation") and state.get("phase") in _TERMINAL),
        operation_phase=str(state.get("phase") or ""),
        operation_message=str(state.get("message") or ""),
        operation_started_at=str(state.get("startedAt") or ""),
        operation_by_appset=initiated.get("username") == APPSET_SYNC_USERNAME,
    )


def _degraded_resources(status: Mapping[str, Any]) -> str:
    """What is Degraded in an Application (its ``status.resources[]`` health messages)."""
    found = []
    for resource in status.get("resources") or []:
        health = resource.get("health") if isinstance(resource, Mapping) else None
        if isinstance(health, Mapping) and health.get("status") == "Degraded":
            what = f"{resource.get('kind', '')} {resource.get('name', '')}"
            found.append(f"{what}: {health['message']}" if health.get("message") else what)
    return "; ".join(found)


@dataclasses.dataclass(frozen=True)
class RolloutPlan:
    application_status: list[dict[str, Any]]
    """The new ``status.applicationStatus[]``."""
    sync: tuple[str, ...]
    """Applications to sync now (write :func:`sync_operation` on them)."""
    step: int | None
    """The step under way (1-based); None when the rollout is complete."""
    steps: int
    waiting_for: tuple[str, ...]
    since: str
    halted: str
    """Why the rollout is halted ("" when it is not)."""
    paused: bool

    @property
    def complete(self) -> bool:
        return self.step is None

    def condition(self) -> tuple[str, str, str]:
        """``RolloutProgressing``: (status, reason, message)."""
        if self.complete:
            return "False", "ApplicationSetRolloutComplete", "ApplicationSet Rollout Rollout complete"
        where = f"step {self.step} of {self.steps}"
        if self.halted:
            return "True", "RolloutHalted", f"Rollout halted at {where} since {self.since}: {self.halted}"
        waiting = ", ".join(self.waiting_for)
        if self.paused:
            return (
                "True",
                "RolloutPaused",
                f"Rollout paused at {where} since {self.since} ({PAUSED_ANNOTATION}); waiting for {waiting}",
            )
        return (
            "True",
            "ApplicationSetModified",
            f"Rollout at {where} since {self.since}: waiting for {waiting} to become Synced and Healthy",
        )

    def summary(self) -> dict[str, Any]:
        """``status.rollout`` (fleetops): step, steps, waitingFor, since, halted, paused."""
        out: dict[str, Any] = {"steps": self.steps, "since": self.since, "paused": self.paused}
        out["step"] = self.step if self.step is not None else self.steps
        out["complete"] = self.complete
        out["waitingFor"] = list(self.waiting_for)
        out["halted"] = self.halted
        return out


_MESSAGES = {
    "default": "No Application status found, defaulting status to Waiting.",
    "changes": "Application has pending changes, setting status to Waiting.",
    "pending": (
        "Application moved to Pending status, watching for the Application resource to start Progressing."
    ),
    "progressing": "Application resource became Progressing, updating status from Pending to Progressing.",
    "synced": (
        "Application resource completed a sync successfully, updating status from Pending to Progressing."
    ),
    "already": "Application resource is already Healthy, updating status from Waiting to Healthy.",
    "healthy": "Application resource became Healthy, updating status from Progressing to Healthy.",
}


def plan_rollout(
    steps: Sequence[Step],
    apps: Sequence[AppState],
    previous: Sequence[Mapping[str, Any]],
    *,
    now: str,
    paused: bool = False,
    previous_summary: Mapping[str, Any] | None = None,
) -> RolloutPlan:
    """One rollout decision (see the module docstring); `now` is RFC 3339."""
    step_of = {app.name: index for app in apps if (index := _step_index(steps, app)) is not None}
    members = [app for app in apps if app.name in step_of]
    known = {str(e.get("application")): e for e in previous if isinstance(e, Mapping)}
    entries = {app.name: _advance(app, known.get(app.name), step_of[app.name] + 1, now) for app in members}
    halted_apps = [app for app in members if _failed(app, entries[app.name])]
    current = _current_step(steps, members, step_of, entries)
    halted = "; ".join(_failure(app) for app in halted_apps)
    if current is not None and not halted and not paused:
        _start_updates(steps[current], [a for a in members if step_of[a.name] == current], entries, now)
    to_sync = tuple(
        app.name
        for app in members
        if entries[app.name]["status"] == RolloutStatus.PENDING and _needs_sync(app, entries[app.name])
    )
    waiting_for: tuple[str, ...] = ()
    if current is not None:
        waiting_for = tuple(
            a.name for a in members if step_of[a.name] == current and not _complete(a, entries[a.name])
        )
    step = current + 1 if current is not None else None
    since = _since(previous_summary, step, halted, paused, now)
    return RolloutPlan(
        application_status=[
            entries[app.name] for app in sorted(members, key=lambda a: (step_of[a.name], a.name))
        ],
        sync=to_sync,
        step=step,
        steps=len(steps),
        waiting_for=waiting_for,
        since=since,
        halted=halted,
        paused=paused,
    )


def _step_index(steps: Sequence[Step], app: AppState) -> int | None:
    for index, step in enumerate(steps):
        if step.selector.matches(app.labels):
            return index
    return None


def _set(entry: dict[str, Any], status: RolloutStatus, message: str, now: str) -> None:
    if entry["status"] != status:
        entry["lastTransitionTime"] = now
    entry["status"] = str(status)
    entry["message"] = message


def _advance(app: AppState, previous: Mapping[str, Any] | None, step: int, now: str) -> dict[str, Any]:
    """Argo CD's per-Application transitions, from what the Application shows now."""
    if previous is None or previous.get("status") not in set(RolloutStatus):
        entry: dict[str, Any] = {
            "application": app.name,
            "status": str(RolloutStatus.WAITING),
            "message": _MESSAGES["default"],
            "lastTransitionTime": now,
        }
    else:
        entry = {
            k: previous[k]
            for k in ("application", "status", "message", "lastTransitionTime")
            if k in previous
        }
    entry["step"] = str(step)
    status = entry["status"]
    if app.sync_status == "OutOfSync" and status not in (RolloutStatus.WAITING, RolloutStatus.PENDING):
        _set(entry, RolloutStatus.WAITING, _MESSAGES["changes"], now)
    if entry["status"] == RolloutStatus.PENDING:
        if app.operation_phase == "Running" and app.operation_by_appset:
            _set(entry, RolloutStatus.PROGRESSING, _MESSAGES["progressing"], now)
        elif _synced_since_pending(app, entry):
            _set(entry, RolloutStatus.PROGRESSING, _MESSAGES["synced"], now)
        elif app.health_status == "Progressing" and app.sync_status == "Synced":
            _set(entry, RolloutStatus.PROGRESSING, _MESSAGES["progressing"], now)
        elif app.healthy:
            _set(entry, RolloutStatus.HEALTHY, _MESSAGES["already"], now)
    if entry["status"] == RolloutStatus.WAITING and app.healthy:
        _set(entry, RolloutStatus.HEALTHY, _MESSAGES["already"], now)
    if entry["status"] == RolloutStatus.PROGRESSING and app.healthy:
        _set(entry, RolloutStatus.HEALTHY, _MESSAGES["healthy"], now)
    return entry


def _synced_since_pending(app: AppState, entry: Mapping[str, Any]) -> bool:
    """The ApplicationSet's sync has run (started at or after the move to Pending)."""
    return (
        app.operation_by_appset
        and app.operation_phase in _TERMINAL
        and bool(app.operation_started_at)
        and app.operation_started_at >= str(entry.get("lastTransitionTime") or "")
    )


def _needs_sync(app: AppState, entry: Mapping[str, Any]) -> bool:
    return (
        app.sync_status == "OutOfSync"
        and not app.operation_requested
        and app.operation_phase != "Running"
        and not _synced_since_pending(app, entry)
    )


def _failed(app: AppState, entry: Mapping[str, Any]) -> bool:
    """An Application the rollout touched that is Degraded, or whose requested sync failed."""
    if entry["status"] == RolloutStatus.WAITING:
        return False
    if app.health_status == "Degraded":
        return True
    return (
        entry["status"] == RolloutStatus.PROGRESSING
        and app.operation_by_appset
        and app.operation_phase in ("Failed", "Error")
    )


def _failure(app: AppState) -> str:
    if app.health_status == "Degraded":
        detail = f" ({app.health_message})" if app.health_message else ""
        return f"application {app.name} is Degraded{detail}"
    return f"the sync of application {app.name} {app.operation_phase.lower()}: {app.operation_message}"


def _complete(app: AppState, entry: Mapping[str, Any]) -> bool:
    return entry["status"] == RolloutStatus.HEALTHY and app.healthy


def _current_step(
    steps: Sequence[Step],
    members: Sequence[AppState],
    step_of: Mapping[str, int],
    entries: Mapping[str, Mapping[str, Any]],
) -> int | None:
    for index in range(len(steps)):
        in_step = [app for app in members if step_of[app.name] == index]
        if any(not _complete(app, entries[app.name]) for app in in_step):
            return index
    return None


def _start_updates(
    step: Step, in_step: Sequence[AppState], entries: Mapping[str, dict[str, Any]], now: str
) -> None:
    """Move Waiting Applications of the current step to Pending, up to ``maxUpdate`` at once."""
    busy = sum(
        1 for a in in_step if entries[a.name]["status"] in (RolloutStatus.PENDING, RolloutStatus.PROGRESSING)
    )
    limit = step.limit(len(in_step))
    for app in sorted(in_step, key=lambda a: a.name):
        entry = entries[app.name]
        if entry["status"] != RolloutStatus.WAITING or busy >= limit:
            continue
        _set(entry, RolloutStatus.PENDING, _MESSAGES["pending"], now)
        busy += 1


def _since(previous: Mapping[str, Any] | None, step: int | None, halted: str, paused: bool, now: str) -> str:
    """When the rollout entered its present state (step and halted/paused/waiting)."""
    if not previous or not previous.get("since"):
        return now
    same_step = previous.get("step") == (step if step is not None else previous.get("steps"))
    same_state = bool(previous.get("halted")) == bool(halted) and bool(previous.get("paused")) == paused
    same_completion = bool(previous.get("complete")) == (step is None)
    return str(previous["since"]) if same_step and same_state and same_completion else now
