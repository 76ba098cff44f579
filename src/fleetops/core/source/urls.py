"""Repository URLs: Argo CD's normalised form, comparison, and redaction for messages.

`normalize_url` follows Argo CD's `git.NormalizeGitURL`: lower-cased, `.git` and a trailing `/`
dropped, scp-like SSH (`git@host:org/repo`) written as `git@host/org/repo`, `ssh://` dropped.
Two URLs name the same repository when their normalised forms are equal.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

_SCP_LIKE = re.compile(r"^[\w.-]+@[\w.-]+:(?!//)")


def is_ssh_url(url: str) -> bool:
    """`ssh://...` or the scp-like `user@host:path` form."""
    text = url.strip().lower()
    return text.startswith("ssh://") or bool(_SCP_LIKE.match(text))


def normalize_url(url: str) -> str:
    """Argo CD's normalised repository URL (the key for caches and credential matching)."""
    text = url.strip().lower()
    if is_ssh_url(text) and not text.startswith("ssh://"):
        text = "ssh://" + text.replace(":", "/", 1)
    text = text.rstrip("/")
    text = text.removesuffix(".git")
    return text.removeprefix("ssh://")


def same_url(a: str, b: str) -> bool:
    return normalize_url(a) == normalize_url(b)


def redact_url(url: str) -> str:
    """The URL without any password or token in its user-info (safe for messages and logs)."""
    if "://" not in url:
        return url
    parts = urlsplit(url)
    if parts.password is None and parts.username is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    user = f"{parts.username}@" if parts.username and parts.password is None else ""
    if parts.password is not None:
        user = "***@"
    return urlunsplit((parts.scheme, user + host, parts.path, parts.query, parts.fragment))


def url_scheme(url: str) -> str:
    """`file`, `http`, `https` or `ssh` (scp-like counts as ssh); a bare path is `file`."""
    if is_ssh_url(url):
        return "ssh"
    if "://" not in url:
        return "file"
    return url.split("://", 1)[0].lower()
