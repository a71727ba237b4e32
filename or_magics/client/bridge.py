"""The one way across threads: async iterators on the private loop, consumed elsewhere.

Every answer is produced by an async iterator on the private loop (`loop`). A `Bridge` runs
one or several of them and hands their items to a consumer on another thread: a sync
consumer waits on a queue (with an idle timeout, so a display can tick), an async consumer
awaits on its own loop. `Stream`, `MultiStream` and ``Client.astream`` are all this.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Sequence
from typing import Any

from . import loop

__all__ = ["END", "Bridge", "Drained"]

#: Marks the end of one source (its index comes with it).
END: Any = object()


class Bridge:
    """Items ``(index, item)`` of ``sources``; ``item`` is a value, `END`, or the exception
    the source raised. Pass ``caller`` (a running loop) to consume with `aget`."""

    def __init__(self, sources: Sequence[AsyncIterator[Any]], *,
                 caller: asyncio.AbstractEventLoop | None = None) -> None:
        put: Callable[[Any], None]
        if caller is None:
            inbox: queue.SimpleQueue[tuple[int, Any]] = queue.SimpleQueue()
            #: ``get(timeout=None)``: the next item; `queue.Empty` after ``timeout`` seconds.
            self.get = inbox.get
            put = inbox.put
        else:
            ainbox: asyncio.Queue[tuple[int, Any]] = asyncio.Queue()
            #: ``await aget()``: the next item, on the caller's loop.
            self.aget = ainbox.get

            def put(item: Any) -> None:
                caller.call_soon_threadsafe(ainbox.put_nowait, item)

        #: Set on the loop once every source has ended and run its ``finally`` blocks.
        self._ended = threading.Event()
        self._future = loop.submit(_run(list(sources), put, self._ended))

    @property
    def running(self) -> bool:
        return not self._future.done()

    def close(self, timeout: float = 2.0) -> None:
        """Stop every source still running and wait until they have stopped, so their
        ``finally`` blocks (closing connections, marking answers interrupted, counting what
        arrived) are done before the caller reads the answers."""
        if not self._future.done():
            self._future.cancel()
        with contextlib.suppress(KeyboardInterrupt):  # a second Ctrl-C: stop waiting
            self._ended.wait(timeout)

    def cancel(self) -> None:
        """`close` without waiting: for a consumer on an event loop, which must not block."""
        self._future.cancel()

    async def items(self) -> AsyncGenerator[Any, None]:
        """The one source's items on the caller's loop, raising what it raised; cancels the
        source when the consumer stops early."""
        try:
            while True:
                _, item = await self.aget()
                if item is END:
                    return
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            self.cancel()


async def _run(sources: list[AsyncIterator[Any]], put: Callable[[Any], None],
               ended: threading.Event) -> None:
    try:
        await asyncio.gather(*(_pump(index, source, put)
                               for index, source in enumerate(sources)))
    finally:
        ended.set()


async def _pump(index: int, source: AsyncIterator[Any], put: Callable[[Any], None]) -> None:
    """Move one source's items across: items, then `END` or the exception (a cancel is
    re-raised after it is queued)."""
    try:
        async for item in source:  # the first item: let the waiting reader run now
            put((index, item))
            time.sleep(0)  # releases the GIL; otherwise the reader waits for the next read
            break
        async for item in source:
            put((index, item))
        put((index, END))
    except BaseException as exc:
        put((index, exc))
        if isinstance(exc, asyncio.CancelledError):
            raise


class Drained:
    """A `Bridge` source that runs ``items`` to the end and hands none of them on (a batch
    with no bar: waking the consumer's thread for each item cost a tenth of its CPU)."""

    def __init__(self, items: AsyncIterator[Any]) -> None:
        self._items = items

    def __aiter__(self) -> Drained:
        return self

    async def __anext__(self) -> Any:
        async for _ in self._items:
            pass
        raise StopAsyncIteration
