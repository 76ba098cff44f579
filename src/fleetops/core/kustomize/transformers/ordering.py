"""Output order: kustomize's legacy kind order, or input (fifo) order."""

from __future__ import annotations

import functools
from typing import Any

from fleetops.core.kustomize.errors import KustomizeError
from fleetops.core.kustomize.resid import Gvk, ResId
from fleetops.core.kustomize.resource import Resource

DEFAULT_ORDER_FIRST = [
    "Namespace",
    "ResourceQuota",
    "StorageClass",
    "CustomResourceDefinition",
    "ServiceAccount",
    "PodSecurityPolicy",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "ConfigMap",
    "Secret",
    "Endpoints",
    "Service",
    "LimitRange",
    "PriorityClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "Deployment",
    "StatefulSet",
    "CronJob",
    "PodDisruptionBudget",
]
DEFAULT_ORDER_LAST = ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"]


def _gvk_sort_string(gvk: Gvk) -> str:
    return "_".join([gvk.group or "~G", gvk.version or "~V", gvk.kind or "~K"])


def _id_sort_string(res_id: ResId) -> str:
    return "|".join([str(res_id.gvk), res_id.namespace or "~X", res_id.name or "~N"])


def legacy_sort(
    resources: list[Resource], first: list[str] | None = None, last: list[str] | None = None
) -> list[Resource]:
    first = DEFAULT_ORDER_FIRST if first is None else first
    last = DEFAULT_ORDER_LAST if last is None else last
    ranks = {kind: -len(first) + i for i, kind in enumerate(first)}
    ranks.update({kind: 1 + i for i, kind in enumerate(last)})

    def compare(a: tuple[ResId, Resource], b: tuple[ResId, Resource]) -> int:
        ia, ib = a[0], b[0]
        if ia.gvk != ib.gvk:
            ra, rb = ranks.get(ia.gvk.kind, 0), ranks.get(ib.gvk.kind, 0)
            if ra != rb:
                return -1 if ra < rb else 1
            sa, sb = _gvk_sort_string(ia.gvk), _gvk_sort_string(ib.gvk)
            if (
                ia.gvk.kind == "Namespace"
                and ib.gvk.kind == "Namespace"
                and (not ia.gvk.group or not ib.gvk.group)
            ):
                return -1 if sa > sb else (1 if sa < sb else 0)
            return -1 if sa < sb else (1 if sa > sb else 0)
        sa, sb = _id_sort_string(ia), _id_sort_string(ib)
        return -1 if sa < sb else (1 if sa > sb else 0)

    keyed = sorted(((r.cur_id(), r) for r in resources), key=functools.cmp_to_key(compare))
    return [r for _, r in keyed]


def sort_with_options(resources: list[Resource], options: dict[str, Any]) -> list[Resource]:
    order = options.get("order")
    legacy = options.get("legacySortOptions")
    if order not in ("fifo", "legacy"):
        raise KustomizeError("the field 'sortOptions.order' must be one of [fifo, legacy]")
    if order == "fifo" and legacy is not None:
        raise KustomizeError(
            "the field 'sortOptions.legacySortOptions' is set but the selected sort order is 'fifo', "
            "not 'legacy'"
        )
    if order == "fifo":
        return resources
    if legacy is None:
        return legacy_sort(resources)
    return legacy_sort(resources, list(legacy.get("orderFirst") or []), list(legacy.get("orderLast") or []))
