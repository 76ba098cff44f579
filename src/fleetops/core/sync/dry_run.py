"""The dry-run pass before a sync writes anything (gitops-engine `syncContext.Sync()`: "Perform a
`kubectl apply --dry-run` against all the manifests ... If anything fails, we will refuse to
perform the sync"), server-side (`dryRun=All`).

Which tasks take part: every task of the plan's phases except SyncFail hooks (they only run when
the sync fails). The destination namespace that CreateNamespace adds is created for real first
("Before doing any validation, we have to create the application namespace if it does not
exist", gitops-engine): `namespace_task(plan)`, then not dry-run. Not dry-run either: a
namespaced object whose namespace is a Namespace of this very sync's manifests (the server
would answer "namespace not found"), a custom resource whose CustomResourceDefinition this very
sync creates; the engine also skips an object whose kind the server does not know when it
carries `SkipDryRunOnMissingResource=true` (or the application does).
"""

from __future__ import annotations

from collections.abc import Iterable

from fleetops.core.sync.plan import SyncPlan
from fleetops.core.sync.tasks import SyncTask

DRY_RUN_FAILED = "one or more objects failed to apply (dry run)"


def namespace_task(plan: SyncPlan) -> SyncTask | None:
    """The CreateNamespace task, which the engine runs before the dry-run."""
    if not plan.created_namespace:
        return None
    return next(
        (
            task
            for task in plan.tasks
            if (task.key.group, task.key.kind, task.key.name) == ("", "Namespace", plan.created_namespace)
            and not task.is_prune
        ),
        None,
    )


def dry_run_tasks(plan: SyncPlan) -> list[SyncTask]:
    """The tasks the dry-run pass tries, in plan order."""
    created_namespaces: set[str] = set()
    created_kinds: set[tuple[str, str]] = set()
    first = namespace_task(plan)
    for task in plan.tasks:
        if task.is_prune or task.target is None or task is first:
            continue
        key = task.key
        if (key.group, key.kind) == ("", "Namespace"):
            created_namespaces.add(key.name)
        elif (key.group, key.kind) == ("apiextensions.k8s.io", "CustomResourceDefinition"):
            spec = task.target.get("spec")
            names = spec.get("names") if isinstance(spec, dict) else None
            group = spec.get("group") if isinstance(spec, dict) else None
            kind = names.get("kind") if isinstance(names, dict) else None
            if isinstance(group, str) and isinstance(kind, str):
                created_kinds.add((group, kind))
    chosen: list[SyncTask] = []
    for task in plan.tasks:
        key = task.key
        if task is first:
            continue
        if not task.is_prune and key.namespace and key.namespace in created_namespaces:
            continue
        if not task.is_prune and (key.group, key.kind) in created_kinds:
            continue
        chosen.append(task)
    return chosen


def skips_missing_kind(task: SyncTask, plan: SyncPlan) -> bool:
    """May the dry-run skip `task` when the server does not know its kind?"""
    return task.options.skip_dry_run_on_missing_resource or plan.options.skip_dry_run_on_missing_resource


def failed_tasks(plan: SyncPlan, failures: Iterable[tuple[SyncTask, str]]) -> list[tuple[SyncTask, str]]:
    """`failures` in plan order (the engine may dry-run concurrently)."""
    return sorted(failures, key=lambda item: plan.order_of(item[0]))
