"""The seed's `platform-services` ApplicationSet has no sync policy, so the Applications it
generates would wait, OutOfSync, for someone to sync them. In embedded mode that someone is this
helper: each Application the ApplicationSet owns is synced once, when it first appears and has
never run an operation — what `fleetops app sync NAME` (or `argocd app sync -l …`) would write.
Later changes are left to the user, as the seed's manifest asks (no automated sync)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from typing import Any

from fleetops.adapters.kube import HttpKubeClient
from fleetops.core.app.kinds import APPLICATION
from fleetops.core.app.operation import sync_operation
from fleetops.ports.kube import Gone, KubeError, PatchType

log = logging.getLogger(__name__)

USERNAME = "fleetops-up"
RETRY_SECONDS = 1.0


def owned_by(app: Mapping[str, Any], appset: str) -> bool:
    """Whether the ApplicationSet `appset` owns `app` (its owner reference)."""
    for owner in (app.get("metadata") or {}).get("ownerReferences") or ():
        if (
            isinstance(owner, Mapping)
            and owner.get("kind") == "ApplicationSet"
            and owner.get("name") == appset
        ):
            return True
    return False


def needs_first_sync(app: Mapping[str, Any], appset: str) -> bool:
    """Owned by `appset`, no operation requested or ever run."""
    status = app.get("status") or {}
    return owned_by(app, appset) and not app.get("operation") and not status.get("operationState")


async def run_first_syncs(client: HttpKubeClient, namespace: str, appset: str) -> None:
    """Until cancelled: request one sync of each new Application owned by `appset`."""
    gvk = APPLICATION
    requested: set[str] = set()

    async def consider(app: Mapping[str, Any]) -> None:
        name = str((app.get("metadata") or {}).get("name") or "")
        if not name or name in requested or not needs_first_sync(app, appset):
            return
        requested.add(name)
        with contextlib.suppress(KubeError):
            await client.patch(
                gvk,
                name,
                {"operation": sync_operation(username=USERNAME)},
                namespace,
                patch_type=PatchType.MERGE,
                field_manager=USERNAME,
            )
            log.info("requested the first sync of %s (ApplicationSet %s)", name, appset)

    while True:
        try:
            listed = await client.list(gvk, namespace)
            for app in listed.items:
                await consider(app)
            async for event in client.watch(
                gvk, namespace, resource_version=listed.resource_version, timeout_seconds=300
            ):
                if event.type in {"ADDED", "MODIFIED"}:
                    await consider(event.object)
                elif event.type == "DELETED":  # a re-created application gets its first sync too
                    requested.discard(str((event.object.get("metadata") or {}).get("name") or ""))
        except Gone:
            continue
        except KubeError as error:
            log.debug("first syncs on %s: %s", client.server, error)
            await asyncio.sleep(RETRY_SECONDS)
