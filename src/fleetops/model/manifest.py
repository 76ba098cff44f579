"""Thin typed accessors over plain dict manifests; Kubernetes objects stay dicts everywhere.

Accessors never mutate their argument and return empty values (``""``, ``{}``) for absent fields,
so callers need no ``None`` checks for the common case.
"""

from collections.abc import Mapping
from typing import Any

from fleetops.model.gvk import GroupVersionKind

Manifest = dict[str, Any]


def _metadata(manifest: Mapping[str, Any]) -> Mapping[str, Any]:
    metadata = manifest.get("metadata")
    return metadata if isinstance(metadata, Mapping) else {}


def _string(value: object) -> str:
    return value if isinstance(value, str) else ""


def _string_map(value: object) -> dict[str, str]:
    if not isinstance(value, Mapping):
        return {}
    return {str(key): _string(item) for key, item in value.items()}


def api_version(manifest: Mapping[str, Any]) -> str:
    return _string(manifest.get("apiVersion"))


def kind(manifest: Mapping[str, Any]) -> str:
    return _string(manifest.get("kind"))


def name(manifest: Mapping[str, Any]) -> str:
    return _string(_metadata(manifest).get("name"))


def namespace(manifest: Mapping[str, Any]) -> str:
    return _string(_metadata(manifest).get("namespace"))


def labels(manifest: Mapping[str, Any]) -> dict[str, str]:
    """A copy of `metadata.labels` (empty when absent)."""
    return _string_map(_metadata(manifest).get("labels"))


def annotations(manifest: Mapping[str, Any]) -> dict[str, str]:
    """A copy of `metadata.annotations` (empty when absent)."""
    return _string_map(_metadata(manifest).get("annotations"))


def gvk(manifest: Mapping[str, Any]) -> GroupVersionKind:
    return GroupVersionKind.from_api_version(api_version(manifest), kind(manifest))
