"""The loopback server: connection reuse, hang-ups, speed, shutdown, and the CLI."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time

import httpx2
import pytest

from or_magics.offline import DEMO_PACE, SimConfig, Simulator, serve_in_thread
from or_magics.offline.__main__ import parse_args
from or_magics.offline.server import ServerThread

from .helpers import AUTH

BODY = {
    "model": "openai/gpt-4o-mini",
    "stream": True,
    "messages": [{"role": "user", "content": "Reuse this connection"}],
}


def test_streamed_requests_reuse_one_connection() -> None:
    with (
        serve_in_thread(port=0) as server,
        httpx2.Client(base_url=server.base_url, headers=AUTH) as client,
    ):
        for _ in range(20):
            with client.stream("POST", "/chat/completions", json=BODY) as response:
                for _ in response.iter_bytes():
                    pass
        stats = client.get("/_stats").json()
    assert stats["connections"] == 1
    assert stats["requests"] == 21
    assert stats["streams_completed"] == 20


def test_stats_endpoint_aliases(live: ServerThread) -> None:
    plain = httpx2.get(f"http://127.0.0.1:{live.port}/_stats").json()
    alias = httpx2.get(f"{live.base_url}/_simulator/stats").json()
    assert {"connections", "requests", "streams_completed"} <= set(plain) & set(alias)


def test_client_hanging_up_mid_stream_is_harmless(capfd: pytest.CaptureFixture[str]) -> None:
    with serve_in_thread(port=0, token_rate=2000) as server:
        payload = json.dumps(BODY).encode()
        for _ in range(3):
            sock = socket.create_connection(("127.0.0.1", server.port))
            sock.sendall(
                b"POST /api/v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
                + f"Authorization: {AUTH['Authorization']}\r\n".encode()
                + f"Content-Length: {len(payload)}\r\n\r\n".encode()
                + payload
            )
            assert sock.recv(4096).startswith(b"HTTP/1.1 200 OK")
            sock.close()
        deadline = time.time() + 5
        while server.simulator.stats["streams_aborted"] < 3 and time.time() < deadline:
            time.sleep(0.02)
        assert server.simulator.stats["streams_aborted"] == 3
        with httpx2.Client(base_url=server.base_url, headers=AUTH) as client:
            assert (
                client.post("/chat/completions", json={**BODY, "stream": False}).status_code == 200
            )
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err and "Traceback" not in captured.out


def test_twenty_thousand_chunks_are_fast(live: ServerThread) -> None:
    knobs = json.dumps({"chunks": 20000, "chunk_chars": 4, "keepalives": 0})
    payload = json.dumps({**BODY, "messages": [{"role": "user", "content": "bench"}]}).encode()
    start = time.perf_counter()
    with socket.create_connection(("127.0.0.1", live.port)) as sock:
        sock.sendall(
            b"POST /api/v1/chat/completions HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            + f"Authorization: {AUTH['Authorization']}\r\nX-Simulator: {knobs}\r\n".encode()
            + f"Content-Length: {len(payload)}\r\n\r\n".encode()
            + payload
        )
        received = bytearray()
        while chunk := sock.recv(1 << 20):
            received += chunk
    elapsed = time.perf_counter() - start
    assert received.endswith(b"data: [DONE]\n\n\r\n0\r\n\r\n")
    assert received.count(b'"content":"') >= 20000
    assert elapsed < 3.0, f"server took {elapsed:.2f}s for 20k chunks"


def test_token_rate_paces_the_stream() -> None:
    with (
        serve_in_thread(port=0, token_rate=400, chunk_chars=8) as server,
        httpx2.Client(base_url=server.base_url, headers=AUTH) as client,
    ):
        knobs = json.dumps({"answer_bytes": 800})
        start = time.perf_counter()
        times = []
        with client.stream(
            "POST", "/chat/completions", json=BODY, headers={"X-Simulator": knobs}
        ) as response:
            for _ in response.iter_lines():
                times.append(time.perf_counter() - start)
    # 800 bytes ≈ 200 tokens at 400 tok/s ≈ 0.5 s, spread over the stream
    assert 0.35 < times[-1] < 2.0
    assert times[len(times) // 2] < times[-1] - 0.1


def _simulator_threads() -> int:
    return sum(t.name == "or-magics-simulator" for t in threading.enumerate())


def test_shutdown_with_open_connections() -> None:
    threads = _simulator_threads()
    server = serve_in_thread(port=0, token_rate=50)
    assert _simulator_threads() == threads + 1
    client = httpx2.Client(base_url=server.base_url, headers=AUTH)
    response = client.send(
        client.build_request("POST", "/chat/completions", json=BODY), stream=True
    )
    assert response.status_code == 200
    start = time.perf_counter()
    server.stop()
    assert time.perf_counter() - start < 3
    with pytest.raises(httpx2.HTTPError):
        response.read()
    client.close()
    with pytest.raises(httpx2.ConnectError):
        httpx2.get(f"{server.base_url}/models", timeout=1)
    assert _simulator_threads() == threads  # the server's thread has ended
    assert server.simulator.stats["active_connections"] == 0


def test_shared_simulator_and_localhost_only() -> None:
    sim = Simulator()
    with serve_in_thread(port=0, simulator=sim) as server:
        assert server.simulator is sim
        assert server.base_url == f"http://127.0.0.1:{server.port}/api/v1"
        sock = server.server._server.sockets[0]  # type: ignore[union-attr]
        assert sock.getsockname()[0] == "127.0.0.1"


def test_cli_prints_base_url_first_and_serves() -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "or_magics.offline", "--port", "0", "--token-rate", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline().strip()
        assert first.startswith("http://127.0.0.1:") and first.endswith("/api/v1")
        port = int(first.split(":")[2].split("/")[0])
        assert port > 0
        response = httpx2.post(
            f"{first}/chat/completions", headers=AUTH, json={**BODY, "stream": False}, timeout=10
        )
        assert response.status_code == 200
        assert response.headers["x-simulator"] == "or_magics"
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert proc.returncode == 0
    assert "Traceback" not in err


def test_cli_defaults_to_the_demo_pace_and_the_config_to_instant() -> None:
    args = parse_args([])
    assert (args.token_rate, args.latency) == (DEMO_PACE["token_rate"], DEMO_PACE["latency"])
    assert DEMO_PACE["token_rate"] > 0 and 0 < DEMO_PACE["latency"] < 1
    assert (SimConfig().token_rate, SimConfig().latency) == (0.0, 0.0)
    assert Simulator(**DEMO_PACE).config.token_rate == DEMO_PACE["token_rate"]
    with pytest.raises(TypeError):
        DEMO_PACE["latency"] = 0.0  # type: ignore[index]
