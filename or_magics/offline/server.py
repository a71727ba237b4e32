"""A real HTTP/1.1 server on 127.0.0.1 for the simulator: keep-alive, chunked SSE, no deps.

Each SSE event goes out as its own HTTP chunk, as OpenRouter frames them. Writes are batched
while no delay separates events, so a 20,000-chunk answer is limited by the client, not here.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Mapping
from types import TracebackType
from typing import Any

from .errors import REASONS
from .response import ConnectionDropped, SimResponse
from .simulator import Simulator

HOST = "127.0.0.1"
MAX_HEAD = 1 << 20
FLUSH_BYTES = 1 << 16
_DISCONNECTS = (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, OSError)


class _BadRequest(Exception):
    pass


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
            self._connection, self.host, self.port, limit=MAX_HEAD, reuse_address=True
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def serve_forever(self) -> None:
        if self._server is None:
            await self.start()
        assert self._server is not None
        async with self._server:
            await self._server.serve_forever()

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

    # -- one connection -----------------------------------------------------------------------
    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        self._writers.add(writer)
        stats = self.simulator.stats
        stats.bump("connections")
        stats.bump("active_connections")
        try:
            while True:
                request = await _read_request(reader, writer)
                if request is None:
                    break
                if not await self._respond(request, writer):
                    break
        except (_BadRequest, *_DISCONNECTS):
            pass
        except asyncio.CancelledError:
            pass
        finally:
            stats.bump("active_connections", -1)
            self._writers.discard(writer)
            with contextlib.suppress(Exception):
                writer.close()
            if task is not None:
                self._tasks.discard(task)

    async def _respond(self, request: _Request, writer: asyncio.StreamWriter) -> bool:
        path, _, query = request.target.partition("?")
        sim = self.simulator.handle(request.method, path, query, request.headers, request.body)
        try:
            if sim.delay > 0:
                await asyncio.sleep(sim.delay)
            if sim.drop_before:
                return False
            keep = request.keep_alive
            head = _head(sim, keep)
            if sim.pieces is None:
                writer.write(head + (sim.body or b"") if request.method != "HEAD" else head)
                await writer.drain()
                return keep
            return await _send_pieces(sim, head, writer) and keep
        finally:
            sim.close(completed=False)


class _Request:
    __slots__ = ("body", "headers", "keep_alive", "method", "target")

    def __init__(
        self, method: str, target: str, headers: dict[str, str], body: bytes, keep_alive: bool
    ) -> None:
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
        self.keep_alive = keep_alive


async def _read_request(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> _Request | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as exc:
        if exc.partial.strip():
            raise _BadRequest("truncated request head") from exc
        return None
    lines = head.decode("latin-1").split("\r\n")
    try:
        method, target, version = lines[0].split(" ", 2)
    except ValueError as exc:
        raise _BadRequest(lines[0]) from exc
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if not line:
            continue
        name, _, value = line.partition(":")
        key = name.strip().lower()
        headers[key] = f"{headers[key]}, {value.strip()}" if key in headers else value.strip()
    if headers.get("expect", "").lower() == "100-continue":
        writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = await _read_chunked(reader)
    else:
        length = int(headers.get("content-length", "0") or 0)
        body = await reader.readexactly(length) if length else b""
    connection = headers.get("connection", "").lower()
    keep = "close" not in connection and (version != "HTTP/1.0" or "keep-alive" in connection)
    return _Request(method.upper(), target, headers, body, keep)


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    parts = []
    while True:
        size_line = await reader.readuntil(b"\r\n")
        size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
        if size == 0:
            while (await reader.readuntil(b"\r\n")) != b"\r\n":
                pass
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)


def _head(sim: SimResponse, keep_alive: bool) -> bytes:
    lines = [f"HTTP/1.1 {sim.status} {REASONS.get(sim.status, 'Unknown')}"]
    lines += [f"{k}: {v}" for k, v in sim.headers]
    if sim.pieces is None:
        lines.append(f"Content-Length: {len(sim.body or b'')}")
    elif sim.length is not None:
        lines.append(f"Content-Length: {sim.length}")
    else:
        lines.append("Transfer-Encoding: chunked")
    lines.append("Connection: keep-alive" if keep_alive else "Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def _send_pieces(sim: SimResponse, head: bytes, writer: asyncio.StreamWriter) -> bool:
    """Stream the body; False when the connection must close (drop or client gone)."""
    chunked = sim.length is None
    buf = bytearray(head)
    try:
        for delay, data in sim.pieces or iter(()):
            if delay > 0:
                if writer.transport.is_closing():
                    return False
                writer.write(bytes(buf))
                buf.clear()
                await writer.drain()
                await asyncio.sleep(delay)
            if chunked:
                buf += b"%x\r\n" % len(data)
                buf += data
                buf += b"\r\n"
            else:
                buf += data
            if len(buf) >= FLUSH_BYTES:
                if writer.transport.is_closing():
                    return False
                writer.write(bytes(buf))
                buf.clear()
                await writer.drain()
    except ConnectionDropped:
        if not writer.transport.is_closing():
            writer.write(bytes(buf))
            with contextlib.suppress(*_DISCONNECTS):
                await writer.drain()
        sim.close(completed=False)
        return False
    if chunked:
        buf += b"0\r\n\r\n"
    if writer.transport.is_closing():
        return False
    writer.write(bytes(buf))
    await writer.drain()
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

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

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
