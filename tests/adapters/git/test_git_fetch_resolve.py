"""PygitSource against a real smart-HTTP server and file:// repositories: fetch, resolve, errors."""

# ruff: noqa: F811  (pytest fixtures imported from tests.support.gitserver are test parameters)

from __future__ import annotations

import asyncio
import base64
import socket
from pathlib import Path

import pytest
from tests.support.gitserver import GitServer, git_server, git_server_with_auth  # noqa: F401  (fixtures)

from fleetops.adapters.git import PygitSource
from fleetops.core.source import (
    AuthenticationError,
    RepositoryNotFoundError,
    RepositoryUnreachableError,
    RevisionNotFoundError,
)

SEED_URL = "https://github.com/org/gitops-config"


def repo_secret(url: str, kind: str = "repository", **data: str) -> dict[str, object]:
    encoded = {k: base64.b64encode(v.encode()).decode() for k, v in {"url": url, **data}.items()}
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "repo", "labels": {"argocd.argoproj.io/secret-type": kind}},
        "data": encoded,
    }


@pytest.fixture
def source(tmp_path: Path) -> PygitSource:
    return PygitSource(tmp_path / "cache")


async def test_resolve_branch_tag_sha_and_head_over_http(git_server: GitServer, source: PygitSource) -> None:
    repo = git_server.create_repo("config")
    first = repo.commit({"a.yaml": "a: 1\n"}, "first")
    second = repo.commit({"a.yaml": "a: 2\n"}, "second")
    dev = repo.commit({"a.yaml": "a: dev\n"}, "dev work", branch="dev")
    repo.tag("v1", first)
    repo.tag("v2", second, annotated=True)
    url = git_server.url_for("config")

    assert await source.resolve(url, "main") == second
    assert await source.resolve(url, "dev") == dev
    assert await source.resolve(url, "HEAD") == second
    assert await source.resolve(url, "") == second
    assert await source.resolve(url, "v1") == first
    assert await source.resolve(url, "v2") == second  # annotated tag peeled to its commit
    assert await source.resolve(url, "refs/heads/dev") == dev
    assert await source.resolve(url, first) == first
    assert await source.resolve(url, first[:8]) == first


async def test_head_follows_the_remote_default_branch(git_server: GitServer, source: PygitSource) -> None:
    repo = git_server.create_repo("config")
    repo.commit({"a": "1"}, branch="main")
    trunk = repo.commit({"a": "2"}, branch="trunk")
    repo.set_head("trunk")
    assert await source.resolve(git_server.url_for("config"), "HEAD") == trunk
    assert (await source.fetch(git_server.url_for("config"))).head == "refs/heads/trunk"


async def test_unknown_revision_is_a_typed_error(git_server: GitServer, source: PygitSource) -> None:
    git_server.create_repo("config").commit({"a": "1"})
    url = git_server.url_for("config")
    for revision in ("no-such-branch", "0123456789abcdef0123456789abcdef01234567", "deadbee", "refs/x"):
        with pytest.raises(RevisionNotFoundError) as caught:
            await source.resolve(url, revision)
        assert revision in str(caught.value)


async def test_a_new_branch_is_found_by_fetching_again(git_server: GitServer, source: PygitSource) -> None:
    repo = git_server.create_repo("config")
    repo.commit({"a": "1"})
    url = git_server.url_for("config")
    await source.fetch(url)
    feature = repo.commit({"a": "2"}, branch="feature")
    assert await source.resolve(url, "feature") == feature


async def test_resolve_uses_the_cache_until_fetched(git_server: GitServer, source: PygitSource) -> None:
    repo = git_server.create_repo("config")
    first = repo.commit({"a": "1"})
    url = git_server.url_for("config")
    assert await source.resolve(url, "main") == first
    second = repo.commit({"a": "2"})
    assert await source.resolve(url, "main") == first
    fetched = await source.fetch(url)
    assert fetched.refs["refs/heads/main"] == second
    assert await source.resolve(url, "main") == second


