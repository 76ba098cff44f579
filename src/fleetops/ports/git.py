"""The Git port: what the engine needs from repositories.

Revisions resolve against a local cache that `fetch` refreshes (one fetch serves every application
of a repository: concurrent callers await the same fetch). Trees are read at a commit without a
checkout, through the kustomize FileSystem protocol plus cheap content ids (`SourceTree`).
Failures raise the typed errors of `fleetops.core.source` (AuthenticationError,
RepositoryUnreachableError, RepositoryNotFoundError, RevisionNotFoundError, PushRejectedError).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from fleetops.core.source import SourceTree


@dataclass(frozen=True)
class FetchResult:
    repo_url: str
    refs: Mapping[str, str] = field(default_factory=dict)
    """Branches and tags after the fetch: full ref name -> commit SHA (annotated tags peeled)."""
    head: str = ""
    """The remote's default branch (`refs/heads/main`), "" if it has none (empty repository)."""


@dataclass(frozen=True)
class WriteFile:
    """Write a file (creating directories on the way)."""

    path: str
    content: bytes
    executable: bool = False


@dataclass(frozen=True)
class DeletePath:
    """Delete a file or a whole directory (nothing happens if it is absent)."""

    path: str


@dataclass(frozen=True)
class RestorePath:
    """Make a file or directory what it was at commit `sha` (deleted if it did not exist there)."""

    path: str
    sha: str


PathChange = WriteFile | DeletePath | RestorePath


@dataclass(frozen=True)
class CommitAuthor:
    name: str
    email: str


@dataclass(frozen=True)
class CommitResult:
    sha: str
    """The new commit, or the branch's head when the changes changed nothing."""
    parent: str
    created: bool
    """False when the tree was already as asked: no commit was made or pushed."""


@dataclass(frozen=True)
class CommitInfo:
    sha: str
    parents: tuple[str, ...]
    author_name: str
    author_email: str
    authored_at: int
    """Seconds since the epoch."""
    message: str

    @property
    def summary(self) -> str:
        return self.message.split("\n", 1)[0]


class GitSource(Protocol):
    async def fetch(self, repo_url: str, *, since: float | None = None) -> FetchResult:
        """Bring the local cache of `repo_url` up to date as of `since` (`time.monotonic()`): a
        fetch that started at or after `since` — finished or in flight — is reused; one that
        started before it (it may miss a push announced since) is not. Without `since`, a fetch
        in flight is joined and a finished one never reused."""
        ...

    async def resolve(self, repo_url: str, revision: str) -> str:
        """The commit SHA `revision` names: branch, tag, full or short SHA, `HEAD` or "".

        Resolves against the cache (fetching first when the repository was never fetched, and
        once more when the revision is not known locally). Call `fetch` to refresh."""
        ...

    def tree(self, repo_url: str, sha: str, root: str = "/") -> SourceTree:
        """The files at commit `sha` (already fetched), seen with `root` as `/`.

        Paths and symlinks leading outside `root` raise PermissionError (PathEscapeError)."""
        ...

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
        """Apply `changes` on top of `branch` (fetched first) as one commit and push it.

        With `expected_head`, refuse (PushRejectedError) if the branch has moved from it."""
        ...

    async def log(
        self, repo_url: str, sha: str, paths: Sequence[str] = (), *, since: str | None = None
    ) -> list[CommitInfo]:
        """Commits reachable from `sha`, newest first, that changed any of `paths` (all commits
        without paths), excluding those reachable from `since` (git's `since..sha`)."""
        ...
