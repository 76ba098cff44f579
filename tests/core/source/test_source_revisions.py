"""Revision kinds (Argo CD's resolution order) and Git blob ids."""

from __future__ import annotations

import pytest

from fleetops.core.kustomize import MemoryFileSystem
from fleetops.core.source import (
    RevisionKind,
    candidate_refs,
    content_id,
    git_blob_id,
    is_commit_sha,
    is_truncated_sha,
    revision_kind,
)


@pytest.mark.parametrize(
    ("revision", "kind", "refs"),
    [
        ("", RevisionKind.HEAD, None),
        ("HEAD", RevisionKind.HEAD, None),
        ("main", RevisionKind.NAME, ("refs/heads/main", "refs/tags/main")),
        ("v1.2.0", RevisionKind.NAME, ("refs/heads/v1.2.0", "refs/tags/v1.2.0")),
        ("refs/pull/7/head", RevisionKind.FULL_REF, ("refs/pull/7/head",)),
        ("a" * 40, RevisionKind.NAME, ("refs/heads/" + "a" * 40, "refs/tags/" + "a" * 40)),
    ],
)
def test_revision_kinds(revision: str, kind: RevisionKind, refs: tuple[str, ...] | None) -> None:
    assert revision_kind(revision) is kind
    if refs is not None:
        assert candidate_refs(revision) == refs


def test_sha_shapes() -> None:
    assert is_commit_sha("0123456789abcdef0123456789ABCDEF01234567")
    assert not is_commit_sha("0123456")
    assert is_truncated_sha("0123456") and not is_truncated_sha("012345") and not is_truncated_sha("main123")


def test_git_blob_id_matches_git() -> None:
    # `printf 'hello\n' | git hash-object --stdin`
    assert git_blob_id(b"hello\n") == "ce013625030ba8dba906f756967f9e9ca394464a"
    assert git_blob_id(b"") == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"
    assert content_id(MemoryFileSystem({"/a": "hello\n"}), "/a") == "ce013625030ba8dba906f756967f9e9ca394464a"
