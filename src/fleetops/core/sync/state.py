"""`SyncState`: a sync operation as an immutable state machine the engine advances one result at
a time (sans-I/O, like gitops-engine's `syncContext.Sync()` called until the phase completes).

    state = start(plan)
    while not state.done:
        for action in next_actions(state):
            state = state.record(engine.execute(action))

A step's writes come first (prunes, deletions of old hooks, then applies and hook creations in
task order); then its hooks are waited on until complete, and its resources until healthy when
the plan has more than one step (Argo waits for health between waves; the last step succeeds at
once when it has no hooks). A failed write or a Degraded resource fails the sync: SyncFail hooks
run, then hooks are deleted by their delete policies and the phase is Failed.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from fleetops.core.health import HealthStatus
from fleetops.core.sync.actions import Action, ActionKind, ActionResult
from fleetops.core.sync.common import HookDeletePolicy, OperationPhase, ResourceResult, ResultCode
from fleetops.core.sync.plan import SyncPlan
from fleetops.core.sync.tasks import SyncTask, TaskOperation

TaskId = tuple[object, ...]


class Stage(enum.StrEnum):
    WRITE = "write"
    WAIT = "wait"
    FAIL_WRITE = "fail-write"
    FAIL_WAIT = "fail-wait"
    CLEANUP = "cleanup"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class TaskState:
    status: ResultCode | None = None
    hook_phase: OperationPhase | None = None
    message: str = ""
    waited: bool = False  # its health (resource) or completion (hook) gates the next step


@dataclass(frozen=True, slots=True)
class SyncState:
    plan: SyncPlan
    stage: Stage = Stage.WRITE
    step: int = 0
    phase: OperationPhase = OperationPhase.RUNNING
    message: str = ""
    tasks: Mapping[TaskId, TaskState] = field(default_factory=dict)
    recorded: frozenset[Action] = frozenset()
    succeeded: bool = True
    failure: str = ""

    @property
    def done(self) -> bool:
        return self.stage is Stage.DONE

    @property
    def results(self) -> list[ResourceResult]:
        """Per-resource results so far, in execution order (skipped prunes first)."""
        results = list(self.plan.skipped)
        for task in _all_tasks(self.plan):
            task_state = self.tasks.get(task.id)
            if task_state is None or task_state.status is None:
                continue
            results.append(
                ResourceResult(
                    task.key,
                    task_state.status,
                    task_state.hook_phase,
                    task_state.message,
                    task.phase,
                    task.hook_type,
                    self.plan.order_of(task),
                )
            )
        return results

    def next_actions(self) -> list[Action]:
        return next_actions(self)

    def record(self, result: ActionResult) -> SyncState:
        return record(self, result)


def start(plan: SyncPlan) -> SyncState:
    """The state before anything ran; an empty plan has already succeeded."""
    state = SyncState(plan, message="one or more tasks are running")
    if not plan.steps:
        return replace(
            state,
            stage=Stage.DONE,
            phase=OperationPhase.SUCCEEDED,
            message="successfully synced (no more tasks)",
        )
    return state


def next_actions(state: SyncState) -> list[Action]:
    """What the engine should do now. Writes are returned until recorded; waits are returned
    again (with fresh health to report) until the resource or hook completes."""
    if state.stage is Stage.WRITE:
        actions = _write_actions(state.plan.steps[state.step].tasks, state)
    elif state.stage is Stage.FAIL_WRITE:
        actions = _write_actions(_sync_fail_tasks(state.plan), state)
    elif state.stage in (Stage.WAIT, Stage.FAIL_WAIT):
        return [_wait_action(task) for task in _running(state)]
    elif state.stage is Stage.CLEANUP:
        actions = _cleanup_actions(state)
    else:
        return []
    return [action for action in actions if action not in state.recorded]


def record(state: SyncState, result: ActionResult) -> SyncState:
    """The state after the engine reports `result` for one of `next_actions(state)`."""
    action = result.action
    if action not in next_actions(state):
        raise ValueError(f"{action} is not an action the sync is waiting for")
    task = _task(state.plan, action)
    current = state.tasks.get(task.id, TaskState())
    updated = _updated(current, task, result, state.stage)
    state = replace(
        state,
        tasks={**state.tasks, task.id: updated},
        recorded=state.recorded if action.kind is ActionKind.WAIT_HEALTHY else state.recorded | {action},
    )
    return _advance(state)


# -- transitions ---------------------------------------------------------------------------------


def _advance(state: SyncState) -> SyncState:
    if next_actions(state):
        if state.stage in (Stage.WAIT, Stage.FAIL_WAIT):
            return replace(state, message=_waiting_message(_running(state)))
        return state
    if state.stage is Stage.WRITE:
        step = state.plan.steps[state.step].tasks
        failed = [task for task in step if _state(state, task).status is ResultCode.SYNC_FAILED]
        if failed:
            return _fail(state, _reason("one or more objects failed to apply", state, failed))
        waiting = _start_waiting(state, step, resources=_waits_for_resources(state))
        return _advance(replace(state, stage=Stage.WAIT, tasks={**state.tasks, **waiting}))
    if state.stage is Stage.WAIT:
        step = state.plan.steps[state.step].tasks
        failed = [task for task in step if _state(state, task).hook_phase in _FAILED]
        if failed:
            failed_apply = [task for task in failed if _state(state, task).status is ResultCode.SYNC_FAILED]
            return _fail(
                state,
                _reason("one or more synchronization tasks completed unsuccessfully", state, failed_apply),
            )
        if state.step + 1 < len(state.plan.steps):
            return _advance(
                replace(
                    state,
                    stage=Stage.WRITE,
                    step=state.step + 1,
                    recorded=frozenset(),
                    message="one or more tasks are running",
                )
            )
        return _cleanup(replace(state, succeeded=True))
    if state.stage is Stage.FAIL_WRITE:
        waiting = _start_waiting(state, _sync_fail_tasks(state.plan), resources=False)
        return _advance(replace(state, stage=Stage.FAIL_WAIT, tasks={**state.tasks, **waiting}))
    if state.stage is Stage.FAIL_WAIT:
        failed = [
            task
            for task in _sync_fail_tasks(state.plan)
            if _state(state, task).status is ResultCode.SYNC_FAILED
            or _state(state, task).hook_phase in _FAILED
        ]
        failure = state.failure
        if failed:
            failure += "\n" + _reason("one or more SyncFail hooks failed", state, failed)
        return _cleanup(replace(state, failure=failure))
    if state.stage is Stage.CLEANUP:
        if state.succeeded:
            return replace(
                state,
                stage=Stage.DONE,
                phase=OperationPhase.SUCCEEDED,
                message="successfully synced (all tasks run)",
            )
        return replace(state, stage=Stage.DONE, phase=OperationPhase.FAILED, message=state.failure)
    return state


def _fail(state: SyncState, message: str) -> SyncState:
    state = replace(state, succeeded=False, failure=message, recorded=frozenset())
    if _sync_fail_tasks(state.plan):
        return _advance(replace(state, stage=Stage.FAIL_WRITE, message="one or more tasks are running"))
    return _cleanup(state)


def _cleanup(state: SyncState) -> SyncState:
    return _advance(replace(state, stage=Stage.CLEANUP, recorded=frozenset()))


def _start_waiting(
    state: SyncState, tasks: tuple[SyncTask, ...], *, resources: bool
) -> dict[TaskId, TaskState]:
    """Mark the tasks whose completion gates what comes next: created hooks, and applied
    resources when `resources`. Other applied resources keep Argo's "Running" hook phase."""
    changes: dict[TaskId, TaskState] = {}
    for task in tasks:
        task_state = _state(state, task)
        if task_state.status is not ResultCode.SYNCED or task.is_prune:
            continue
        if task.is_hook or resources:
            changes[task.id] = replace(task_state, waited=True)
    return changes


