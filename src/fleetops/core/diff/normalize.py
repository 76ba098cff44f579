"""What is compared: objects without the fields the API server always owns.

The server-set metadata (``managedFields``, ``resourceVersion``, ``uid``, ``generation``,
``creationTimestamp`` …) is never drift, nor is ``status`` of a kind with a status subresource
(or of a kind the schema does not know, as Argo CD ignores the status of custom resources).
A Secret's ``stringData`` is folded into ``data`` as the API server does on every write.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from fleetops.core.diff.key_defaults import with_key_defaults
from fleetops.core.schema import KubeSchema, SchemaNode
from fleetops.core.structured import TypeRef, from_schema_node
from fleetops.model import manifest as manifests

__all__ = ["SERVER_METADATA", "KindFacts", "normalize", "prepare_desired"]

Manifest = dict[str, Any]

SERVER_METADATA = (
    "managedFields",
    "resourceVersion",
    "uid",
    "generation",
    "creationTimestamp",
    "selfLink",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
)


@dataclass(frozen=True, slots=True)
class KindFacts:
    """What the diff needs to know about one object's kind."""

    type_ref: TypeRef
    node: SchemaNode | None
    builtin: bool
    status_ignored: bool
    secret: bool

    @classmethod
    def of(cls, obj: Manifest, schema: KubeSchema) -> KindFacts:
        gvk = manifests.gvk(obj)
        info = schema.resource_for_kind(gvk)
        status_ignored = info is None or "status" in info.subresources
        secret = gvk.group == "" and gvk.kind == "Secret"
        node = schema.node_for(gvk)
        return cls(from_schema_node(node), node, schema.is_builtin(gvk), status_ignored, secret)


def prepare_desired(desired: Manifest, facts: KindFacts) -> Manifest:
    """``desired`` as the API server takes it: no server-set metadata, no status, stringData
    folded, list-map keys completed with their defaults."""
    result: Manifest = with_key_defaults(normalize(desired, facts), facts.node)
    return result


def normalize(obj: Manifest, facts: KindFacts) -> Manifest:
    """A copy of ``obj`` without the fields the API server owns."""
    result = {k: v for k, v in obj.items() if not (k == "status" and facts.status_ignored)}
    metadata = result.get("metadata")
    if isinstance(metadata, dict) and any(name in metadata for name in SERVER_METADATA):
        result["metadata"] = {k: v for k, v in metadata.items() if k not in SERVER_METADATA}
    if facts.secret and isinstance(result.get("stringData"), dict):
        result = _fold_string_data(result)
    return result


def _fold_string_data(secret: Manifest) -> Manifest:
    data = dict(secret.get("data") or {})
    for key, value in secret["stringData"].items():
        data[key] = base64.b64encode(str(value).encode()).decode() if value is not None else ""
    result = {k: v for k, v in secret.items() if k != "stringData"}
    result["data"] = data
    return result
