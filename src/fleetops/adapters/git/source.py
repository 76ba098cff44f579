"""GitSource over libgit2 (pygit2): a cache of bare repositories, shared fetches, trees without
checkouts, commits pushed back.

    source = PygitSource(cache_dir, rewrites={"https://github.com/org/gitops-config":
                                              "http://127.0.0.1:8080/gitops-config.git"},
                         repo_secrets=[secret_manifest, ...])
    sha = await source.resolve("https://github.com/org/gitops-config", "main")
    fs = source.tree("https://github.com/org/gitops-config", sha)

Repository URLs are the ones manifests name; rewriting maps them to the URL actually fetched, and
the cache is keyed by the normalised fetched URL. Credentials come from Argo CD repository Secrets
matched against the URL as written (then as rewritten). Blocking libgit2 calls run in the default
thread executor; `on_request(repo_url, request_type, seconds, ok)` observes each network request.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pygit2

from fleetops.adapters.git.commit import changed_tree, create_commit
from fleetops.adapters.git.credentials import CredentialsRejected, SourceCallbacks, UntrustedHost
from fleetops.adapters.git.errors import translate
from fleetops.adapters.git.history import path_log
from fleetops.adapters.git.mirror import Mirror
from fleetops.adapters.git.treefs import GitTreeFileSystem, split_path
from fleetops.core.source import (
    PathEscapeError,
    PushRejectedError,
    RepoCredentials,
    RevisionNotFoundError,
    UrlRewrites,
    credentials_for,
)
from fleetops.ports.git import CommitAuthor, CommitInfo, CommitResult, FetchResult, GitSource, PathChange

RequestObserver = Callable[[str, str, float, bool], None]


@dataclass(frozen=True)
class _Fetch:
    started: float
    """time.monotonic() when it began: it sees every push announced before that."""
    future: asyncio.Future[FetchResult]


_T = TypeVar("_T")


class PygitSource:
    def __init__(
        self,
        cache_dir: Path | str,
        *,
        rewrites: UrlRewrites | Mapping[str, str] | None = None,
        repo_secrets: Iterable[Mapping[str, Any] | RepoCredentials] = (),
        on_request: RequestObserver | None = None,
        connect_timeout: float = 30.0,
        io_timeout: float = 90.0,
        ssh_known_hosts: str | None = None,
    ) -> None:
        """`connect_timeout` / `io_timeout` (seconds) are libgit2 settings: process-wide.

        `ssh_known_hosts` (the text of Argo CD's `argocd-ssh-known-hosts-cm` `ssh_known_hosts`)
        is written under the cache directory, which becomes libgit2's home directory (also
        process-wide); without it, ssh host keys are checked against `~/.ssh/known_hosts`."""
        set_network_timeouts(connect_timeout, io_timeout)
        self.cache_dir = Path(cache_dir)
        if ssh_known_hosts is not None:
            use_known_hosts(self.cache_dir / "home", ssh_known_hosts)
        self.rewrites = rewrites if isinstance(rewrites, UrlRewrites) else UrlRewrites(dict(rewrites or {}))
        self._secrets: list[Mapping[str, Any] | RepoCredentials] = list(repo_secrets)
        self._on_request = on_request
        self._mirrors: dict[str, Mirror] = {}
        self._fetches: dict[str, _Fetch] = {}
        """The fetch in flight per mirror."""
        self._last_fetch: dict[str, tuple[float, FetchResult]] = {}
        """Per mirror: when the last successful fetch started (time.monotonic()), and its result."""
        self._commit_locks: dict[str, asyncio.Lock] = {}

    def set_repo_secrets(self, secrets: Iterable[Mapping[str, Any] | RepoCredentials]) -> None:
        """Replace the repository Secrets (as the kube adapter sees them change)."""
        self._secrets = list(secrets)

    def credentials(self, repo_url: str) -> RepoCredentials | None:
        found = credentials_for(repo_url, self._secrets)
        if found is None and self.rewrites.apply(repo_url) != repo_url:
            found = credentials_for(self.rewrites.apply(repo_url), self._secrets)
        return found

    def mirror(self, repo_url: str) -> Mirror:
        url = self.rewrites.apply(repo_url)
        mirror = Mirror(self.cache_dir, url)
        return self._mirrors.setdefault(mirror.key, mirror)

    # -- GitSource ----------------------------------------------------------------------------

    async def fetch(self, repo_url: str, *, since: float | None = None) -> FetchResult:
        mirror = self.mirror(repo_url)
        key = mirror.key
        # Without `since`, a fetch in flight is joined (whoever calls without a time accepts
        # what it brings) and a finished one is never reused.
        wanted = time.monotonic() if since is None else since
        join_any = since is None
        while True:
            last = self._last_fetch.get(key)
            if last is not None and last[0] >= wanted:
                return last[1]
            running = self._fetches.get(key)
            if running is not None and running.future.done():
                self._fetch_done(key, running.future)
                running = None
            if running is None:
                started = time.monotonic()
                shared = asyncio.ensure_future(self._fetch_once(repo_url, mirror, started))
                self._fetches[key] = _Fetch(started, shared)
                shared.add_done_callback(lambda done: self._fetch_done(key, done))
                return await asyncio.shield(shared)
            if join_any or running.started >= wanted:
                return await asyncio.shield(running.future)
            # In flight, but started before what the caller must see (a push announced after it
            # began): wait for it to end, then look again — the callers that waited for it
            # share one new fetch.
            with contextlib.suppress(Exception):
                await asyncio.shield(running.future)

    async def _fetch_once(self, repo_url: str, mirror: Mirror, started: float) -> FetchResult:
        result = await self._network(repo_url, "fetch", mirror.fetch)
        self._last_fetch[mirror.key] = (started, result)
        return result

    async def resolve(self, repo_url: str, revision: str) -> str:
        mirror = self.mirror(repo_url)
        if not mirror.fetched:
            await self.fetch(repo_url)
        sha = await _in_thread(mirror.resolve, revision)
        if sha is None:
            await self.fetch(repo_url)
            sha = await _in_thread(mirror.resolve, revision)
        if sha is None:
            raise RevisionNotFoundError(repo_url, revision)
        return sha

    def tree(self, repo_url: str, sha: str, root: str = "/") -> GitTreeFileSystem:
        mirror = self.mirror(repo_url)
        if not mirror.path.exists():
            raise RevisionNotFoundError(repo_url, sha)
        repo = mirror.open()
        try:
            commit = repo.revparse_single(sha).peel(pygit2.Commit)
        except (KeyError, ValueError, pygit2.GitError):
            raise RevisionNotFoundError(repo_url, sha) from None
        return GitTreeFileSystem(repo, commit.tree, root)

    async def commit_and_push(
        self,
        repo_url: str,
        *,
        branch: str,
        changes: Sequence[PathChange],
        message: str,
        author: CommitAuthor,
        expected_head: str | None = None,
    ) -> CommitResult:
        for change in changes:
            split_path(change.path, change.path)  # PathEscapeError before any network traffic
        mirror = self.mirror(repo_url)
        lock = self._commit_locks.setdefault(mirror.key, asyncio.Lock())
        async with lock:
            fetched = await self.fetch(repo_url)
            base_sha = fetched.refs.get(f"refs/heads/{branch}") or fetched.refs.get(fetched.head, "")
            if expected_head is not None and expected_head != base_sha:
                raise PushRejectedError(
                    repo_url, f"branch '{branch}' is at {base_sha or 'nothing'}, not at {expected_head}"
                )

            def write() -> CommitResult:
                return self._commit(
                    mirror,
                    repo_url=repo_url,
                    branch=branch,
                    base_sha=base_sha,
                    changes=changes,
                    message=message,
                    author=author,
                )

            return await self._network(repo_url, "push", write)

    async def log(
        self, repo_url: str, sha: str, paths: Sequence[str] = (), *, since: str | None = None
    ) -> list[CommitInfo]:
        mirror = self.mirror(repo_url)

        def walk() -> list[CommitInfo]:
            repo = mirror.open()
            start = _commit_id(repo, repo_url, sha)
            stop = None if since is None else _commit_id(repo, repo_url, since)
            return path_log(repo, start, paths, stop)

        if not mirror.fetched:
            await self.fetch(repo_url)
        try:
            return await _in_thread(walk)
        except RevisionNotFoundError:
            await self.fetch(repo_url)  # a commit pushed since the last fetch
            return await _in_thread(walk)

    # -- internals ----------------------------------------------------------------------------

    def _fetch_done(self, key: str, done: asyncio.Future[FetchResult]) -> None:
        running = self._fetches.get(key)
        if running is not None and running.future is done:
            del self._fetches[key]
        if not done.cancelled():
            done.exception()  # retrieved here: a caller that stopped waiting leaves no warning

    async def _network(self, repo_url: str, request_type: str, work: Callable[..., _T]) -> _T:
        """Run a blocking network operation with the URL's credentials; errors become typed."""
        credentials = self.credentials(repo_url)
        secrets = () if credentials is None else (credentials.password, credentials.bearer_token)
        started = time.monotonic()
        ok = False
        try:
            if request_type == "fetch":
                result = await _in_thread(work, SourceCallbacks(credentials))
            else:
                result = await _in_thread(work)
            ok = True
            return result
        except PathEscapeError:
            raise
        except (pygit2.GitError, CredentialsRejected, UntrustedHost, OSError) as error:
            raise translate(error, repo_url, secrets) from None
        finally:
            if self._on_request is not None:
                self._on_request(repo_url, request_type, time.monotonic() - started, ok)

    def _commit(
        self,
        mirror: Mirror,
        *,
        repo_url: str,
        branch: str,
        base_sha: str,
        changes: Sequence[PathChange],
        message: str,
        author: CommitAuthor,
    ) -> CommitResult:
        with mirror.lock:
            repo = mirror.open()
            base = repo[pygit2.Oid(hex=base_sha)].peel(pygit2.Commit) if base_sha else None
            tree = changed_tree(repo, repo_url, base, changes)
            if base is not None and tree == base.tree.id:
                return CommitResult(sha=base_sha, parent=base_sha, created=False)
            oid = create_commit(repo, tree, base, message, author)
            staging = f"refs/fleetops/push/{branch}"
            repo.references.create(staging, oid, force=True)
            callbacks = SourceCallbacks(self.credentials(repo_url))
            try:
                repo.remotes.create_anonymous(mirror.url).push(
                    [f"{staging}:refs/heads/{branch}"], callbacks=callbacks
                )
            finally:
                repo.references.delete(staging)
            if callbacks.rejected_refs:
                reason = "; ".join(f"{ref}: {why}" for ref, why in callbacks.rejected_refs.items())
                raise PushRejectedError(repo_url, f"push rejected ({reason})")
            repo.references.create(f"refs/heads/{branch}", oid, force=True)
            return CommitResult(sha=str(oid), parent=base_sha, created=True)


