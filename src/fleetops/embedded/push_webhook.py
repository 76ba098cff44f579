"""Pushes to the local Git server announced to the hub as GitHub push webhooks, signed with the
hub's webhook secret — so a `git push` in embedded mode syncs at once, through the same
`/api/webhook` path a real forge uses (polling stays as the fallback)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import aiohttp

from fleetops.core.webhook.signatures import sign

log = logging.getLogger(__name__)


def push_payload(repo_url: str, clone_url: str, branch: str) -> bytes:
    """A GitHub push event without commit details (every application of the repository is
    refreshed, as Argo CD does when a payload lists no changed files)."""
    body = {
        "ref": f"refs/heads/{branch}",
        "repository": {"html_url": repo_url, "clone_url": clone_url},
    }
    return json.dumps(body).encode()


def default_branch(repository: Path) -> str:
    import pygit2  # noqa: PLC0415

    head = pygit2.Repository(str(repository)).references.get("HEAD")
    target = str(head.target) if head is not None else "refs/heads/main"
    return target.removeprefix("refs/heads/")


async def announce_push(webhook_url: str, secret: str, body: bytes) -> int:
    """POST the event; the hub's answer status (0 when it cannot be reached)."""
    headers = {
        "Content-Type": "application/json",
        "X-GitHub-Event": "push",
        "X-Hub-Signature-256": f"sha256={sign(body, secret)}",
    }
    try:
        async with (
            aiohttp.ClientSession() as session,
            session.post(webhook_url, data=body, headers=headers) as answer,
        ):
            return answer.status
    except aiohttp.ClientError as error:
        log.warning("cannot announce a push to %s: %s", webhook_url, error)
        return 0
