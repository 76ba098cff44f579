"""Reading files for one kustomization root, under kustomize's load restrictions."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from fleetops.core.kustomize.errors import KustomizeError
from fleetops.core.kustomize.filesystem import FileSystem, clean

ROOT_ONLY = "LoadRestrictionsRootOnly"
NONE = "LoadRestrictionsNone"

KUSTOMIZATION_FILE_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")

_REMOTE_PREFIXES = (
    "https://",
    "http://",
    "git@",
    "ssh://",
    "github.com/",
    "gitlab.com/",
    "bitbucket.org/",
    "git::",
    "gh:",
)


def is_remote(path: str) -> bool:
    return path.startswith(_REMOTE_PREFIXES) or "?ref=" in path or ".git//" in path


@dataclass
class Loader:
    """Loads files relative to `root` (an absolute directory of `fs`)."""

    fs: FileSystem
    root: str
    restrictor: str = ROOT_ONLY
    visited: tuple[str, ...] = field(default_factory=tuple)

    def absolute(self, path: str) -> str:
        return clean(posixpath.join(self.root, path))

    def read(self, path: str) -> bytes:
        """A file's bytes; outside the root it is refused unless restrictions are off."""
        if is_remote(path):
            raise KustomizeError(f"remote resources are not enabled: '{path}'")
        target = self.absolute(path)
        try:
            self.fs.real_path(target)
        except PermissionError as error:
            raise KustomizeError(str(error)) from None
        if not self.fs.is_file(target) and not self.fs.is_dir(target):
            raise KustomizeError(
                f"evalsymlink failure on '{target}' : lstat {target}: no such file or directory"
            )
        if self.restrictor == ROOT_ONLY:
            try:
                real_dir = self.fs.real_path(posixpath.dirname(target))
                real_root = self.fs.real_path(self.root)
            except PermissionError as error:
                raise KustomizeError(str(error)) from None
            if not _within(real_dir, real_root):
                raise KustomizeError(f"security; file '{target}' is not in or below '{self.root}'")
        try:
            return self.fs.read_bytes(target)
        except FileNotFoundError:
            raise KustomizeError(f"open {target}: no such file or directory") from None
        except IsADirectoryError:
            raise KustomizeError(f"read {target}: is a directory") from None
        except PermissionError as error:
            raise KustomizeError(str(error)) from None

    def child(self, path: str) -> Loader:
        """A loader for the kustomization directory `path` (cycles are refused)."""
        if is_remote(path):
            raise KustomizeError(f"remote resources are not enabled: '{path}'")
        target = self.absolute(path)
        if not self.fs.is_dir(target):
            if self.fs.is_file(target):
                raise KustomizeError(f"must build at directory: '{target}': file is not directory")
            raise KustomizeError(
                f"must build at directory: not a valid directory: evalsymlink failure on "
                f"'{target}' : lstat {target}: no such file or directory"
            )
        try:
            real = self.fs.real_path(target)
        except PermissionError as error:
            raise KustomizeError(str(error)) from None
        for seen in (*self.visited, self.fs.real_path(self.root)):
            if _within(seen, real):
                raise KustomizeError(
                    f"cycle detected: candidate root '{real}' contains visited root '{seen}'"
                )
        return Loader(self.fs, target, self.restrictor, (*self.visited, self.fs.real_path(self.root)))


def _within(path: str, root: str) -> bool:
    return root in (path, "/") or path.startswith(root.rstrip("/") + "/")
