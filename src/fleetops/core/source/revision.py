"""What a `targetRevision` names, before looking at a repository's refs.

Argo CD's order of resolution, which the Git adapter follows: `""` and `HEAD` are the remote's
default branch; otherwise a ref whose full name (`refs/...`) or short name (branch, then tag)
equals the revision; otherwise a hexadecimal string of 7-40 characters is a (possibly truncated)
commit SHA. A branch named like a SHA wins over the SHA, as in Argo CD.
"""

from __future__ import annotations

import enum
import re

_HEX = re.compile(r"^[0-9a-fA-F]+$")


class RevisionKind(enum.Enum):
    HEAD = "head"
    """The repository's default branch (`""` or `HEAD`)."""
    FULL_REF = "full-ref"
    """A full ref name (`refs/heads/main`, `refs/tags/v1`, `refs/pull/7/head`)."""
    NAME = "name"
    """A branch or tag name (or a SHA-looking name: checked against refs first)."""


def is_commit_sha(revision: str) -> bool:
    return len(revision) == 40 and bool(_HEX.match(revision))


def is_truncated_sha(revision: str) -> bool:
    return 7 <= len(revision) <= 40 and bool(_HEX.match(revision))


def revision_kind(revision: str) -> RevisionKind:
    text = revision.strip()
    if text in ("", "HEAD"):
        return RevisionKind.HEAD
    if text.startswith("refs/"):
        return RevisionKind.FULL_REF
    return RevisionKind.NAME


def candidate_refs(revision: str) -> tuple[str, ...]:
    """Local ref names to try, in Argo CD's order, for a NAME or FULL_REF revision."""
    text = revision.strip()
    if text.startswith("refs/"):
        return (text,)
    return (f"refs/heads/{text}", f"refs/tags/{text}")
