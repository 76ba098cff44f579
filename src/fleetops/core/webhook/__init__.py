"""Push webhooks from GitHub, GitLab, Gitea and Bitbucket: verification and parsing (pure).

Public API::

    Provider (GITHUB, GITLAB, GITEA, BITBUCKET, BITBUCKET_SERVER)
    detect_provider(headers) -> Provider | None
    verify(provider, headers, body, secret) -> bool     constant-time; missing/bad -> False
    sign(body, secret) -> str                           hex HMAC-SHA256 (tests, clients)
    parse_push(headers, body) -> PushEvent | None       None for non-push events (ping, ...)
    PushEvent(provider, repo_urls, ref, before, after, changed_files)
        .revision, .branch, .tag, .is_for(repo_url)     changed_files None = unknown
    WebhookError(ValueError)
"""

from fleetops.core.webhook.event import Provider, PushEvent, WebhookError
from fleetops.core.webhook.headers import detect_provider
from fleetops.core.webhook.parse import MAX_BODY, parse_push
from fleetops.core.webhook.signatures import sign, verify

__all__ = [
    "MAX_BODY",
    "Provider",
    "PushEvent",
    "WebhookError",
    "detect_provider",
    "parse_push",
    "sign",
    "verify",
]
