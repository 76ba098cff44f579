"""Running a long-lived coroutine in the foreground until SIGINT or SIGTERM, then cancelling it
cleanly (its `finally` blocks and async context managers run)."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Coroutine
from typing import Any


async def run_until_signalled(main: Coroutine[Any, Any, None], *helpers: Coroutine[Any, Any, None]) -> None:
    """Run `main` (and `helpers` beside it) until it returns or a signal arrives; a failure of
    `main` is raised, a signal is a clean stop."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    task = asyncio.ensure_future(main)
    side = [asyncio.ensure_future(helper) for helper in helpers]
    stopper = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait([task, stopper], return_when=asyncio.FIRST_COMPLETED)
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
        for pending in [task, stopper, *side]:
            pending.cancel()
        for pending in [stopper, *side]:
            with contextlib.suppress(asyncio.CancelledError):
                await pending
        with contextlib.suppress(asyncio.CancelledError):
            await task
