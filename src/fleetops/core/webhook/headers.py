"""Request headers by lower-case name, and which provider sent a request."""

from __future__ import annotations

from collections.abc import Mapping

from fleetops.core.webhook.event import Provider


def lower(headers: Mapping[str, str]) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def detect_provider(headers: Mapping[str, str]) -> Provider | None:
    """The provider, from its event header (Gitea also sends GitHub's headers: checked first)."""
    h = lower(headers)
    if "x-gitea-event" in h or "x-gogs-event" in h:
        return Provider.GITEA
    if "x-github-event" in h:
        return Provider.GITHUB
    if "x-gitlab-event" in h:
        return Provider.GITLAB
    if "x-hook-uuid" in h or ("x-event-key" in h and h["x-event-key"].startswith("repo:push")):
        return Provider.BITBUCKET
    if "x-event-key" in h:
        return Provider.BITBUCKET_SERVER
    return None
