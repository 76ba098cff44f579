"""The fault middleware in front of an aiohttp application: errors, latency, unreachable."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web

from fleetops.kubesim.fault_middleware import fault_middleware, fault_routes
from fleetops.kubesim.faults import ClusterFaults


async def version(_request: web.Request) -> web.Response:
    return web.json_response({"major": "1", "minor": "32"})


@pytest.fixture
def faults() -> ClusterFaults:
    return ClusterFaults(seed=1)


@pytest.fixture
async def url(faults: ClusterFaults) -> AsyncIterator[str]:
    app = web.Application(middlewares=[fault_middleware(faults)])
    app.router.add_get("/version", version)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}/version"
    finally:
        await runner.cleanup()


async def test_healthy_cluster_answers(url: str) -> None:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        assert response.status == 200


@pytest.mark.parametrize(("code", "reason"), [(500, "InternalError"), (429, "TooManyRequests")])
async def test_error_rate_answers_with_status_objects(
    faults: ClusterFaults, url: str, code: int, reason: str
) -> None:
    faults.update({"errorRate": 1, "errorCodes": [code]})
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        body = await response.json()
        assert response.status == code
        assert body["kind"] == "Status" and body["reason"] == reason and body["code"] == code
        if code == 429:
            assert response.headers["Retry-After"] == "1"


async def test_unreachable_reset_closes_the_connection(faults: ClusterFaults, url: str) -> None:
    faults.unreachable = "reset"
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.ClientConnectionError):
            async with session.get(url):
                pass


async def test_unreachable_hang_times_out_and_heals(faults: ClusterFaults, url: str) -> None:
    faults.unreachable = "hang"
    async with aiohttp.ClientSession() as session:
        with pytest.raises(TimeoutError):
            async with session.get(url, timeout=aiohttp.ClientTimeout(total=0.3)):
                pass
        request = asyncio.ensure_future(session.get(url))
        await asyncio.sleep(0.1)
        assert not request.done(), "the request waits while the cluster is unreachable"
        faults.unreachable = ""
        async with await request as response:
            assert response.status == 200


async def test_latency_delays_answers(faults: ClusterFaults, url: str) -> None:
    faults.latency_seconds = 0.3
    async with aiohttp.ClientSession() as session:
        request = asyncio.ensure_future(session.get(url))
        await asyncio.sleep(0.1)
        assert not request.done(), "the answer is delayed"
        async with await request as response:
            assert response.status == 200


async def test_control_routes_read_and_set_faults() -> None:
    fleet = {"dev": ClusterFaults()}
    app = web.Application()
    app.add_routes(fault_routes(fleet.get))
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    base = f"http://127.0.0.1:{port}/clusters"
    try:
        async with aiohttp.ClientSession() as session:
            async with session.patch(
                f"{base}/dev/faults", json={"deniedTags": ["bad"], "errorRate": 0.5}
            ) as answer:
                assert answer.status == 200
                assert (await answer.json())["deniedTags"] == ["bad"]
            assert fleet["dev"].denied_tags == {"bad"} and fleet["dev"].error_rate == 0.5
            async with session.put(f"{base}/dev/faults", json={"latencySeconds": 1}) as answer:
                body = await answer.json()
                assert body["deniedTags"] == [] and body["latencySeconds"] == 1
            async with session.patch(f"{base}/dev/faults", json={"errorRate": 7}) as answer:
                assert answer.status == 400
                assert "errorRate" in (await answer.json())["error"]
            async with session.delete(f"{base}/dev/faults") as answer:
                assert (await answer.json()) == ClusterFaults().to_dict()
            async with session.get(f"{base}/prod/faults") as answer:
                assert answer.status == 404
    finally:
        await runner.cleanup()
