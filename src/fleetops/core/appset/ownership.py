"""What the ApplicationSet controller writes, decided purely: owner references, the
``applicationsSync`` policy, the creates/updates/deletes that turn the existing Applications into
the generated ones, and the ApplicationSet's ``status`` (conditions and ``resources``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from fleetops.core.appset.errors import AppSetError

__all__ = [
    "RESOURCES_FINALIZER",
    "AppChanges",
    "Condition",
    "SyncPolicy",
    "appset_conditions",
    "controller_uid",
    "error_conditions",
    "owner_reference",
    "plan_changes",
    "preserve_resources",
    "resource_entries",
    "sync_policy",
]

from fleetops.core.appset.generate import RESOURCES_FINALIZER

_ALWAYS_PRESERVED_ANNOTATIONS = ("argocd.argoproj.io/refresh", "notified.notifications.argoproj.io")
SUCCESS_MESSAGE = "Successfully generated parameters for all Applications"
RESOURCES_MESSAGE = "All applications have been generated successfully"


@dataclasses.dataclass(frozen=True)
class SyncPolicy:
    """Argo CD's ``applicationsSync``: create-only, create-update, create-delete, sync (default)."""

    name: str = "sync"

    @property
    def allow_update(self) -> bool:
        return self.name in ("create-update", "sync")

    @property
    def allow_delete(self) -> bool:
        return self.name in ("create-delete", "sync")


def sync_policy(spec: Mapping[str, Any]) -> SyncPolicy:
    policy = (spec.get("syncPolicy") or {}).get("applicationsSync") or "sync"
    if policy not in ("create-only", "create-update", "create-delete", "sync"):
        raise AppSetError(
            f"spec.syncPolicy.applicationsSync {policy!r} is not one of "
            "create-only, create-update, create-delete, sync"
        )
    return SyncPolicy(str(policy))


def preserve_resources(spec: Mapping[str, Any]) -> bool:
    return bool((spec.get("syncPolicy") or {}).get("preserveResourcesOnDeletion"))


def owner_reference(appset: Mapping[str, Any]) -> dict[str, Any]:
    metadata = appset.get("metadata") or {}
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "ApplicationSet",
        "name": str(metadata.get("name", "")),
        "uid": str(metadata.get("uid", "")),
        "controller": True,
        "blockOwnerDeletion": True,
    }


def controller_uid(obj: Mapping[str, Any]) -> str | None:
    """The uid of the object's controlling owner (None when it has none)."""
    for reference in (obj.get("metadata") or {}).get("ownerReferences") or []:
        if isinstance(reference, Mapping) and reference.get("controller"):
            return str(reference.get("uid", ""))
    return None


@dataclasses.dataclass(frozen=True)
class AppChanges:
    create: tuple[dict[str, Any], ...] = ()
    update: tuple[dict[str, Any], ...] = ()
    """Whole Applications to write back (``resourceVersion`` of the one read)."""
    delete: tuple[Mapping[str, Any], ...] = ()
    unchanged: tuple[str, ...] = ()


def plan_changes(
    appset: Mapping[str, Any],
    desired: Sequence[Mapping[str, Any]],
    existing: Iterable[Mapping[str, Any]],
    *,
    operations: Mapping[str, Mapping[str, Any]] | None = None,
) -> AppChanges:
    """Creates, updates and deletes within ``applicationsSync``; `existing` are the Applications
    of the ApplicationSet's namespace; `operations` are sync requests to add (by name).
    AppSetError when a generated name belongs to another controller (nothing is written)."""
    spec = appset.get("spec") or {}
    policy = sync_policy(spec)
    reference = owner_reference(appset)
    uid = reference["uid"]
    namespace = str((appset.get("metadata") or {}).get("namespace") or "")
    found = {
        _name(app): app
        for app in existing
        if str((app.get("metadata") or {}).get("namespace") or "") == namespace or not namespace
    }
    requested = operations or {}
    preserved = _preserved_fields(spec)
    create: list[dict[str, Any]] = []
    update: list[dict[str, Any]] = []
    unchanged: list[str] = []
    for generated in desired:
        name = _name(generated)
        current = found.get(name)
        if current is None:
            app = _with_owner(generated, reference)
            if name in requested:
                app["operation"] = dict(requested[name])
            create.append(app)
            continue
        owner = controller_uid(current)
        if owner is not None and owner != uid:
            raise AppSetError(
                f"application {name} is already controlled by another object (owner uid {owner}); "
                "not updating it"
            )
        if not policy.allow_update and name not in requested:
            unchanged.append(name)
            continue
        wanted = _updated(current, generated, reference, preserved) if policy.allow_update else dict(current)
        if name in requested:
            wanted["operation"] = dict(requested[name])
        if wanted == current:
            unchanged.append(name)
        else:
            update.append(wanted)
    names = {_name(app) for app in desired}
    delete = (
        tuple(app for name, app in sorted(found.items()) if name not in names and controller_uid(app) == uid)
        if policy.allow_delete
        else ()
    )
    return AppChanges(tuple(create), tuple(update), delete, tuple(unchanged))


def _name(app: Mapping[str, Any]) -> str:
    return str((app.get("metadata") or {}).get("name", ""))


