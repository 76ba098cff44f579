"""The work queue: dedup, no concurrent processing of one item, re-add while processing, delayed
adds (earliest wins), per-item backoff."""

from __future__ import annotations

import asyncio

import pytest

from fleetops.controller.workqueue import ClusterQueues, ShutDown, WorkQueue


async def test_an_item_is_queued_once() -> None:
    queue: WorkQueue[str] = WorkQueue()
    queue.add("a")
    queue.add("a")
    queue.add("b")
    assert len(queue) == 2
    assert await queue.get() == "a"
    assert await queue.get() == "b"


async def test_an_item_added_while_processing_comes_back_after_done() -> None:
    queue: WorkQueue[str] = WorkQueue()
    queue.add("a")
    item = await queue.get()
    queue.add("a")
    assert len(queue) == 0, "not handed out twice at once"
    queue.done(item)
    assert len(queue) == 1
    assert await queue.get() == "a"


async def test_a_delayed_add_arrives_later_and_the_earliest_wins() -> None:
    queue: WorkQueue[str] = WorkQueue()
    queue.add_after("a", 3600)
    queue.add_after("a", 0.01)
    assert len(queue) == 0
    assert await asyncio.wait_for(queue.get(), 10) == "a"


async def test_backoff_doubles_per_failure_and_forget_resets_it() -> None:
    queue: WorkQueue[str] = WorkQueue(base_delay=1.0, max_delay=5.0)
    assert [queue.add_rate_limited("a") for _ in range(4)] == [1.0, 2.0, 4.0, 5.0]
    queue.forget("a")
    assert queue.add_rate_limited("a") == 1.0
    queue.shutdown()


async def test_shutdown_wakes_waiting_workers() -> None:
    queue: WorkQueue[str] = WorkQueue()
    waiter = asyncio.ensure_future(queue.get())
    await asyncio.sleep(0)
    queue.shutdown()
    with pytest.raises(ShutDown):
        await asyncio.wait_for(waiter, 10)


async def test_cluster_queues_keep_lanes_apart() -> None:
    lanes: ClusterQueues[str] = ClusterQueues()
    slow, created = lanes.lane("https://slow")
    assert created and lanes.lane("https://slow") == (slow, False)
    fast, _ = lanes.lane("https://fast")
    for item in ("s1", "s2", "s3"):
        slow.add(item)
    fast.add("f1")
    assert len(lanes) == 4 and sorted(lanes.lanes()) == ["https://fast", "https://slow"]
    assert await fast.get() == "f1"  # not behind the slow lane's items
    lanes.remove("https://slow")
    with pytest.raises(ShutDown):
        await slow.get()
    assert lanes.lanes() == ["https://fast"] and lanes.lane("https://slow")[1]
    lanes.shutdown()
    with pytest.raises(ShutDown):
        await fast.get()
    late, _ = lanes.lane("https://late")
    with pytest.raises(ShutDown):
        await late.get()  # a lane made after shutdown is shut down too
