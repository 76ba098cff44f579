"""A webhook request (headers and raw body) as a PushEvent."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from fleetops.core.webhook.bitbucket import parse_bitbucket_cloud_push, parse_bitbucket_server_push
from fleetops.core.webhook.event import Provider, PushEvent, WebhookError
from fleetops.core.webhook.github import parse_github_push
from fleetops.core.webhook.gitlab import parse_gitlab_push
from fleetops.core.webhook.headers import detect_provider, lower

MAX_BODY = 25 * 1024 * 1024
"""GitHub caps payloads at 25 MB; anything larger is refused unread."""

_PUSH_EVENTS = {
    Provider.GITHUB: ("x-github-event", {"push"}),
    Provider.GITEA: ("x-gitea-event", {"push"}),
    Provider.GITLAB: ("x-gitlab-event", {"push hook", "tag push hook", "system hook"}),
    Provider.BITBUCKET: ("x-event-key", {"repo:push"}),
    Provider.BITBUCKET_SERVER: ("x-event-key", {"repo:refs_changed"}),
}


def parse_push(headers: Mapping[str, str], body: bytes) -> PushEvent | None:
    """The push a webhook announces; None for other events (ping, pull requests, ...).

    Raises WebhookError for a request from no known provider or with a malformed body. Verify
    the signature (`verify`) before acting on the result."""
    provider = detect_provider(headers)
    if provider is None:
        raise WebhookError("not a webhook from GitHub, GitLab, Gitea or Bitbucket (no event header)")
    h = lower(headers)
    header, push_events = _PUSH_EVENTS[provider]
    event = (h.get(header) or h.get("x-gogs-event", "")).strip().lower()
    if event not in push_events:
        return None
    if len(body) > MAX_BODY:
        raise WebhookError(f"payload of {len(body)} bytes is larger than {MAX_BODY}")
    try:
        payload: Any = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise WebhookError(f"payload is not JSON: {error}") from None
    if not isinstance(payload, dict):
        raise WebhookError("payload is not a JSON object")
    if provider is Provider.GITLAB and payload.get("object_kind") not in ("push", "tag_push"):
        return None
    parsed = _parse(provider, payload)
    if not parsed.repo_urls or not parsed.ref:
        raise WebhookError(f"{provider.value} push payload names no repository or ref")
    return parsed


def _parse(provider: Provider, payload: dict[str, Any]) -> PushEvent:
    if provider is Provider.GITLAB:
        return parse_gitlab_push(payload)
    if provider is Provider.BITBUCKET:
        return parse_bitbucket_cloud_push(payload)
    if provider is Provider.BITBUCKET_SERVER:
        return parse_bitbucket_server_push(payload)
    return parse_github_push(payload, provider)
