"""Is a webhook request signed with the configured secret? Constant-time comparisons only.

- GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`.
- GitLab: `X-Gitlab-Token: <the secret>`.
- Gitea: `X-Gitea-Signature: <hex HMAC-SHA256>` (Gogs: `X-Gogs-Signature`).
- Bitbucket Cloud: `X-Hub-Signature: sha256=<hex>` (webhook secrets), or, as Argo CD configures
  it (`webhook.bitbucket.uuid`), `X-Hook-UUID` equal to the secret.
- Bitbucket Server: `X-Hub-Signature: sha256=<hex>`.

An empty secret verifies nothing: a missing or wrong signature, or no secret, is False.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from fleetops.core.webhook.event import Provider
from fleetops.core.webhook.headers import lower


def sign(body: bytes, secret: str) -> str:
    """The hex HMAC-SHA256 of `body` (what a forge sends; for tests and clients)."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(provider: Provider, headers: Mapping[str, str], body: bytes, secret: str) -> bool:
    if not secret:
        return False
    h = lower(headers)
    if provider is Provider.GITHUB:
        return _prefixed(h.get("x-hub-signature-256", ""), body, secret)
    if provider is Provider.GITLAB:
        return _equal(h.get("x-gitlab-token", ""), secret)
    if provider is Provider.GITEA:
        given = h.get("x-gitea-signature") or h.get("x-gogs-signature") or ""
        return bool(given) and _equal(given.lower(), sign(body, secret))
    if provider is Provider.BITBUCKET:
        if "x-hub-signature" in h:
            return _prefixed(h["x-hub-signature"], body, secret)
        return _equal(h.get("x-hook-uuid", "").strip("{}"), secret.strip("{}"))
    return _prefixed(h.get("x-hub-signature", ""), body, secret)


def _prefixed(header: str, body: bytes, secret: str) -> bool:
    algorithm, _, digest = header.partition("=")
    return algorithm.strip().lower() == "sha256" and _equal(digest.strip().lower(), sign(body, secret))


def _equal(given: str, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(given.encode(), expected.encode())
