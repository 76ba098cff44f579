"""Resource hooks: `argocd.argoproj.io/hook` and `hook-delete-policy`, with Helm's hook annotations
mapped onto them when no Argo CD hook annotation is present (gitops-engine `sync/hook`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fleetops.core.sync import argo_annotations as argo
from fleetops.core.sync.common import HookDeletePolicy, HookType, SyncPhase
from fleetops.core.sync.errors import HookError
from fleetops.model import manifest as manifests

HELM_HOOK_TYPES: Mapping[str, HookType] = {
    "pre-install": HookType.PRE_SYNC,
    "pre-upgrade": HookType.PRE_SYNC,
    "post-install": HookType.POST_SYNC,
    "post-upgrade": HookType.POST_SYNC,
}
HELM_DELETE_POLICIES: Mapping[str, HookDeletePolicy] = {
    "before-hook-creation": HookDeletePolicy.BEFORE_HOOK_CREATION,
    "hook-succeeded": HookDeletePolicy.HOOK_SUCCEEDED,
    "hook-failed": HookDeletePolicy.HOOK_FAILED,
}
_PHASES = {
    HookType.PRE_SYNC: SyncPhase.PRE_SYNC,
    HookType.SYNC: SyncPhase.SYNC,
    HookType.POST_SYNC: SyncPhase.POST_SYNC,
    HookType.SYNC_FAIL: SyncPhase.SYNC_FAIL,
}


def hook_types(obj: Mapping[str, Any]) -> list[HookType]:
    """The hook types of `obj`: Argo CD's annotation, else Helm's (other Helm hooks, such as
    `pre-delete` or `test`, are not run by a sync). An unknown Argo CD hook type is an error."""
    declared = argo.csv(obj, argo.HOOK)
    if declared:
        types: list[HookType] = []
        for text in declared:
            try:
                types.append(HookType(text))
            except ValueError:
                raise HookError(argo.describe(obj), argo.HOOK, text) from None
        return types
    return [HELM_HOOK_TYPES[text] for text in argo.csv(obj, argo.HELM_HOOK) if text in HELM_HOOK_TYPES]


def is_skipped(obj: Mapping[str, Any]) -> bool:
    """`hook: Skip` alone: the resource takes no part in syncs."""
    return hook_types(obj) == [HookType.SKIP]


def is_hook(obj: Mapping[str, Any]) -> bool:
    """Does `obj` carry a hook annotation that makes it a hook (not `Skip`)?"""
    if argo.HOOK in manifests.annotations(obj):
        return not is_skipped(obj)
    return bool(hook_types(obj))


def hook_phases(obj: Mapping[str, Any]) -> list[SyncPhase]:
    """The sync phases a hook runs in, one per hook type (`Skip` runs in none)."""
    phases: list[SyncPhase] = []
    for hook_type in hook_types(obj):
        phase = _PHASES.get(hook_type)
        if phase is not None and phase not in phases:
            phases.append(phase)
    return phases


def delete_policies(obj: Mapping[str, Any]) -> tuple[HookDeletePolicy, ...]:
    """The hook's delete policies (Argo CD's and Helm's); BeforeHookCreation when none is given."""
    policies: list[HookDeletePolicy] = []
    for text in argo.csv(obj, argo.HOOK_DELETE_POLICY):
        try:
            policies.append(HookDeletePolicy(text))
        except ValueError:
            raise HookError(argo.describe(obj), argo.HOOK_DELETE_POLICY, text) from None
    for text in argo.csv(obj, argo.HELM_HOOK_DELETE_POLICY):
        if text in HELM_DELETE_POLICIES:
            policies.append(HELM_DELETE_POLICIES[text])
    return tuple(dict.fromkeys(policies)) or (HookDeletePolicy.BEFORE_HOOK_CREATION,)


def hook_type_for(obj: Mapping[str, Any], phase: SyncPhase) -> HookType | None:
    for hook_type in hook_types(obj):
        if _PHASES.get(hook_type) is phase:
            return hook_type
    return None
