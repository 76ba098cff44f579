"""Cascade deletion of an Application: which managed resources go, in which order, and which
stay because of `Delete=false` (or `Delete=confirm` without confirmation)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from fleetops.core.sync.actions import Action, ActionKind
from fleetops.core.sync.common import ResourceResult, ResultCode, SyncPhase
from fleetops.core.sync.errors import SyncOptionError
from fleetops.core.sync.options import PropagationPolicy, resource_sync_options
from fleetops.core.sync.waves import kind_order, sync_wave
from fleetops.model.keys import ResourceKey
from fleetops.model.manifest import Manifest

DELETE_FALSE = "ignored (Delete=false)"
DELETE_UNCONFIRMED = "ignored (waiting for deletion confirmation)"


@dataclass(frozen=True, slots=True)
class AppDeletion:
    deletes: tuple[Action, ...]
    kept: tuple[ResourceResult, ...]


def plan_app_deletion(
    live: Mapping[ResourceKey, Manifest],
    *,
    propagation_policy: PropagationPolicy = PropagationPolicy.FOREGROUND,
    confirmed: bool = False,
) -> AppDeletion:
    """Delete actions for the application's managed `live` objects, highest wave first and, in a
    wave, reverse kind order (workloads before the ConfigMaps, Secrets and Namespaces they use).
    `Delete=false` objects are kept; `Delete=confirm` objects only go when `confirmed`."""
    deletes: list[tuple[tuple[int, int, str, str, str], Action]] = []
    kept: list[ResourceResult] = []
    for key, obj in sorted(live.items()):
        try:
            options = resource_sync_options(obj)
        except SyncOptionError as error:
            kept.append(
                ResourceResult(
                    key, ResultCode.PRUNE_SKIPPED, message=f"ignored (invalid sync options: {error})"
                )
            )
            continue
        if not options.delete:
            kept.append(ResourceResult(key, ResultCode.PRUNE_SKIPPED, message=DELETE_FALSE))
            continue
        if options.delete_requires_confirmation and not confirmed:
            kept.append(ResourceResult(key, ResultCode.PRUNE_SKIPPED, message=DELETE_UNCONFIRMED))
            continue
        order = (-sync_wave(obj, strict=False), -kind_order(key.kind), key.name, key.namespace, key.group)
        deletes.append((order, Action(ActionKind.DELETE, key, SyncPhase.SYNC, obj, propagation_policy)))
    deletes.sort(key=lambda item: item[0])
    return AppDeletion(tuple(action for _, action in deletes), tuple(kept))
