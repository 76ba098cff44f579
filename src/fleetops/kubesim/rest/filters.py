"""List and watch filters: label selectors and the field selectors each kind supports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fleetops.core import selectors
from fleetops.core.schema.resource_info import ResourceInfo
from fleetops.kubesim import errors

Manifest = dict[str, Any]

_COMMON = ("metadata.name", "metadata.namespace")
# Per kind: the field labels the real API server accepts (pkg/registry/*/strategy.go ToSelectableFields).
_FIELDS: dict[tuple[str, str], tuple[str, ...]] = {
    ("", "Pod"): (
        "spec.nodeName",
        "spec.restartPolicy",
        "spec.schedulerName",
        "spec.serviceAccountName",
        "spec.hostNetwork",
        "status.phase",
        "status.podIP",
        "status.podIPs",
        "status.nominatedNodeName",
    ),
    ("", "Event"): (
        "involvedObject.kind",
        "involvedObject.namespace",
        "involvedObject.name",
        "involvedObject.uid",
        "involvedObject.apiVersion",
        "involvedObject.resourceVersion",
        "involvedObject.fieldPath",
        "reason",
        "reportingComponent",
        "source",
        "type",
    ),
    ("events.k8s.io", "Event"): (
        "regarding.kind",
        "regarding.namespace",
        "regarding.name",
        "regarding.uid",
        "reason",
        "reportingController",
        "type",
    ),
    ("", "Secret"): ("type",),
    ("", "Namespace"): ("status.phase",),
    ("", "Node"): ("spec.unschedulable",),
    ("", "ReplicationController"): ("status.replicas",),
    ("apps", "ReplicaSet"): ("status.replicas",),
    ("batch", "Job"): ("status.successful",),
    ("certificates.k8s.io", "CertificateSigningRequest"): ("spec.signerName",),
}


def field_value(obj: Manifest, path: str) -> str | None:
    """The string form of a field (`spec.hostNetwork` → "false"); `source` is the Event's component."""
    if path == "source":
        path = "source.component"
    current: Any = obj
    for step in path.split("."):
        if not isinstance(current, dict):
            return None
        current = current.get(step)
    if current is None:
        return None
    if isinstance(current, bool):
        return "true" if current else "false"
    if isinstance(current, list):
        return ",".join(
            str(item.get("ip", item)) if isinstance(item, dict) else str(item) for item in current
        )
    return str(current)


@dataclass(frozen=True)
class ObjectFilter:
    labels: selectors.LabelSelector
    fields: selectors.FieldSelector
    namespace: str | None

    @property
    def selects_all(self) -> bool:
        return self.labels.is_empty() and self.fields.is_empty()

    def matches(self, obj: Manifest) -> bool:
        metadata = obj.get("metadata") or {}
        if self.namespace is not None and (metadata.get("namespace") or "") != self.namespace:
            return False
        if not self.labels.is_empty() and not self.labels.matches(metadata.get("labels") or {}):
            return False
        return self.fields.is_empty() or self.fields.matches(lambda path: field_value(obj, path))


def build_filter(info: ResourceInfo, namespace: str | None, label_text: str, field_text: str) -> ObjectFilter:
    try:
        labels = (
            selectors.parse_label_selector(label_text) if label_text else selectors.LabelSelector.everything()
        )
    except selectors.SelectorError as exc:
        raise errors.bad_request(f"unable to parse requirement: {exc}") from exc
    try:
        fields = (
            selectors.parse_field_selector(field_text) if field_text else selectors.FieldSelector.everything()
        )
    except selectors.SelectorError as exc:
        raise errors.bad_request(f"invalid field selector: {exc}") from exc
    allowed = set(_COMMON) | set(_FIELDS.get((info.gvk.group, info.gvk.kind), ()))
    for requirement in fields.requirements:
        if requirement.field not in allowed:
            raise errors.bad_request(f"field label not supported: {requirement.field}")
    return ObjectFilter(labels, fields, namespace)
