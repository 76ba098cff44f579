"""Pushes to the embedded Git server are announced as signed GitHub push webhooks."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from fleetops.adapters.git import PygitSource
from fleetops.core.webhook import parse_push
from fleetops.core.webhook.event import Provider
from fleetops.core.webhook.signatures import verify
from fleetops.embedded import sample_repo
from fleetops.embedded.gitserver import GitHttpServer
from fleetops.embedded.push_webhook import announce_push, default_branch, push_payload
from fleetops.kubesim.sockets import site_port
from fleetops.ports.git import CommitAuthor, WriteFile

SECRET = "webhook-secret"


async def test_a_push_is_announced_with_its_repository(tmp_path: Path) -> None:
    root = tmp_path / "git"
    (root / "org").mkdir(parents=True)
    sample_repo.create_repository(root / "org" / "gitops-config.git")
    pushed: list[str] = []

    async def on_push(repository: str) -> None:
        pushed.append(repository)

    server = GitHttpServer(root, on_push=on_push)
    await server.start()
    try:
        source = PygitSource(tmp_path / "cache")
        url = server.url_for("org/gitops-config.git")
        await source.commit_and_push(
            url,
            branch="main",
            changes=[WriteFile("x.txt", b"x\n")],
            message="x",
            author=CommitAuthor("t", "t@e"),
        )
        await source.fetch(url)  # a fetch is no push
    finally:
        await server.stop()
    assert pushed == ["org/gitops-config.git"]
    assert default_branch(root / "org" / "gitops-config.git") == "main"


async def test_the_announcement_is_a_signed_github_push_event() -> None:
    received: list[tuple[bool, list[str], str]] = []

    async def hook(request: web.Request) -> web.Response:
        body = await request.read()
        event = parse_push(request.headers, body)
        assert event is not None
        received.append(
            (verify(Provider.GITHUB, request.headers, body, SECRET), list(event.repo_urls), event.ref)
        )
        return web.Response(status=200)

    app = web.Application()
    app.router.add_post("/api/webhook", hook)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        body = push_payload(
            "https://github.com/org/gitops-config", "http://127.0.0.1:1/org/gitops-config.git", "main"
        )
        status = await announce_push(f"http://127.0.0.1:{site_port(site)}/api/webhook", SECRET, body)
    finally:
        await runner.cleanup()
    assert status == 200
    ((signed, urls, ref),) = received
    assert signed and ref == "refs/heads/main" and "https://github.com/org/gitops-config" in urls
