"""GitLab push and tag push events (`X-Gitlab-Event: Push Hook` / `Tag Push Hook`).

GitLab lists at most 20 commits; when `total_commits_count` says more were pushed, the changed
files are unknown (None).
"""

from __future__ import annotations

from typing import Any

from fleetops.core.webhook.event import Provider, PushEvent, changed_files_of
from fleetops.core.webhook.payload import obj, text, urls


def parse_gitlab_push(payload: dict[str, Any]) -> PushEvent:
    project = obj(payload, "project")
    repo = obj(payload, "repository")
    before, after = text(payload, "before"), text(payload, "after")
    commits = payload.get("commits")
    total = payload.get("total_commits_count")
    complete = isinstance(commits, list) and (not isinstance(total, int) or total <= len(commits))
    return PushEvent(
        provider=Provider.GITLAB,
        repo_urls=urls(
            text(project, "web_url"),
            text(project, "git_http_url"),
            text(project, "git_ssh_url"),
            text(repo, "homepage"),
            text(repo, "git_http_url"),
            text(repo, "git_ssh_url"),
            text(repo, "url"),
        ),
        ref=text(payload, "ref"),
        before=before,
        after=after,
        changed_files=changed_files_of(commits, before=before, after=after, complete=complete),
    )
