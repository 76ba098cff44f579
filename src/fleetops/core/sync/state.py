"""`SyncState`: a sync operation as a state machine the engine advances one result at a time
(sans-I/O, like gitops-engine's `syncContext.Sync()` called until the phase completes).

    state = start(plan)
    while not state.done:
        for action in next_actions(state):
            state = state.record(engine.execute(action))

A step's writes come first (prunes, deletions of old hooks, then applies and hook creations in
task order); then its hooks are waited on until complete, and its resources until healthy when
the plan has more than one step (Argo waits for health between waves; the last step succeeds at
once when it has no hooks). A failed write or a Degraded resource fails the sync: SyncFail hooks
run, then hooks are deleted by their delete policies and the phase is Failed.

Prunes of a step are waited on until the pruned objects are gone (not merely marked for
deletion) before the next step starts (gitops-engine: prune in reverse waves and wait for the
deletion before moving on); the last step does not wait for its prunes.

`record` updates the state in place (and returns it): a sync of thousands of resources records
thousands of results, each in constant time.

An operation need not run in one go: `resume(plan, recorded)` rebuilds the state of an operation
from the per-resource results it recorded (`status.operationState.syncResult.resources`) over a
fresh plan of the same revision, like gitops-engine's `syncContext.Sync()` re-entered on every
reconcile: recorded writes are not repeated, waits are taken up again.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, replace

from fleetops.core.health import HealthStatus
from fleetops.core.sync.actions import Action, ActionKind, ActionResult
from fleetops.core.sync.common import HookDeletePolicy, OperationPhase, ResourceResult, ResultCode, SyncPhase
from fleetops.core.sync.dry_run import DRY_RUN_FAILED
from fleetops.core.sync.plan import SyncPlan
from fleetops.core.sync.tasks import SyncTask, TaskOperation
from fleetops.model.keys import ResourceKey

TaskId = tuple[ResourceKey, SyncPhase]
RUNNING_MESSAGE = "one or more tasks are running"
_FAILED = (OperationPhase.FAILED, OperationPhase.ERROR)


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


class SyncState:
    """Phase, message and per-resource results of one sync operation, and what it waits for."""

    def __init__(self, plan: SyncPlan) -> None:
        self.plan = plan
        self.stage = Stage.WRITE
        self.step = 0
        self.phase = OperationPhase.RUNNING
        self.message = RUNNING_MESSAGE
        self.succeeded = True
        self.failure = ""
        self._tasks = {task.id: task for task in (*plan.tasks, *plan.sync_fail_tasks)}
        self._states: dict[TaskId, TaskState] = {}
        self._pending: dict[Action, None] = {}  # writes and deletions not yet recorded, in order
        self._waiting: dict[TaskId, SyncTask] = {}  # tasks whose completion gates the next step
        self.carried: list[ResourceResult] = []  # recorded results of tasks the plan no longer has

    @property
    def done(self) -> bool:
        return self.stage is Stage.DONE

    @property
    def results(self) -> list[ResourceResult]:
        """Per-resource results so far, in execution order (skipped prunes first)."""
        results = [*self.plan.skipped, *self.carried]
        for task in self._tasks.values():
            task_state = self._states.get(task.id)
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
        """Take the engine's `result` for one of `next_actions(self)`; returns `self`."""
        action = result.action
        task_id = (action.key, action.phase)
        if action.kind is ActionKind.WAIT_HEALTHY:
            expected = self.stage in (Stage.WAIT, Stage.FAIL_WAIT) and task_id in self._waiting
        else:
            expected = action in self._pending
        if not expected:
            raise ValueError(f"{action} is not an action the sync is waiting for")
        task = self._tasks[task_id]
        if action.kind is ActionKind.WAIT_HEALTHY and task.is_prune:
            if not result.exists:  # the pruned object is gone: the next step may start
                del self._waiting[task_id]
            self._advance()
            return self
        self._states[task_id] = _updated(self.state_of(task), task, result, self.stage)
        if action.kind is ActionKind.WAIT_HEALTHY:
            if self._states[task_id].hook_phase is not OperationPhase.RUNNING:
                del self._waiting[task_id]
        else:
            del self._pending[action]
        self._advance()
        return self

    def terminate(self, message: str = "Operation terminated") -> SyncState:
        """Stop the operation at the user's request (Argo's Terminate): Failed, nothing more to do.
        Running hooks stay where they are; the engine may delete them."""
        return self._finish(OperationPhase.FAILED, message)

    def error(self, message: str) -> SyncState:
        """Stop the operation on an unexpected error outside any one resource (an unreachable
        cluster, a lost lease): phase Error."""
        return self._finish(OperationPhase.ERROR, message)

    def _finish(self, phase: OperationPhase, message: str) -> SyncState:
        if not self.done:
            self.stage, self.phase, self.message = Stage.DONE, phase, message
            self._pending.clear()
            self._waiting.clear()
        return self

    def finished_hook(self, action: Action) -> bool:
        """Is `action` a wait on a hook whose result is now read (it completed, or failed)? Its
        hook finalizer may go."""
        task = self._tasks.get((action.key, action.phase))
        if task is None or not task.is_hook:
            return False
        return self.state_of(task).hook_phase not in (None, OperationPhase.RUNNING)

    def running_hooks(self) -> list[SyncTask]:
        """Hooks created and not completed (their finalizers go when the operation ends early)."""
        return [
            task
            for task in self._tasks.values()
            if task.is_hook
            and self.state_of(task).status is ResultCode.SYNCED
            and self.state_of(task).hook_phase is OperationPhase.RUNNING
        ]

    def state_of(self, task: SyncTask) -> TaskState:
        return self._states.get(task.id, TaskState())

    # -- transitions -----------------------------------------------------------------------------

    def _advance(self) -> None:
        while True:
            if self._pending:
                return
            if self._waiting:
                self.message = _waiting_message(list(self._waiting.values()))
                return
            if not self._next_stage():
                return

    def _next_stage(self) -> bool:
        """Leave a finished stage; False when the operation is over."""
        stage = self.stage
        if stage is Stage.WRITE:
            step = self.plan.steps[self.step].tasks
            failed = [task for task in step if self.state_of(task).status is ResultCode.SYNC_FAILED]
            if failed:
                self._fail(_reason("one or more objects failed to apply", self, failed))
            else:
                self.stage = Stage.WAIT
                self._start_waiting(step, resources=self._waits_for_resources())
        elif stage is Stage.WAIT:
            step = self.plan.steps[self.step].tasks
            failed = [task for task in step if self.state_of(task).hook_phase in _FAILED]
            if failed:
                apply_failed = [
                    task for task in failed if self.state_of(task).status is ResultCode.SYNC_FAILED
                ]
                self._fail(
                    _reason("one or more synchronization tasks completed unsuccessfully", self, apply_failed)
                )
            elif self.step + 1 < len(self.plan.steps):
                self.step += 1
                self._write(self.plan.steps[self.step].tasks, Stage.WRITE)
            else:
                self._cleanup()
        elif stage is Stage.FAIL_WRITE:
            self.stage = Stage.FAIL_WAIT
            self._start_waiting(self.plan.sync_fail_tasks, resources=False)
        elif stage is Stage.FAIL_WAIT:
            failed = [
                task
                for task in self.plan.sync_fail_tasks
                if self.state_of(task).status is ResultCode.SYNC_FAILED
                or self.state_of(task).hook_phase in _FAILED
            ]
            if failed:
                self.failure += "\n" + _reason("one or more SyncFail hooks failed", self, failed)
            self._cleanup()
        elif stage is Stage.CLEANUP:
            self.stage = Stage.DONE
            if self.succeeded:
                self.phase, self.message = OperationPhase.SUCCEEDED, "successfully synced (all tasks run)"
            else:
                self.phase, self.message = OperationPhase.FAILED, self.failure
            return False
        else:
            return False
        return True

    def _write(self, tasks: tuple[SyncTask, ...], stage: Stage) -> None:
        """Write the tasks of a step that have no result yet (all of them, unless resumed)."""
        self.stage = stage
        self.message = RUNNING_MESSAGE
        unwritten = tuple(task for task in tasks if self.state_of(task).status is None)
        self._pending = dict.fromkeys(_write_actions(unwritten, self.plan))

    def _fail(self, message: str) -> None:
        self.succeeded = False
        self.failure = message
        if self.plan.sync_fail_tasks:
            self._write(self.plan.sync_fail_tasks, Stage.FAIL_WRITE)
        else:
            self._cleanup()

    def _cleanup(self) -> None:
        self.stage = Stage.CLEANUP
        self._pending = dict.fromkeys(_cleanup_actions(self))

    def _start_waiting(self, tasks: tuple[SyncTask, ...], *, resources: bool) -> None:
        """Wait for created hooks, and for applied resources when `resources`. Other applied
        resources keep Argo's "Running" hook phase."""
        prunes = resources and self.step + 1 < len(self.plan.steps)
        for task in tasks:
            task_state = self.state_of(task)
            if task.is_prune:
                if prunes and task_state.status is ResultCode.PRUNED:
                    self._waiting[task.id] = task
                continue
            if task_state.status is not ResultCode.SYNCED:
                continue
            if task_state.hook_phase is OperationPhase.RUNNING and (task.is_hook or resources):
                self._waiting[task.id] = task

    def _waits_for_resources(self) -> bool:
        step = self.plan.steps[self.step].tasks
        final = self.step == len(self.plan.steps) - 1
        return self.plan.multi_step and not (final and not any(task.is_hook for task in step))


