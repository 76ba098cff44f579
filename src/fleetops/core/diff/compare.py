"""``compare_app``: an Application's desired objects against the live objects it tracks.

Each desired object is diffed with its live copy (missing ones are OutOfSync); a live object the
application tracks that is no longer desired requires pruning and makes the application
OutOfSync, unless it is annotated ``argocd.argoproj.io/compare-options: IgnoreExtraneous``.
Hooks (``argocd.argoproj.io/hook``, ``helm.sh/hook``) are not compared, as in Argo CD. An object
that cannot be compared makes the application's sync status Unknown.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from fleetops.core.diff.compute import FIELD_MANAGER, diff
from fleetops.core.diff.ignore import IgnoreRules
from fleetops.core.diff.normalize import KindFacts, normalize
from fleetops.core.diff.result import ResourceDiff, render_yaml_diff
from fleetops.core.diff.secrets import is_secret, mask_secret
from fleetops.core.schema import KubeSchema
from fleetops.model import manifest as manifests
from fleetops.model.keys import ResourceKey

__all__ = ["ComparisonResult", "ResourceComparison", "SyncStatus", "compare_app", "resource_key"]

Manifest = dict[str, Any]
SyncStatus = Literal["Synced", "OutOfSync", "Unknown"]

COMPARE_OPTIONS = "argocd.argoproj.io/compare-options"
HOOK_ANNOTATIONS = ("argocd.argoproj.io/hook", "helm.sh/hook")


@dataclass(frozen=True, slots=True)
class ResourceComparison:
    """One object's comparison: a desired object (maybe missing live) or an extraneous live one.

    ``pruned_live`` is an extraneous object as it is live (normalized, Secret values masked).
    """

    key: ResourceKey
    status: SyncStatus
    diff: ResourceDiff | None = None
    requires_pruning: bool = False
    ignore_extraneous: bool = False
    error: str | None = None
    pruned_live: Manifest | None = None

    def render_diff(self, *, context: int = 3) -> str:
        """The diff text of this object (a pruned one shows as removed); empty when in sync."""
        if self.requires_pruning and self.pruned_live is not None:
            return render_yaml_diff(self.key, self.pruned_live, None, context=context)
        return self.diff.render_diff(context=context) if self.diff is not None else ""


@dataclass(frozen=True, slots=True)
class ComparisonResult:
    """Per-resource results, in desired order then extraneous objects by key, and the app's status."""

    resources: tuple[ResourceComparison, ...]
    sync_status: SyncStatus

    def out_of_sync(self) -> list[ResourceComparison]:
        return [r for r in self.resources if r.status == "OutOfSync"]

    def requires_pruning(self) -> list[ResourceKey]:
        return [r.key for r in self.resources if r.requires_pruning]

    def errors(self) -> list[ResourceComparison]:
        return [r for r in self.resources if r.error is not None]

    def render_diff(self, *, context: int = 3) -> str:
        """Every difference, object after object, as ``argocd app diff`` prints them."""
        return "".join(resource.render_diff(context=context) for resource in self.resources)


def resource_key(obj: Manifest, schema: KubeSchema, namespace: str = "") -> ResourceKey:
    """The key of ``obj``; a namespaced object without a namespace goes to ``namespace``."""
    key = ResourceKey.of(obj)
    if not key.namespace and namespace and schema.is_namespaced(key.group_kind) is not False:
        return ResourceKey(key.group, key.kind, namespace, key.name)
    return key


def compare_app(
    desired: Sequence[Manifest],
    live: Mapping[ResourceKey, Manifest],
    *,
    schema: KubeSchema,
    manager: str = FIELD_MANAGER,
    ignore: IgnoreRules | None = None,
    respect_ignore: bool = False,
    namespace: str = "",
    takeover: Collection[str] = (),
) -> ComparisonResult:
    """Compare an application's desired objects with the live objects it tracks.

    ``live`` holds the live objects tracked by the application (and may hold others: a live
    object is looked up by each desired object's key); ``namespace`` is the destination
    namespace for namespaced objects that name none; ``takeover`` as for ``diff``.
    """
    results: list[ResourceComparison] = []
    seen: set[ResourceKey] = set()
    for obj in desired:
        if _is_hook(obj):
            continue
        key = resource_key(obj, schema, namespace)
        if key in seen:
            results.append(ResourceComparison(key, "Unknown", error=f"{key} appears more than once"))
            continue
        seen.add(key)
        try:
            result = diff(
                obj,
                live.get(key),
                schema=schema,
                manager=manager,
                ignore=ignore,
                respect_ignore=respect_ignore,
                takeover=takeover,
            )
        except ValueError as error:
            reason = type(error).__name__ if is_secret(obj) else str(error)  # may quote a value
            results.append(ResourceComparison(key, "Unknown", error=f"{key}: {reason}"))
            continue
        results.append(ResourceComparison(key, "OutOfSync" if result.modified else "Synced", result))
    for key in sorted(set(live) - seen):
        obj = live[key]
        if _is_hook(obj):
            continue
        extraneous = "IgnoreExtraneous" in _options(obj)
        shown = mask_secret(normalize(obj, KindFacts.of(obj, schema)))
        results.append(
            ResourceComparison(
                key, "OutOfSync", requires_pruning=True, ignore_extraneous=extraneous, pruned_live=shown
            )
        )
    return ComparisonResult(tuple(results), _overall(results))


def _overall(results: list[ResourceComparison]) -> SyncStatus:
    if any(r.status == "Unknown" for r in results):
        return "Unknown"
    if any(r.status == "OutOfSync" and not r.ignore_extraneous for r in results):
        return "OutOfSync"
    return "Synced"


def _is_hook(obj: Manifest) -> bool:
    annotations = manifests.annotations(obj)
    return any(name in annotations for name in HOOK_ANNOTATIONS)


def _options(obj: Manifest) -> set[str]:
    text = manifests.annotations(obj).get(COMPARE_OPTIONS) or ""
    return {part.strip() for part in str(text).split(",")}