def set_network_timeouts(connect_seconds: float, io_seconds: float) -> None:
    """libgit2's (process-wide) connect and read/write timeouts for http(s) and ssh."""
    pygit2.option(pygit2.enums.Option.SET_SERVER_CONNECT_TIMEOUT, int(connect_seconds * 1000))
    pygit2.option(pygit2.enums.Option.SET_SERVER_TIMEOUT, int(io_seconds * 1000))


def use_known_hosts(home: Path, known_hosts: str) -> None:
    """Make `home` libgit2's home directory, with `known_hosts` as its ssh known hosts."""
    (home / ".ssh").mkdir(parents=True, exist_ok=True)
    (home / ".ssh" / "known_hosts").write_text(known_hosts)
    pygit2.option(pygit2.enums.Option.SET_HOMEDIR, str(home))


def _commit_id(repo: pygit2.Repository, repo_url: str, sha: str) -> pygit2.Oid:
    try:
        commit = repo.revparse_single(sha).peel(pygit2.Commit)
    except (KeyError, ValueError, pygit2.GitError):
        raise RevisionNotFoundError(repo_url, sha) from None
    return commit.id


async def _in_thread(work: Callable[..., _T], *args: object) -> _T:
    return await asyncio.get_running_loop().run_in_executor(None, work, *args)


def _conforms(source: PygitSource) -> GitSource:
    """mypy checks here that PygitSource implements the GitSource port."""
    return source
