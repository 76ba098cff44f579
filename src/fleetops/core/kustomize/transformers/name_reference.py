"""Fix references by name (a Deployment's ConfigMap volume, an HPA's target...) after renames."""

from __future__ import annotations

from typing import Any

from fleetops.core.kustomize.builtin_config import NameBackReference
from fleetops.core.kustomize.errors import KustomizeError
from fleetops.core.kustomize.fieldspec import KEEP, MISSING, FieldSpec, apply_field_spec, split_path
from fleetops.core.kustomize.resid import Gvk
from fleetops.core.kustomize.resmap import ResMap
from fleetops.core.kustomize.resource import Resource


def fix_name_references(resources: ResMap, back_refs: list[NameBackReference]) -> None:
    plan: dict[int, list[tuple[Resource, FieldSpec, Gvk]]] = {}
    order: list[Resource] = []
    for back_ref in back_refs:
        for spec in back_ref.referrers:
            for resource in resources:
                if resource.org_id().gvk.selected_by(spec.gvk) and _has_field(resource.obj, spec.path):
                    if id(resource) not in plan:
                        plan[id(resource)] = []
                        order.append(resource)
                    plan[id(resource)].append((resource, spec, back_ref.target))
    for referrer in order:
        candidates = _could_be_referenced(resources, referrer)
        for _, spec, target in plan[id(referrer)]:
            _fix(referrer, spec, target, candidates)


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


def _could_be_referenced(resources: ResMap, referrer: Resource) -> list[Resource]:
    referrer_id = referrer.cur_id()
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
        cid = candidate.cur_id()
        if cid.gvk.cluster_scoped or cid.ns_equals(referrer_id) or candidate.namespace in binding_namespaces:
            result.append(candidate)
    return result


def _fix(referrer: Resource, spec: FieldSpec, target: Gvk, candidates: list[Resource]) -> None:
    def set_scalar(value: str) -> str:
        referral = _select(referrer, spec, target, value, candidates, by_namespace=False)
        return referral.name if referral is not None else value

    def set_mapping(node: dict[str, Any]) -> dict[str, Any]:
        if "name" not in node:
            raise KustomizeError("path config error; no 'name' field in node")
        old_name = node["name"]
        subset = candidates
        if "namespace" in node:
            namespace = str(node["namespace"])
            scoped = [c for c in candidates if not c.cur_id().gvk.cluster_scoped]
            by_original = [c for c in scoped if c.org_id().effective_namespace == namespace]
            subset = by_original or [c for c in scoped if c.cur_id().effective_namespace == namespace]
        referral = _select(referrer, spec, target, str(old_name), subset, by_namespace=True)
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
    candidates: list[Resource],
    *,
    by_namespace: bool,
) -> Resource | None:
    found = [c for c in candidates if any(i.name == old_name for i in c.all_ids())]
    found = [c for c in found if any(i.gvk.selected_by(target) for i in c.all_ids())]
    if spec.path.endswith("roleRef/name"):
        role_gvk = _role_ref_gvk(referrer)
        if role_gvk is not None:
            found = [c for c in found if any(i.gvk.selected_by(role_gvk) for i in c.all_ids())]
    referrer_id = referrer.cur_id()
    if not referrer_id.gvk.cluster_scoped:
        found = [
            c
            for c in found
            if c.cur_id().gvk.cluster_scoped
            or c.kind == "ServiceAccount"
            or referrer_id.ns_equals(c.cur_id())
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
    ids = ", ".join(str(c.cur_id()) for c in found)
    raise KustomizeError(f" found multiple possible referrals: {ids}")