async def test_file_url(tmp_path: Path, source: PygitSource) -> None:
    server = GitServer(tmp_path / "repos")  # not started: only its repository helper is used
    repo = server.create_repo("local")
    sha = repo.commit({"kustomization.yaml": "resources: []\n"})
    url = (tmp_path / "repos" / "local.git").as_uri()
    assert url.startswith("file://")
    assert await source.resolve(url, "main") == sha
    assert source.tree(url, sha).read_bytes("/kustomization.yaml") == b"resources: []\n"


async def test_concurrent_fetches_share_one_network_fetch(git_server: GitServer, source: PygitSource) -> None:
    git_server.create_repo("config").commit({"a": "1"})
    url = git_server.url_for("config")
    results = await asyncio.gather(*(source.fetch(url) for _ in range(5)))
    assert len({id(r) for r in results}) == 1
    assert len(git_server.upload_pack_requests("config")) == 1
    await source.fetch(url)  # a later fetch goes to the network again
    assert len(git_server.upload_pack_requests("config")) == 2


async def test_concurrent_resolves_of_one_repository_fetch_once(
    git_server: GitServer, source: PygitSource
) -> None:
    repo = git_server.create_repo("config")
    sha = repo.commit({"a": "1"})
    url = git_server.url_for("config")
    assert await asyncio.gather(*(source.resolve(url, "main") for _ in range(4))) == [sha] * 4
    assert len(git_server.upload_pack_requests("config")) == 1


async def test_url_rewriting_reaches_the_local_server(git_server: GitServer, tmp_path: Path) -> None:
    repo = git_server.create_repo("gitops-config")
    sha = repo.commit({"apps/payment-service/base/kustomization.yaml": "resources: []\n"})
    source = PygitSource(tmp_path / "cache", rewrites={SEED_URL: git_server.url_for("gitops-config")})
    assert await source.resolve(SEED_URL, "main") == sha
    assert await source.resolve(SEED_URL + ".git", "HEAD") == sha  # same repository, same cache
    assert len(git_server.upload_pack_requests("gitops-config")) == 1
    tree = source.tree(SEED_URL, sha)
    assert tree.list_dir("/apps/payment-service/base") == ["kustomization.yaml"]


async def test_basic_auth_with_repository_secret(git_server_with_auth: GitServer, tmp_path: Path) -> None:
    server = git_server_with_auth
    sha = server.create_repo("private").commit({"a": "1"})
    url = server.url_for("private")
    secret = repo_secret(url, username="fleetops", password="s3cret-password")
    source = PygitSource(tmp_path / "cache", repo_secrets=[secret])
    assert await source.resolve(url, "main") == sha
    assert {r.user for r in server.requests if r.status == 200} == {"fleetops"}
    assert len(server.upload_pack_requests("private")) == 1


async def test_token_from_repo_creds_prefix_behind_a_rewrite(
    git_server_with_auth: GitServer, tmp_path: Path
) -> None:
    server = git_server_with_auth
    sha = server.create_repo("gitops-config").commit({"a": "1"})
    creds = repo_secret(
        "https://github.com/org", "repo-creds", username="fleetops", password="s3cret-password"
    )
    source = PygitSource(
        tmp_path / "cache", rewrites={SEED_URL: server.url_for("gitops-config")}, repo_secrets=[creds]
    )
    assert await source.resolve(SEED_URL, "main") == sha


async def test_wrong_password_is_an_authentication_error(
    git_server_with_auth: GitServer, tmp_path: Path
) -> None:
    server = git_server_with_auth
    server.create_repo("private").commit({"a": "1"})
    url = server.url_for("private")
    wrong = repo_secret(url, username="fleetops", password="not-the-password")
    source = PygitSource(tmp_path / "cache", repo_secrets=[wrong])
    with pytest.raises(AuthenticationError) as caught:
        await source.fetch(url)
    assert "not-the-password" not in str(caught.value)
    assert "credentials were rejected" in str(caught.value)


async def test_missing_credentials_is_an_authentication_error(
    git_server_with_auth: GitServer, source: PygitSource
) -> None:
    server = git_server_with_auth
    server.create_repo("private").commit({"a": "1"})
    with pytest.raises(AuthenticationError, match="no credentials are configured"):
        await source.resolve(server.url_for("private"), "main")


async def test_unknown_repository(git_server: GitServer, source: PygitSource) -> None:
    with pytest.raises(RepositoryNotFoundError):
        await source.fetch(git_server.url_for("does-not-exist"))


