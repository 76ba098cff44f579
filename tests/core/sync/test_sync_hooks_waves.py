"""Hook annotations (Argo CD's and Helm's), delete policies, sync waves and the kind order."""

from __future__ import annotations

from typing import Any

import pytest

from fleetops.core.sync import (
    HookDeletePolicy,
    HookError,
    HookType,
    SyncPhase,
    SyncWaveError,
    delete_policies,
    hook_phases,
    hook_types,
    is_hook,
    is_skipped,
    kind_order,
    sync_wave,
)
from fleetops.core.sync.waves import KIND_ORDER


def obj(**annotations: str) -> dict[str, Any]:
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {
            "name": "j",
            "namespace": "shop",
            "annotations": {k.replace("_", "/", 1): v for k, v in annotations.items()},
        },
    }


ARGO = "argocd.argoproj.io_hook"
POLICY = "argocd.argoproj.io_hook-delete-policy"
HELM = "helm.sh_hook"
HELM_POLICY = "helm.sh_hook-delete-policy"
WAVE = "argocd.argoproj.io_sync-wave"
WEIGHT = "helm.sh_hook-weight"


@pytest.mark.parametrize(
    ("annotations", "types", "hook", "skipped", "phases"),
    [
        ({}, [], False, False, []),
        ({ARGO: "PreSync"}, [HookType.PRE_SYNC], True, False, [SyncPhase.PRE_SYNC]),
        (
            {ARGO: "PreSync,PostSync"},
            [HookType.PRE_SYNC, HookType.POST_SYNC],
            True,
            False,
            [SyncPhase.PRE_SYNC, SyncPhase.POST_SYNC],
        ),
        ({ARGO: "Sync"}, [HookType.SYNC], True, False, [SyncPhase.SYNC]),
        ({ARGO: "SyncFail"}, [HookType.SYNC_FAIL], True, False, [SyncPhase.SYNC_FAIL]),
        ({ARGO: "Skip"}, [HookType.SKIP], False, True, []),
        (
            {HELM: "pre-install,pre-upgrade"},
            [HookType.PRE_SYNC, HookType.PRE_SYNC],
            True,
            False,
            [SyncPhase.PRE_SYNC],
        ),
        ({HELM: "post-install"}, [HookType.POST_SYNC], True, False, [SyncPhase.POST_SYNC]),
        ({HELM: "pre-delete,test"}, [], False, False, []),
        ({ARGO: "PostSync", HELM: "pre-install"}, [HookType.POST_SYNC], True, False, [SyncPhase.POST_SYNC]),
    ],
)
def test_hook_types(
    annotations: dict[str, str], types: list[HookType], hook: bool, skipped: bool, phases: list[SyncPhase]
) -> None:
    o = obj(**annotations)
    assert (hook_types(o), is_hook(o), is_skipped(o), hook_phases(o)) == (types, hook, skipped, phases)


def test_an_unknown_hook_type_names_the_resource() -> None:
    with pytest.raises(HookError) as error:
        hook_types(obj(**{ARGO: "PreSnyc"}))
    assert str(error.value) == 'batch/Job/shop/j: unknown argocd.argoproj.io/hook "PreSnyc"'


@pytest.mark.parametrize(
    ("annotations", "policies"),
    [
        ({ARGO: "PreSync"}, (HookDeletePolicy.BEFORE_HOOK_CREATION,)),
        ({ARGO: "PreSync", POLICY: "HookSucceeded"}, (HookDeletePolicy.HOOK_SUCCEEDED,)),
        (
            {ARGO: "PreSync", POLICY: "HookSucceeded,HookFailed"},
            (HookDeletePolicy.HOOK_SUCCEEDED, HookDeletePolicy.HOOK_FAILED),
        ),
        (
            {HELM: "pre-install", HELM_POLICY: "hook-succeeded,before-hook-creation"},
            (HookDeletePolicy.HOOK_SUCCEEDED, HookDeletePolicy.BEFORE_HOOK_CREATION),
        ),
    ],
)
def test_delete_policies(annotations: dict[str, str], policies: tuple[HookDeletePolicy, ...]) -> None:
    assert delete_policies(obj(**annotations)) == policies


def test_an_unknown_delete_policy_is_an_error() -> None:
    with pytest.raises(HookError, match="hook-delete-policy"):
        delete_policies(obj(**{ARGO: "PreSync", POLICY: "Never-ever"}))


@pytest.mark.parametrize(
    ("annotations", "wave"),
    [
        ({}, 0),
        ({WAVE: "5"}, 5),
        ({WAVE: "-3"}, -3),
        ({WAVE: "+2"}, 2),
        ({WAVE: " 7 "}, 7),
        ({WEIGHT: "-1"}, -1),
        ({WAVE: "2", WEIGHT: "9"}, 2),
    ],
)
def test_sync_wave(annotations: dict[str, str], wave: int) -> None:
    assert sync_wave(obj(**annotations)) == wave


@pytest.mark.parametrize("value", ["", "x", "1.0", "1_000", "--1"])
def test_a_bad_wave_is_an_error_naming_the_resource(value: str) -> None:
    with pytest.raises(SyncWaveError) as error:
        sync_wave(obj(**{WAVE: value}))
    assert str(error.value) == f'batch/Job/shop/j: argocd.argoproj.io/sync-wave "{value}" is not an integer'
    assert sync_wave(obj(**{WAVE: value}), strict=False) == 0


def test_kind_order_is_argos_and_unknown_kinds_come_last() -> None:
    ranks = [kind_order(kind) for kind in KIND_ORDER]
    assert ranks == sorted(ranks) and all(rank < 0 for rank in ranks)
    assert KIND_ORDER[:3] == ("Namespace", "NetworkPolicy", "ResourceQuota")
    assert KIND_ORDER[-2:] == ("Ingress", "APIService")
    assert kind_order("Rollout") == kind_order("Widget") == 0
    assert kind_order("Secret") < kind_order("ConfigMap") < kind_order("Service") < kind_order("Deployment")
