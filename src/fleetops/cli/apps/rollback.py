"""Rollback, GitOps-style: one commit that restores the application's source path(s) to their
tree at an earlier revision, pushed to the branch the application tracks — so it works with
auto-sync on, leaves every other path untouched, and stays in Git's history. Argo CD's own
history rollback (`--history ID`) writes `operation.sync` at the old revision instead and, as in
Argo CD, is refused while auto-sync is enabled."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fleetops.adapters.git import PygitSource
from fleetops.cli.apps import views
from fleetops.cli.apps.errors import CliError
from fleetops.core import app as applications
from fleetops.ports.git import CommitAuthor, CommitInfo, RestorePath

AUTHOR = CommitAuthor("fleetops rollback", "fleetops@localhost")


@dataclass(frozen=True)
class RollbackPlan:
    repo: str
    branch: str
    head: str
    target: str
    paths: tuple[str, ...]
    undone: tuple[CommitInfo, ...]


@dataclass(frozen=True)
class RollbackResult:
    plan: RollbackPlan
    commit: str
    created: bool


def deployed_revision(app: Mapping[str, Any]) -> str:
    history = views.history(app)
    if history:
        return str(history[-1].get("revision") or "")
    return views.revision(app)


def previous_revision(app: Mapping[str, Any]) -> str:
    """The newest history entry whose revision differs from the deployed one."""
    current = deployed_revision(app)
    for entry in reversed(views.history(app)):
        revision = str(entry.get("revision") or "")
        if revision and revision != current:
            return revision
    raise CliError("the application's history has no earlier revision to roll back to (use --to)", 2)


def source_paths(app: Mapping[str, Any]) -> tuple[str, str, tuple[str, ...]]:
    """The repository, the tracked revision and the source path(s) of one repository."""
    sources = applications.sources(app)
    if not sources:
        raise CliError("the application has no source", 2)
    repos = {applications.repo_url(s) for s in sources if applications.repo_url(s)}
    if len(repos) != 1:
        raise CliError("rollback needs every source in one repository", 2)
    revision = applications.target_revision(sources[0])
    paths = tuple(sorted({applications.path(s).strip("/") for s in sources}))
    if "" in paths or "." in paths:
        raise CliError("the application's source is the whole repository: roll it back with git revert", 2)
    return repos.pop(), revision, paths


async def plan_rollback(git: PygitSource, app: Mapping[str, Any], to: str = "") -> RollbackPlan:
    repo, tracked, paths = source_paths(app)
    fetched = await git.fetch(repo)
    ref = fetched.head if tracked in ("", "HEAD") else f"refs/heads/{tracked}"
    head = fetched.refs.get(ref)
    if not ref.startswith("refs/heads/") or head is None:
        raise CliError(f"the application tracks {tracked!r}, not a branch: nothing to commit to", 2)
    target = await git.resolve(repo, to or previous_revision(app))
    undone: list[CommitInfo] = []
    if not same_trees(git, repo, head, target, paths):
        undone = await git.log(repo, head, paths, since=target)
    return RollbackPlan(repo, ref.removeprefix("refs/heads/"), head, target, paths, tuple(undone))


def same_trees(git: PygitSource, repo: str, first: str, second: str, paths: Sequence[str]) -> bool:
    """Are `paths` the same at both commits (already fetched)?"""
    import pygit2  # noqa: PLC0415

    opened = git.mirror(repo).open()

    def entry(sha: str, path: str) -> str | None:
        commit = opened.revparse_single(sha).peel(pygit2.Commit)
        try:
            return str(commit.tree[path].id)
        except KeyError:
            return None

    return all(entry(first, path) == entry(second, path) for path in paths)


def commit_message(name: str, plan: RollbackPlan) -> str:
    lines = [f"Roll back {name} to {plan.target[:12]}", ""]
    lines.append(f"Restores {', '.join(plan.paths)} as of {plan.target}, undoing:")
    lines += [f"- {commit.sha[:12]} {commit.summary}" for commit in plan.undone]
    return "\n".join(lines) + "\n"


async def push_rollback(git: PygitSource, name: str, plan: RollbackPlan) -> RollbackResult:
    result = await git.commit_and_push(
        plan.repo,
        branch=plan.branch,
        changes=[RestorePath(path, plan.target) for path in plan.paths],
        message=commit_message(name, plan),
        author=AUTHOR,
        expected_head=plan.head,
    )
    return RollbackResult(plan, result.sha, result.created)


def history_entry(app: Mapping[str, Any], history_id: int) -> Mapping[str, Any]:
    if applications.autosync_enabled(app):
        raise CliError(
            "rollback cannot be initiated when auto-sync is enabled "
            "(fleetops app rollback without --history rolls back through Git and works with auto-sync)",
            2,
        )
    for entry in views.history(app):
        if entry.get("id") == history_id:
            return entry
    raise CliError(f"application has no history entry with id {history_id}", 2)


def undone_lines(undone: Sequence[CommitInfo]) -> list[str]:
    return [f"{commit.sha[:12]}  {commit.author_name:<20}  {commit.summary}" for commit in undone]
