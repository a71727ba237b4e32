"""The simulator as a real HTTP/1.1 server on 127.0.0.1, the protocol handled by h11.

h11 parses requests (partial and pipelined ones too), frames responses and decides keep-alive;
a malformed request gets a 400, not a crash. This module only moves bytes between sockets and
the `Simulator`. Each SSE event goes out as its own HTTP chunk, as OpenRouter frames them;
writes are batched while no delay separates events, so a 20,000-chunk answer is limited by
the client, not here.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import h11

from .errors import REASONS
from .response import ConnectionDropped, SimResponse
from .simulator import Simulator

HOST = "127.0.0.1"
MAX_HEAD = 1 << 20
"""Largest request head (or chunk-size line) accepted before answering 431."""
READ_BYTES = 1 << 16
FLUSH_BYTES = 1 << 16
_DISCONNECTS = (ConnectionError, OSError)


@dataclass(frozen=True, slots=True)
class _Request:
    method: str
    target: str
    headers: dict[str, str]
    body: bytes


class _Connection:
    """One TCP connection: h11's state machine plus a write buffer."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.h11 = h11.Connection(h11.SERVER, max_incomplete_event_size=MAX_HEAD)
        self.writer = writer
        self._reader = reader
        self._out = bytearray()

    async def read_request(self) -> _Request | None:
        """The next whole request, or None when the client closed between requests."""
        event = await self._next_event()
        if isinstance(event, h11.ConnectionClosed):
            return None
        if not isinstance(event, h11.Request):
            raise h11.RemoteProtocolError(f"unexpected {type(event).__name__}")
        headers: dict[str, str] = {}
        for raw_name, raw_value in event.headers:
            name, value = raw_name.decode("latin-1"), raw_value.decode("latin-1")
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        body = bytearray()
        while not isinstance(part := await self._next_event(), h11.EndOfMessage):
            if isinstance(part, h11.Data):
                body += part.data
        method = event.method.decode("ascii").upper()
        return _Request(method, event.target.decode("latin-1"), headers, bytes(body))

    async def _next_event(self) -> Any:
        while (event := self.h11.next_event()) is h11.NEED_DATA:
            if self.h11.they_are_waiting_for_100_continue:
                self.send(h11.InformationalResponse(status_code=100, headers=[]))
                await self.flush()
            self.h11.receive_data(await self._reader.read(READ_BYTES))  # b"" means EOF
        return event

    def send(self, event: Any) -> None:
        data = self.h11.send(event)
        if data:
            self._out += data

    def head(self, sim: SimResponse, method: str) -> None:
        """Status line and headers; framing and `Connection: close` are h11's to add."""
        headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in sim.headers]
        length = len(sim.body or b"") if sim.pieces is None else sim.length
        if length is not None and sim.status not in (204, 304):
            headers.append((b"Content-Length", str(length).encode()))
        reason = REASONS.get(sim.status, "Unknown").encode()
        self.send(h11.Response(status_code=sim.status, headers=headers, reason=reason))
        if method == "HEAD":
            return
        if sim.body:
            self.send(h11.Data(data=sim.body))

    @property
    def pending(self) -> int:
        return len(self._out)

    async def flush(self) -> None:
        """Write what is buffered; a client that went away raises a ConnectionError."""
        if not self._out:
            return
        if self.writer.transport.is_closing():
            raise ConnectionResetError("client went away")
        self.writer.write(bytes(self._out))
        self._out.clear()
        await self.writer.drain()

    def next_cycle(self) -> bool:
        """Get ready for the next request on this connection; False when it must close."""
        if self.h11.our_state is h11.DONE and self.h11.their_state is h11.DONE:
            self.h11.start_next_cycle()
            return True
        return False


