"""SelfSubjectAccessReview and SelfSubjectReview: RBAC is not enforced, so everything is allowed."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fleetops.kubesim import clock
from fleetops.kubesim.rest.caller import Caller

Manifest = dict[str, Any]


def _groups(identity: str) -> list[str]:
    if identity.startswith("system:serviceaccount:"):
        namespace = identity.split(":")[2]
        return ["system:serviceaccounts", f"system:serviceaccounts:{namespace}", "system:authenticated"]
    return ["system:masters", "system:authenticated"]


def self_review(
    group: str, rest: list[str], caller: Caller, method: str
) -> Callable[[bytes], Manifest] | None:
    if method != "POST" or len(rest) != 1:
        return None
    kind = {
        ("authorization.k8s.io", "selfsubjectaccessreviews"): "SelfSubjectAccessReview",
        ("authorization.k8s.io", "selfsubjectrulesreviews"): "SelfSubjectRulesReview",
        ("authentication.k8s.io", "selfsubjectreviews"): "SelfSubjectReview",
    }.get((group, rest[0]))
    if kind is None:
        return None

    def review(raw: bytes) -> Manifest:
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {}
        api_version = str(body.get("apiVersion") or f"{group}/v1")
        result: Manifest = {
            "kind": kind,
            "apiVersion": api_version,
            "metadata": {"creationTimestamp": clock.rfc3339()},
            "spec": body.get("spec") or {},
        }
        if kind == "SelfSubjectAccessReview":
            result["status"] = {"allowed": True, "reason": "kubesim does not enforce RBAC"}
        elif kind == "SelfSubjectRulesReview":
            result["status"] = {
                "resourceRules": [{"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]}],
                "nonResourceRules": [{"verbs": ["*"], "nonResourceURLs": ["*"]}],
                "incomplete": False,
            }
        else:
            result["status"] = {"userInfo": {"username": caller.identity, "groups": _groups(caller.identity)}}
        return result

    return review
