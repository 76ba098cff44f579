"""Reading files for one kustomization root, under kustomize's load restrictions."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from fleetops.core.kustomize.errors import KustomizeError
from fleetops.core.kustomize.filesystem import FileSystem, clean
from fleetops.core.kustomize.remote import (
    RemoteDisabledError,
    RemoteRequest,
    RemoteResolver,
    RemoteUse,
    RepoSpec,
    is_remote_file_url,
    parse_repo_spec,
)

ROOT_ONLY = "LoadRestrictionsRootOnly"
NONE = "LoadRestrictionsNone"

KUSTOMIZATION_FILE_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")


class RemotePendingError(KustomizeError):
    """A remote base whose tree is not at hand yet (the build notes it and goes on)."""


@dataclass
class RemoteContext:
    """Shared by every loader of one build: the resolver, and what was needed and used."""

    resolver: RemoteResolver | None
    needed: dict[tuple[str, str], RemoteRequest] = field(default_factory=dict)
    used: dict[tuple[str, str], RemoteUse] = field(default_factory=dict)


@dataclass
class Loader:
    """Loads files relative to `root` (an absolute directory of `fs`)."""

    fs: FileSystem
    root: str
    restrictor: str = ROOT_ONLY
    visited: tuple[str, ...] = field(default_factory=tuple)
    remotes: RemoteContext | None = None
    repo: str = ""
    """For a loader inside a remote base: `url@commit:` (prefixes its paths in cycle checks)."""
    repo_origin: tuple[str, str] = ("", "")
    """For a loader inside a remote base: (clone URL, ref), for origin annotations."""

    def absolute(self, path: str) -> str:
        joined = posixpath.normpath(posixpath.join(self.root.lstrip("/") or ".", path))
        if self.repo and (joined == ".." or joined.startswith("../")):
            raise KustomizeError(
                f"security; bases in kustomizations found in cloned git repos must be within the repo: "
                f"'{path}' leaves {self.repo.rsplit('@', 1)[0]}"
            )
        return clean(joined)

    def read(self, path: str) -> bytes:
        """A file's bytes; outside the root it is refused unless restrictions are off."""
        if is_remote_file_url(path):
            raise KustomizeError(f"loading files over HTTP is not supported: '{path}'")
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
        """A loader for the kustomization directory `path` (cycles are refused); a remote base's
        loader when `path` is a Git URL."""
        spec = parse_repo_spec(path)
        if spec is not None:
            return self._remote_child(spec)
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
        here = self.repo + self.fs.real_path(self.root)
        for seen in (*self.visited, here):
            if _within(seen, self.repo + real):
                shown = seen.removeprefix(self.repo)
                raise KustomizeError(
                    f"cycle detected: candidate root '{real}' contains visited root '{shown}'"
                )
        return Loader(
            self.fs, target, self.restrictor, (*self.visited, here), self.remotes, self.repo, self.repo_origin
        )

    def _remote_child(self, spec: RepoSpec) -> Loader:
        context = self.remotes
        if context is None or context.resolver is None:
            raise RemoteDisabledError(
                f"remote resources are not enabled: '{spec.raw}' (a Git repository at "
                f"{spec.clone_url}; enable remote bases to fetch it)"
            )
        key = (spec.clone_url, spec.ref)
        tree = context.resolver.tree(*key)
        if tree is None:
            context.needed.setdefault(key, RemoteRequest(spec.clone_url, spec.ref, spec.raw))
            raise RemotePendingError(f"remote base not fetched yet: '{spec.raw}'")
        context.used.setdefault(key, RemoteUse(spec.clone_url, spec.ref, tree.commit))
        root = clean(spec.root)
        at = f"{spec.clone_url} at {spec.ref or 'the default branch'} ({tree.commit[:12]})"
        try:
            found = tree.fs.is_dir(root)
        except PermissionError:
            found = False
        if not found:
            raise KustomizeError(
                f"'{spec.raw}': '{spec.root or '/'}' is not a directory in the repository {at}"
            )
        repo = f"{spec.clone_url}@{tree.commit}:"
        real = repo + tree.fs.real_path(root)
        here = self.repo + self.fs.real_path(self.root)
        for seen in (*self.visited, here):
            if seen == real:
                raise KustomizeError(f"cycle detected: remote base '{spec.raw}' is already being built")
        # like kustomize, files in a cloned repository are always held to the kustomization root
        origin = (spec.clone_url, spec.ref)
        return Loader(tree.fs, root, ROOT_ONLY, (*self.visited, here), context, repo, origin)


def _within(path: str, root: str) -> bool:
    return root in (path, "/") or path.startswith(root.rstrip("/") + "/")
