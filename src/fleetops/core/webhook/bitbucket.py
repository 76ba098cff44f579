"""Bitbucket Cloud `repo:push` and Bitbucket Server `repo:refs_changed` events.

Neither lists changed files (Argo CD asks Bitbucket's API for a diffstat); they are None here:
refresh every application of the repository. Only the first change of a push is reported, as in
Argo CD.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from fleetops.core.webhook.event import Provider, PushEvent
from fleetops.core.webhook.payload import obj, text, urls


def parse_bitbucket_cloud_push(payload: dict[str, Any]) -> PushEvent:
    repo = obj(payload, "repository")
    html = text(repo, "links", "html", "href")
    full_name = text(repo, "full_name")
    host = urlsplit(html).hostname or "bitbucket.org"
    changes = obj(payload, "push").get("changes")
    change = changes[0] if isinstance(changes, list) and changes and isinstance(changes[0], dict) else {}
    new, old = obj(change, "new"), obj(change, "old")
    kind = text(new, "type") or text(old, "type")
    name = text(new, "name") or text(old, "name")
    prefix = "refs/tags/" if kind == "tag" else "refs/heads/"
    return PushEvent(
        provider=Provider.BITBUCKET,
        repo_urls=urls(
            html,
            f"https://{host}/{full_name}.git" if full_name else "",
            f"git@{host}:{full_name}.git" if full_name else "",
        ),
        ref=prefix + name if name else "",
        before=text(old, "target", "hash"),
        after=text(new, "target", "hash"),
    )


def parse_bitbucket_server_push(payload: dict[str, Any]) -> PushEvent:
    repo = obj(payload, "repository")
    links = obj(repo, "links")
    clone = [text(link, "href") for link in links.get("clone") or [] if isinstance(link, dict)]
    web = [text(link, "href") for link in links.get("self") or [] if isinstance(link, dict)]
    changes = payload.get("changes")
    change = changes[0] if isinstance(changes, list) and changes and isinstance(changes[0], dict) else {}
    return PushEvent(
        provider=Provider.BITBUCKET_SERVER,
        repo_urls=urls(*clone, *web),
        ref=text(change, "ref", "id") or text(change, "refId"),
        before=text(change, "fromHash"),
        after=text(change, "toHash"),
    )