async def test_unreachable_host(source: PygitSource) -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(RepositoryUnreachableError) as caught:
        await source.fetch(f"http://user:hunter2@127.0.0.1:{port}/x.git")
    assert "hunter2" not in str(caught.value)


async def test_request_observer_sees_fetches(git_server: GitServer, tmp_path: Path) -> None:
    seen: list[tuple[str, str, bool]] = []
    source = PygitSource(
        tmp_path / "cache", on_request=lambda url, kind, _s, ok: seen.append((url, kind, ok))
    )
    git_server.create_repo("config").commit({"a": "1"})
    await source.fetch(git_server.url_for("config"))
    with pytest.raises(RepositoryNotFoundError):
        await source.fetch(git_server.url_for("missing"))
    assert seen == [
        (git_server.url_for("config"), "fetch", True),
        (git_server.url_for("missing"), "fetch", False),
    ]


async def test_https_with_an_untrusted_certificate(tmp_path: Path) -> None:
    with GitServer(tmp_path / "tls-server", username="fleetops", password="pw", tls=True) as server:
        sha = server.create_repo("config").commit({"a": "1"})
        url = server.url_for("config")
        assert url.startswith("https://")
        strict = PygitSource(
            tmp_path / "strict", repo_secrets=[repo_secret(url, username="fleetops", password="pw")]
        )
        with pytest.raises(RepositoryUnreachableError, match="certificate"):
            await strict.fetch(url)
        insecure = PygitSource(
            tmp_path / "insecure",
            repo_secrets=[repo_secret(url, username="fleetops", password="pw", insecure="true")],
        )
        assert await insecure.resolve(url, "main") == sha


async def test_a_failed_shared_fetch_fails_every_caller_once(
    git_server: GitServer, source: PygitSource
) -> None:
    url = git_server.url_for("missing")
    results = await asyncio.gather(*(source.fetch(url) for _ in range(3)), return_exceptions=True)
    assert all(isinstance(r, RepositoryNotFoundError) for r in results)
    assert len(git_server.upload_pack_requests("missing")) == 1


async def test_branch_wins_over_tag_of_the_same_name(git_server: GitServer, source: PygitSource) -> None:
    repo = git_server.create_repo("config")
    tagged = repo.commit({"a": "1"})
    branch = repo.commit({"a": "2"}, branch="release")
    repo.tag("release", tagged)
    assert await source.resolve(git_server.url_for("config"), "release") == branch
    assert await source.resolve(git_server.url_for("config"), "refs/tags/release") == tagged


async def test_deleted_branches_and_force_pushes_follow_the_remote(
    git_server: GitServer, source: PygitSource
) -> None:
    repo = git_server.create_repo("config")
    base = repo.commit({"a": "1"})
    repo.commit({"a": "2"}, branch="feature")
    url = git_server.url_for("config")
    assert "refs/heads/feature" in (await source.fetch(url)).refs
    repo.repo.references.delete("refs/heads/feature")
    repo.repo.references.create("refs/heads/main", repo.repo.revparse_single(base).id, force=True)
    rewritten = repo.commit({"b": "x"})  # main rewritten from `base`
    fetched = await source.fetch(url)
    assert "refs/heads/feature" not in fetched.refs
    assert fetched.refs["refs/heads/main"] == rewritten
    with pytest.raises(RevisionNotFoundError):
        await source.resolve(url, "feature")


async def test_bearer_token(tmp_path: Path) -> None:
    with GitServer(tmp_path / "bearer-server", bearer_token="bdc-token") as server:
        sha = server.create_repo("config").commit({"a": "1"})
        url = server.url_for("config")
        good = PygitSource(tmp_path / "good", repo_secrets=[repo_secret(url, bearerToken="bdc-token")])
        assert await good.resolve(url, "main") == sha
        assert {r.user for r in server.requests if r.status == 200} == {"bearer"}
        bad = PygitSource(tmp_path / "bad", repo_secrets=[repo_secret(url, bearerToken="wrong-token")])
        with pytest.raises(AuthenticationError, match="rejected") as caught:
            await bad.fetch(url)
        assert "wrong-token" not in str(caught.value)
