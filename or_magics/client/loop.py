"""A private asyncio loop on a daemon thread, shared by every client in the process.

A Jupyter kernel already runs a loop on its main thread, so ``asyncio.run`` fails there and
patching that loop (nest-asyncio) is global and surprising. Instead, like IPython's
``%%script`` magic, the async implementation runs here; sync callers wait on a future and
cancel it on Ctrl-C / kernel interrupt, and async callers await it from any loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

__all__ = ["get_loop", "in_loop_thread", "run_async", "run_sync", "submit"]

_lock = threading.Lock()
_loop: asyncio.AbstractEventLoop | None = None
_thread: threading.Thread | None = None


def get_loop() -> asyncio.AbstractEventLoop:
    global _loop, _thread
    if _loop is not None and _thread is not None and _thread.is_alive():
        return _loop
    with _lock:
        if _loop is None or _thread is None or not _thread.is_alive():
            loop = asyncio.new_event_loop()
            ready = threading.Event()

            def run() -> None:
                asyncio.set_event_loop(loop)
                loop.call_soon(ready.set)
                loop.run_forever()

            thread = threading.Thread(target=run, name="or_magics-loop", daemon=True)
            thread.start()
            ready.wait()
            _loop, _thread = loop, thread
    return _loop


def in_loop_thread() -> bool:
    return _thread is not None and threading.current_thread() is _thread


def submit(coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
    return asyncio.run_coroutine_threadsafe(coro, get_loop())


def run_sync(coro: Coroutine[Any, Any, T], timeout: float = 2.0) -> T:
    """Run ``coro`` on the private loop and wait. Ctrl-C cancels it and waits (up to
    ``timeout``) until it has really stopped: the connection is closed and the answer so
    far is final, marked interrupted, before the caller reads it."""
    if in_loop_thread():
        coro.close()
        raise RuntimeError("or_magics: a blocking call was made from its own event loop; "
                           "use the async API (achat, astream) there")
    started, ended = threading.Event(), threading.Event()

    async def tracked() -> T:
        started.set()
        try:
            return await coro
        finally:
            ended.set()

    future = submit(tracked())
    try:
        return future.result()
    except KeyboardInterrupt:
        future.cancel()
        with contextlib.suppress(KeyboardInterrupt):  # a second Ctrl-C: stop waiting
            if started.wait(0.05):  # (cancelled before it began: nothing to wait for)
                ended.wait(timeout)
        raise


async def run_async(coro: Coroutine[Any, Any, T], timeout: float = 2.0) -> T:
    """Await ``coro`` running on the private loop, from any other event loop.

    Cancelling the caller cancels it and waits (up to ``timeout``) until it has really
    stopped, as `run_sync` does for Ctrl-C: without the wait, a cancelled ``achat`` returned
    while the private loop was still closing its answer, and the connection was checked out
    of the pool for a while after (19 of 20 at once, under load)."""
    caller = asyncio.get_running_loop()
    started = threading.Event()
    ended = caller.create_future()

    def end() -> None:
        if not ended.done():
            ended.set_result(None)

    async def tracked() -> T:
        started.set()
        try:
            return await coro
        finally:
            with contextlib.suppress(RuntimeError):  # the caller's loop is closed: no one waits
                caller.call_soon_threadsafe(end)

    future = submit(tracked())
    try:
        return await asyncio.wrap_future(future)
    except asyncio.CancelledError:
        future.cancel()
        # The private loop runs callbacks in order: once this one runs, the cancel (queued
        # before it) has reached the task, so either its body has started and its
        # ``finally`` will say when it ends, or it never runs at all.
        began = caller.create_future()

        def answer(body_ran: bool) -> None:
            if not began.done():
                began.set_result(body_ran)

        def check() -> None:
            with contextlib.suppress(RuntimeError):
                caller.call_soon_threadsafe(answer, started.is_set())

        get_loop().call_soon_threadsafe(check)
        with contextlib.suppress(asyncio.CancelledError):  # cancelled again: stop waiting
            if await began:
                await asyncio.wait((ended,), timeout=timeout)
        raise
