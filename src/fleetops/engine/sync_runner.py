"""Execute a sync plan step by step against a cluster: core.sync's state machine says what to do
next (apply, replace, create or delete hooks, prune, wait for health); this module does it with
the KubeClient and records each outcome. Server-side apply with field manager `fleetops`,
force=true; `Replace=true` uses PUT (create when absent)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import cast

from fleetops.core import health
from fleetops.core.diff.takeover import TAKEOVER_MANAGERS, takeover_patch
from fleetops.core.sync import Action, ActionKind, ActionResult, SyncPlan, SyncState, start
from fleetops.engine.changeset import ChangeAction, ChangeSet
from fleetops.model import GroupKind, GroupVersionKind, manifest
from fleetops.model.keys import ResourceKey
from fleetops.model.manifest import Manifest
from fleetops.ports.kube import (
    AlreadyExists,
    Conflict,
    Invalid,
    KubeClient,
    KubeError,
    LiveCache,
    NotFound,
    PatchType,
    PropagationPolicy,
)

log = logging.getLogger(__name__)

FIELD_MANAGER = "fleetops"


class SyncRunner:
    def __init__(self, client: KubeClient, cache: LiveCache, *, timeout: float, poll: float) -> None:
        self._client = client
        self._cache = cache
        self._timeout = timeout
        self._poll = poll
        self.changes = ChangeSet()

    async def run(self, plan: SyncPlan) -> SyncState:
        """Run `plan` to its end (or its deadline: then the operation is terminated)."""
        state = start(plan)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._timeout
        while not state.done:
            actions = state.next_actions()
            waiting = bool(actions) and all(a.kind is ActionKind.WAIT_HEALTHY for a in actions)
            for action in actions:
                state.record(await self._perform(action))
                if _finished(state):
                    break
            if waiting and not _finished(state):
                if loop.time() > deadline:
                    waited = ", ".join(str(a.key) for a in actions)
                    state.terminate()
                    state.message = f"sync timed out after {self._timeout:g}s waiting for {waited}"
                    break
                await asyncio.sleep(self._poll)
        return state

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
        applied = await self._client.apply(obj, field_manager=FIELD_MANAGER, force=True)
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
        gvk = manifest.gvk(live)
        metadata = live.get("metadata") or {}
        name, namespace = str(metadata.get("name", "")), metadata.get("namespace") or None
        for attempt in range(2):
            patch = takeover_patch(live, TAKEOVER_MANAGERS, manager=FIELD_MANAGER)
            if patch is None:
                return
            try:
                await self._client.patch(
                    gvk, name, patch, namespace, patch_type=PatchType.JSON, field_manager=FIELD_MANAGER
                )
                return
            except NotFound:
                return
            except (Conflict, Invalid):
                if attempt:
                    raise
                try:
                    live = await self._client.get(gvk, name, namespace)
                except NotFound:
                    return

    async def _replace(self, action: Action) -> ActionResult:
        obj = _required(action)
        try:
            await self._client.replace(obj, field_manager=FIELD_MANAGER)
            self.changes.add(action.key, ChangeAction.CONFIGURED)
            return ActionResult(action, message=f"{manifest.kind(obj).lower()}/{action.key.name} replaced")
        except NotFound:
            await self._client.create(obj, field_manager=FIELD_MANAGER)
            self.changes.add(action.key, ChangeAction.CREATED)
            return ActionResult(action, message=f"{manifest.kind(obj).lower()}/{action.key.name} created")

    async def _create_hook(self, action: Action) -> ActionResult:
        obj = _required(action)
        with contextlib.suppress(AlreadyExists):
            await self._client.create(obj, field_manager=FIELD_MANAGER)
        self.changes.add(action.key, ChangeAction.CREATED)
        return ActionResult(action, message=f"{manifest.kind(obj).lower()}/{action.key.name} created")

    async def _delete(self, action: Action) -> ActionResult:
        gvk = await self._gvk(action.key)
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


def _finished(state: SyncState) -> bool:
    return state.done


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
