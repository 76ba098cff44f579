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


_KINDS = {
    ("authorization.k8s.io", "selfsubjectaccessreviews"): "SelfSubjectAccessReview",
    ("authorization.k8s.io", "selfsubjectrulesreviews"): "SelfSubjectRulesReview",
    ("authorization.k8s.io", "subjectaccessreviews"): "SubjectAccessReview",
    ("authorization.k8s.io", "localsubjectaccessreviews"): "LocalSubjectAccessReview",
    ("authentication.k8s.io", "selfsubjectreviews"): "SelfSubjectReview",
    ("authentication.k8s.io", "tokenreviews"): "TokenReview",
}


def self_review(
    group: str, rest: list[str], caller: Caller, method: str, identity_of: Callable[[str], str | None]
) -> Callable[[bytes], Manifest] | None:
    """The handler of a review POST (create-only resources without names), or None for other paths.
    `identity_of` maps a bearer token to its identity (for TokenReview)."""
    if method != "POST" or not rest:
        return None
    if len(rest) == 3 and rest[0] == "namespaces":
        rest = rest[2:]
    if len(rest) != 1:
        return None
    kind = _KINDS.get((group, rest[0]))
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
        if kind in ("SelfSubjectAccessReview", "SubjectAccessReview", "LocalSubjectAccessReview"):
            result["status"] = {"allowed": True, "reason": "kubesim does not enforce RBAC"}
        elif kind == "SelfSubjectRulesReview":
            result["status"] = {
                "resourceRules": [{"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]}],
                "nonResourceRules": [{"verbs": ["*"], "nonResourceURLs": ["*"]}],
                "incomplete": False,
            }
        elif kind == "TokenReview":
            identity = identity_of(str(result["spec"].get("token") or ""))
            if identity is None:
                result["status"] = {"authenticated": False, "error": "invalid bearer token"}
            else:
                result["status"] = {
                    "authenticated": True,
                    "user": {"username": identity, "groups": _groups(identity)},
                    "audiences": result["spec"].get("audiences")
                    or ["https://kubernetes.default.svc.cluster.local"],
                }
        else:
            result["status"] = {"userInfo": {"username": caller.identity, "groups": _groups(caller.identity)}}
        return result

    return review
