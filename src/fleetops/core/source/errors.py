"""Typed errors of a repository source. Messages name the repository (without credentials),
never a password, token or key."""

from __future__ import annotations

from fleetops.core.source.urls import redact_url


class SourceError(Exception):
    """A repository could not be read or written."""

    def __init__(self, repo_url: str, reason: str) -> None:
        self.repo_url = redact_url(repo_url)
        self.reason = reason
        super().__init__(f"repository {self.repo_url}: {reason}")


class AuthenticationError(SourceError):
    """The repository refused the credentials (or needs some and none were configured)."""


class RepositoryNotFoundError(SourceError):
    """The host answered, but there is no such repository."""


class RepositoryUnreachableError(SourceError):
    """The host could not be reached (DNS, refused connection, TLS, timeout)."""


class RevisionNotFoundError(SourceError):
    """The revision names no branch, tag or commit in the repository."""

    def __init__(self, repo_url: str, revision: str) -> None:
        self.revision = revision
        super().__init__(repo_url, f"unable to resolve '{revision}' to a commit SHA")


class PushRejectedError(SourceError):
    """The remote refused a push (the branch moved on: fetch and try again, or a hook refused)."""


class PathEscapeError(PermissionError):
    """A path (or a symlink on the way) leads outside the tree's root."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(f"security; '{path}' resolves outside the repository root")
