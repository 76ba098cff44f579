"""The `scale` subresource: an `autoscaling/v1` Scale view of an object's replicas."""

from __future__ import annotations

import copy
from typing import Any

from fleetops.core.schema.resource_info import ResourceInfo
from fleetops.kubesim import errors
from fleetops.kubesim.rest.filters import field_value

Manifest = dict[str, Any]

_DEFAULT_PATHS = (".spec.replicas", ".status.replicas", None)


def _paths(info: ResourceInfo) -> tuple[str, str, str | None]:
    if info.scale is not None:
        return info.scale.spec_replicas_path, info.scale.status_replicas_path, info.scale.label_selector_path
    return _DEFAULT_PATHS


def _selector(obj: Manifest, info: ResourceInfo, path: str | None) -> str:
    if path is not None:
        return field_value(obj, path.lstrip(".")) or ""
    selector = (obj.get("spec") or {}).get("selector") or {}
    if info.gvk.kind == "ReplicationController":
        return ",".join(f"{k}={v}" for k, v in selector.items())
    parts = [f"{k}={v}" for k, v in (selector.get("matchLabels") or {}).items()]
    for expression in selector.get("matchExpressions") or []:
        values = ",".join(expression.get("values") or [])
        parts.append(f"{expression.get('key')} {str(expression.get('operator', '')).lower()} ({values})")
    return ",".join(parts)


def scale_of(obj: Manifest, info: ResourceInfo) -> Manifest:
    spec_path, status_path, selector_path = _paths(info)
    metadata = obj["metadata"]
    spec_replicas = field_value(obj, spec_path.lstrip("."))
    status_replicas = field_value(obj, status_path.lstrip("."))
    status: Manifest = {"replicas": int(status_replicas or 0)}
    selector = _selector(obj, info, selector_path)
    if selector:
        status["selector"] = selector
    return {
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": {
            key: metadata[key]
            for key in ("name", "namespace", "uid", "resourceVersion", "creationTimestamp")
            if key in metadata
        },
        "spec": {"replicas": int(spec_replicas or 0)},
        "status": status,
    }


def with_replicas(obj: Manifest, info: ResourceInfo, scale: Manifest) -> Manifest:
    replicas = (scale.get("spec") or {}).get("replicas")
    if not isinstance(replicas, int) or isinstance(replicas, bool) or replicas < 0:
        raise errors.invalid(
            "Scale",
            "autoscaling",
            str(obj["metadata"]["name"]),
            [
                errors.Cause(
                    "FieldValueInvalid",
                    f"Invalid value: {replicas}: must be greater than or equal to 0",
                    "spec.replicas",
                )
            ],
        )
    spec_path, _, _ = _paths(info)
    changed = copy.deepcopy(obj)
    steps = spec_path.strip(".").split(".")
    target = changed
    for step in steps[:-1]:
        target = target.setdefault(step, {})
    target[steps[-1]] = replicas
    wanted_rv = (scale.get("metadata") or {}).get("resourceVersion")
    if wanted_rv:
        changed["metadata"]["resourceVersion"] = wanted_rv
    else:
        changed["metadata"].pop("resourceVersion", None)
    return changed
