"""Table columns of further common kinds (Ingress, PVC, PV, StorageClass, CronJob, HPA), as the
API server's printers define them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fleetops.kubesim import clock

Manifest = dict[str, Any]
Column = tuple[str, str, str, int]
Cells = Callable[[Manifest], list[Any]]


def _name(obj: Manifest) -> Any:
    return (obj.get("metadata") or {}).get("name")


def _age(obj: Manifest) -> str:
    return clock.human_age(str((obj.get("metadata") or {}).get("creationTimestamp") or ""))


def _cols(*names: str, wide: tuple[str, ...] = ()) -> list[Column]:
    found: list[Column] = [("Name", "string", "", 0)]
    found += [(n, "string", "", 0) for n in names]
    found.append(("Age", "string", "", 0))
    found += [(n, "string", "", 1) for n in wide]
    return found


def _ingress(obj: Manifest) -> list[Any]:
    spec = obj.get("spec") or {}
    hosts = ",".join(str(rule.get("host")) for rule in spec.get("rules") or [] if rule.get("host")) or "*"
    ingress = ((obj.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
    address = ",".join(str(i.get("ip") or i.get("hostname") or "") for i in ingress)
    ports = "80, 443" if spec.get("tls") else "80"
    return [_name(obj), spec.get("ingressClassName") or "<none>", hosts, address, ports, _age(obj)]


def _pvc(obj: Manifest) -> list[Any]:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    modes = {
        "ReadWriteOnce": "RWO",
        "ReadOnlyMany": "ROX",
        "ReadWriteMany": "RWX",
        "ReadWriteOncePod": "RWOP",
    }
    access = ",".join(modes.get(m, m) for m in status.get("accessModes") or [])
    capacity = (status.get("capacity") or {}).get("storage", "")
    return [
        _name(obj),
        status.get("phase", "Pending"),
        spec.get("volumeName", ""),
        capacity,
        access,
        spec.get("storageClassName") or "<unset>",
        spec.get("volumeAttributesClassName") or "<unset>",
        _age(obj),
    ]


def _pv(obj: Manifest) -> list[Any]:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    claim = spec.get("claimRef") or {}
    claimed = f"{claim.get('namespace')}/{claim.get('name')}" if claim else ""
    return [
        _name(obj),
        (spec.get("capacity") or {}).get("storage", ""),
        ",".join(spec.get("accessModes") or []),
        spec.get("persistentVolumeReclaimPolicy", ""),
        status.get("phase", ""),
        claimed,
        spec.get("storageClassName", ""),
        "<unset>",
        status.get("reason", ""),
        _age(obj),
    ]


def _storage_class(obj: Manifest) -> list[Any]:
    annotations = (obj.get("metadata") or {}).get("annotations") or {}
    name = str(_name(obj))
    if annotations.get("storageclass.kubernetes.io/is-default-class") == "true":
        name += " (default)"
    return [
        name,
        obj.get("provisioner", ""),
        obj.get("reclaimPolicy", "Delete"),
        obj.get("volumeBindingMode", "Immediate"),
        bool(obj.get("allowVolumeExpansion", False)),
        _age(obj),
    ]


def _cron_job(obj: Manifest) -> list[Any]:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    last = status.get("lastScheduleTime")
    return [
        _name(obj),
        spec.get("schedule", ""),
        spec.get("timeZone") or "<none>",
        bool(spec.get("suspend", False)),
        len(status.get("active") or []),
        clock.human_age(str(last)) if last else "<none>",
        _age(obj),
    ]


def _hpa(obj: Manifest) -> list[Any]:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    target = spec.get("scaleTargetRef") or {}
    return [
        _name(obj),
        f"{target.get('kind', '')}/{target.get('name', '')}",
        "<unknown>",
        spec.get("minReplicas", 1),
        spec.get("maxReplicas", 0),
        status.get("currentReplicas", 0),
        _age(obj),
    ]


MORE_KINDS: dict[tuple[str, str], tuple[list[Column], Cells]] = {
    ("networking.k8s.io", "Ingress"): (_cols("Class", "Hosts", "Address", "Ports"), _ingress),
    ("", "PersistentVolumeClaim"): (
        _cols("Status", "Volume", "Capacity", "Access Modes", "StorageClass", "VolumeAttributesClass"),
        _pvc,
    ),
    ("", "PersistentVolume"): (
        _cols(
            "Capacity",
            "Access Modes",
            "Reclaim Policy",
            "Status",
            "Claim",
            "StorageClass",
            "VolumeAttributesClass",
            "Reason",
        ),
        _pv,
    ),
    ("storage.k8s.io", "StorageClass"): (
        _cols("Provisioner", "ReclaimPolicy", "VolumeBindingMode", "AllowVolumeExpansion"),
        _storage_class,
    ),
    ("batch", "CronJob"): (_cols("Schedule", "Timezone", "Suspend", "Active", "Last Schedule"), _cron_job),
    ("autoscaling", "HorizontalPodAutoscaler"): (
        _cols("Reference", "Targets", "MinPods", "MaxPods", "Replicas"),
        _hpa,
    ),
}
