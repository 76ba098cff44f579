"""Writing a set of path changes as one commit on top of a base commit (blocking calls)."""

from __future__ import annotations

from collections.abc import Sequence

import pygit2

from fleetops.adapters.git.treefs import split_path
from fleetops.core.source import RevisionNotFoundError
from fleetops.ports.git import CommitAuthor, DeletePath, PathChange, RestorePath, WriteFile

_FILE = pygit2.enums.FileMode.BLOB
_EXECUTABLE = pygit2.enums.FileMode.BLOB_EXECUTABLE


def changed_tree(
    repo: pygit2.Repository, repo_url: str, base: pygit2.Commit | None, changes: Sequence[PathChange]
) -> pygit2.Oid:
    """The tree of `base` with `changes` applied, written to the object database."""
    index = pygit2.Index()
    if base is not None:
        index.read_tree(base.tree)
    for change in changes:
        path = "/".join(split_path(change.path, change.path))
        if not path:
            raise ValueError("a change must name a path inside the repository, not its root")
        _remove(index, path)
        if isinstance(change, WriteFile):
            blob = repo.create_blob(change.content)
            index.add(pygit2.IndexEntry(path, blob, _EXECUTABLE if change.executable else _FILE))
        elif isinstance(change, RestorePath):
            _restore(repo, repo_url, index, path, change.sha)
        else:
            assert isinstance(change, DeletePath)
    return index.write_tree(repo)


def create_commit(
    repo: pygit2.Repository,
    tree: pygit2.Oid,
    parent: pygit2.Commit | None,
    message: str,
    author: CommitAuthor,
) -> pygit2.Oid:
    signature = pygit2.Signature(author.name, author.email)
    parents = [] if parent is None else [parent.id]
    return repo.create_commit(None, signature, signature, message, tree, parents)


def _remove(index: pygit2.Index, path: str) -> None:
    if path in index:
        index.remove(path)
    index.remove_directory(path)


def _restore(repo: pygit2.Repository, repo_url: str, index: pygit2.Index, path: str, sha: str) -> None:
    try:
        old = repo.revparse_single(sha).peel(pygit2.Commit)
    except (KeyError, ValueError, pygit2.GitError):
        raise RevisionNotFoundError(repo_url, sha) from None
    try:
        entry = old.tree[path]
    except KeyError:
        return  # absent at that commit: stays deleted
    _add_entry(repo, index, path, entry)


def _add_entry(repo: pygit2.Repository, index: pygit2.Index, path: str, entry: pygit2.Object) -> None:
    if entry.filemode == pygit2.enums.FileMode.TREE:
        tree = repo[entry.id]
        assert isinstance(tree, pygit2.Tree)
        for child in tree:
            _add_entry(repo, index, f"{path}/{child.name}", child)
    else:
        index.add(pygit2.IndexEntry(path, entry.id, entry.filemode))
