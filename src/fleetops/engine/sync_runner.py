"""Execute a sync plan step by step against a cluster: core.sync's state machine says what to do
next (apply, replace, create or delete hooks, prune, wait for health); this module does it with
the KubeClient and records each outcome. Server-side apply with field manager `fleetops`,
force=true; `Replace=true` uses PUT (create when absent). Every write of a desired object asks the
server to validate its fields strictly (`fieldValidation=Strict`, kubectl's `--validate=true`, Argo
CD's default), so an unknown field fails the sync; `Validate=false` (the application's or the
resource's sync option) sends `fieldValidation=Ignore` and the server drops such fields.

Before an operation writes anything, every write is tried with `dryRun=All` (`dry_run`): one
refusal fails the operation with nothing written. `run` waits (health, hooks, deletions) at most
`timeout` seconds, then returns the unfinished state: the engine records it in
`status.operationState` and a later reconcile resumes it (`core.sync.resume`). Hooks are created
with Argo CD's `argocd.argoproj.io/hook-finalizer`, removed once their result is read (or before
fleetops deletes them), so a hook deleted by someone else (a Job's TTL) stays until then."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any, cast

from fleetops.core import health
from fleetops.core.diff.takeover import TAKEOVER_MANAGERS, takeover_patch
from fleetops.core.sync import (
    Action,
    ActionKind,
    ActionResult,
    SyncPlan,
    SyncState,
    SyncTask,
    TaskOperation,
    dry_run_failed,
    dry_run_tasks,
    namespace_task,
    skips_missing_kind,
    start,
)
from fleetops.core.sync.options import SyncOptions, validates
from fleetops.engine.changeset import ChangeAction, ChangeSet
from fleetops.model import GroupKind, GroupVersionKind, manifest
from fleetops.model.keys import ResourceKey
from fleetops.model.manifest import Manifest
from fleetops.ports.kube import (
    AlreadyExists,
    Conflict,
    FieldValidation,
    Invalid,
    KubeClient,
    KubeError,
    LiveCache,
    NotFound,
    PatchType,
    PropagationPolicy,
    UnknownKind,
)

log = logging.getLogger(__name__)

FIELD_MANAGER = "fleetops"
HOOK_FINALIZER = "argocd.argoproj.io/hook-finalizer"


class SyncRunner:
    """Runs a sync operation's actions. `timeout`: the longest `run` waits (for health, hooks,
    deletions) before it returns the unfinished state for a later reconcile to take up.
    `validate`: the application's `Validate` sync option (False: `Validate=false`)."""

    def __init__(
        self, client: KubeClient, cache: LiveCache, *, timeout: float, poll: float, validate: bool = True
    ) -> None:
        self._client = client
        self._cache = cache
        self._options = SyncOptions(validate=validate)
        self._timeout = timeout
        self._poll = poll
        self.changes = ChangeSet()

    async def dry_run(self, plan: SyncPlan) -> SyncState:
        """Try every write of `plan` with `dryRun=All` first: if any fails, the operation fails
        with nothing written (`dry_run_failed`); otherwise it starts (`start(plan)`)."""
        created: ActionResult | None = None
        first = namespace_task(plan)
        if first is not None:  # Argo CD creates the application's namespace before the dry-run
            action = Action(ActionKind.APPLY, first.key, first.phase, first.target)
            created = await self._perform(action)
            if not created.ok:
                return dry_run_failed(plan, [(first, created.message)])
        failures: list[tuple[SyncTask, str]] = []
        for task in dry_run_tasks(plan):
            message = await self._dry_run(task, plan)
            if message is not None:
                failures.append((task, message))
        if failures:
            return dry_run_failed(plan, failures)
        state = start(plan)
        if created is not None and created.action in state.next_actions():
            state.record(created)  # written already: not again
        return state

    async def run(self, state: SyncPlan | SyncState) -> SyncState:
        """Advance the operation as far as it goes: to its end, or until it has waited `timeout`
        seconds (then the caller records it, phase Running, and comes back)."""
        if isinstance(state, SyncPlan):
            state = start(state)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._timeout
        while not state.done:
            actions = state.next_actions()
            waiting = bool(actions) and all(a.kind is ActionKind.WAIT_HEALTHY for a in actions)
            for action in actions:
                state.record(await self._perform(action))
                if action.kind is ActionKind.WAIT_HEALTHY and state.finished_hook(action):
                    await self._release_hook(action.key)
                if _done(state):
                    break
            if waiting and not _done(state):
                if loop.time() >= deadline:
                    break
                await asyncio.sleep(self._poll)
        return state

    async def release_hooks(self, state: SyncState) -> None:
        """Take the hook finalizer off the hooks still running (the operation ends early)."""
        for task in state.running_hooks():
            with contextlib.suppress(KubeError):
                await self._release_hook(task.key)

    async def _dry_run(self, task: SyncTask, plan: SyncPlan) -> str | None:
        """The server's refusal of `task`'s write (None: it would be accepted)."""
        try:
            if task.is_prune:
                gvk = await self._gvk(task.key)
                await self._client.delete(gvk, task.key.name, task.key.namespace or None, dry_run=True)
                return None
            obj = task.target
            if obj is None:
                return None
            try:
                await self._client.resource_for(manifest.gvk(obj))
            except UnknownKind:
                if skips_missing_kind(task, plan):
                    return None
                raise
            validation = self._validation(obj)
            if task.is_hook:
                with contextlib.suppress(AlreadyExists):  # BeforeHookCreation deletes it first
                    await self._client.create(
                        obj, field_manager=FIELD_MANAGER, dry_run=True, field_validation=validation
                    )
            elif task.operation is TaskOperation.REPLACE and task.live is not None:
                await self._client.replace(
                    obj, field_manager=FIELD_MANAGER, dry_run=True, field_validation=validation
                )
            elif task.operation is TaskOperation.REPLACE:
                await self._client.create(
                    obj, field_manager=FIELD_MANAGER, dry_run=True, field_validation=validation
                )
            else:
                await self._client.apply(
                    obj, field_manager=FIELD_MANAGER, force=True, dry_run=True, field_validation=validation
                )
        except NotFound as error:
            if task.is_prune:
                return None  # already gone
            return str(error)
        except KubeError as error:
            return str(error)
        return None

    def _validation(self, obj: Manifest) -> FieldValidation:
        """`Strict` (Argo CD's default, kubectl `--validate=true`), `Ignore` with `Validate=false`."""
        return "Strict" if validates(self._options, obj) else "Ignore"

    async def _release_hook(self, key: ResourceKey) -> None:
        """Remove the hook finalizer from the hook `key` (its result has been read)."""
        await release_hook(self._client, await self._gvk(key), key)

    async def release_hook(self, key: ResourceKey) -> None:
        with contextlib.suppress(KubeError):
            await self._release_hook(key)

    async def _perform(self, action: Action) -> ActionResult:
        try:
            if action.kind is ActionKind.APPLY:
                return await self._apply(action)
            if action.kind is ActionKind.REPLACE:
                return await self._replace(action)
            if action.kind is ActionKind.CREATE_HOOK:
                return await self._create_hook(action)
            if action.kind in (ActionKind.DELETE, ActionKind.DELETE_HOOK):
                return await self._delete(action)
            return await self._health(action)
        except KubeError as error:
            self.changes.add(action.key, ChangeAction.FAILED, str(error))
            return ActionResult(action, ok=False, message=str(error))

    async def _apply(self, action: Action) -> ActionResult:
        obj = _required(action)
        live = self._cache.get(action.key)
        existed = live is not None
        if live is not None:
            await self._take_over(live)
        applied = await self._client.apply(
            obj, field_manager=FIELD_MANAGER, force=True, field_validation=self._validation(obj)
        )
        changed = not existed or _generation_changed(self._cache.get(action.key), applied)
        verb = (
            ChangeAction.CREATED
            if not existed
            else (ChangeAction.CONFIGURED if changed else ChangeAction.UNCHANGED)
        )
        self.changes.add(action.key, verb)
        return ActionResult(action, message=f"{manifest.kind(obj).lower()}/{action.key.name} {verb}")

    async def _take_over(self, live: Manifest) -> None:
        """Hand the fields of the managers before fleetops (Argo CD, client-side kubectl) to fleetops,
        so the forced apply after removes what Git dropped; a concurrent write re-reads once."""
        metadata = live.get("metadata") or {}
        await _json_patch_from_live(
            self._client,
            manifest.gvk(live),
            str(metadata.get("name", "")),
            metadata.get("namespace") or None,
            lambda current: takeover_patch(current, TAKEOVER_MANAGERS, manager=FIELD_MANAGER),
            live=live,
        )

    async def _replace(self, action: Action) -> ActionResult:
        obj = _required(action)
        try:
            await self._client.replace(
                obj, field_manager=FIELD_MANAGER, field_validation=self._validation(obj)
            )
            self.changes.add(action.key, ChangeAction.CONFIGURED)
            return ActionResult(action, message=f"{manifest.kind(obj).lower()}/{action.key.name} replaced")
        except NotFound:
            await self._client.create(
                obj, field_manager=FIELD_MANAGER, field_validation=self._validation(obj)
            )
            self.changes.add(action.key, ChangeAction.CREATED)
            return ActionResult(action, message=f"{manifest.kind(obj).lower()}/{action.key.name} created")

    async def _create_hook(self, action: Action) -> ActionResult:
        obj = with_hook_finalizer(_required(action))
        with contextlib.suppress(AlreadyExists):
            await self._client.create(
                obj, field_manager=FIELD_MANAGER, field_validation=self._validation(obj)
            )
        self.changes.add(action.key, ChangeAction.CREATED)
        return ActionResult(action, message=f"{manifest.kind(obj).lower()}/{action.key.name} created")

    async def _delete(self, action: Action) -> ActionResult:
        gvk = await self._gvk(action.key)
        if action.kind is ActionKind.DELETE_HOOK:
            await self._release_hook(action.key)  # else the deletion would wait for it forever
        with contextlib.suppress(NotFound):
            await self._client.delete(
                gvk,
                action.key.name,
                action.key.namespace or None,
                propagation_policy=_policy(action),
            )
        self.changes.add(action.key, ChangeAction.DELETED)
        return ActionResult(action, message="pruned" if action.kind is ActionKind.DELETE else "deleted")

    async def _health(self, action: Action) -> ActionResult:
        gvk = await self._gvk(action.key)
        try:
            live = await self._client.get(gvk, action.key.name, action.key.namespace or None)
        except NotFound:
            return ActionResult(action, exists=False)
        return ActionResult(action, health=health.assess(live))

    async def _gvk(self, key: ResourceKey) -> GroupVersionKind:
        live = self._cache.get(key)
        if live is not None:
            return manifest.gvk(live)
        info = await self._client.resource_for(GroupKind(key.group, key.kind))
        return info.gvk


