"""`as=Table` responses for `kubectl get`: the standard columns of common kinds, CRD printer columns."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fleetops.core.schema.resource_info import ResourceInfo
from fleetops.kubesim import clock
from fleetops.kubesim.http.more_tables import MORE_KINDS

Manifest = dict[str, Any]
Column = tuple[str, str, str, int]
"""(name, type, description, priority); priority 1 columns show only with `-o wide`."""
Cells = Callable[[Manifest], list[Any]]

_NAME: Column = ("Name", "string", "Name must be unique within a namespace.", 0)
_AGE: Column = (
    "Age",
    "string",
    "CreationTimestamp is a timestamp representing the server time when this object was created.",
    0,
)


def _meta(obj: Manifest) -> Manifest:
    return obj.get("metadata") or {}


def _age(obj: Manifest) -> str:
    return clock.human_age(str(_meta(obj).get("creationTimestamp") or ""))


def _containers(obj: Manifest) -> list[Manifest]:
    spec = (obj.get("spec") or {}).get("template", {}).get("spec") or {}
    return list(spec.get("containers") or [])


def _selector_text(selector: Manifest | None) -> str:
    if not selector:
        return "<none>"
    parts = [f"{k}={v}" for k, v in (selector.get("matchLabels") or {}).items()]
    for expression in selector.get("matchExpressions") or []:
        values = ",".join(expression.get("values") or [])
        parts.append(f"{expression.get('key')} {str(expression.get('operator', '')).lower()} ({values})")
    return ",".join(parts) or "<none>"


def _pod_cells(obj: Manifest) -> list[Any]:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    statuses = status.get("containerStatuses") or []
    ready = sum(1 for s in statuses if s.get("ready"))
    restarts = sum(int(s.get("restartCount") or 0) for s in statuses)
    reason = status.get("reason") or status.get("phase") or "Pending"
    for container in statuses:
        waiting = (container.get("state") or {}).get("waiting")
        if waiting and waiting.get("reason"):
            reason = waiting["reason"]
    if _meta(obj).get("deletionTimestamp"):
        reason = "Terminating"
    return [
        _meta(obj).get("name"),
        f"{ready}/{len(spec.get('containers') or [])}",
        reason,
        restarts,
        _age(obj),
        status.get("podIP") or "<none>",
        spec.get("nodeName") or "<none>",
        "<none>",
        "<none>",
    ]


def _deployment_cells(obj: Manifest) -> list[Any]:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    containers = _containers(obj)
    return [
        _meta(obj).get("name"),
        f"{status.get('readyReplicas', 0)}/{spec.get('replicas', 0)}",
        status.get("updatedReplicas", 0),
        status.get("availableReplicas", 0),
        _age(obj),
        ",".join(c.get("name", "") for c in containers),
        ",".join(c.get("image", "") for c in containers),
        _selector_text(spec.get("selector")),
    ]


def _replica_set_cells(obj: Manifest) -> list[Any]:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    containers = _containers(obj)
    return [
        _meta(obj).get("name"),
        spec.get("replicas", 0),
        status.get("replicas", 0),
        status.get("readyReplicas", 0),
        _age(obj),
        ",".join(c.get("name", "") for c in containers),
        ",".join(c.get("image", "") for c in containers),
        _selector_text(spec.get("selector")),
    ]


def _stateful_set_cells(obj: Manifest) -> list[Any]:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    containers = _containers(obj)
    return [
        _meta(obj).get("name"),
        f"{status.get('readyReplicas', 0)}/{spec.get('replicas', 0)}",
        _age(obj),
        ",".join(c.get("name", "") for c in containers),
        ",".join(c.get("image", "") for c in containers),
    ]


def _daemon_set_cells(obj: Manifest) -> list[Any]:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    selector = ((spec.get("template") or {}).get("spec") or {}).get("nodeSelector") or {}
    return [
        _meta(obj).get("name"),
        status.get("desiredNumberScheduled", 0),
        status.get("currentNumberScheduled", 0),
        status.get("numberReady", 0),
        status.get("updatedNumberScheduled", 0),
        status.get("numberAvailable", 0),
        ",".join(f"{k}={v}" for k, v in selector.items()) or "<none>",
        _age(obj),
    ]


def _service_cells(obj: Manifest) -> list[Any]:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    ingress = (status.get("loadBalancer") or {}).get("ingress") or []
    external = ",".join(i.get("ip") or i.get("hostname") or "" for i in ingress)
    if not external:
        external = "<pending>" if spec.get("type") == "LoadBalancer" else "<none>"
    ports = []
    for port in spec.get("ports") or []:
        text = str(port.get("port"))
        if port.get("nodePort"):
            text += f":{port['nodePort']}"
        ports.append(f"{text}/{port.get('protocol', 'TCP')}")
    selector = spec.get("selector") or {}
    return [
        _meta(obj).get("name"),
        spec.get("type", "ClusterIP"),
        spec.get("clusterIP") or "<none>",
        external,
        ",".join(ports) or "<none>",
        _age(obj),
        ",".join(f"{k}={v}" for k, v in selector.items()) or "<none>",
    ]


def _config_map_cells(obj: Manifest) -> list[Any]:
    return [_meta(obj).get("name"), len(obj.get("data") or {}) + len(obj.get("binaryData") or {}), _age(obj)]


def _secret_cells(obj: Manifest) -> list[Any]:
    return [_meta(obj).get("name"), obj.get("type", "Opaque"), len(obj.get("data") or {}), _age(obj)]


def _namespace_cells(obj: Manifest) -> list[Any]:
    return [_meta(obj).get("name"), (obj.get("status") or {}).get("phase", "Active"), _age(obj)]


def _service_account_cells(obj: Manifest) -> list[Any]:
    return [_meta(obj).get("name"), len(obj.get("secrets") or []), _age(obj)]


def _job_cells(obj: Manifest) -> list[Any]:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    phase = "Running"
    for condition in status.get("conditions") or []:
        if condition.get("status") == "True" and condition.get("type") in ("Complete", "Failed"):
            phase = condition["type"]
    return [
        _meta(obj).get("name"),
        phase,
        f"{status.get('succeeded', 0)}/{spec.get('completions', 1)}",
        "",
        _age(obj),
    ]


def _event_cells(obj: Manifest) -> list[Any]:
    involved = obj.get("involvedObject") or {}
    last = obj.get("lastTimestamp") or obj.get("eventTime") or _meta(obj).get("creationTimestamp") or ""
    return [
        clock.human_age(str(last)),
        obj.get("type", ""),
        obj.get("reason", ""),
        f"{str(involved.get('kind', '')).lower()}/{involved.get('name', '')}",
        obj.get("message", ""),
    ]


def _crd_cells(obj: Manifest) -> list[Any]:
    return [_meta(obj).get("name"), _meta(obj).get("creationTimestamp", "")]


def _node_cells(obj: Manifest) -> list[Any]:
    conditions = (obj.get("status") or {}).get("conditions") or []
    ready = next((c for c in conditions if c.get("type") == "Ready"), None)
    state = "Ready" if ready and ready.get("status") == "True" else "NotReady"
    version = ((obj.get("status") or {}).get("nodeInfo") or {}).get("kubeletVersion", "")
    return [_meta(obj).get("name"), state, "<none>", _age(obj), version]


def _columns(*columns: tuple[str, str, int]) -> list[Column]:
    return [(name, kind, "", priority) for name, kind, priority in columns]


_KINDS: dict[tuple[str, str], tuple[list[Column], Cells]] = {
    ("", "Pod"): (
        [
            _NAME,
            *_columns(("Ready", "string", 0), ("Status", "string", 0), ("Restarts", "string", 0)),
            _AGE,
            *_columns(
                ("IP", "string", 1),
                ("Node", "string", 1),
                ("Nominated Node", "string", 1),
                ("Readiness Gates", "string", 1),
            ),
        ],
        _pod_cells,
    ),
    ("apps", "Deployment"): (
        [
            _NAME,
            *_columns(("Ready", "string", 0), ("Up-to-date", "integer", 0), ("Available", "integer", 0)),
            _AGE,
            *_columns(("Containers", "string", 1), ("Images", "string", 1), ("Selector", "string", 1)),
        ],
        _deployment_cells,
    ),
    ("apps", "ReplicaSet"): (
        [
            _NAME,
            *_columns(("Desired", "integer", 0), ("Current", "integer", 0), ("Ready", "integer", 0)),
            _AGE,
            *_columns(("Containers", "string", 1), ("Images", "string", 1), ("Selector", "string", 1)),
        ],
        _replica_set_cells,
    ),
    ("apps", "StatefulSet"): (
        [
            _NAME,
            *_columns(("Ready", "string", 0)),
            _AGE,
            *_columns(("Containers", "string", 1), ("Images", "string", 1)),
        ],
        _stateful_set_cells,
    ),
    ("apps", "DaemonSet"): (
        [
            _NAME,
            *_columns(
                ("Desired", "integer", 0),
                ("Current", "integer", 0),
                ("Ready", "integer", 0),
                ("Up-to-date", "integer", 0),
                ("Available", "integer", 0),
                ("Node Selector", "string", 0),
            ),
            _AGE,
        ],
        _daemon_set_cells,
    ),
    ("", "Service"): (
        [
            _NAME,
            *_columns(
                ("Type", "string", 0),
                ("Cluster-IP", "string", 0),
                ("External-IP", "string", 0),
                ("Port(s)", "string", 0),
            ),
            _AGE,
            *_columns(("Selector", "string", 1)),
        ],
        _service_cells,
    ),
    ("", "ConfigMap"): ([_NAME, *_columns(("Data", "integer", 0)), _AGE], _config_map_cells),
    ("", "Secret"): ([_NAME, *_columns(("Type", "string", 0), ("Data", "integer", 0)), _AGE], _secret_cells),
    ("", "Namespace"): ([_NAME, *_columns(("Status", "string", 0)), _AGE], _namespace_cells),
    ("", "ServiceAccount"): ([_NAME, *_columns(("Secrets", "integer", 0)), _AGE], _service_account_cells),
    ("batch", "Job"): (
        [
            _NAME,
            *_columns(("Status", "string", 0), ("Completions", "string", 0), ("Duration", "string", 0)),
            _AGE,
        ],
        _job_cells,
    ),
    ("", "Event"): (
        _columns(
            ("Last Seen", "string", 0),
            ("Type", "string", 0),
            ("Reason", "string", 0),
            ("Object", "string", 0),
            ("Message", "string", 0),
        ),
        _event_cells,
    ),
    ("", "Node"): (
        [
            _NAME,
            *_columns(("Status", "string", 0), ("Roles", "string", 0)),
            _AGE,
            *_columns(("Version", "string", 0)),
        ],
        _node_cells,
    ),
    ("apiextensions.k8s.io", "CustomResourceDefinition"): (
        [_NAME, *_columns(("Created At", "date", 0))],
        _crd_cells,
    ),
}


def _json_path(obj: Any, path: str) -> Any:
    current = obj
    for step in path.strip(".").split("."):
        if not step:
            continue
        if isinstance(current, dict):
            current = current.get(step)
        else:
            return None
    return current


def _printer_columns(crd: Manifest | None, version: str) -> list[Manifest]:
    if crd is None:
        return []
    for entry in (crd.get("spec") or {}).get("versions") or []:
        if entry.get("name") == version:
            return list(entry.get("additionalPrinterColumns") or [])
    return []


_KINDS.update(MORE_KINDS)


def columns_and_cells(info: ResourceInfo, crd: Manifest | None) -> tuple[list[Column], Cells]:
    known = _KINDS.get((info.gvk.group, info.gvk.kind))
    if known is not None:
        return known
    printer = _printer_columns(crd, info.gvk.version)
    if not printer:
        return [_NAME, _AGE], lambda obj: [_meta(obj).get("name"), _age(obj)]
    columns: list[Column] = [_NAME]
    for column in printer:
        columns.append(
            (
                str(column.get("name")),
                str(column.get("type", "string")),
                str(column.get("description", "")),
                int(column.get("priority", 0)),
            )
        )
    has_age = any(c.get("jsonPath") == ".metadata.creationTimestamp" for c in printer)
    if not has_age:
        columns.append(_AGE)

    def cells(obj: Manifest) -> list[Any]:
        values: list[Any] = [_meta(obj).get("name")]
        for column in printer:
            value = _json_path(obj, str(column.get("jsonPath", "")))
            if column.get("type") == "date" and isinstance(value, str):
                value = clock.human_age(value)
            values.append(value)
        if not has_age:
            values.append(_age(obj))
        return values

    return columns, cells


def partial_metadata(obj: Manifest) -> Manifest:
    return {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": _meta(obj)}


def to_table(
    info: ResourceInfo,
    objects: list[Manifest],
    list_metadata: Manifest,
    crd: Manifest | None,
    include_object: str = "Metadata",
) -> Manifest:
    columns, cells = columns_and_cells(info, crd)
    rows = []
    for obj in objects:
        row: Manifest = {"cells": cells(obj)}
        if include_object == "Object":
            row["object"] = obj
        elif include_object != "None":
            row["object"] = partial_metadata(obj)
        rows.append(row)
    return {
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": list_metadata,
        "columnDefinitions": [
            {
                "name": name,
                "type": kind,
                "format": "name" if name == "Name" else "",
                "description": description,
                "priority": priority,
            }
            for name, kind, description, priority in columns
        ],
        "rows": rows,
    }
