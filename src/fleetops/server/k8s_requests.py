"""`argocd_app_k8s_request_total` from the kube adapter's request observer: verb, resource kind and
namespace parsed from the request path (kinds from the built-in schema; a custom resource is
labelled with its plural)."""

from __future__ import annotations

from collections.abc import Callable

from fleetops.controller.metrics import Metrics
from fleetops.core.schema import load_schema
from fleetops.model.gvk import GroupVersionResource

VERBS = {"GET": "Get", "POST": "Create", "PUT": "Update", "PATCH": "Patch", "DELETE": "Delete"}


def parse_path(path: str) -> tuple[str, str]:
    """(resource kind, namespace) of an API path; ("", "") for discovery and others."""
    parts = [p for p in path.split("?", 1)[0].split("/") if p]
    if parts[:1] == ["api"] and len(parts) >= 3:
        group, version, rest = "", parts[1], parts[2:]
    elif parts[:1] == ["apis"] and len(parts) >= 4:
        group, version, rest = parts[1], parts[2], parts[3:]
    else:
        return "", ""
    namespace = ""
    if len(rest) >= 3 and rest[0] == "namespaces":
        namespace, rest = rest[1], rest[2:]
    if not rest:
        return "", ""
    info = load_schema().resource_for(GroupVersionResource(group, version, rest[0]))
    return (info.gvk.kind if info is not None else rest[0]), namespace


def request_observer(metrics: Metrics, server: str) -> Callable[[str, str, int], None]:
    def observe(method: str, path: str, status: int) -> None:
        kind, namespace = parse_path(path)
        if not kind:
            return
        verb = VERBS.get(method.upper(), method)
        if verb == "Get" and "watch=" in path:
            verb = "Watch"
        metrics.observe_k8s_request(
            None,
            server=server,
            response_code=status,
            verb=verb,
            resource_kind=kind,
            resource_namespace=namespace,
        )

    return observe
