"""The connection status of a cluster that stops answering after it was connected (kubesim's
`unreachable: hang` fault, set at run time): requests that time out mark it disconnected with the
error and any answer connected again; the version probe notices it while the watches stay open
and nothing else talks to the cluster; a disconnected cache refuses to serve kinds it holds (they
may be stale) and tells its handlers about every application it tracks; a watch whose server does
not answer fails within the request timeout, not its own `timeoutSeconds`."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from kube_support import CONFIGMAP, configmap, eventually

from fleetops.adapters.kube import ClusterConfig, HttpKubeClient, WatchCache
from fleetops.kubesim.background import BackgroundFleet
from fleetops.kubesim.fleet import Fleet
from fleetops.kubesim.workloads.extension import workload_extensions
from fleetops.ports.kube import TRACKING_ANNOTATION, ChangeEvent, KubeError, Unreachable

NAME = "flaky"
TIMEOUT = 0.5


@pytest.fixture(scope="module")
def faulty_fleet() -> Iterator[Fleet]:
    with BackgroundFleet([NAME], extensions=workload_extensions()) as running:
        yield running


@pytest.fixture
async def client(faulty_fleet: Fleet) -> AsyncIterator[HttpKubeClient]:
    sim = faulty_fleet[NAME]
    config = ClusterConfig(
        server=sim.url,
        name=NAME,
        ca_pem=sim.ca_pem,
        token=sim.token,
        connect_timeout=TIMEOUT,
        request_timeout=TIMEOUT,
    )
    async with HttpKubeClient(config) as kube:
        yield kube


@pytest.fixture
async def hang(faulty_fleet: Fleet) -> AsyncIterator[Any]:
    """`await hang(True)` makes the cluster hang; it is healthy again after the test."""
    url = f"{faulty_fleet.control.url}/clusters/{NAME}/faults"

    async def set_hang(on: bool) -> None:
        async with aiohttp.ClientSession() as session:
            request = session.patch(url, json={"unreachable": "hang"}) if on else session.delete(url)
            async with request as response:
                assert response.status == 200, await response.text()

    yield set_hang
    await set_hang(False)


async def _namespace(client: HttpKubeClient) -> str:
    name = f"t-{uuid.uuid4().hex[:8]}"
    await client.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
    return name


async def test_requests_drive_the_connection_status(client: HttpKubeClient, hang: Any) -> None:
    cache = WatchCache(client, cluster=NAME)
    client.transport.connection_listener = cache.connection_observed
    async with cache:
        await cache.ensure_watched(CONFIGMAP)
        assert cache.status().connected
        await hang(True)
        with pytest.raises(Unreachable):
            await client.get(CONFIGMAP, "missing", "default")
        status = cache.status()
        assert not status.connected
        assert status.last_error is not None
        assert "cannot reach" in status.last_error
        with pytest.raises(KubeError, match="cannot reach"):
            await cache.ensure_watched(CONFIGMAP)  # cached, but maybe stale
        await hang(False)
        await client.resources()  # discovery is cached: no request, no news
        assert not cache.status().connected
        await client.server_version()
        assert cache.status().connected
        assert cache.status().last_error is None
        await cache.ensure_watched(CONFIGMAP)


async def test_the_probe_notices_a_silent_cluster_and_its_return(client: HttpKubeClient, hang: Any) -> None:
    namespace = await _namespace(client)
    tracked = configmap(
        "tracked", namespace, annotations={TRACKING_ANNOTATION: f"guestbook:/ConfigMap:{namespace}/tracked"}
    )
    await client.create(tracked)
    cache = WatchCache(client, cluster=NAME, probe_interval=0.1, announce_connection=True)
    client.transport.connection_listener = cache.connection_observed
    seen: list[ChangeEvent] = []
    cache.add_handler(seen.append)
    async with cache:
        await cache.ensure_watched(CONFIGMAP)
        await eventually(lambda: bool(cache.objects_of_app("guestbook")), "the tracked object is cached")
        seen.clear()
        await hang(True)
        await eventually(lambda: not cache.status().connected, "the probe marks the cluster disconnected")
        assert "cannot reach" in (cache.status().last_error or "")
        told = [event for event in seen if event.apps == {"guestbook"}]
        assert told, "the tracking application is told about the disconnection"
        assert told[0].old is told[0].new  # nothing changed but the connection
        seen.clear()
        await hang(False)
        await eventually(lambda: cache.status().connected, "the probe marks the cluster connected again")
        assert any(event.apps == {"guestbook"} for event in seen)
        await cache.ensure_watched(CONFIGMAP)


async def test_a_watch_on_a_hanging_server_fails_within_the_request_timeout(
    client: HttpKubeClient, hang: Any
) -> None:
    await client.resources()  # discovery before the fault
    await hang(True)
    events = client.watch(CONFIGMAP, timeout_seconds=600)
    with pytest.raises(Unreachable):
        async for _ in events:
            pass


async def test_a_watch_that_goes_silent_is_broken_after_its_timeout_and_a_margin() -> None:
    """A server that answers a watch, sends one bookmark and then nothing (a connection that died
    without a reset): the stream fails as `Unreachable` once it was silent for the watch's
    `timeoutSeconds` plus the request timeout, and the client is told the cluster is gone."""
    stop = asyncio.Event()

    async def silent_watch(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        response.content_type = "application/json"
        await response.prepare(request)
        bookmark = {"type": "BOOKMARK", "object": {"metadata": {"resourceVersion": "7"}}}
        await response.write(json.dumps(bookmark).encode() + b"\n")
        await stop.wait()
        return response

    app = web.Application()
    app.router.add_get("/api/v1/configmaps", silent_watch)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    config = ClusterConfig(server=f"http://127.0.0.1:{port}", token="t", request_timeout=TIMEOUT)
    told: list[KubeError | None] = []
    try:
        async with HttpKubeClient(config) as kube:
            kube.transport.connection_listener = told.append
            lines = kube.transport.stream_lines(
                "/api/v1/configmaps", params={"watch": "true"}, watch_seconds=1
            )
            seen: list[dict[str, Any]] = []
            with pytest.raises(Unreachable):
                async for line in lines:
                    seen.append(line)
            assert [line["type"] for line in seen] == ["BOOKMARK"]
            assert told[0] is None  # the server answered the watch
            assert isinstance(told[-1], Unreachable)  # then went silent
    finally:
        stop.set()
        await runner.cleanup()
