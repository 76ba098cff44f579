"""Repository sources, the pure part: URLs, rewriting, revisions, credentials, trees, errors.

Public API::

    normalize_url(url) -> str          Argo CD's normalised form (cache and credential key)
    same_url(a, b) -> bool; is_ssh_url(url); url_scheme(url) -> "file"|"http"|"https"|"ssh"
    redact_url(url) -> str             without password/token (for messages)
    UrlRewrites(rules).apply(url)      git's url.<base>.insteadOf; longest prefix wins
    RevisionKind, revision_kind(rev), candidate_refs(rev), is_commit_sha, is_truncated_sha
    RepoCredentials(url, kind, username, password, bearer_token, ssh_private_key, insecure, ...)
    credentials_from_secret(secret) -> RepoCredentials | None
    credentials_for(url, secrets) -> RepoCredentials | None   exact repository, else longest
                                                              repo-creds prefix (Argo CD's rule)
    SourceTree: the kustomize FileSystem at a commit + content_id(path) (Git blob id)
    git_blob_id(data) -> str; content_id(fs, path) -> str
    SourceError(repo_url, reason) and AuthenticationError, RepositoryNotFoundError,
    RepositoryUnreachableError, RevisionNotFoundError(repo_url, revision), PushRejectedError;
    PathEscapeError(PermissionError) for `..` and symlink escapes.
"""

from fleetops.core.source.credentials import (
    REPO_CREDS,
    REPOSITORY,
    SECRET_TYPE_LABEL,
    RepoCredentials,
    credentials_for,
    credentials_from_secret,
    secret_data,
)
from fleetops.core.source.errors import (
    AuthenticationError,
    PathEscapeError,
    PushRejectedError,
    RepositoryNotFoundError,
    RepositoryUnreachableError,
    RevisionNotFoundError,
    SourceError,
)
from fleetops.core.source.revision import (
    RevisionKind,
    candidate_refs,
    is_commit_sha,
    is_truncated_sha,
    revision_kind,
)
from fleetops.core.source.rewrite import UrlRewrites
from fleetops.core.source.tree import SourceTree, content_id, git_blob_id
from fleetops.core.source.urls import is_ssh_url, normalize_url, redact_url, same_url, url_scheme

__all__ = [
    "REPOSITORY",
    "REPO_CREDS",
    "SECRET_TYPE_LABEL",
    "AuthenticationError",
    "PathEscapeError",
    "PushRejectedError",
    "RepoCredentials",
    "RepositoryNotFoundError",
    "RepositoryUnreachableError",
    "RevisionKind",
    "RevisionNotFoundError",
    "SourceError",
    "SourceTree",
    "UrlRewrites",
    "candidate_refs",
    "content_id",
    "credentials_for",
    "credentials_from_secret",
    "git_blob_id",
    "is_commit_sha",
    "is_ssh_url",
    "is_truncated_sha",
    "normalize_url",
    "redact_url",
    "revision_kind",
    "same_url",
    "secret_data",
    "url_scheme",
]
