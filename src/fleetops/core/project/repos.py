"""`spec.sourceRepos`: which repositories a project's applications may use (Argo CD's
`IsSourcePermitted`).

URLs are compared in Argo CD's normalised form (core.source.urls); patterns are globs whose `*`
stops at `/` (`**` crosses it), `*` alone allows every repository, and `!pattern` denies. A deny
pattern the URL does not match does not deny it (and, as in Argo CD, counts as a match: a list of
deny patterns alone allows every other repository).
"""

from __future__ import annotations

from collections.abc import Iterable

from fleetops.core.app.globs import glob_match
from fleetops.core.source.urls import normalize_url


def is_deny(pattern: str) -> bool:
    return pattern.startswith("!")


def negatable_match(pattern: str, text: str, *, separators: str = "") -> bool:
    """Argo CD's `globMatch(pattern, text, allowNegation=true, separators)`."""
    if is_deny(pattern):
        return not glob_match(pattern[1:], text, separators=separators)
    if pattern == "*":
        return True
    return glob_match(pattern, text, separators=separators)


def is_repo_permitted(source_repos: Iterable[str], repo_url: str) -> bool:
    wanted = normalize_url(repo_url)
    matched = False
    for pattern in source_repos:
        normalized = "!" + normalize_url(pattern[1:]) if is_deny(pattern) else normalize_url(pattern)
        if normalized == "*" or negatable_match(normalized, wanted, separators="/"):
            matched = True
        elif is_deny(normalized):
            return False
    return matched
