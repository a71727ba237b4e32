"""In-process adapter: an httpx transport answering from a `Simulator`, streaming for real."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx2

from ..protocol import OFFLINE_BASE_URL
from .response import ConnectionDropped, SimResponse
from .simulator import Simulator

DEFAULT_BASE_URL = OFFLINE_BASE_URL
"""Where the in-process transport answers (the name callers used before `or_magics.protocol`)."""
_NO_RESPONSE = "Server disconnected without sending a response."
_INCOMPLETE = "peer closed connection without sending complete message body"


class SimulatorTransport(httpx2.AsyncBaseTransport, httpx2.BaseTransport):
    """Route an httpx client's requests to a simulator, in process, no sockets.

    `httpx2.AsyncClient(transport=SimulatorTransport(), base_url=DEFAULT_BASE_URL)`; keyword
    arguments are simulator settings (latency, token_rate, usage_style, ...). Dropped
    connections surface as the httpx errors a real socket would give. Sync and async clients
    share every step but the waiting.
    """

    def __init__(self, simulator: Simulator | None = None, **config: Any) -> None:
        if simulator is not None and config:
            simulator.configure(**config)
        self.simulator = simulator if simulator is not None else Simulator(**config)

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        sim = self._simulate(request, request.read())
        if sim.delay > 0:
            time.sleep(sim.delay)
        return _response(sim, request)

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        sim = self._simulate(request, await request.aread())
        if sim.delay > 0:
            await asyncio.sleep(sim.delay)
        return _response(sim, request)

    def _simulate(self, request: httpx2.Request, body: bytes) -> SimResponse:
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in request.headers.raw}
        query = request.url.query.decode("ascii", "replace")
        return self.simulator.handle(request.method, request.url.path, query, headers, body)


def _response(sim: SimResponse, request: httpx2.Request) -> httpx2.Response:
    if sim.drop_before:
        raise httpx2.RemoteProtocolError(_NO_RESPONSE, request=request)
    if not sim.streaming:
        return httpx2.Response(sim.status, headers=sim.headers, content=sim.body or b"")
    framing = (
        ("Transfer-Encoding", "chunked")
        if sim.length is None
        else ("Content-Length", str(sim.length))
    )
    return httpx2.Response(sim.status, headers=[*sim.headers, framing], stream=_Body(sim, request))


class _Body(httpx2.SyncByteStream, httpx2.AsyncByteStream):
    """Yields each SSE event as it is produced; closing it stops the producer at once."""

    def __init__(self, sim: SimResponse, request: httpx2.Request) -> None:
        self._sim = sim
        self._request = request

    def __iter__(self) -> Iterator[bytes]:
        with self._dropped():
            for delay, data in self._sim.pieces or ():
                if delay > 0:
                    time.sleep(delay)
                yield data
        self._sim.close(completed=True)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with self._dropped():
            for delay, data in self._sim.pieces or ():
                if delay > 0:
                    await asyncio.sleep(delay)
                yield data
        self._sim.close(completed=True)

    @contextlib.contextmanager
    def _dropped(self) -> Iterator[None]:
        """A simulated drop becomes the error httpx raises when a server closes mid-body."""
        try:
            yield
        except ConnectionDropped as exc:
            self._sim.close(completed=False)
            detail = (
                "incomplete chunked read"
                if self._sim.length is None
                else f"expected {self._sim.length} bytes"
            )
            message = f"{_INCOMPLETE} ({detail})"
            raise httpx2.RemoteProtocolError(message, request=self._request) from exc

    def close(self) -> None:
        self._sim.close(completed=False)

    async def aclose(self) -> None:
        self._sim.close(completed=False)
