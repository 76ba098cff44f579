"""The predicted object in the form the API server stores a built-in kind.

kube-apiserver decodes the merged object into Go types and encodes it again, so quantities come
out canonical (``cpu: 0.5`` is stored as ``500m``) and empty lists and maps of optional fields
are dropped (``env: []``, ``labels: {}``); empty structs (``securityContext: {}``) and nulls the
live object already has are kept. Custom resources are stored as written.
"""

from __future__ import annotations

from typing import Any

from fleetops.core.diff.quantity import canonical_quantity
from fleetops.core.schema import SchemaNode

__all__ = ["QUANTITY", "as_stored"]

QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity"


def as_stored(value: Any, node: SchemaNode | None) -> Any:
    """``value`` re-encoded as the API server would (shares unchanged parts with ``value``)."""
    if node is None:
        return value
    if node.ref_name == QUANTITY:
        return canonical_quantity(value)
    if isinstance(value, dict):
        result: dict[str, Any] | None = None
        for name, item in value.items():
            child = node.field(name) or node.additional_properties
            new = as_stored(item, child) if child is not None else item
            drop = child is not None and _empty_collection(new, child)
            if drop or new is not item:
                if result is None:
                    result = dict(value)
                if drop:
                    del result[name]
                else:
                    result[name] = new
        return result if result is not None else value
    if isinstance(value, list) and node.items is not None:
        items = [as_stored(item, node.items) for item in value]
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    return value


def _empty_collection(value: Any, node: SchemaNode) -> bool:
    """An empty list, or an empty map of a Go map type (``omitempty`` drops both)."""
    if value == [] and node.type == "array":
        return True
    return value == {} and node.additional_properties is not None and not node.properties