def start(plan: SyncPlan) -> SyncState:
    """The state before anything ran; an empty plan has already succeeded."""
    state = SyncState(plan)
    if not plan.steps:
        state.stage, state.phase = Stage.DONE, OperationPhase.SUCCEEDED
        state.message = "successfully synced (no more tasks)"
        return state
    state._write(plan.steps[0].tasks, Stage.WRITE)
    return state


def dry_run_failed(plan: SyncPlan, failures: Iterable[tuple[SyncTask, str]]) -> SyncState:
    """The operation's end when its dry-run pass failed: nothing was written; the objects that
    failed are SyncFailed with the server's message (Argo CD records only those)."""
    state = SyncState(plan)
    for task, message in failures:
        state._states[task.id] = TaskState(ResultCode.SYNC_FAILED, OperationPhase.FAILED, message)
    reason = _reason(DRY_RUN_FAILED, state, [task for task, _ in failures])
    state.succeeded, state.failure = False, reason
    return state._finish(OperationPhase.FAILED, reason)


def resume(plan: SyncPlan, recorded: Iterable[ResourceResult]) -> SyncState:
    """The state of an operation that already ran part of `plan` and recorded `recorded` (its
    per-resource results so far): writes with a result are not made again, the step it was in is
    waited on again. Results of tasks `plan` no longer has (an object pruned and gone, an object
    ApplyOutOfSyncOnly now skips) are carried over into `results` unchanged."""
    state = SyncState(plan)
    for result in recorded:
        if result.status is ResultCode.PRUNE_SKIPPED:
            continue  # the plan reports its skipped prunes afresh
        task_id = (result.key, result.sync_phase)
        if task_id in state._tasks:
            state._states[task_id] = TaskState(result.status, result.hook_phase, result.message)
        else:
            state.carried.append(result)
    if not plan.steps:
        return start(plan)
    state._write(plan.steps[0].tasks, Stage.WRITE)
    state._advance()
    return state


