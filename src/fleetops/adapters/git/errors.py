"""libgit2 failures as the typed errors of `fleetops.core.source`, with clean messages."""

from __future__ import annotations

from collections.abc import Iterable

import pygit2

from fleetops.adapters.git.credentials import CredentialsRejected, UntrustedHost
from fleetops.core.source import (
    AuthenticationError,
    RepositoryNotFoundError,
    RepositoryUnreachableError,
    SourceError,
)
from fleetops.core.source.urls import redact_url

_UNREACHABLE = (
    "failed to connect",
    "failed to resolve address",
    "could not resolve",
    "connection refused",
    "timed out",
    "network is unreachable",
    "ssl",
    "tls",
    "certificate",
    "host key",
    "failed to start ssh session",
    "unexpected eof",
)
_NOT_FOUND = (
    "status code: 404",
    "could not find repository",
    "not a git repository",
    "repository not found",
    "does not appear to be a git repository",
    "not found",
)
_AUTH = ("authentication", "status code: 401", "status code: 403", "credentials", "permission denied")


def translate(error: BaseException, repo_url: str, secrets: Iterable[str] = ()) -> SourceError:
    """The SourceError for a failure talking to `repo_url`; no secret appears in its message."""
    if isinstance(error, SourceError):
        return error
    if isinstance(error, CredentialsRejected):
        reason = (
            "authentication failed: the credentials were rejected"
            if error.offered
            else "authentication required: no credentials are configured for this repository"
        )
        return AuthenticationError(repo_url, reason)
    if isinstance(error, UntrustedHost):
        return RepositoryUnreachableError(
            repo_url,
            f"{error}: add its CA or known_hosts entry, or mark the repository insecure",
        )
    message = _scrub(str(error), repo_url, secrets)
    lowered = message.lower()
    if isinstance(error, pygit2.AuthError):
        return AuthenticationError(repo_url, f"authentication failed: {message}")
    if isinstance(error, pygit2.CertificateError):
        return RepositoryUnreachableError(repo_url, f"untrusted certificate or host key: {message}")
    if any(marker in lowered for marker in _AUTH):
        return AuthenticationError(repo_url, f"authentication failed: {message}")
    if any(marker in lowered for marker in _UNREACHABLE):
        return RepositoryUnreachableError(repo_url, f"unreachable: {message}")
    if any(marker in lowered for marker in _NOT_FOUND):
        return RepositoryNotFoundError(repo_url, f"repository not found: {message}")
    return SourceError(repo_url, message)


def _scrub(message: str, repo_url: str, secrets: Iterable[str]) -> str:
    message = message.replace(repo_url, redact_url(repo_url))
    for secret in secrets:
        if secret:
            message = message.replace(secret, "***")
    return message.strip() or "unknown git error"
