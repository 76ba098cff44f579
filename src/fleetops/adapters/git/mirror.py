"""One cached bare repository: fetching into it and resolving revisions in it (blocking calls).

The cache keeps one bare repository per normalised (rewritten) URL. A fetch takes every branch
and tag (pruning those gone from the remote) and records the remote's default branch as the
symbolic ref `refs/fleetops/remote-HEAD`. Writers (fetch, commit) hold the mirror's lock.
"""

from __future__ import annotations

import hashlib
import re
import threading
from pathlib import Path

import pygit2

from fleetops.adapters.git.credentials import SourceCallbacks
from fleetops.core.source import (
    RevisionKind,
    candidate_refs,
    is_commit_sha,
    is_truncated_sha,
    normalize_url,
    revision_kind,
)
from fleetops.ports.git import FetchResult

REMOTE_HEAD = "refs/fleetops/remote-HEAD"
FETCH_REFSPECS = ["+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"]
_FETCHED_MARKER = "fleetops-fetched"


class Mirror:
    def __init__(self, cache_dir: Path, url: str) -> None:
        self.url = url
        """The URL fetched from (after rewriting)."""
        self.key = normalize_url(url)
        slug = re.sub(r"[^a-z0-9._-]+", "-", self.key.rsplit("/", 1)[-1])[:40] or "repo"
        digest = hashlib.sha256(self.key.encode()).hexdigest()[:16]
        self.path = cache_dir / f"{slug}-{digest}.git"
        self.lock = threading.Lock()

    @property
    def fetched(self) -> bool:
        return (self.path / _FETCHED_MARKER).exists()

    def open(self) -> pygit2.Repository:
        if not self.path.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return pygit2.init_repository(str(self.path), bare=True)
        return pygit2.Repository(str(self.path))

    def fetch(self, callbacks: SourceCallbacks) -> FetchResult:
        with self.lock:
            repo = self.open()
            remote = repo.remotes.create_anonymous(self.url)
            remote.fetch(FETCH_REFSPECS, callbacks=callbacks, prune=pygit2.enums.FetchPrune.PRUNE)
            heads = remote.list_heads(callbacks=callbacks, connect=False)
            head = next((h for h in heads if h.name == "HEAD"), None)
            if head is not None and head.symref_target and head.symref_target in repo.references:
                repo.references.create(REMOTE_HEAD, head.symref_target, force=True)
            elif head is not None and head.oid in repo:
                repo.references.create(REMOTE_HEAD, head.oid, force=True)
            elif REMOTE_HEAD in repo.references:
                repo.references.delete(REMOTE_HEAD)
            (self.path / _FETCHED_MARKER).touch()
            return self.snapshot(repo)

    def snapshot(self, repo: pygit2.Repository) -> FetchResult:
        refs: dict[str, str] = {}
        for name in repo.references:
            if name.startswith(("refs/heads/", "refs/tags/")):
                commit = _peel(repo, repo.references[name].target)
                if commit is not None:
                    refs[name] = commit
        head = ""
        reference = repo.references.get(REMOTE_HEAD)
        if reference is not None and reference.type == pygit2.enums.ReferenceType.SYMBOLIC:
            head = str(reference.target)
        return FetchResult(repo_url=self.url, refs=refs, head=head)

    def resolve(self, revision: str) -> str | None:
        """The commit SHA for `revision` in the cache, None when unknown here (Argo CD's order)."""
        repo = self.open()
        kind = revision_kind(revision)
        text = revision.strip()
        if kind is RevisionKind.HEAD:
            return _target(repo, REMOTE_HEAD)
        for name in candidate_refs(text):
            if name in repo.references:
                return _target(repo, name)
        if kind is RevisionKind.NAME and is_truncated_sha(text):
            return self._commit_by_sha(repo, text)
        return None

    def _commit_by_sha(self, repo: pygit2.Repository, sha: str) -> str | None:
        try:
            obj = repo.get(sha) if is_commit_sha(sha) else repo.revparse_single(sha)
        except (KeyError, ValueError, pygit2.GitError):
            return None
        return None if obj is None else _peel(repo, obj.id)


def _target(repo: pygit2.Repository, name: str) -> str | None:
    """The commit a ref names (symbolic refs followed), None if it leads nowhere."""
    try:
        return _peel(repo, repo.references[name].resolve().target)
    except (KeyError, pygit2.GitError):
        return None


def _peel(repo: pygit2.Repository, target: object) -> str | None:
    """The commit an object id (or a tag pointing at one) names."""
    if not isinstance(target, pygit2.Oid):
        return None
    try:
        commit = repo[target].peel(pygit2.Commit)
    except (KeyError, ValueError, pygit2.GitError):
        return None
    return str(commit.id)