def _waits_for_resources(state: SyncState) -> bool:
    step = state.plan.steps[state.step].tasks
    final = state.step == len(state.plan.steps) - 1
    return state.plan.multi_step and not (final and not any(task.is_hook for task in step))


_FAILED = (OperationPhase.FAILED, OperationPhase.ERROR)


# -- actions -------------------------------------------------------------------------------------


def _write_actions(tasks: tuple[SyncTask, ...], state: SyncState) -> list[Action]:
    options = state.plan.options
    deletes: list[Action] = []
    writes: list[Action] = []
    for task in tasks:
        if task.is_prune:
            deletes.append(
                Action(ActionKind.DELETE, task.key, task.phase, task.live, options.prune_propagation_policy)
            )
            continue
        force = bool(task.options.force) or options.force
        if task.is_hook:
            if task.live is not None and HookDeletePolicy.BEFORE_HOOK_CREATION in task.delete_policies:
                deletes.append(Action(ActionKind.DELETE_HOOK, task.key, task.phase, task.live))
            writes.append(Action(ActionKind.CREATE_HOOK, task.key, task.phase, task.target, force=force))
        elif task.operation is TaskOperation.REPLACE:
            writes.append(Action(ActionKind.REPLACE, task.key, task.phase, task.target, force=force))
        else:
            writes.append(Action(ActionKind.APPLY, task.key, task.phase, task.target, force=force))
    return [*deletes, *writes]


def _wait_action(task: SyncTask) -> Action:
    return Action(ActionKind.WAIT_HEALTHY, task.key, task.phase)


