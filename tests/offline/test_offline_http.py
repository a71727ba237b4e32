"""HTTP/1.1 on the loopback server, byte by byte: keep-alive, pipelining, partial and bad input.

Requests are written by hand on plain sockets; responses are read with an h11 client, so the
framing is checked by a real parser rather than by string matching.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from typing import Any

import h11
import pytest

from or_magics.offline import serve_in_thread
from or_magics.offline.server import ServerThread

from .helpers import AUTH

CHAT = json.dumps(
    {"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "Say hello"}]}
).encode()


def _request(path: str = "/api/v1/chat/completions", body: bytes = CHAT, extra: str = "") -> bytes:
    method = "POST" if body else "GET"
    return (
        f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: {AUTH['Authorization']}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n{extra}\r\n"
    ).encode() + body


class Reader:
    """Reads responses off one socket with h11, one cycle per response, leftovers kept."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""
        self.closed = False

    def response(self, method: str = "POST") -> tuple[h11.Response, bytes]:
        conn = h11.Connection(h11.CLIENT)
        conn.send(h11.Request(method=method, target="/", headers=[("Host", "x")]))
        conn.send(h11.EndOfMessage())
        if self.buffer:  # (an empty receive_data means end of file to h11)
            conn.receive_data(self.buffer)
        head: h11.Response | None = None
        body = bytearray()
        while True:
            event = conn.next_event()
            if event is h11.NEED_DATA:
                data = self.sock.recv(65536)
                self.closed = self.closed or not data
                conn.receive_data(data)
            elif isinstance(event, h11.Response):
                head = event
            elif isinstance(event, h11.Data):
                body += event.data
            elif isinstance(event, h11.EndOfMessage):
                break
        self.buffer, _ = conn.trailing_data
        assert head is not None
        return head, bytes(body)

    def at_eof(self) -> bool:
        """True once the server has closed its end (nothing more to read)."""
        self.sock.settimeout(5)
        return self.buffer == b"" and (self.closed or self.sock.recv(1) == b"")


@pytest.fixture
def server() -> Iterator[ServerThread]:
    """A fresh server per test, so the connection counter starts at zero."""
    with serve_in_thread(port=0) as running:
        yield running


def _connect(server: ServerThread) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=10)


def _json(body: bytes) -> Any:
    return json.loads(body)


def test_many_sequential_requests_share_one_connection(server: ServerThread) -> None:
    with _connect(server) as sock:
        reader = Reader(sock)
        for i in range(12):
            sock.sendall(_request())
            head, body = reader.response()
            assert head.status_code == 200, i
            assert dict(head.headers)[b"x-simulator"] == b"or_magics"
            assert _json(body)["object"] == "chat.completion"
        stats = server.simulator.stats.snapshot()
    assert stats["connections"] == 1 and stats["requests"] == 12


def test_streams_keep_the_connection_too(server: ServerThread) -> None:
    stream = json.dumps({**json.loads(CHAT), "stream": True}).encode()
    with _connect(server) as sock:
        reader = Reader(sock)
        for _ in range(3):
            sock.sendall(_request(body=stream))
            head, body = reader.response()
            assert (b"transfer-encoding", b"chunked") in head.headers
            assert body.endswith(b"data: [DONE]\n\n")
        # asked on the same connection, so the server has finished the streams before it answers
        sock.sendall(_request("/_stats", b""))
        stats = _json(reader.response("GET")[1])
    assert stats["connections"] == 1 and stats["streams_completed"] == 3


def test_pipelined_requests_are_answered_in_order(server: ServerThread) -> None:
    requests = [
        _request("/api/v1/models/count", b""),
        _request(),
        _request("/api/v1/no/such/path", b""),
        _request("/api/v1/models/count", b"", extra="Connection: close\r\n"),
    ]
    with _connect(server) as sock:
        sock.sendall(b"".join(requests))  # all at once, before reading anything
        reader = Reader(sock)
        answers = [reader.response(m) for m in ("GET", "POST", "GET", "GET")]
        assert reader.at_eof()
    assert [h.status_code for h, _ in answers] == [200, 200, 404, 200]
    assert _json(answers[0][1])["data"]["count"] > 10
    assert _json(answers[1][1])["choices"][0]["message"]["content"]
    assert (b"connection", b"close") in answers[3][0].headers
    assert server.simulator.stats["connections"] == 1


