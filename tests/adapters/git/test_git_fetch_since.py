"""`PygitSource.fetch(since=…)`: a fetch that began before a push was announced never stands in
for one that must see it, and one fetch serves every refresh asked for before it began."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.support.gitserver import GitServer

from fleetops.adapters.git import PygitSource


@pytest.fixture
def server(tmp_path: Path) -> Iterator[GitServer]:
    with GitServer(tmp_path / "srv") as started:
        yield started


async def test_a_finished_fetch_serves_refreshes_asked_for_before_it_began(
    tmp_path: Path, server: GitServer
) -> None:
    repo = server.create_repo("org/cfg")
    first = repo.commit({"a.yaml": "a: 1\n"})
    url = server.url_for("org/cfg")
    source = PygitSource(tmp_path / "cache")
    asked = time.monotonic()
    fetched = await source.fetch(url)
    assert fetched.refs["refs/heads/main"] == first
    second = repo.commit({"a.yaml": "a: 2\n"})

    again = await source.fetch(url, since=asked)  # asked before the first fetch began: reused
    assert again.refs["refs/heads/main"] == first
    assert len(server.upload_pack_requests("org/cfg")) == 1

    fresh = await source.fetch(url, since=time.monotonic())
    assert fresh.refs["refs/heads/main"] == second
    assert len(server.upload_pack_requests("org/cfg")) == 2


async def test_a_fetch_in_flight_before_a_push_is_not_joined_by_refreshes_after_it(
    tmp_path: Path, server: GitServer
) -> None:
    repo = server.create_repo("org/cfg")
    repo.commit({"a.yaml": "a: 1\n"})
    url = server.url_for("org/cfg")
    source = PygitSource(tmp_path / "cache")
    await source.fetch(url)  # the mirror exists; later fetches are incremental
    early = asyncio.ensure_future(source.fetch(url))
    await asyncio.sleep(0)  # the early fetch is in flight
    pushed = repo.commit({"a.yaml": "a: 2\n"})
    announced = time.monotonic()
    results = await asyncio.gather(*(source.fetch(url, since=announced) for _ in range(10)))
    await early
    assert {result.refs["refs/heads/main"] for result in results} == {pushed}
    # The first fetch, the early one, and one more shared by the ten refreshes.
    assert len(server.upload_pack_requests("org/cfg")) == 3
