"""Remote Kustomize bases fetched with Git: the `RemoteResolver` a build reads them through.

    bases = GitRemoteBases(cache_dir)                    # bare mirrors, one per repository URL
    result = build_with_remote_bases(fs, "/overlays/prod", BuildOptions(), bases)

`fleetops.core.kustomize` does no I/O: a build that meets a remote base the resolver does not
have raises `RemoteNeededError` listing the (URL, ref) pairs it needs. `build_with_remote_bases`
fetches them (libgit2: https/http, ssh, file://; the mirrors persist in `cache_dir`, so a later
fetch of the same repository is incremental) and builds again, until a build needs nothing new
(remote bases may themselves have remote bases). Each repository is fetched at most once per
`GitRemoteBases` object (per `max_age` seconds when given, for a long-running controller); a ref
resolves to one commit meanwhile, so every build through the same object sees the same commits.
A failed fetch or an unknown ref is a `KustomizeError` naming the URL.
Submodules are not fetched and kustomize's per-URL `?timeout=` is not applied (libgit2's timeouts
are process-wide: `network_timeout`); trees are read from the object database, never checked out.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pygit2

from fleetops.adapters.git.credentials import SourceCallbacks
from fleetops.adapters.git.errors import translate
from fleetops.adapters.git.mirror import Mirror
from fleetops.adapters.git.source import set_network_timeouts
from fleetops.adapters.git.treefs import GitTreeFileSystem
from fleetops.core.kustomize import (
    BuildOptions,
    BuildResult,
    FileSystem,
    KustomizeError,
    RemoteNeededError,
    RemoteRequest,
    RemoteTree,
    build,
)
from fleetops.core.source import RepoCredentials
from fleetops.core.source.urls import redact_url

__all__ = ["GitRemoteBases", "build_with_remote_bases"]

MAX_ROUNDS = 50
"""Builds `build_with_remote_bases` tries before giving up (each round fetches something new)."""


class GitRemoteBases:
    """Fetches remote bases into bare mirrors under `cache_dir` and serves their trees."""

    def __init__(
        self,
        cache_dir: Path | str,
        *,
        credentials: Callable[[str], RepoCredentials | None] | None = None,
        max_age: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        network_timeout: float | None = None,
        rewrite: Callable[[str], str] | None = None,
    ) -> None:
        """`max_age` (seconds): how long a resolved ref (and a failure) is reused before the
        repository is fetched again; None: for the object's lifetime (one CLI run).
        `network_timeout` (seconds) sets libgit2's connect and I/O timeouts, which are
        process-wide: for the CLI (kustomize's default is 27 s), not inside the controller.
        `rewrite` maps a URL as written to the URL fetched (the hub's `insteadOf` rewrites);
        messages and render records keep the URL as written."""
        if network_timeout is not None:
            set_network_timeouts(network_timeout, network_timeout)
        self.cache_dir = Path(cache_dir)
        self._rewrite = rewrite or (lambda url: url)
        self.max_age = max_age
        self._clock = clock
        self._resolved_at: dict[tuple[str, str], float] = {}
        self._credentials = credentials
        self._lock = threading.Lock()
        self._mirrors: dict[str, Mirror] = {}
        self._fetched: set[str] = set()
        self._commits: dict[tuple[str, str], str] = {}
        self._failures: dict[tuple[str, str], str] = {}
        self.last_read: dict[str, tuple[tuple[str, str], ...]] = {}
        """For the engine's render cache: per cache key, the (URL, ref)s its last render read."""

    # -- RemoteResolver -----------------------------------------------------------------------

    def tree(self, url: str, ref: str) -> RemoteTree | None:
        key = (url, ref)
        if self._stale(key):
            return None
        failure = self._failures.get(key)
        if failure is not None:
            raise KustomizeError(failure)
        commit = self._commits.get(key)
        if commit is None:
            return None
        repo = self._mirror(url).open()
        try:
            found = repo.revparse_single(commit).peel(pygit2.Commit)
        except (KeyError, ValueError, pygit2.GitError):
            message = f"remote base {redact_url(url)}: commit {commit} is not in the cache"
            raise KustomizeError(message) from None
        return RemoteTree(GitTreeFileSystem(repo, found.tree), commit)

    # -- fetching -------------------------------------------------------------------------------

    def fetch(self, requests: list[RemoteRequest]) -> None:
        """Fetch what a build asked for; failures are kept and reported by `tree`."""
        for request in requests:
            key = (request.url, request.ref)
            with self._lock:
                if (key in self._commits or key in self._failures) and not self._stale(key):
                    continue
                if self._stale(key):
                    self._commits.pop(key, None)
                    self._failures.pop(key, None)
                    self._fetched.discard(self._mirror(request.url).key)
                self._resolved_at[key] = self._clock()
                try:
                    self._commits[key] = self._resolve(request.url, request.ref)
                except KustomizeError as error:
                    self._failures[key] = str(error)

    def _stale(self, key: tuple[str, str]) -> bool:
        at = self._resolved_at.get(key)
        return self.max_age is not None and at is not None and self._clock() - at > self.max_age

    def _mirror(self, url: str) -> Mirror:
        mirror = Mirror(self.cache_dir, self._rewrite(url))
        return self._mirrors.setdefault(mirror.key, mirror)

    def _resolve(self, url: str, ref: str) -> str:
        mirror = self._mirror(url)
        if mirror.key not in self._fetched:
            credentials = self._credentials(url) if self._credentials is not None else None
            secrets = [credentials.password, credentials.bearer_token] if credentials else []
            try:
                mirror.fetch(SourceCallbacks(credentials))
            except Exception as error:  # libgit2 and its callbacks raise many types
                reason = translate(error, url, [s for s in secrets if s])
                raise KustomizeError(f"failed to fetch remote base {redact_url(url)}: {reason}") from None
            self._fetched.add(mirror.key)
        commit = mirror.resolve(ref or "HEAD")
        if commit is None:
            wanted = f"ref {ref!r}" if ref else "its default branch"
            raise KustomizeError(f"remote base {redact_url(url)}: {wanted} not found in the repository")
        return commit


def build_with_remote_bases(
    fs: FileSystem, path: str, options: BuildOptions, bases: GitRemoteBases
) -> BuildResult:
    """`build` with `options.remote = bases`, fetching the remote bases it asks for."""
    from dataclasses import replace  # noqa: PLC0415

    options = replace(options, remote=bases)
    for _ in range(MAX_ROUNDS):
        try:
            return build(fs, path, options)
        except RemoteNeededError as needed:
            bases.fetch(needed.requests)
    raise KustomizeError(f"remote bases: still needing more after {MAX_ROUNDS} fetch rounds")