def next_actions(state: SyncState) -> list[Action]:
    """What the engine should do now, in order. Writes are returned until recorded; waits are
    returned again (to report fresh health) until the resource or hook completes."""
    if state.stage in (Stage.WAIT, Stage.FAIL_WAIT):
        return [Action(ActionKind.WAIT_HEALTHY, task.key, task.phase) for task in state._waiting.values()]
    return list(state._pending)


# -- actions -------------------------------------------------------------------------------------


def _write_actions(tasks: tuple[SyncTask, ...], plan: SyncPlan) -> list[Action]:
    options = plan.options
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
            kind = ActionKind.CREATE_HOOK
        elif task.operation is TaskOperation.REPLACE:
            kind = ActionKind.REPLACE
        else:
            kind = ActionKind.APPLY
        writes.append(Action(kind, task.key, task.phase, task.target, force=force, options=task.options))
    return [*deletes, *writes]


def _cleanup_actions(state: SyncState) -> list[Action]:
    """Hooks to delete now that the operation is over: HookSucceeded hooks that succeeded,
    HookFailed hooks that failed (Argo CD's documented delete policies)."""
    actions: list[Action] = []
    for task in (*state.plan.tasks, *state.plan.sync_fail_tasks):
        task_state = state.state_of(task)
        if not task.is_hook or task_state.status is not ResultCode.SYNCED:
            continue
        succeeded = task_state.hook_phase is OperationPhase.SUCCEEDED
        failed = task_state.hook_phase in _FAILED
        if (succeeded and HookDeletePolicy.HOOK_SUCCEEDED in task.delete_policies) or (
            failed and HookDeletePolicy.HOOK_FAILED in task.delete_policies
        ):
            actions.append(Action(ActionKind.DELETE_HOOK, task.key, task.phase, task.target))
    return actions


# -- results -------------------------------------------------------------------------------------


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
    messages = sorted({state.state_of(task).message for task in tasks})
    return f"{message}, reason: {','.join(messages)}" if messages else message


def _waiting_message(tasks: list[SyncTask]) -> str:
    """Argo CD's running message: "waiting for healthy state of apps/Deployment/web and 1 more
    resources", "waiting for completion of hook batch/Job/migrate"."""
    pruned = [task for task in tasks if task.is_prune]
    if pruned and len(pruned) == len(tasks):
        first = pruned[0].key
        more = f" and {len(pruned) - 1} more resources" if len(pruned) > 1 else ""
        return f"waiting for deletion of {first.group}/{first.kind}/{first.name}{more}"
    tasks = [task for task in tasks if not task.is_prune]
    first_hook = next((task for task in tasks if task.is_hook), None)
    only_hooks = first_hook is not None and all(task.is_hook for task in tasks)
    reason = "completion of hook" if first_hook is not None else "healthy state of"
    first = (first_hook or tasks[0]).key
    message = f"waiting for {reason} {first.group}/{first.kind}/{first.name}"
    if len(tasks) > 1:
        message += f" and {len(tasks) - 1} more {'hooks' if only_hooks else 'resources'}"
    return message
