"""`plan_sync`: which tasks a sync runs, grouped into ordered steps (gitops-engine `getSyncTasks`).

Steps are (phase, wave) groups in Argo CD's order: PreSync, Sync, PostSync, each by wave; within
a step, tasks in kind order then by name. SyncFail hooks form their own steps, run only when the
sync fails. Pruning happens in the Sync phase: prune waves are reversed (the highest wave of the
pruned objects is pruned in the lowest of their waves, and so on), and PruneLast moves a prune
after the last Sync wave. Prunes that must not happen are reported in `skipped`.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, field, replace
from typing import Any

from fleetops.core.sync import argo_annotations as argo
from fleetops.core.sync import hooks
from fleetops.core.sync.argo_annotations import describe
from fleetops.core.sync.common import ResourceResult, ResultCode, SyncPhase
from fleetops.core.sync.errors import HookError, SyncOptionError, SyncPlanError
from fleetops.core.sync.options import ResourceSyncOptions, SyncOptions, resource_sync_options
from fleetops.core.sync.tasks import SyncTask, TaskOperation, sort_tasks
from fleetops.core.sync.tracking import app_name_of
from fleetops.core.sync.waves import sync_wave
from fleetops.model import manifest as manifests
from fleetops.model.keys import ResourceKey
from fleetops.model.manifest import Manifest

PRUNE_DISABLED = "ignored (requires pruning)"
PRUNE_FALSE = "ignored (no prune)"
PRUNE_UNCONFIRMED = "ignored (waiting for pruning confirmation)"


@dataclass(frozen=True, slots=True)
class SyncStep:
    """The tasks of one (phase, wave), in execution order."""

    phase: SyncPhase
    wave: int
    tasks: tuple[SyncTask, ...]


@dataclass(frozen=True, slots=True)
class SyncPlan:
    steps: tuple[SyncStep, ...]
    sync_fail: tuple[SyncStep, ...] = ()
    skipped: tuple[ResourceResult, ...] = ()
    options: SyncOptions = field(default_factory=SyncOptions)
    created_namespace: str = ""
    """The destination namespace CreateNamespace adds a task for ("" when none)."""
    _orders: dict[tuple[ResourceKey, SyncPhase], int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        everything = [task for step in (*self.steps, *self.sync_fail) for task in step.tasks]
        object.__setattr__(self, "_orders", {task.id: index for index, task in enumerate(everything, 1)})

    @property
    def tasks(self) -> tuple[SyncTask, ...]:
        return tuple(task for step in self.steps for task in step.tasks)

    @property
    def multi_step(self) -> bool:
        """More than one (phase, wave): resources are waited on until healthy between steps."""
        return len(self.steps) > 1

    @property
    def sync_fail_tasks(self) -> tuple[SyncTask, ...]:
        return tuple(task for step in self.sync_fail for task in step.tasks)

    def order_of(self, task: SyncTask) -> int:
        """The 1-based execution order of `task` (SyncFail hooks after every other task)."""
        return self._orders[task.id]


def plan_sync(
    desired: Iterable[Manifest],
    live: Mapping[ResourceKey, Manifest],
    *,
    options: SyncOptions | None = None,
    out_of_sync: Set[ResourceKey] | None = None,
    prune: bool = False,
    resources: Set[ResourceKey] | None = None,
    skip_hooks: bool = False,
    namespace: str = "",
    managed_namespace_metadata: Mapping[str, Any] | None = None,
    revision: str = "",
    sync_id: str = "",
    prune_confirmed: bool = False,
    app: str = "",
) -> SyncPlan:
    """Plan the sync of `desired` onto `live` (the application's managed live objects).

    `out_of_sync`: keys that differ from live (with ApplyOutOfSyncOnly, others are not applied;
    None = all). `resources`: a partial sync of only these keys (hooks are then skipped, as in
    Argo CD). `namespace` and `managed_namespace_metadata`: the destination namespace that
    CreateNamespace creates. `revision` and `sync_id` name hooks that only have a generateName
    (`<generateName><revision[:7]>-<phase>-<sync_id>`; Argo uses the start time as sync id).
    `app`: the application's tracking name; with FailOnSharedResource, a desired object whose
    live object another application tracks is an error.
    Raises `SyncPlanError` (wave, hook, option and shared-resource errors naming the resource).
    """
    options = options or SyncOptions()
    skip_hooks = skip_hooks or resources is not None
    tasks: list[SyncTask] = []
    desired_keys: set[ResourceKey] = set()
    for obj in desired:
        key = ResourceKey.of(obj)
        if key in desired_keys and key.name:
            raise SyncPlanError(f"{key}: the resource appears more than once in the desired manifests")
        desired_keys.add(key)
        if hooks.is_skipped(obj):
            continue
        if hooks.is_hook(obj):
            if not skip_hooks:
                tasks.extend(_hook_tasks(obj, live, revision=revision, sync_id=sync_id))
            continue
        if resources is not None and key not in resources:
            continue
        if options.fail_on_shared_resource and app and key in live:
            owner = app_name_of(live[key])
            if owner is not None and owner != app:
                raise SyncPlanError(f"{key}: shared resource: it is already managed by application {owner}")
        if (
            options.apply_out_of_sync_only
            and key in live
            and out_of_sync is not None
            and key not in out_of_sync
        ):
            continue
        tasks.append(_resource_task(obj, key, live.get(key), options))

    skipped: list[ResourceResult] = []
    prune_tasks: list[SyncTask] = []
    for key, obj in sorted(live.items()):
        if key in desired_keys or hooks.is_hook(obj) or (resources is not None and key not in resources):
            continue
        task, reason = _prune_task(obj, key, prune=prune, confirmed=prune_confirmed)
        if task is None:
            skipped.append(ResourceResult(key, ResultCode.PRUNE_SKIPPED, message=reason))
        else:
            prune_tasks.append(task)
    tasks.extend(_prune_waves(prune_tasks, tasks, options))

    namespace_task = _namespace_task(
        namespace, managed_namespace_metadata, desired_keys, live, options, tasks
    )
    if namespace_task is not None:
        tasks.append(namespace_task)

    ordered = sort_tasks(tasks)
    main = [task for task in ordered if task.phase is not SyncPhase.SYNC_FAIL]
    failure = [task for task in ordered if task.phase is SyncPhase.SYNC_FAIL]
    created = namespace_task.key.name if namespace_task is not None else ""
    return SyncPlan(_steps(main), _steps(failure), tuple(skipped), options, created)


def _resource_task(obj: Manifest, key: ResourceKey, live: Manifest | None, options: SyncOptions) -> SyncTask:
    resource_options = resource_sync_options(obj)
    replace_it = resource_options.replace if resource_options.replace is not None else options.replace
    return SyncTask(
        key,
        SyncPhase.SYNC,
        sync_wave(obj),
        TaskOperation.REPLACE if replace_it else TaskOperation.APPLY,
        target=obj,
        live=live,
        options=resource_options,
    )


def _hook_tasks(
    obj: Manifest, live: Mapping[ResourceKey, Manifest], *, revision: str, sync_id: str
) -> list[SyncTask]:
    wave = sync_wave(obj)
    policies = hooks.delete_policies(obj)
    resource_options = resource_sync_options(obj)
    tasks: list[SyncTask] = []
    phases = hooks.hook_phases(obj)
    if not phases:
        value = manifests.annotations(obj).get(argo.HOOK, "")
        raise HookError(describe(obj), argo.HOOK, value)
    for phase in phases:
        target = _named_hook(obj, phase, revision=revision, sync_id=sync_id)
        key = ResourceKey.of(target)
        tasks.append(
            SyncTask(
                key,
                phase,
                wave,
                TaskOperation.HOOK,
                target=target,
                live=live.get(key),
                hook_type=hooks.hook_type_for(obj, phase),
                delete_policies=policies,
                options=resource_options,
            )
        )
    return tasks


def _named_hook(obj: Manifest, phase: SyncPhase, *, revision: str, sync_id: str) -> Manifest:
    metadata = obj.get("metadata")
    if not isinstance(metadata, Mapping):
        metadata = {}
    if metadata.get("name"):
        return obj
    generate_name = metadata.get("generateName")
    if not isinstance(generate_name, str) or not generate_name:
        raise SyncPlanError(f"{describe(obj)}: a hook needs metadata.name or metadata.generateName")
    short = revision[:7] if len(revision) >= 8 else revision
    named = copy.deepcopy(obj)
    named["metadata"]["name"] = f"{generate_name}{f'{short}-{phase}-{sync_id}'.lower()}"
    return named


def _prune_task(
    obj: Manifest, key: ResourceKey, *, prune: bool, confirmed: bool
) -> tuple[SyncTask | None, str]:
    try:
        resource_options = resource_sync_options(obj)
    except SyncOptionError as error:
        return None, f"ignored (invalid sync options: {error})"
    if not prune:
        return None, PRUNE_DISABLED
    if not resource_options.prune:
        return None, PRUNE_FALSE
    if resource_options.prune_requires_confirmation and not confirmed:
        return None, PRUNE_UNCONFIRMED
    wave = sync_wave(obj, strict=False)
    return SyncTask(key, SyncPhase.SYNC, wave, TaskOperation.PRUNE, live=obj, options=resource_options), ""


def _prune_waves(prune_tasks: list[SyncTask], others: list[SyncTask], options: SyncOptions) -> list[SyncTask]:
    """Reverse the prune waves (a symmetric swap over the distinct waves of the pruned objects),
    then move PruneLast prunes after the last Sync-phase wave."""
    waves = sorted({task.wave for task in prune_tasks})
    mirrored = dict(zip(waves, reversed(waves), strict=True))
    swapped = [replace(task, wave=mirrored[task.wave]) for task in prune_tasks]
    sync_waves = [task.wave for task in [*others, *swapped] if task.phase is SyncPhase.SYNC]
    last = max([0, *sync_waves]) + 1
    return [
        replace(task, wave=last) if options.prune_last or task.options.prune_last else task
        for task in swapped
    ]


def _namespace_task(  # noqa: PLR0917
    namespace: str,
    metadata: Mapping[str, Any] | None,
    desired_keys: set[ResourceKey],
    live: Mapping[ResourceKey, Manifest],
    options: SyncOptions,
    tasks: list[SyncTask],
) -> SyncTask | None:
    """CreateNamespace: a Namespace task before everything else, with managedNamespaceMetadata's
    labels and annotations; none when the namespace is desired anyway, or exists and no
    metadata is managed."""
    if not options.create_namespace or not namespace:
        return None
    key = ResourceKey("", "Namespace", "", namespace)
    if key in desired_keys:
        return None
    existing = live.get(key)
    if existing is not None and not metadata:
        return None
    ns_metadata: dict[str, Any] = {"name": namespace}
    for field_name in ("labels", "annotations"):
        values = (metadata or {}).get(field_name)
        if isinstance(values, Mapping) and values:
            ns_metadata[field_name] = {str(k): str(v) for k, v in values.items()}
    target: Manifest = {"apiVersion": "v1", "kind": "Namespace", "metadata": ns_metadata}
    wave = min([0, *(task.wave for task in tasks if task.phase is SyncPhase.PRE_SYNC)])
    return SyncTask(
        key,
        SyncPhase.PRE_SYNC,
        wave,
        TaskOperation.APPLY,
        target=target,
        live=existing,
        options=ResourceSyncOptions(),
    )


def _steps(tasks: list[SyncTask]) -> tuple[SyncStep, ...]:
    steps: list[SyncStep] = []
    group: list[SyncTask] = []
    for task in tasks:
        if group and (group[0].phase, group[0].wave) != (task.phase, task.wave):
            steps.append(SyncStep(group[0].phase, group[0].wave, tuple(group)))
            group = []
        group.append(task)
    if group:
        steps.append(SyncStep(group[0].phase, group[0].wave, tuple(group)))
    return tuple(steps)
