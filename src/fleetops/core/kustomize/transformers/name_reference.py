"""Fix references by name (a Deployment's ConfigMap volume, an HPA's target...) after renames."""

from __future__ import annotations

from typing import Any

from fleetops.core.kustomize.builtin_config import NameBackReference
from fleetops.core.kustomize.errors import KustomizeError
from fleetops.core.kustomize.fieldspec import KEEP, MISSING, FieldSpec, apply_field_spec, split_path
from fleetops.core.kustomize.resid import Gvk, ResId
from fleetops.core.kustomize.resmap import ResMap
from fleetops.core.kustomize.resource import Resource


class _Ids:
    """Current and all ids of every resource, computed once: names do not change while
    references are fixed (only the referring fields do)."""

    def __init__(self, resources: ResMap) -> None:
        self.current: dict[int, ResId] = {}
        self.all: dict[int, list[ResId]] = {}
        self.previous: dict[int, list[ResId]] = {}
        self.original: dict[int, ResId] = {}
        for resource in resources:
            cur = resource.cur_id()
            self.current[id(resource)] = cur
            self.all[id(resource)] = [cur, *resource.prev_ids]
            self.previous[id(resource)] = list(resource.prev_ids)
            self.original[id(resource)] = resource.prev_ids[0] if resource.prev_ids else cur


def fix_name_references(resources: ResMap, back_refs: list[NameBackReference]) -> None:
    ids = _Ids(resources)
    plan: dict[int, list[tuple[Resource, FieldSpec, Gvk]]] = {}
    order: list[Resource] = []
    org_gvks = {id(r): ids.original[id(r)].gvk for r in resources}
    for back_ref in back_refs:
        for spec in back_ref.referrers:
            for resource in resources:
                if org_gvks[id(resource)].selected_by(spec.gvk) and _has_field(resource.obj, spec.path):
                    if id(resource) not in plan:
                        plan[id(resource)] = []
                        order.append(resource)
                    plan[id(resource)].append((resource, spec, back_ref.target))
    for referrer in order:
        candidates = _could_be_referenced(resources, referrer, ids)
        for _, spec, target in plan[id(referrer)]:
            _fix(referrer, spec, target, candidates, ids)


def _has_field(obj: Any, path: str) -> bool:
    return _has(obj, split_path(path))


def _has(node: Any, parts: list[str]) -> bool:
    if not parts:
        return True
    if isinstance(node, list):
        return any(_has(item, parts) for item in node)
    if not isinstance(node, dict):
        return False
    name = parts[0][:-2] if parts[0].endswith("[]") else parts[0]
    return name in node and _has(node[name], parts[1:])


def _could_be_referenced(resources: ResMap, referrer: Resource, ids: _Ids) -> list[Resource]:
    referrer_id = ids.current[id(referrer)]
    if referrer_id.gvk.cluster_scoped:
        return list(resources)
    binding_namespaces: set[str] = set()
    if referrer.kind in ("RoleBinding", "ClusterRoleBinding"):
        for subject in referrer.obj.get("subjects") or []:
            if (
                isinstance(subject, dict)
                and subject.get("kind") == "ServiceAccount"
                and "namespace" in subject
            ):
                if subject["namespace"] in (None, ""):
                    raise KustomizeError(
                        f"Invalid Input: namespace is blank for resource {referrer.cur_id()}"
                    )
                binding_namespaces.add(str(subject["namespace"]))
    result = []
    for candidate in resources:
        cid = ids.current[id(candidate)]
        if cid.gvk.cluster_scoped or cid.ns_equals(referrer_id) or candidate.namespace in binding_namespaces:
            result.append(candidate)
    return result


def _fix(referrer: Resource, spec: FieldSpec, target: Gvk, candidates: list[Resource], ids: _Ids) -> None:
    def set_scalar(value: str) -> str:
        referral = _select(referrer, spec, target, value, candidates=candidates, ids=ids, by_namespace=False)
        return referral.name if referral is not None else value

    def set_mapping(node: dict[str, Any]) -> dict[str, Any]:
        if "name" not in node:
            raise KustomizeError("path config error; no 'name' field in node")
        old_name = node["name"]
        subset = candidates
        if "namespace" in node:
            namespace = str(node["namespace"])
            scoped = [c for c in candidates if not ids.current[id(c)].gvk.cluster_scoped]
            by_original = [c for c in scoped if ids.original[id(c)].effective_namespace == namespace]
            subset = by_original or [c for c in scoped if ids.current[id(c)].effective_namespace == namespace]
        referral = _select(
            referrer, spec, target, str(old_name), candidates=subset, ids=ids, by_namespace=True
        )
        if referral is None:
            return node
        if referral.name == old_name and referral.namespace == "":
            return node
        node["name"] = referral.name
        if referral.namespace:
            node["namespace"] = referral.namespace
        return node

    def setter(value: Any) -> Any:
        if value is MISSING or value is None:
            return KEEP
        if isinstance(value, str):
            return set_scalar(value)
        if isinstance(value, dict):
            return set_mapping(value)
        if isinstance(value, list):
            return [
                set_scalar(v) if isinstance(v, str) else set_mapping(v) if isinstance(v, dict) else v
                for v in value
            ]
        return KEEP

    try:
        apply_field_spec(referrer.obj, FieldSpec(spec.path, create=spec.create), setter)
    except KustomizeError as error:
        raise KustomizeError(
            f"updating name reference in '{spec.path}' field of '{referrer.cur_id()}': {error}"
        ) from None


def _role_ref_gvk(referrer: Resource) -> Gvk | None:
    role_ref = referrer.obj.get("roleRef")
    if not isinstance(role_ref, dict) or "apiGroup" not in role_ref or "kind" not in role_ref:
        return None
    return Gvk(str(role_ref.get("apiGroup") or ""), "", str(role_ref.get("kind") or ""))


def _select(
    referrer: Resource,
    spec: FieldSpec,
    target: Gvk,
    old_name: str,
    *,
    candidates: list[Resource],
    ids: _Ids,
    by_namespace: bool,
) -> Resource | None:
    # kustomize sieves on previous ids only: a resource never renamed, moved or re-kinded is
    # no candidate (a reference to it needs no fix), so it cannot make a reference ambiguous
    found = [c for c in candidates if any(i.name == old_name for i in ids.previous[id(c)])]
    found = [c for c in found if any(i.gvk.selected_by(target) for i in ids.previous[id(c)])]
    if spec.path.endswith("roleRef/name"):
        role_gvk = _role_ref_gvk(referrer)
        if role_gvk is not None:
            found = [c for c in found if any(i.gvk.selected_by(role_gvk) for i in ids.previous[id(c)])]
    referrer_id = ids.current[id(referrer)]
    if not referrer_id.gvk.cluster_scoped:
        found = [
            c
            for c in found
            if ids.current[id(c)].gvk.cluster_scoped
            or c.kind == "ServiceAccount"
            or referrer_id.ns_equals(ids.current[id(c)])
        ]
    if len(found) == 1:
        return found[0]
    found = [c for c in found if c.prefixes_suffixes_equal(referrer, allow_empty=True)]
    if len(found) == 1:
        return found[0]
    found = [c for c in found if c.prefixes_suffixes_equal(referrer)]
    if len(found) == 1:
        return found[0]
    if not found:
        return None
    if all(
        c.name == found[0].name and (not by_namespace or c.namespace == found[0].namespace) for c in found
    ):
        return found[0]
    listed = ", ".join(str(ids.current[id(c)]) for c in found)
    raise KustomizeError(f" found multiple possible referrals: {listed}")
