"""Writing commits back (the GitOps rollback) and reading history, against a real server."""

# ruff: noqa: F811  (pytest fixtures imported from tests.support.gitserver are test parameters)

from __future__ import annotations

from pathlib import Path

import pytest
from tests.support.gitserver import GitServer, git_server, git_server_with_auth  # noqa: F401  (fixtures)

from fleetops.adapters.git import PygitSource
from fleetops.core.source import AuthenticationError, PushRejectedError, RevisionNotFoundError
from fleetops.ports import CommitAuthor, DeletePath, RestorePath, WriteFile

BOT = CommitAuthor("fleetops", "fleetops@example.com")


async def test_write_and_delete_as_one_pushed_commit(git_server: GitServer, tmp_path: Path) -> None:
    repo = git_server.create_repo("config")
    base = repo.commit({"apps/a/x.yaml": "x: 1\n", "apps/a/old.yaml": "old\n", "apps/b/y.yaml": "y\n"})
    source = PygitSource(tmp_path / "cache")
    url = git_server.url_for("config")
    result = await source.commit_and_push(
        url,
        branch="main",
        changes=[WriteFile("apps/a/x.yaml", b"x: 2\n"), DeletePath("/apps/a/old.yaml"), DeletePath("apps/b")],
        message="update a",
        author=BOT,
    )
    assert result.created and result.parent == base
    assert repo.head_of("main") == result.sha  # pushed to the server
    assert repo.read(result.sha, "apps/a/x.yaml") == b"x: 2\n"
    fs = source.tree(url, result.sha)
    assert fs.list_dir("/") == ["apps"] and fs.list_dir("/apps") == ["a"]
    assert await source.resolve(url, "main") == result.sha


async def test_restore_paths_to_an_earlier_commit(git_server: GitServer, tmp_path: Path) -> None:
    repo = git_server.create_repo("config")
    good = repo.commit({"apps/pay/image.yaml": "tag: v1\n", "apps/auth/image.yaml": "tag: a1\n"}, "good")
    repo.commit({"apps/pay/image.yaml": "tag: v2\n", "apps/pay/extra.yaml": "new\n"}, "bad 1")
    repo.commit({"apps/auth/image.yaml": "tag: a2\n"}, "auth moves on")
    bad = repo.commit({"apps/pay/image.yaml": "tag: v3\n"}, "bad 2")
    source = PygitSource(tmp_path / "cache")
    url = git_server.url_for("config")

    undone = await source.log(url, bad, ["apps/pay"], since=good)
    assert [c.summary for c in undone] == ["bad 2", "bad 1"]

    result = await source.commit_and_push(
        url,
        branch="main",
        changes=[RestorePath("apps/pay", good)],
        message=f"Rollback apps/pay to {good[:7]}",
        author=BOT,
        expected_head=bad,
    )
    fs = source.tree(url, result.sha)
    assert fs.list_dir("/apps/pay") == ["image.yaml"]
    assert fs.read_bytes("/apps/pay/image.yaml") == b"tag: v1\n"
    assert fs.read_bytes("/apps/auth/image.yaml") == b"tag: a2\n"  # other apps untouched
    log = await source.log(url, result.sha)
    assert log[0].summary.startswith("Rollback apps/pay") and log[0].author_name == "fleetops"
    assert len(log) == 5


async def test_nothing_to_change_makes_no_commit(git_server: GitServer, tmp_path: Path) -> None:
    repo = git_server.create_repo("config")
    head = repo.commit({"a.yaml": "a\n"})
    source = PygitSource(tmp_path / "cache")
    result = await source.commit_and_push(
        git_server.url_for("config"),
        branch="main",
        changes=[WriteFile("a.yaml", b"a\n")],
        message="noop",
        author=BOT,
    )
    assert (result.created, result.sha) == (False, head)
    assert repo.head_of("main") == head


async def test_expected_head_guards_against_a_moved_branch(git_server: GitServer, tmp_path: Path) -> None:
    repo = git_server.create_repo("config")
    first = repo.commit({"a.yaml": "a\n"})
    repo.commit({"a.yaml": "b\n"})
    source = PygitSource(tmp_path / "cache")
    with pytest.raises(PushRejectedError, match="not at"):
        await source.commit_and_push(
            git_server.url_for("config"),
            branch="main",
            changes=[WriteFile("a.yaml", b"c\n")],
            message="late",
            author=BOT,
            expected_head=first,
        )


async def test_push_needs_credentials(git_server_with_auth: GitServer, tmp_path: Path) -> None:
    git_server_with_auth.create_repo("config").commit({"a.yaml": "a\n"})
    source = PygitSource(tmp_path / "cache")
    with pytest.raises(AuthenticationError):
        await source.commit_and_push(
            git_server_with_auth.url_for("config"),
            branch="main",
            changes=[WriteFile("a.yaml", b"b\n")],
            message="x",
            author=BOT,
        )


async def test_push_with_credentials(git_server_with_auth: GitServer, tmp_path: Path) -> None:
    server = git_server_with_auth
    repo = server.create_repo("config")
    repo.commit({"a.yaml": "a\n"})
    source = PygitSource(
        tmp_path / "cache",
        repo_secrets=[
            {
                "metadata": {"labels": {"argocd.argoproj.io/secret-type": "repository"}},
                "stringData": {
                    "url": server.url_for("config"),
                    "username": "fleetops",
                    "password": "s3cret-password",
                },
            }
        ],
    )
    result = await source.commit_and_push(
        server.url_for("config"),
        branch="main",
        changes=[WriteFile("a.yaml", b"b\n")],
        message="x",
        author=BOT,
    )
    assert repo.head_of("main") == result.sha


async def test_restore_from_an_unknown_commit(git_server: GitServer, tmp_path: Path) -> None:
    git_server.create_repo("config").commit({"a.yaml": "a\n"})
    source = PygitSource(tmp_path / "cache")
    with pytest.raises(RevisionNotFoundError):
        await source.commit_and_push(
            git_server.url_for("config"),
            branch="main",
            changes=[RestorePath("a.yaml", "f" * 40)],
            message="x",
            author=BOT,
        )


async def test_paths_outside_the_repository_are_refused(git_server: GitServer, tmp_path: Path) -> None:
    git_server.create_repo("config").commit({"a.yaml": "a\n"})
    source = PygitSource(tmp_path / "cache")
    with pytest.raises(PermissionError):
        await source.commit_and_push(
            git_server.url_for("config"),
            branch="main",
            changes=[WriteFile("../../etc/x", b"")],
            message="x",
            author=BOT,
        )


async def test_a_push_the_server_refuses_is_a_typed_error(git_server: GitServer, tmp_path: Path) -> None:
    repo = git_server.create_repo("config")
    head = repo.commit({"a.yaml": "a\n"})
    hook = repo.path / "hooks" / "pre-receive"
    hook.parent.mkdir(exist_ok=True)
    hook.write_text("#!/bin/sh\necho protected branch >&2\nexit 1\n")
    hook.chmod(0o755)
    source = PygitSource(tmp_path / "cache")
    with pytest.raises(PushRejectedError, match="refs/heads/main"):
        await source.commit_and_push(
            git_server.url_for("config"),
            branch="main",
            changes=[WriteFile("a.yaml", b"b\n")],
            message="x",
            author=BOT,
        )
    assert repo.head_of("main") == head
    assert await source.resolve(git_server.url_for("config"), "main") == head  # the cache did not move
