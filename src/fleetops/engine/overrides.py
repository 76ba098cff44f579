"""`spec.source.kustomize` overrides as an outer kustomization over the application's path.

Argo CD runs `kustomize edit set image|nameprefix|...` in a copy of the source; fleetops never
writes to the source: it serves one virtual `kustomization.yaml` that takes the application's
path as its resource and carries the overrides, so the render reads the repository unchanged.
"""

from __future__ import annotations

import posixpath
from typing import Any

import yaml

from fleetops.core.app import KustomizeOverrides
from fleetops.core.kustomize import FileSystem

OVERLAY_DIR = "/.fleetops-overrides"


def parse_image(text: str) -> dict[str, Any]:
    """`kustomize edit set image` syntax: `name=newName:tag`, `name:tag`, `name@digest`, ..."""
    name, sep, replacement = text.partition("=")
    target = replacement if sep else text
    image: dict[str, Any] = {}
    base, at, digest = target.partition("@")
    slash = base.rfind("/")
    colon = base.rfind(":")
    tag = ""
    if colon > slash:
        base, tag = base[:colon], base[colon + 1 :]
    if not sep:
        name = base
    image["name"] = name if sep else base
    if sep and base != name:
        image["newName"] = base
    if tag:
        image["newTag"] = tag
    if at:
        image["digest"] = digest
    return image


def overlay_kustomization(overrides: KustomizeOverrides, app_path: str) -> dict[str, Any]:
    relative = posixpath.relpath(app_path, OVERLAY_DIR)
    doc: dict[str, Any] = {
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
        "resources": [relative],
    }
    if overrides.images:
        doc["images"] = [parse_image(image) for image in overrides.images]
    if overrides.name_prefix:
        doc["namePrefix"] = overrides.name_prefix
    if overrides.name_suffix:
        doc["nameSuffix"] = overrides.name_suffix
    if overrides.namespace:
        doc["namespace"] = overrides.namespace
    if overrides.common_labels:
        doc["commonLabels"] = dict(overrides.common_labels)
    if overrides.common_annotations:
        doc["commonAnnotations"] = dict(overrides.common_annotations)
    if overrides.replicas:
        doc["replicas"] = [{"name": r.name, "count": int(r.count)} for r in overrides.replicas]
    if overrides.patches:
        doc["patches"] = [dict(patch) for patch in overrides.patches]
    if overrides.components:
        doc["components"] = [posixpath.join(relative, c) for c in overrides.components]
    return doc


class OverlayFileSystem:
    """`inner` plus one virtual directory holding the overrides' kustomization."""

    def __init__(self, inner: FileSystem, kustomization: dict[str, Any]) -> None:
        self._inner = inner
        self._file = posixpath.join(OVERLAY_DIR, "kustomization.yaml")
        self._content = yaml.safe_dump(kustomization, sort_keys=False).encode()

    def read_bytes(self, path: str) -> bytes:
        if posixpath.normpath(path) == self._file:
            return self._content
        return self._inner.read_bytes(path)

    def is_dir(self, path: str) -> bool:
        return posixpath.normpath(path) == OVERLAY_DIR or self._inner.is_dir(path)

    def is_file(self, path: str) -> bool:
        return posixpath.normpath(path) == self._file or self._inner.is_file(path)

    def list_dir(self, path: str) -> list[str]:
        if posixpath.normpath(path) == OVERLAY_DIR:
            return ["kustomization.yaml"]
        return self._inner.list_dir(path)

    def real_path(self, path: str) -> str:
        normal = posixpath.normpath(path)
        if normal in (OVERLAY_DIR, self._file):
            return normal
        return self._inner.real_path(path)
