"""One chat answer as events: POST, read the SSE stream (or a whole body), accumulate.

`chat_events` is the one implementation behind every chat call, sync or async, streamed or
not, single, batched or compared. It yields small ``(kind, text)`` items for a display and
fills the Response through its `Accumulator`; the stream is always read to its end, so the
connection goes back to the pool.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Any

from .accumulate import Accumulator
from .errors import IncompleteStreamError
from .payload import encode_body
from .response import Response
from .send import Sender, loads
from .shapes import not_an_api_response, odd, redirected
from .sse import DONE, SSEDecoder

__all__ = ["KINDS", "OTHER", "REASONING", "TEXT", "chat_events"]

# item kinds (ints: they cross threads once per chunk)
TEXT, REASONING, OTHER = 0, 1, 2
KINDS = ("text", "reasoning", "update")

_scan = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
Event = tuple[int, str]


def chat_events(sender: Sender, body: dict[str, Any],
                response: Response) -> AsyncIterator[Event]:
    """Send ``body``, retrying before the first content; the items a display shows."""
    acc = Accumulator(response)
    payload = encode_body(body)
    return sender.retrying(lambda: _attempt(sender, payload, acc), acc)


async def _attempt(sender: Sender, payload: bytes,
                   acc: Accumulator) -> AsyncGenerator[Event, None]:
    response = acc.response
    http = sender.http()
    request = http.build_request("POST", sender.url("/chat/completions"), content=payload,
                                 headers=sender.settings.auth_headers())
    http_response = await http.send(request, stream=True)
    try:
        if http_response.headers.get("x-simulator"):
            response.simulated = True
        if http_response.status_code >= 400:
            raise await sender.http_error(http_response)
        if http_response.status_code >= 300:
            raise redirected(http_response, sender.settings.public_url)
        if "text/event-stream" not in http_response.headers.get("content-type", ""):
            raw = await http_response.aread()
            data = loads(raw)
            if not isinstance(data, dict):
                raise not_an_api_response(http_response, raw, sender.settings.public_url)
            acc.message(data)
            if response.error is not None:
                raise response.error
            yield (TEXT, response.text) if response.text else (OTHER, "")
            return
        decoder = SSEDecoder()
        finished = False
        # raw reads are the fast path; a compressed or already-read body needs aiter_bytes
        reads = (http_response.aiter_bytes() if "content-encoding" in http_response.headers
                 or http_response.is_stream_consumed else http_response.aiter_raw())
        async for raw in reads:
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
        await http_response.aclose()


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
