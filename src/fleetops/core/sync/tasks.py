"""`SyncTask`: one thing a sync does to one resource in one phase, and Argo CD's task order
(phase, wave, kind, name; then namespaces before what they contain and CRDs before their
custom resources — gitops-engine `sync_tasks.go`)."""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from fleetops.core.sync.common import HookDeletePolicy, HookType, SyncPhase
from fleetops.core.sync.options import ResourceSyncOptions
from fleetops.core.sync.waves import kind_order
from fleetops.model.keys import ResourceKey
from fleetops.model.manifest import Manifest


class TaskOperation(enum.StrEnum):
    APPLY = "apply"  # server-side apply of the desired object
    REPLACE = "replace"  # Replace=true: create, or PUT over the live object
    PRUNE = "prune"  # delete a live object no longer desired
    HOOK = "hook"  # create a hook object for this phase


@dataclass(frozen=True, slots=True)
class SyncTask:
    key: ResourceKey
    phase: SyncPhase
    wave: int
    operation: TaskOperation
    target: Manifest | None = field(default=None, compare=False, repr=False)
    live: Manifest | None = field(default=None, compare=False, repr=False)
    hook_type: HookType | None = None
    delete_policies: tuple[HookDeletePolicy, ...] = ()
    options: ResourceSyncOptions = field(default_factory=ResourceSyncOptions, compare=False, repr=False)

    @property
    def is_hook(self) -> bool:
        return self.operation is TaskOperation.HOOK

    @property
    def is_prune(self) -> bool:
        return self.operation is TaskOperation.PRUNE

    @property
    def id(self) -> tuple[ResourceKey, SyncPhase]:
        """A hook running in two phases is two tasks: the phase is part of a task's identity."""
        return (self.key, self.phase)

    def __str__(self) -> str:
        return f"{self.phase}/{self.wave} {self.operation} {self.key}"


def sort_key(task: SyncTask) -> tuple[int, int, int, str, str, str]:
    return (
        task.phase.order,
        task.wave,
        kind_order(task.key.kind),
        task.key.name,
        task.key.namespace,
        task.key.group,
    )


def sort_tasks(tasks: Sequence[SyncTask]) -> list[SyncTask]:
    ordered = sorted(tasks, key=sort_key)
    ordered = _adjust_dependencies(ordered, _namespace_provided, _namespace_used)
    return _adjust_dependencies(ordered, _crd_provided, _kind_used)


def _adjust_dependencies(
    tasks: list[SyncTask],
    provides: Callable[[Mapping[str, Any]], str | None],
    uses: Callable[[Mapping[str, Any]], str | None],
) -> list[SyncTask]:
    """Move each dependency (a Namespace, a CRD) just before the first task that needs it,
    into that task's phase and wave."""
    tasks = list(tasks)
    first_use: dict[str, int] = {}
    for index in range(len(tasks)):
        task = tasks[index]
        if task.target is None:
            continue
        provided = provides(task.target)
        if provided is not None:
            if provided in first_use:
                at = first_use[provided]
                moved = replace(task, phase=tasks[at].phase, wave=tasks[at].wave)
                del tasks[index]
                tasks.insert(at, moved)
                for dependency, position in first_use.items():
                    if position >= at:
                        first_use[dependency] = position + 1
            continue
        used = uses(task.target)
        if used is not None and used not in first_use:
            first_use[used] = index
    return tasks


def _namespace_provided(obj: Mapping[str, Any]) -> str | None:
    key = ResourceKey.of(obj)
    return key.name if (key.group, key.kind) == ("", "Namespace") else None


def _namespace_used(obj: Mapping[str, Any]) -> str | None:
    return ResourceKey.of(obj).namespace or None


def _crd_provided(obj: Mapping[str, Any]) -> str | None:
    key = ResourceKey.of(obj)
    if (key.group, key.kind) != ("apiextensions.k8s.io", "CustomResourceDefinition"):
        return None
    spec = obj.get("spec")
    if not isinstance(spec, Mapping):
        return None
    names = spec.get("names")
    group, kind = spec.get("group"), names.get("kind") if isinstance(names, Mapping) else None
    return f"{group}/{kind}" if isinstance(group, str) and isinstance(kind, str) else None


def _kind_used(obj: Mapping[str, Any]) -> str | None:
    key = ResourceKey.of(obj)
    return f"{key.group}/{key.kind}"
