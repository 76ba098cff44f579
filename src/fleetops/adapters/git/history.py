"""Commits that changed some paths (blocking calls)."""

from __future__ import annotations

from collections.abc import Sequence

import pygit2

from fleetops.ports.git import CommitInfo


def path_log(
    repo: pygit2.Repository, sha: pygit2.Oid, paths: Sequence[str], since: pygit2.Oid | None
) -> list[CommitInfo]:
    """Commits reachable from `sha` and not from `since`, newest first, that changed a path
    (compared with their first parent; every commit when `paths` is empty)."""
    wanted = [p.strip("/") for p in paths]
    walker = repo.walk(sha, pygit2.enums.SortMode.TOPOLOGICAL | pygit2.enums.SortMode.TIME)
    if since is not None:
        walker.hide(since)
    found: list[CommitInfo] = []
    for commit in walker:
        if wanted and not _touches(commit, wanted):
            continue
        found.append(
            CommitInfo(
                sha=str(commit.id),
                parents=tuple(str(p) for p in commit.parent_ids),
                author_name=commit.author.name,
                author_email=commit.author.email,
                authored_at=commit.author.time,
                message=commit.message,
            )
        )
    return found


def _touches(commit: pygit2.Commit, paths: Sequence[str]) -> bool:
    parent = commit.parents[0].tree if commit.parents else None
    return any(_entry_id(commit.tree, p) != _entry_id(parent, p) for p in paths)


def _entry_id(tree: pygit2.Tree | None, path: str) -> pygit2.Oid | None:
    if tree is None:
        return None
    if not path:
        return tree.id
    try:
        return tree[path].id
    except KeyError:
        return None
