"""The small synchronous file system a build reads through, and what a build read.

Paths are POSIX paths, absolute inside the file system (`/base/kustomization.yaml`). Core reads
no disk: `fleetops.adapters.kustomize_disk.DiskFileSystem` maps them onto a directory (refusing
symlinks that lead outside it), the controller gives a Git tree, tests a `MemoryFileSystem`.
`RecordingFileSystem` notes every file read (with its SHA-256), every path looked for and not
found and every directory listed: the render-cache key.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Protocol

from fleetops.core.kustomize.digest import sha256_hex


class FileSystem(Protocol):
    def read_bytes(self, path: str) -> bytes:
        """The file's content; FileNotFoundError if absent, IsADirectoryError for a directory."""
        ...

    def is_dir(self, path: str) -> bool: ...

    def is_file(self, path: str) -> bool: ...

    def list_dir(self, path: str) -> list[str]:
        """Entry names of a directory, sorted."""
        ...

    def real_path(self, path: str) -> str:
        """`path` with symlinks resolved (still inside the file system)."""
        ...


def clean(path: str) -> str:
    """A normalised absolute POSIX path."""
    return posixpath.normpath("/" + path.lstrip("/")) if path else "/"


class MemoryFileSystem:
    """Files held in a dict (path -> bytes); directories are implied by the paths."""

    def __init__(self, files: dict[str, bytes | str] | None = None) -> None:
        self.files: dict[str, bytes] = {}
        self.dirs: set[str] = {"/"}
        for path, content in (files or {}).items():
            self.write(path, content)

    def write(self, path: str, content: bytes | str) -> None:
        path = clean(path)
        self.files[path] = content.encode() if isinstance(content, str) else content
        parent = posixpath.dirname(path)
        while parent not in self.dirs:
            self.dirs.add(parent)
            parent = posixpath.dirname(parent)

    def mkdir(self, path: str) -> None:
        self.write(posixpath.join(clean(path), ".keep"), b"")
        del self.files[posixpath.join(clean(path), ".keep")]

    def read_bytes(self, path: str) -> bytes:
        path = clean(path)
        if path in self.dirs:
            raise IsADirectoryError(path)
        try:
            return self.files[path]
        except KeyError:
            raise FileNotFoundError(path) from None

    def is_dir(self, path: str) -> bool:
        return clean(path) in self.dirs

    def is_file(self, path: str) -> bool:
        return clean(path) in self.files

    def list_dir(self, path: str) -> list[str]:
        path = clean(path)
        prefix = path.rstrip("/") + "/"
        names = {p[len(prefix) :].split("/")[0] for p in (*self.files, *self.dirs) if p.startswith(prefix)}
        names.discard("")
        return sorted(names)

    def real_path(self, path: str) -> str:
        return clean(path)


@dataclass(frozen=True)
class FileRead:
    path: str
    sha256: str


@dataclass
class ReadLog:
    """What a build looked at: the key of the controller's render cache."""

    files: dict[str, str] = field(default_factory=dict)
    missing: set[str] = field(default_factory=set)
    listed: set[str] = field(default_factory=set)


class RecordingFileSystem:
    """Wraps a FileSystem and records reads, misses and listings in a `ReadLog`."""

    def __init__(self, inner: FileSystem) -> None:
        self.inner = inner
        self.log = ReadLog()

    def read_bytes(self, path: str) -> bytes:
        try:
            data = self.inner.read_bytes(path)
        except FileNotFoundError:
            self.log.missing.add(clean(path))
            raise
        self.log.files[clean(path)] = sha256_hex(data)
        return data

    def is_dir(self, path: str) -> bool:
        found = self.inner.is_dir(path)
        if not found and not self.inner.is_file(path):
            self.log.missing.add(clean(path))
        return found

    def is_file(self, path: str) -> bool:
        found = self.inner.is_file(path)
        if not found and not self.inner.is_dir(path):
            self.log.missing.add(clean(path))
        return found

    def list_dir(self, path: str) -> list[str]:
        self.log.listed.add(clean(path))
        return self.inner.list_dir(path)

    def real_path(self, path: str) -> str:
        return self.inner.real_path(path)
