"""GitHub push events (`X-GitHub-Event: push`); Gitea sends the same shape."""

from __future__ import annotations

from typing import Any

from fleetops.core.webhook.event import Provider, PushEvent, changed_files_of
from fleetops.core.webhook.payload import obj, text, urls


def parse_github_push(payload: dict[str, Any], provider: Provider = Provider.GITHUB) -> PushEvent:
    repo = obj(payload, "repository")
    before, after = text(payload, "before"), text(payload, "after")
    return PushEvent(
        provider=provider,
        repo_urls=urls(
            text(repo, "html_url"),
            text(repo, "clone_url"),
            text(repo, "ssh_url"),
            text(repo, "git_url"),
            text(repo, "url"),
        ),
        ref=text(payload, "ref"),
        before=before,
        after=after,
        changed_files=changed_files_of(payload.get("commits"), before=before, after=after),
    )
