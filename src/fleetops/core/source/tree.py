"""A source tree: the kustomize FileSystem at one commit, plus cheap content ids.

A Git tree answers `content_id(path)` with the blob id (SHA-1 of `blob <size>\\0<content>`), which
is known without reading the file: the render cache compares these to decide whether a render is
still valid at a new commit. `git_blob_id` computes the same id from content, for file systems
that are not Git trees.
"""

from __future__ import annotations

import hashlib
from typing import Protocol

from fleetops.core.kustomize.filesystem import FileSystem


class SourceTree(FileSystem, Protocol):
    def content_id(self, path: str) -> str:
        """The Git blob id of the file at `path` (symlinks followed); FileNotFoundError if no file."""
        ...


def git_blob_id(data: bytes) -> str:
    """The id Git gives a blob with this content."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def content_id(fs: FileSystem, path: str) -> str:
    """`fs.content_id(path)` when the file system has it, else the blob id of its content."""
    method = getattr(fs, "content_id", None)
    if callable(method):
        return str(method(path))
    return git_blob_id(fs.read_bytes(path))
