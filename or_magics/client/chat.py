"""One chat answer as events: POST, read the SSE stream (or a whole body), accumulate.

`chat_events` is the one implementation behind every chat call, sync or async, streamed or
not, single, batched or compared. It yields small ``(kind, text)`` items for a display and
fills the Response through its `Accumulator`; the stream is always read to its end, so the
connection goes back to the pool.

Until the first token each wait (the response head, each read) runs as a task, so the
client can say every second how long it has waited (a STATUS item) and give up at the
first-token deadline without breaking the read; after it, reads are plain awaits (timed only
when the call has an overall ``timeout``): the hot path stays as it was.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import aclosing
from typing import Any, TypeVar

import httpx2

from ..errors import IncompleteStreamError
from .accumulate import Accumulator
from .cache import ResponseCache, request_key
from .limits import Deadline, Limits
from .pacer import Pacer
from .payload import encode_body
from .response import Response
from .send import Sender, loads
from .shapes import not_an_api_response, odd, redirected
from .sse import DONE, SSEDecoder

__all__ = ["KINDS", "OTHER", "REASONING", "STATUS", "TEXT", "chat_events"]

# item kinds (ints: they cross threads once per chunk)
TEXT, REASONING, OTHER, STATUS = 0, 1, 2, 3
KINDS = ("text", "reasoning", "update", "status")

_scan = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
Event = tuple[int, str]
T = TypeVar("T")


def chat_events(sender: Sender, body: dict[str, Any], response: Response,
                cache: ResponseCache | None = None,
                pacer: Pacer | None = None) -> AsyncIterator[Event]:
    """Send ``body``, retrying before the first content; the items a display shows. With a
    ``cache``, an identical request seen before is answered from it (nothing sent); with a
    batch's ``pacer``, each try waits for the batch's turn."""
    acc = Accumulator(response)
    payload = encode_body(body)
    limits = getattr(body, "limits", None) or sender.settings.limits
    if body.get("stream") is False:  # the whole answer is the "first token": one limit
        limits = Limits(timeout=limits.timeout, first_token_timeout=None)
    deadline = Deadline(limits, "the first token" if body.get("stream") else "the answer")
    extra = getattr(body, "headers", None)  # X-OpenRouter-Cache...: the call's, not the body's
    events = sender.retrying(lambda: _attempt(sender, payload, acc, deadline, extra), acc,
                             status=lambda text: (STATUS, text), deadline=deadline,
                             pacer=pacer)
    if cache is None:
        return events
    return _cached(cache, sender.settings.public_url, body, acc, events)


async def _cached(cache: ResponseCache, base_url: str, body: dict[str, Any], acc: Accumulator,
                  events: AsyncGenerator[Event, None]) -> AsyncIterator[Event]:
    key = request_key(base_url, body)
    hit = await asyncio.to_thread(cache.get, key, body)  # sqlite blocks: not on the loop
    response = acc.response
    if hit is not None:
        vars(response).update({k: v for k, v in vars(hit).items() if k != "schema"})
        response.done = False
        acc.close()  # parses into the schema, as a sent answer would
        yield (TEXT, response.text) if response.text else (OTHER, "")
        return
    async with aclosing(events) as items:
        async for item in items:
            yield item
    await asyncio.to_thread(cache.put, key, response)


async def _attempt(sender: Sender, payload: bytes, acc: Accumulator, deadline: Deadline,
                   extra: dict[str, str] | None = None) -> AsyncGenerator[Event, None]:
    response = acc.response
    http = sender.http()
    host = sender.settings.host
    headers = sender.settings.auth_headers()
    if extra:
        headers.update(extra)
    request = http.build_request("POST", sender.url("/chat/completions"), content=payload,
                                 headers=headers)
    deadline.start()
    accepted = False
    http_response: httpx2.Response | None = None
    waiting: asyncio.Future[Any] | None = None
    try:
        try:
            sent = waiting = asyncio.ensure_future(http.send(request, stream=True))
            while not await _ready(sent, deadline, host):
                yield STATUS, deadline.waiting()
            http_response = sent.result()
            accepted = http_response.status_code < 300
            if http_response.headers.get("x-simulator"):
                response.simulated = True
            if extra:  # asked for OpenRouter's response cache: answered from it or not
                response.server_cache = http_response.headers.get("x-openrouter-cache-status")
            if response.id is None:  # known before any chunk: an interrupt can still ask
                response.id = http_response.headers.get("x-generation-id") or None
            if http_response.status_code >= 400:
                raise await sender.http_error(http_response)
            if http_response.status_code >= 300:
                raise redirected(http_response, sender.settings.public_url)
            if "text/event-stream" not in http_response.headers.get("content-type", ""):
                body = waiting = asyncio.ensure_future(_read_all(http_response))
                while not await _ready(body, deadline, host):
                    yield STATUS, deadline.waiting()
                raw = body.result()
                data = loads(raw)
                if not isinstance(data, dict):
                    raise not_an_api_response(http_response, raw, sender.settings.public_url)
                acc.message(data)
                if response.error is not None:
                    raise response.error
                acc.started = True
                yield (TEXT, response.text) if response.text else (OTHER, "")
                return
            decoder = SSEDecoder()
            finished = False
            iterator = _reads(http_response)
            ended = False
            while not acc.started:  # until the first token: each read a task, with status lines
                read = waiting = asyncio.ensure_future(_next(iterator))
                while not await _ready(read, deadline, host):
                    yield STATUS, deadline.waiting()
                raw = read.result()
                if raw is None:
                    ended = True
                    break
                for data in decoder.feed(raw):
                    if data == DONE:
                        finished = True
                        continue
                    item = _absorb(data, acc)
                    if item is None:
                        continue
                    if response.error is not None:
                        break
                    acc.started = True
                    yield item
                if response.error is not None:
                    break
                if not acc.started and deadline.due() <= 0:  # keep-alives, but no token
                    yield STATUS, deadline.waiting()
            if not ended and not acc.failed:
                timed = _timed(iterator, deadline, host) if deadline.limited else iterator
                async for raw in timed:  # the hot path
                    for data in decoder.feed(raw):
                        if data == DONE:
                            finished = True
                            continue
                        item = _absorb(data, acc)
                        if item is None:
                            continue
                        if response.error is not None:
                            break
                        yield item
                    if response.error is not None:
                        break
                else:
                    ended = True
            if ended:
                for data in decoder.close():
                    if data == DONE:
                        finished = True
                    else:
                        _absorb(data, acc)
            if response.error is not None:
                raise response.error
            if not finished and response.finish_reason is None:
                raise IncompleteStreamError("the stream ended before the answer was complete")
        finally:
            if waiting is not None:  # interrupted while waiting
                if not waiting.done():
                    waiting.cancel()
                    await _settle(waiting)
                # the send may have finished as the interrupt came (then it is done and not
                # cancelled): its response is closed too, or its connection stays checked out
                http_response = http_response or _response_of(waiting)
            if http_response is not None:
                await _close(http_response)
    except httpx2.TransportError as exc:
        raise sender.transport_error(exc, accepted=accepted) from None


def _reads(response: httpx2.Response) -> AsyncIterator[bytes]:
    """The body as it arrives. Not ``aiter_raw``: at the end of the body it closes the
    response itself, in the reading task, where an interrupt cancels the close half-way
    and the connection stays checked out of the pool for good; `_close` does it instead.
    A compressed body needs ``aiter_bytes`` (which decodes)."""
    if "content-encoding" in response.headers:
        return response.aiter_bytes()
    stream = response.stream
    assert isinstance(stream, httpx2.AsyncByteStream)
    return stream.__aiter__()


async def _read_all(response: httpx2.Response) -> bytes:
    return b"".join([part async for part in _reads(response)])


async def _next(iterator: AsyncIterator[bytes]) -> bytes | None:
    try:
        return await iterator.__anext__()
    except StopAsyncIteration:
        return None


async def _ready(task: asyncio.Future[Any], deadline: Deadline, host: str) -> bool:
    """Wait for ``task`` until a status line is due: True when it is done, False when the
    line is due; the deadline's error when it passes first (the caller's ``finally``
    cancels the task)."""
    if not task.done():
        left = deadline.until(False)
        if left > 0:
            await _done_or_due(task, max(0.0, min(deadline.due(), left)))
        if not task.done() and deadline.until(False) <= 0:
            raise deadline.expired(host, False)
    return task.done()


async def _done_or_due(task: asyncio.Future[Any], timeout: float) -> None:
    """``asyncio.wait((task,), timeout)`` for one task, without its sets and extra futures:
    it runs for every read until the first token, so its cost is the first token's."""
    loop = asyncio.get_running_loop()
    waiter: asyncio.Future[None] = loop.create_future()

    def wake(_: object = None) -> None:
        if not waiter.done():
            waiter.set_result(None)

    timer = loop.call_later(timeout, wake)
    task.add_done_callback(wake)
    try:
        await waiter
    finally:
        timer.cancel()
        task.remove_done_callback(wake)


