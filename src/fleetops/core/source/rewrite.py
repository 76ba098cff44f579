"""Repository URL rewriting, like git's `url.<base>.insteadOf <prefix>`.

`UrlRewrites({"https://github.com/org/gitops-config": "http://127.0.0.1:8080/gitops-config.git"})`
sends every URL starting with the prefix to the new base; the longest matching prefix wins. It is
slightly stricter than git, so a prefix cannot match half a name: the prefix must end with `/` or
`:`, or be followed in the URL by nothing, `/`, or `.git`. A URL that is the prefix plus `.git`
(or a trailing `/`) maps to the base itself, so `.../gitops-config` and `.../gitops-config.git`
both reach the same repository.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class UrlRewrites:
    rules: Mapping[str, str] = field(default_factory=dict)
    """prefix as written in manifests -> base to use instead."""

    def apply(self, url: str) -> str:
        best = ""
        for prefix in self.rules:
            if len(prefix) > len(best) and _matches(url, prefix):
                best = prefix
        if not best:
            return url
        rest = url[len(best) :]
        if rest in ("/", ".git", ".git/"):
            rest = ""
        return self.rules[best] + rest


def _matches(url: str, prefix: str) -> bool:
    if not url.startswith(prefix):
        return False
    if prefix.endswith(("/", ":")):
        return True
    rest = url[len(prefix) :]
    return rest == "" or rest.startswith("/") or rest in (".git", ".git/")