def _with_owner(generated: Mapping[str, Any], reference: Mapping[str, Any]) -> dict[str, Any]:
    app = {**generated, "metadata": dict(generated.get("metadata") or {})}
    app["metadata"]["ownerReferences"] = [dict(reference)]
    return app


def _preserved_fields(spec: Mapping[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    fields = spec.get("preservedFields") or {}
    annotations = tuple(str(a) for a in fields.get("annotations") or ())
    labels = tuple(str(a) for a in fields.get("labels") or ())
    return (*_ALWAYS_PRESERVED_ANNOTATIONS, *annotations), labels


def _updated(
    current: Mapping[str, Any],
    generated: Mapping[str, Any],
    reference: Mapping[str, Any],
    preserved: tuple[tuple[str, ...], tuple[str, ...]],
) -> dict[str, Any]:
    """Argo CD's update: spec, labels, annotations and finalizers from the template (annotations
    and labels named in ``preservedFields`` kept), the ownerReference set; status and a pending
    ``operation`` untouched."""
    wanted = dict(current)
    metadata = dict(current.get("metadata") or {})
    new = generated.get("metadata") or {}
    old_annotations = metadata.get("annotations") or {}
    old_labels = metadata.get("labels") or {}
    annotations = dict(new.get("annotations") or {})
    annotations.update({k: old_annotations[k] for k in preserved[0] if k in old_annotations})
    labels = dict(new.get("labels") or {})
    labels.update({k: old_labels[k] for k in preserved[1] if k in old_labels})
    for key, value in (("annotations", annotations), ("labels", labels)):
        if value:
            metadata[key] = value
        else:
            metadata.pop(key, None)
    if new.get("finalizers"):
        metadata["finalizers"] = list(new["finalizers"])
    else:
        metadata.pop("finalizers", None)
    others = [r for r in metadata.get("ownerReferences") or [] if not r.get("controller")]
    metadata["ownerReferences"] = [*others, dict(reference)]
    wanted["metadata"] = metadata
    wanted["spec"] = generated.get("spec") or {}
    return wanted


# -- status ----------------------------------------------------------------------------------

Condition = dict[str, Any]


def resource_entries(apps: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """``status.resources``: one entry per generated Application with its sync and health."""
    entries = []
    for app in apps:
        metadata = app.get("metadata") or {}
        status = app.get("status") or {}
        health = status.get("health") or {}
        entry: dict[str, Any] = {
            "group": "argoproj.io",
            "version": "v1alpha1",
            "kind": "Application",
            "name": str(metadata.get("name", "")),
            "namespace": str(metadata.get("namespace", "")),
            "status": str((status.get("sync") or {}).get("status") or "Unknown"),
            "health": {"status": str(health.get("status") or "Unknown")},
        }
        if health.get("message"):
            entry["health"]["message"] = str(health["message"])
        entries.append(entry)
    return sorted(entries, key=lambda e: (e["namespace"], e["name"]))


def _condition(kind: str, status: str, reason: str, message: str) -> Condition:
    return {"type": kind, "status": status, "reason": reason, "message": message}


def appset_conditions(
    previous: Sequence[Mapping[str, Any]],
    *,
    now: str,
    rollout: tuple[str, str, str] | None = None,
) -> list[Condition]:
    """Argo CD's conditions after a successful reconcile (``RolloutProgressing`` with a strategy)."""
    new = [
        _condition("ErrorOccurred", "False", "ApplicationSetUpToDate", SUCCESS_MESSAGE),
        _condition("ParametersGenerated", "True", "ParametersGenerated", SUCCESS_MESSAGE),
        _condition("ResourcesUpToDate", "True", "ApplicationSetUpToDate", RESOURCES_MESSAGE),
    ]
    if rollout is not None:
        new.append(_condition("RolloutProgressing", *rollout))
    return _with_times(previous, new, now)


def error_conditions(
    previous: Sequence[Mapping[str, Any]],
    reason: str,
    message: str,
    *,
    now: str,
    parameters_generated: bool = False,
) -> list[Condition]:
    """Argo CD's conditions after a failed reconcile (other conditions are kept as they were)."""
    new = [
        _condition("ErrorOccurred", "True", reason, message),
        _condition(
            "ParametersGenerated",
            "True" if parameters_generated else "False",
            "ParametersGenerated" if parameters_generated else "ErrorOccurred",
            SUCCESS_MESSAGE if parameters_generated else message,
        ),
        _condition("ResourcesUpToDate", "False", "ErrorOccurred", message),
    ]
    kept = [dict(c) for c in previous if c.get("type") == "RolloutProgressing"]
    return _with_times(previous, [*new, *kept], now)


def _with_times(previous: Sequence[Mapping[str, Any]], new: list[Condition], now: str) -> list[Condition]:
    """``lastTransitionTime`` is kept while a condition's status stays the same."""
    before = {str(c.get("type")): c for c in previous if isinstance(c, Mapping)}
    for condition in new:
        old = before.get(condition["type"])
        same = old is not None and old.get("status") == condition["status"] and old.get("lastTransitionTime")
        condition["lastTransitionTime"] = str(old["lastTransitionTime"]) if same and old else now
    return new