async def _settle(task: asyncio.Future[Any]) -> None:
    """Let a cancelled wait finish, so its connection is released before it is closed."""
    await asyncio.wait((task,), timeout=2.0)


async def _close(response: httpx2.Response) -> None:
    """Close ``response`` in a task of its own: in the cancelled task of an interrupted
    answer the close was itself cancelled half-way, and the connection stayed checked out
    of the pool for good (a leaked socket per interrupt; 100 of them and the pool is dry)."""
    closing = asyncio.ensure_future(response.aclose())
    try:
        await asyncio.shield(closing)
    except asyncio.CancelledError:
        await asyncio.wait((closing,), timeout=2.0)
        raise


def _response_of(task: asyncio.Future[Any]) -> httpx2.Response | None:
    """The response a cancelled ``send`` produced anyway (to close it), if it did."""
    if task.done() and not task.cancelled() and task.exception() is None:
        result = task.result()
        return result if isinstance(result, httpx2.Response) else None
    return None


async def _timed(iterator: AsyncIterator[T], deadline: Deadline,
                 host: str) -> AsyncGenerator[T, None]:
    """``iterator``'s items, each read bounded by the overall deadline (only calls with a
    ``timeout`` pay for the timer)."""
    while True:
        try:
            item = await asyncio.wait_for(iterator.__anext__(), max(deadline.until(True), 0))
        except StopAsyncIteration:
            return
        except TimeoutError:
            raise deadline.expired(host, True) from None
        yield item


def _absorb(data: bytes, acc: Accumulator) -> Event | None:
    """One event payload into the Response; the display item it makes, if any."""
    try:
        try:
            chunk = _scan(data.decode(), 0)[0]  # 2 µs less than json.loads(bytes)
        except StopIteration:  # leading white space, or not JSON at all
            chunk = json.loads(data)
    except ValueError:
        head = data[:80].decode("utf-8", "replace")
        raise IncompleteStreamError(f"malformed event from the server: {head!r}") from None
    if chunk.__class__ is not dict:
        raise odd("an event", chunk, "an object")
    text, reasoning, other = acc.chunk(chunk)
    if text:
        return TEXT, text
    if reasoning:
        return REASONING, reasoning
    return (OTHER, "") if other else None