def test_a_request_arriving_in_pieces_is_assembled(server: ServerThread) -> None:
    raw = _request()
    with _connect(server) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for start in range(0, len(raw), 7):
            sock.sendall(raw[start : start + 7])
            if start < 120:
                time.sleep(0.002)  # split the request line and the headers across reads
        head, body = Reader(sock).response()
    assert head.status_code == 200
    assert "Say hello" in _json(body)["choices"][0]["message"]["content"]


def test_chunked_request_body_and_expect_continue(server: ServerThread) -> None:
    head = (
        "POST /api/v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
        f"Authorization: {AUTH['Authorization']}\r\nTransfer-Encoding: chunked\r\n"
        "Expect: 100-continue\r\n\r\n"
    ).encode()
    with _connect(server) as sock:
        sock.sendall(head)
        assert sock.recv(4096).startswith(b"HTTP/1.1 100 ")
        half = len(CHAT) // 2
        for part in (CHAT[:half], CHAT[half:]):
            sock.sendall(b"%x\r\n%s\r\n" % (len(part), part))
        sock.sendall(b"0\r\n\r\n")
        response, body = Reader(sock).response()
    assert response.status_code == 200 and _json(body)["choices"]


@pytest.mark.parametrize(
    "garbage",
    [
        b"THIS IS NOT HTTP\r\n\r\n",
        b"GET /api/v1/models HTTP/1.1\r\nHost: x\r\nno colon in this header\r\n\r\n",
        b"POST /api/v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: banana\r\n\r\n",
    ],
)
def test_malformed_requests_get_a_400_and_the_server_lives_on(
    server: ServerThread, garbage: bytes, capfd: pytest.CaptureFixture[str]
) -> None:
    with _connect(server) as sock:
        sock.sendall(garbage)
        reader = Reader(sock)
        head, body = reader.response()
        assert reader.at_eof()  # the connection is closed after the error
    assert head.status_code == 400
    assert (b"connection", b"close") in head.headers
    error = _json(body)["error"]
    assert error["code"] == 400 and error["message"].startswith("Bad request")
    assert server.simulator.stats["errors"] == 1
    with _connect(server) as sock:  # and the next client is served as usual
        sock.sendall(_request())
        assert Reader(sock).response()[0].status_code == 200
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err + captured.out


def test_an_oversized_head_is_431(server: ServerThread) -> None:
    with _connect(server) as sock:
        sock.sendall(b"GET /api/v1/models HTTP/1.1\r\nX-Big: " + b"a" * (1 << 20) + b"\r\n")
        head, _ = Reader(sock).response()
    assert head.status_code == 431


def test_http10_and_head_requests(server: ServerThread) -> None:
    with _connect(server) as sock:
        sock.sendall(b"GET /api/v1/models/count HTTP/1.0\r\n\r\n")
        reader = Reader(sock)
        head, body = reader.response("GET")
        assert head.http_version == b"1.1" and head.status_code == 200
        assert _json(body)["data"]["count"] > 10
        assert reader.at_eof()  # HTTP/1.0 without keep-alive: closed after one answer
    with _connect(server) as sock:
        sock.sendall(b"HEAD /api/v1/models HTTP/1.1\r\nHost: x\r\n\r\n")
        head, body = Reader(sock).response("HEAD")
    assert head.status_code == 405 and body == b""
    assert int(dict(head.headers)[b"content-length"]) > 0


def test_client_closing_between_requests_is_quiet(server: ServerThread) -> None:
    for _ in range(3):
        with _connect(server) as sock:
            sock.sendall(_request())
            assert Reader(sock).response()[0].status_code == 200
    deadline = time.time() + 5
    while server.simulator.stats["active_connections"] and time.time() < deadline:
        time.sleep(0.01)
    stats = server.simulator.stats.snapshot()
    assert stats["connections"] == 3 and stats["active_connections"] == 0
    assert stats["errors"] == 0
