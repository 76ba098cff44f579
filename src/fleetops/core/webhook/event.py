"""A push announced by a Git forge's webhook, in one shape for every provider."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from fleetops.core.source.urls import normalize_url

ZERO_SHA = "0" * 40


class Provider(enum.Enum):
    GITHUB = "github"
    GITLAB = "gitlab"
    GITEA = "gitea"
    BITBUCKET = "bitbucket"
    """Bitbucket Cloud."""
    BITBUCKET_SERVER = "bitbucket-server"
    """Bitbucket Server / Data Center."""


class WebhookError(ValueError):
    """The request is not a webhook fleetops understands, or its payload is malformed."""


@dataclass(frozen=True)
class PushEvent:
    provider: Provider
    repo_urls: tuple[str, ...]
    """Every URL form the payload gives for the repository (web, clone over http, ssh)."""
    ref: str
    """The full ref pushed: `refs/heads/main`, `refs/tags/v1`."""
    before: str = ""
    after: str = ""
    changed_files: frozenset[str] | None = None
    """Paths added, modified or removed by the pushed commits; None when the payload cannot tell
    (tags, new or deleted branches, truncated commit lists, Bitbucket): refresh everything."""

    @property
    def revision(self) -> str:
        """The branch or tag name (what `targetRevision` would say)."""
        for prefix in ("refs/heads/", "refs/tags/"):
            if self.ref.startswith(prefix):
                return self.ref[len(prefix) :]
        return self.ref

    @property
    def branch(self) -> str:
        return self.ref.removeprefix("refs/heads/") if self.ref.startswith("refs/heads/") else ""

    @property
    def tag(self) -> str:
        return self.ref.removeprefix("refs/tags/") if self.ref.startswith("refs/tags/") else ""

    def is_for(self, repo_url: str) -> bool:
        """Does the push concern the repository `repo_url` (compared in normalised form)?"""
        wanted = normalize_url(repo_url)
        return any(normalize_url(url) == wanted for url in self.repo_urls)


def changed_files_of(
    commits: object, *, before: str, after: str, complete: bool = True
) -> frozenset[str] | None:
    """Files added/modified/removed by GitHub/GitLab/Gitea-style commit entries, or None."""
    if not complete or not isinstance(commits, list) or not commits or ZERO_SHA in (before, after):
        return None
    paths: set[str] = set()
    for commit in commits:
        if not isinstance(commit, dict):
            return None
        for key in ("added", "modified", "removed"):
            entries = commit.get(key) or []
            if not isinstance(entries, list):
                return None
            paths.update(str(p) for p in entries)
    return frozenset(paths)
