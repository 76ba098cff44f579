"""CustomResourceDefinitions (`apiextensions.k8s.io/v1`) as schema nodes and resources."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from fleetops.core.schema.definitions import Definitions
from fleetops.core.schema.node import SchemaNode
from fleetops.core.schema.resource_info import ResourceInfo
from fleetops.model import GroupVersionKind, Manifest


class InvalidCustomResourceDefinitionError(ValueError):
    """A CRD manifest that cannot extend the schema; `.path` names the offending field."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.reason = message


@dataclass(frozen=True)
class CustomResource:
    name: str
    nodes: Mapping[GroupVersionKind, SchemaNode] = field(default_factory=dict)
    resources: tuple[ResourceInfo, ...] = ()


def parse_crd(crd: Manifest, definitions: Definitions) -> CustomResource:
    raise InvalidCustomResourceDefinitionError("", "CRDs are not supported yet")
