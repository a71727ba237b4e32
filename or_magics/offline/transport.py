"""In-process adapter: an httpx transport answering from a `Simulator`, streaming for real."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx

from ..protocol import OFFLINE_BASE_URL
from .response import ConnectionDropped, SimResponse
from .simulator import Simulator

DEFAULT_BASE_URL = OFFLINE_BASE_URL
"""Where the in-process transport answers (the name callers used before `or_magics.protocol`)."""
_NO_RESPONSE = "Server disconnected without sending a response."
_INCOMPLETE = (
    "peer closed connection without sending complete message body (incomplete chunked read)"
)


class SimulatorTransport(httpx.AsyncBaseTransport, httpx.BaseTransport):
    """Route an httpx client's requests to a simulator, in process, no sockets.

    `httpx.AsyncClient(transport=SimulatorTransport(), base_url=DEFAULT_BASE_URL)`; keyword
    arguments are simulator settings (latency, token_rate, usage_style, ...). Dropped
    connections surface as the httpx errors a real socket would give.
    """

    def __init__(self, simulator: Simulator | None = None, **config: Any) -> None:
        if simulator is not None and config:
            simulator.configure(**config)
        self.simulator = simulator if simulator is not None else Simulator(**config)

    def _call(self, request: httpx.Request, body: bytes) -> SimResponse:
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in request.headers.raw}
        query = request.url.query.decode("ascii", "replace")
        return self.simulator.handle(request.method, request.url.path, query, headers, body)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        sim = self._call(request, body)
        if sim.delay > 0:
            await asyncio.sleep(sim.delay)
        if sim.drop_before:
            raise httpx.RemoteProtocolError(_NO_RESPONSE, request=request)
        if not sim.streaming:
            return httpx.Response(sim.status, headers=sim.headers, content=sim.body or b"")
        return httpx.Response(
            sim.status, headers=_stream_headers(sim), stream=_AsyncBody(sim, request)
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        sim = self._call(request, body)
        if sim.delay > 0:
            time.sleep(sim.delay)
        if sim.drop_before:
            raise httpx.RemoteProtocolError(_NO_RESPONSE, request=request)
        if not sim.streaming:
            return httpx.Response(sim.status, headers=sim.headers, content=sim.body or b"")
        return httpx.Response(
            sim.status, headers=_stream_headers(sim), stream=_SyncBody(sim, request)
        )


def _stream_headers(sim: SimResponse) -> list[tuple[str, str]]:
    if sim.length is not None:
        return [*sim.headers, ("Content-Length", str(sim.length))]
    return [*sim.headers, ("Transfer-Encoding", "chunked")]


def _incomplete(sim: SimResponse) -> str:
    """The message httpx gives when a server closes mid-body."""
    if sim.length is None:
        return _INCOMPLETE
    return (
        "peer closed connection without sending complete message body "
        f"(expected {sim.length} bytes)"
    )


class _AsyncBody(httpx.AsyncByteStream):
    """Yields each SSE event as it is produced; closing it stops the producer at once."""

    def __init__(self, sim: SimResponse, request: httpx.Request) -> None:
        self._sim = sim
        self._request = request
        self._pieces: AsyncIterator[bytes] | None = None

    async def __aiter__(self) -> AsyncIterator[bytes]:
        self._pieces = self._sim.aiter_pieces()
        try:
            async for piece in self._pieces:
                yield piece
        except ConnectionDropped as exc:
            raise httpx.RemoteProtocolError(_incomplete(self._sim), request=self._request) from exc

    async def aclose(self) -> None:
        if self._pieces is not None:
            await self._pieces.aclose()  # type: ignore[attr-defined]
        self._sim.close(completed=False)


class _SyncBody(httpx.SyncByteStream):
    def __init__(self, sim: SimResponse, request: httpx.Request) -> None:
        self._sim = sim
        self._request = request
        self._pieces: Iterator[bytes] | None = None

    def __iter__(self) -> Iterator[bytes]:
        self._pieces = self._sim.iter_pieces()
        try:
            yield from self._pieces
        except ConnectionDropped as exc:
            raise httpx.RemoteProtocolError(_incomplete(self._sim), request=self._request) from exc

    def close(self) -> None:
        if self._pieces is not None:
            self._pieces.close()  # type: ignore[attr-defined]
        self._sim.close(completed=False)