def _done(state: SyncState) -> bool:
    return state.done  # a call: mypy must not narrow `state.done` across the loop's awaits


async def release_hook(client: KubeClient, gvk: GroupVersionKind, key: ResourceKey) -> None:
    """Remove the hook finalizer from the object `key`, if it carries it (a JSON patch that
    tests the entry first: other finalizers are left alone; one retry after a concurrent write)."""

    def without_finalizer(live: Manifest) -> list[dict[str, Any]] | None:
        finalizers = list((live.get("metadata") or {}).get("finalizers") or [])
        if HOOK_FINALIZER not in finalizers:
            return None
        index = finalizers.index(HOOK_FINALIZER)
        return [
            {"op": "test", "path": f"/metadata/finalizers/{index}", "value": HOOK_FINALIZER},
            {"op": "remove", "path": f"/metadata/finalizers/{index}"},
        ]

    await _json_patch_from_live(client, gvk, key.name, key.namespace or None, without_finalizer)


async def _json_patch_from_live(
    client: KubeClient,
    gvk: GroupVersionKind,
    name: str,
    namespace: str | None,
    build: Callable[[Manifest], list[dict[str, Any]] | None],
    *,
    live: Manifest | None = None,
) -> None:
    """Apply the JSON patch `build` makes from the live object (read first unless given; None from
    `build`: nothing to do). A concurrent write (Conflict, or a failed `test` op: Invalid) reads
    the object again and retries once; a missing object ends it."""
    for attempt in range(2):
        if live is None:
            try:
                live = await client.get(gvk, name, namespace)
            except NotFound:
                return
        patch = build(live)
        if patch is None:
            return
        try:
            await client.patch(
                gvk, name, patch, namespace, patch_type=PatchType.JSON, field_manager=FIELD_MANAGER
            )
            return
        except NotFound:
            return
        except (Conflict, Invalid):
            if attempt:
                raise
            live = None


