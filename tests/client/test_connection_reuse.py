"""Answers stopped early give their connection back: no socket per interrupt."""

from __future__ import annotations

import asyncio
import time

from or_magics import Client
from or_magics.client import loop

from .conftest import KEY


def checked_out(client: Client) -> int:
    """Connections the client's pool holds that are not idle (a leak if it grows)."""
    async def count() -> int:
        pool = client.sender.http()._transport._pool  # type: ignore[attr-defined]
        return sum(not connection.is_idle() for connection in pool.connections)
    return loop.run_sync(count())


def test_breaking_out_of_many_fast_streams_leaks_no_connection(live):
    """An instant answer is often already closing when the break cancels it: the close
    used to be cancelled half-way, keeping its connection checked out for good (the pool
    runs dry after 100)."""
    with Client(api_key=KEY, base_url=live.base_url) as client:
        for _ in range(30):
            stream = client.stream("hi", model="openai/gpt-4o-mini")
            for _ in stream:
                break
        time.sleep(0.3)
        assert checked_out(client) == 0
        assert client.chat("and the next call works", model="openai/gpt-4o-mini").text


def test_cancelling_async_calls_leaks_no_connection(live):
    """A cancelled ``achat`` returns only once the private loop has stopped its answer, so
    the connection is back at once: no grace period (it once returned first, and under load
    a sleep of 0.3 s was not always enough)."""
    with Client(api_key=KEY, base_url=live.base_url) as client:
        async def main() -> None:
            for _ in range(20):
                task = asyncio.ensure_future(client.achat("hi", model="openai/gpt-4o-mini"))
                await asyncio.sleep(0.005)
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)

        asyncio.run(main())
        assert checked_out(client) == 0
