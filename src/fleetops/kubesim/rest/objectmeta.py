"""`metadata` rules of writes: names, namespaces, uid, timestamps, generation, status splitting."""

from __future__ import annotations

import uuid
from typing import Any

from fleetops.core.schema.resource_info import ResourceInfo
from fleetops.kubesim import errors, names

Manifest = dict[str, Any]

# Built-in kinds whose strategy sets metadata.generation (custom resources always have one).
_GENERATION_KINDS = frozenset(
    {
        ("apps", "Deployment"),
        ("apps", "ReplicaSet"),
        ("apps", "StatefulSet"),
        ("apps", "DaemonSet"),
        ("batch", "Job"),
        ("batch", "CronJob"),
        ("", "ReplicationController"),
        ("policy", "PodDisruptionBudget"),
        ("networking.k8s.io", "Ingress"),
        ("networking.k8s.io", "NetworkPolicy"),
        ("autoscaling", "HorizontalPodAutoscaler"),
        ("apiextensions.k8s.io", "CustomResourceDefinition"),
        ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"),
        ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"),
    }
)
_SERVER_SET = (
    "uid",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "generation",
    "resourceVersion",
    "selfLink",
)


def has_generation(info: ResourceInfo) -> bool:
    return not info.builtin or (info.gvk.group, info.gvk.kind) in _GENERATION_KINDS


def has_status_subresource(info: ResourceInfo) -> bool:
    return "status" in info.subresources


def metadata_of(obj: Manifest) -> Manifest:
    metadata = obj.get("metadata")
    if metadata is None:
        metadata = obj["metadata"] = {}
    if not isinstance(metadata, dict):
        raise errors.bad_request("metadata must be an object")
    return metadata


def place_in_namespace(obj: Manifest, info: ResourceInfo, namespace: str) -> None:
    """Set the URL's namespace; a different one in the body is a 400, as on a real server."""
    metadata = metadata_of(obj)
    if not info.namespaced:
        metadata.pop("namespace", None)
        return
    given = metadata.get("namespace")
    if given and given != namespace:
        raise errors.bad_request(
            "the namespace of the provided object does not match the namespace sent on the request"
        )
    metadata["namespace"] = namespace


def assign_name(obj: Manifest, info: ResourceInfo) -> str:
    metadata = metadata_of(obj)
    name = metadata.get("name") or ""
    if not name and metadata.get("generateName"):
        name = names.generated_name(str(metadata["generateName"]))
        metadata["name"] = name
    if not name:
        raise errors.invalid(
            info.gvk.kind,
            info.gvk.group,
            "",
            [
                errors.Cause(
                    "FieldValueRequired", "Required value: name or generateName is required", "metadata.name"
                )
            ],
        )
    check_name(str(name), info)
    return str(name)


def check_name(name: str, info: ResourceInfo) -> None:
    label = (info.gvk.group, info.gvk.kind) in names.LABEL_NAMED_KINDS
    problems = names.name_errors(name, label=label)
    if problems:
        causes = [
            errors.Cause("FieldValueInvalid", f'Invalid value: "{name}": {problem}', "metadata.name")
            for problem in problems
        ]
        raise errors.invalid(info.gvk.kind, info.gvk.group, name, causes)


def prepare_create(obj: Manifest, info: ResourceInfo, now: str) -> None:
    metadata = metadata_of(obj)
    for key in _SERVER_SET:
        metadata.pop(key, None)
    metadata["uid"] = str(uuid.uuid4())
    metadata["creationTimestamp"] = now
    if has_generation(info):
        metadata["generation"] = 1
    if has_status_subresource(info) and info.gvk.kind != "Namespace":
        obj.pop("status", None)
    if info.builtin and (info.gvk.group, info.gvk.kind) == ("", "Pod"):
        obj["status"] = {"phase": "Pending", "qosClass": qos_class(obj)}


def qos_class(pod: Manifest) -> str:
    """BestEffort without requests or limits; Guaranteed when every container's cpu and memory
    limits equal its requests; Burstable otherwise."""
    containers = list((pod.get("spec") or {}).get("containers") or [])
    resources = [c.get("resources") or {} for c in containers if isinstance(c, dict)]
    if not any(r.get("requests") or r.get("limits") for r in resources):
        return "BestEffort"
    for entry in resources:
        limits = entry.get("limits") or {}
        requests = entry.get("requests") or limits
        for name in ("cpu", "memory"):
            if name not in limits or str(requests.get(name)) != str(limits[name]):
                return "Burstable"
    return "Guaranteed"


def _spec_view(obj: Manifest, info: ResourceInfo) -> Manifest:
    skip = {"metadata", "apiVersion", "kind"}
    if has_status_subresource(info) or info.builtin:
        skip.add("status")
    return {key: value for key, value in obj.items() if key not in skip}


def prepare_update(new: Manifest, old: Manifest, info: ResourceInfo, subresource: str) -> Manifest:
    """The object to store for an update of `old` to `new` through the main endpoint or `/status`."""
    if subresource == "status":
        merged = {key: value for key, value in old.items() if key != "status"}
        if "status" in new:
            merged["status"] = new["status"]
        merged["metadata"] = {**old["metadata"], **_status_metadata(new, old)}
        new = merged
    elif has_status_subresource(info):
        new = {key: value for key, value in new.items() if key != "status"}
        if "status" in old:
            new["status"] = old["status"]
    metadata = metadata_of(new)
    old_metadata = old["metadata"]
    for key in ("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"):
        if key in old_metadata:
            metadata[key] = old_metadata[key]
        else:
            metadata.pop(key, None)
    metadata["name"] = old_metadata["name"]
    if "namespace" in old_metadata:
        metadata["namespace"] = old_metadata["namespace"]
    if has_generation(info) and _spec_view(new, info) != _spec_view(old, info):
        metadata["generation"] = int(old_metadata.get("generation") or 0) + 1
    return new


def _status_metadata(new: Manifest, old: Manifest) -> Manifest:
    """A status write keeps the stored metadata but takes the new managedFields."""
    metadata = new.get("metadata") or {}
    return {"managedFields": metadata["managedFields"]} if "managedFields" in metadata else {}


def without_volatile(obj: Manifest) -> Manifest:
    """The object without resourceVersion and managedFields timestamps: to detect no-op writes."""
    metadata = dict(obj.get("metadata") or {})
    metadata.pop("resourceVersion", None)
    fields = metadata.pop("managedFields", None) or []
    metadata["managedFields"] = [{k: v for k, v in entry.items() if k != "time"} for entry in fields]
    return {**obj, "metadata": metadata}