class SimulatorServer:
    """The asyncio server; use `serve_in_thread` unless you already run an event loop."""

    def __init__(self, simulator: Simulator | None = None, port: int = 0, **config: Any) -> None:
        if simulator is not None and config:
            simulator.configure(**config)
        self.simulator = simulator if simulator is not None else Simulator(**config)
        self.host = HOST
        self.port = port
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/api/v1"

    async def start(self) -> None:
        self._server = await asyncio.start_server(
            self._connection, self.host, self.port, reuse_address=True
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        """Stop listening, end open connections, wait for their handlers."""
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            with contextlib.suppress(Exception):
                writer.transport.abort()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2)

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        self._writers.add(writer)
        stats = self.simulator.stats
        stats.bump("connections")
        stats.bump("active_connections")
        conn = _Connection(reader, writer)
        try:
            while await self._exchange(conn):
                pass
        except (*_DISCONNECTS, asyncio.CancelledError):
            pass
        finally:
            stats.bump("active_connections", -1)
            self._writers.discard(writer)
            with contextlib.suppress(Exception):
                writer.close()
            if task is not None:
                self._tasks.discard(task)

    async def _exchange(self, conn: _Connection) -> bool:
        """Serve one request; False when the connection must close."""
        try:
            request = await conn.read_request()
        except h11.RemoteProtocolError as exc:
            await self._reject(conn, exc)
            return False
        if request is None:
            return False
        path, _, query = request.target.partition("?")
        sim = self.simulator.handle(request.method, path, query, request.headers, request.body)
        try:
            if sim.delay > 0:
                await asyncio.sleep(sim.delay)
            if sim.drop_before:
                return False
            conn.head(sim, request.method)
            if sim.pieces is not None and request.method != "HEAD":
                if not await _send_pieces(sim, conn):
                    return False
            else:
                conn.send(h11.EndOfMessage())
                await conn.flush()
        finally:
            sim.close(completed=False)
        return conn.next_cycle()

    async def _reject(self, conn: _Connection, exc: h11.RemoteProtocolError) -> None:
        """Answer a request h11 could not parse (400, or 431 for a huge head), then close."""
        if conn.h11.our_state not in (h11.IDLE, h11.SEND_RESPONSE):
            return
        sim = self.simulator.reject(exc.error_status_hint, f"Bad request: {exc}")
        sim.headers.append(("Connection", "close"))
        with contextlib.suppress(*_DISCONNECTS, h11.LocalProtocolError):
            conn.head(sim, "POST")
            conn.send(h11.EndOfMessage())
            await conn.flush()


async def _send_pieces(sim: SimResponse, conn: _Connection) -> bool:
    """Stream the body event by event; False when the connection must close (a drop)."""
    try:
        for delay, data in sim.pieces or ():
            if delay > 0:
                await conn.flush()
                await asyncio.sleep(delay)
            conn.send(h11.Data(data=data))
            if conn.pending >= FLUSH_BYTES:
                await conn.flush()
    except ConnectionDropped:
        with contextlib.suppress(*_DISCONNECTS):
            await conn.flush()
        sim.close(completed=False)
        return False
    conn.send(h11.EndOfMessage())
    await conn.flush()
    sim.close(completed=True)
    return True


def _quiet_handler(loop: asyncio.AbstractEventLoop, context: Mapping[str, Any]) -> None:
    """Client hang-ups are normal for a test server: never print their tracebacks."""
    exc = context.get("exception")
    if isinstance(exc, (*_DISCONNECTS, asyncio.CancelledError)):
        return
    loop.default_exception_handler(dict(context))


class ServerThread:
    """The server on a background thread with its own loop; a context manager."""

    def __init__(self, simulator: Simulator | None = None, port: int = 0, **config: Any) -> None:
        self.server = SimulatorServer(simulator, port, **config)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._error: BaseException | None = None

    @property
    def simulator(self) -> Simulator:
        return self.server.simulator

    @property
    def base_url(self) -> str:
        return self.server.base_url

    @property
    def port(self) -> int:
        return self.server.port

    def start(self) -> ServerThread:
        self._thread = threading.Thread(target=self._run, name="or-magics-simulator", daemon=True)
        self._thread.start()
        self._ready.wait(10)
        if self._error is not None:
            raise self._error
        return self

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        loop.set_exception_handler(_quiet_handler)
        try:
            loop.run_until_complete(self._main())
        finally:
            loop.close()

    async def _main(self) -> None:
        self._stop = asyncio.Event()
        try:
            await self.server.start()
        except BaseException as exc:
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        await self._stop.wait()
        await self.server.close()

    def stop(self) -> None:
        """Shut down cleanly and join the thread (idempotent)."""
        loop, stop = self._loop, self._stop
        if loop is not None and stop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(stop.set)
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None

    def __enter__(self) -> ServerThread:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def serve_in_thread(
    port: int = 0, simulator: Simulator | None = None, **config: Any
) -> ServerThread:
    """Start the loopback server on a background thread: `with serve_in_thread() as s:`."""
    return ServerThread(simulator, port, **config).start()
