"""Kustomize builds of directories on disk: the `FileSystem` core's renderer reads a checkout or
a local directory through, and `build_directory`, the one-call Python API.

    from fleetops.adapters.kustomize_disk import build_directory
    manifests = build_directory("overlays/production")   # list of dicts, kubectl kustomize's order

`fleetops.core.kustomize` reads no disk itself (ARCHITECTURE.md §3): `fleetops render`, the
tests and the benchmarks hand it a `DiskFileSystem`; the controller hands it a Git tree.
"""

from __future__ import annotations

import os
from typing import Any

from fleetops.core.kustomize import BuildOptions, build
from fleetops.core.kustomize.build import UNSPECIFIED
from fleetops.core.kustomize.filesystem import clean
from fleetops.core.kustomize.loader import ROOT_ONLY

__all__ = ["DiskFileSystem", "build_directory"]


class DiskFileSystem:
    """A directory on disk seen as `/`; symlinks pointing outside it are refused."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = os.path.realpath(root)

    def _host(self, path: str) -> str:
        host = os.path.join(self.root, clean(path).lstrip("/"))
        resolved = os.path.realpath(host)
        if self.root not in (os.sep, resolved) and not resolved.startswith(self.root + os.sep):
            raise PermissionError(f"security; '{path}' resolves outside the file system root")
        return resolved

    def read_bytes(self, path: str) -> bytes:
        host = self._host(path)
        if os.path.isdir(host):
            raise IsADirectoryError(path)
        with open(host, "rb") as handle:
            return handle.read()

    def is_dir(self, path: str) -> bool:
        try:
            return os.path.isdir(self._host(path))
        except PermissionError:
            return False

    def is_file(self, path: str) -> bool:
        try:
            return os.path.isfile(self._host(path))
        except PermissionError:
            return False

    def list_dir(self, path: str) -> list[str]:
        return sorted(os.listdir(self._host(path)))

    def real_path(self, path: str) -> str:
        resolved = self._host(path)
        relative = os.path.relpath(resolved, self.root)
        return clean("" if relative == "." else relative.replace(os.sep, "/"))


def build_directory(
    path: str | os.PathLike[str], *, reorder: str = UNSPECIFIED, load_restrictor: str = ROOT_ONLY
) -> list[dict[str, Any]]:
    """Build a kustomization directory on disk to a list of manifests, as `kubectl kustomize` does
    (remote bases refused: see `fleetops.adapters.kustomize_remote`)."""
    fs = DiskFileSystem("/")
    absolute = os.path.abspath(path)
    return build(fs, absolute, BuildOptions(reorder=reorder, load_restrictor=load_restrictor)).manifests
