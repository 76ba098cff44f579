"""The Kubernetes schema: OpenAPI definitions with patch/list/map metadata, resources, CRDs."""

from fleetops.core.schema.api_versions import by_preference, version_priority
from fleetops.core.schema.crd_schema import CustomResource
from fleetops.core.schema.definitions import UnknownSchemaVersionError, available_versions
from fleetops.core.schema.errors import InvalidCustomResourceDefinitionError
from fleetops.core.schema.kube_schema import DEFAULT_VERSION, LIST_ITEMS, KubeSchema, load_schema
from fleetops.core.schema.node import ListType, MapType, SchemaNode, SchemaType
from fleetops.core.schema.resource_info import ResourceInfo, ScalePaths, SubresourceInfo

__all__ = [
    "DEFAULT_VERSION",
    "LIST_ITEMS",
    "CustomResource",
    "InvalidCustomResourceDefinitionError",
    "KubeSchema",
    "ListType",
    "MapType",
    "ResourceInfo",
    "ScalePaths",
    "SchemaNode",
    "SchemaType",
    "SubresourceInfo",
    "UnknownSchemaVersionError",
    "available_versions",
    "by_preference",
    "load_schema",
    "version_priority",
]