def with_hook_finalizer(obj: Manifest) -> Manifest:
    """`obj` carrying Argo CD's hook finalizer: a hook deleted by someone else (GC, a Job's TTL)
    stays until its result has been read."""
    metadata = dict(obj.get("metadata") or {})
    finalizers = list(metadata.get("finalizers") or [])
    if HOOK_FINALIZER not in finalizers:
        finalizers.append(HOOK_FINALIZER)
    metadata["finalizers"] = finalizers
    return {**obj, "metadata": metadata}


def gvk_of(obj: Manifest | None) -> GroupVersionKind:
    if obj is None:
        raise KubeError("no object to delete")
    return manifest.gvk(obj)


def propagation(action: Action) -> PropagationPolicy | None:
    return _policy(action)


def _policy(action: Action) -> PropagationPolicy | None:
    if action.propagation_policy is None:
        return None
    return cast(PropagationPolicy, str(action.propagation_policy.value).capitalize())


def _required(action: Action) -> Manifest:
    if action.manifest is None:
        raise KubeError(f"{action}: no manifest to write")
    return action.manifest


def _generation_changed(before: Manifest | None, after: Manifest) -> bool:
    if before is None:
        return True
    old = before.get("metadata", {}).get("resourceVersion")
    return bool(old != after.get("metadata", {}).get("resourceVersion"))
