"""Typed data shared by every layer: identities of Kubernetes kinds and objects, manifest accessors."""

from fleetops.model.gvk import GroupKind, GroupVersionKind, GroupVersionResource
from fleetops.model.keys import ResourceKey
from fleetops.model.manifest import Manifest

__all__ = ["GroupKind", "GroupVersionKind", "GroupVersionResource", "Manifest", "ResourceKey"]