def _cleanup_actions(state: SyncState) -> list[Action]:
    """Hooks to delete now that the operation is over: HookSucceeded hooks that succeeded,
    HookFailed hooks that failed (Argo CD's documented delete policies)."""
    actions: list[Action] = []
    for task in _all_tasks(state.plan):
        task_state = _state(state, task)
        if not task.is_hook or task_state.status is not ResultCode.SYNCED:
            continue
        succeeded = task_state.hook_phase is OperationPhase.SUCCEEDED
        failed = task_state.hook_phase in _FAILED
        if (succeeded and HookDeletePolicy.HOOK_SUCCEEDED in task.delete_policies) or (
            failed and HookDeletePolicy.HOOK_FAILED in task.delete_policies
        ):
            actions.append(Action(ActionKind.DELETE_HOOK, task.key, task.phase, task.target))
    return actions


# -- bookkeeping ---------------------------------------------------------------------------------


def _all_tasks(plan: SyncPlan) -> tuple[SyncTask, ...]:
    return (*plan.tasks, *_sync_fail_tasks(plan))


def _sync_fail_tasks(plan: SyncPlan) -> tuple[SyncTask, ...]:
    return tuple(task for step in plan.sync_fail for task in step.tasks)


def _task(plan: SyncPlan, action: Action) -> SyncTask:
    for task in _all_tasks(plan):
        if (task.key, task.phase) == (action.key, action.phase):
            return task
    raise ValueError(f"{action}: no such task in the plan")


def _state(state: SyncState, task: SyncTask) -> TaskState:
    return state.tasks.get(task.id, TaskState())


def _running(state: SyncState) -> list[SyncTask]:
    tasks = (
        _sync_fail_tasks(state.plan) if state.stage is Stage.FAIL_WAIT else state.plan.steps[state.step].tasks
    )
    return [
        task
        for task in tasks
        if _state(state, task).waited and _state(state, task).hook_phase is OperationPhase.RUNNING
    ]


def _updated(current: TaskState, task: SyncTask, result: ActionResult, stage: Stage) -> TaskState:
    kind, message = result.action.kind, result.message
    if kind in (ActionKind.APPLY, ActionKind.REPLACE, ActionKind.CREATE_HOOK):
        if result.ok:
            return TaskState(ResultCode.SYNCED, OperationPhase.RUNNING, message)
        return TaskState(ResultCode.SYNC_FAILED, OperationPhase.FAILED, message)
    if kind is ActionKind.DELETE:
        if result.ok:
            return TaskState(ResultCode.PRUNED, OperationPhase.SUCCEEDED, message or "pruned")
        return TaskState(ResultCode.SYNC_FAILED, OperationPhase.FAILED, message)
    if kind is ActionKind.DELETE_HOOK:
        if result.ok:
            return current
        if stage is Stage.CLEANUP:
            return replace(
                current, hook_phase=OperationPhase.ERROR, message=f"failed to delete resource: {message}"
            )
        return TaskState(ResultCode.SYNC_FAILED, OperationPhase.FAILED, message)
    return _observed(current, task, result)


def _observed(current: TaskState, task: SyncTask, result: ActionResult) -> TaskState:
    """A WAIT_HEALTHY report: hooks complete on Healthy (or no health) and fail on Degraded or
    Unknown; resources complete on Healthy (or no health) and fail on Degraded."""
    key = task.key
    if not result.exists:
        missing = f"Resource {key.group}/{key.kind}/{key.name} is missing, it might have been deleted"
        return replace(
            current, status=ResultCode.SYNC_FAILED, hook_phase=OperationPhase.ERROR, message=missing
        )
    health = result.health
    if health is None:
        message = f"{key.name} created" if task.is_hook else current.message
        return replace(current, hook_phase=OperationPhase.SUCCEEDED, message=message)
    status = health.status
    if status is HealthStatus.HEALTHY:
        return replace(current, hook_phase=OperationPhase.SUCCEEDED, message=health.message)
    if status is HealthStatus.DEGRADED or (task.is_hook and status is HealthStatus.UNKNOWN):
        return replace(current, hook_phase=OperationPhase.FAILED, message=health.message)
    return replace(current, message=health.message) if task.is_hook else current


def _reason(message: str, state: SyncState, tasks: list[SyncTask]) -> str:
    messages = sorted({_state(state, task).message for task in tasks})
    return f"{message}, reason: {','.join(messages)}" if messages else message


def _waiting_message(tasks: list[SyncTask]) -> str:
    """Argo CD's running message: "waiting for healthy state of apps/Deployment/web and 1 more
    resources", "waiting for completion of hook batch/Job/migrate"."""
    hooks = [task for task in tasks if task.is_hook]
    resources = [task for task in tasks if not task.is_hook]
    reason = "completion of hook" if hooks else "healthy state of"
    first = (hooks or resources)[0].key
    message = f"waiting for {reason} {first.group}/{first.kind}/{first.name}"
    if len(tasks) > 1:
        message += f" and {len(tasks) - 1} more {'hooks' if not resources else 'resources'}"
    return message
