"""Cascade deletion of an Application (Argo CD's `resources-finalizer.argocd.argoproj.io`, with
`/background` for background propagation): its managed resources are deleted (highest wave
first, `Delete=false` kept), then the finalizer is removed so the Application goes."""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass

from fleetops.core import app as applications
from fleetops.core import sync
from fleetops.core.app import ConditionType
from fleetops.core.app.kinds import APPLICATION
from fleetops.engine.environment import AppEnvironment, DestinationError
from fleetops.engine.live import kinds_of, watch_kinds
from fleetops.engine.sync_runner import (
    FIELD_MANAGER,
    HOOK_FINALIZER,
    gvk_of,
    propagation,
    release_hook,
)
from fleetops.model import manifest
from fleetops.model.keys import ResourceKey
from fleetops.model.manifest import Manifest
from fleetops.ports.kube import KubeError, NotFound

log = logging.getLogger(__name__)

FOREGROUND_FINALIZER = "resources-finalizer.argocd.argoproj.io"
BACKGROUND_FINALIZER = "resources-finalizer.argocd.argoproj.io/background"
FINALIZERS = (FOREGROUND_FINALIZER, BACKGROUND_FINALIZER)


@dataclass(frozen=True)
class DeletionResult:
    done: bool
    """The finalizer is removed (or there was none of ours)."""
    deleted: tuple[ResourceKey, ...] = ()
    remaining: int = 0
    error: str = ""


async def delete_app(app: Manifest, env: AppEnvironment) -> DeletionResult:
    finalizers = list(app.get("metadata", {}).get("finalizers") or [])
    ours = [f for f in finalizers if f in FINALIZERS]
    if not ours:
        return DeletionResult(done=True)
    policy = (
        sync.PropagationPolicy.BACKGROUND
        if BACKGROUND_FINALIZER in ours
        else sync.PropagationPolicy.FOREGROUND
    )
    instance = sync.instance_name(manifest.name(app), manifest.namespace(app), env.namespace)
    try:
        cluster = await env.clusters.connect(applications.destination(app))
        status = app.get("status") or {}
        await watch_kinds(cluster.cache, [], kinds_of([], status.get("resources") or []))
        live = {ResourceKey.of(obj): obj for obj in cluster.cache.objects_of_app(instance)}
        plan = sync.plan_app_deletion(live, propagation_policy=policy)
        for key, obj in live.items():  # hooks fleetops holds would never go
            if HOOK_FINALIZER in (obj.get("metadata", {}).get("finalizers") or []):
                await release_hook(cluster.client, manifest.gvk(obj), key)
        deleted = []
        for action in plan.deletes:
            if action.manifest is not None and action.manifest.get("metadata", {}).get("deletionTimestamp"):
                continue
            with contextlib.suppress(NotFound):
                await cluster.client.delete(
                    gvk_of(action.manifest),
                    action.key.name,
                    action.key.namespace or None,
                    propagation_policy=propagation(action),
                )
            deleted.append(action.key)
        kept = {result.key for result in plan.kept}
        remaining = [key for key in live if key not in kept and cluster.cache.get(key) is not None]
        if remaining and deleted:
            return DeletionResult(done=False, deleted=tuple(deleted), remaining=len(remaining))
        if remaining:
            return DeletionResult(done=False, remaining=len(remaining))
        await env.hub.patch(
            APPLICATION,
            manifest.name(app),
            {"metadata": {"finalizers": [f for f in finalizers if f not in FINALIZERS]}},
            manifest.namespace(app),
            field_manager=FIELD_MANAGER,
        )
        return DeletionResult(done=True, deleted=tuple(deleted))
    except (DestinationError, KubeError) as error:
        message = f"failed to delete the application's resources: {error}"
        condition = applications.condition(ConditionType.DELETION_ERROR, message, now=env.now())
        try:
            await env.hub.patch_status(
                APPLICATION,
                manifest.name(app),
                {"status": {"conditions": [condition]}},
                manifest.namespace(app),
                field_manager=FIELD_MANAGER,
            )
        except KubeError as write_error:
            log.warning("cannot write the DeletionError of %s: %s", manifest.name(app), write_error)
        return DeletionResult(done=False, error=message)
