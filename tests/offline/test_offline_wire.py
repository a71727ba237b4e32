"""The SSE bytes on the real loopback server look like OpenRouter's."""

from __future__ import annotations

import json
import re
import socket
from typing import Any

import httpx2
import pytest

from or_magics.offline.server import ServerThread

from .helpers import AUTH, content_of, data_chunks, parse_sse

GEN_ID = re.compile(r"^gen-\d{10}-[A-Za-z0-9]{20}$")


def _stream(
    client: httpx2.Client, knobs: dict[str, Any] | None = None, **body: Any
) -> httpx2.Response:
    payload = {
        "model": "openai/gpt-4o-mini",
        "messages": [{"role": "user", "content": "Explain binary search trees"}],
        "stream": True,
        **body,
    }
    headers = {"X-Simulator": json.dumps(knobs)} if knobs else {}
    return client.post("/chat/completions", json=payload, headers=headers)


def _raw_http(server: ServerThread, body: dict[str, Any], extra: str = "") -> bytes:
    """Send one request over a plain socket and return the raw response bytes."""
    payload = json.dumps(body).encode()
    head = (
        f"POST /api/v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: {AUTH['Authorization']}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(payload)}\r\nConnection: close\r\n{extra}\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(head + payload)
        out = bytearray()
        while chunk := sock.recv(65536):
            out += chunk
    return bytes(out)


def _dechunk(raw: bytes) -> tuple[bytes, list[bytes]]:
    head, _, rest = raw.partition(b"\r\n\r\n")
    chunks = []
    while True:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line, 16)
        if size == 0:
            break
        chunks.append(rest[:size])
        assert rest[size : size + 2] == b"\r\n"
        rest = rest[size + 2 :]
    return head, chunks


def test_stream_framing_keepalives_role_and_done(client: httpx2.Client) -> None:
    response = _stream(client)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/event-stream"
    assert response.headers["x-simulator"] == "or_magics"
    events = parse_sse(response.text)
    assert events[0].comment and events[0].raw == ": OPENROUTER PROCESSING"
    assert events[-1].data == "[DONE]"
    chunks = data_chunks(events)
    assert all(GEN_ID.match(c["id"]) for c in chunks)
    assert {c["id"] for c in chunks} == {response.headers["x-generation-id"]}
    deltas = [c["choices"][0]["delta"] for c in chunks]
    assert all(d["role"] == "assistant" for d in deltas)
    assert all(c["provider"] == response.headers["x-provider-name"] for c in chunks)
    assert len(content_of(chunks)) > 500


def test_mid2026_key_order_and_repeated_finish(client: httpx2.Client) -> None:
    chunks = data_chunks(parse_sse(_stream(client).text))
    first = chunks[0]
    assert list(first) == ["id", "object", "created", "model", "provider", "choices"]
    assert list(first["choices"][0]) == ["index", "delta", "finish_reason", "native_finish_reason"]
    finish, usage = chunks[-2], chunks[-1]
    assert finish["choices"][0]["finish_reason"] == "stop"
    assert "usage" not in finish
    assert usage["choices"][0]["finish_reason"] == "stop"
    assert usage["usage"]["total_tokens"] > 0


@pytest.mark.parametrize(
    ("style", "expect"),
    [
        ("2025", "empty-delta-finish-null"),
        ("mar2026", "choices-empty"),
        ("mid2026", "repeat-finish"),
    ],
)
def test_usage_chunk_styles(client: httpx2.Client, style: str, expect: str) -> None:
    chunks = data_chunks(parse_sse(_stream(client, {"usage_style": style}).text))
    last = chunks[-1]
    assert "usage" in last and all("usage" not in c for c in chunks[:-1])
    if expect == "choices-empty":
        assert last["choices"] == []
    elif expect == "empty-delta-finish-null":
        choice = last["choices"][0]
        assert choice["delta"] == {"role": "assistant", "content": ""}
        assert choice["finish_reason"] is None and choice["logprobs"] is None
        assert list(last)[:3] == ["id", "provider", "model"]
        assert last["usage"]["cost_details"]["upstream_inference_cost"] is None
    else:
        assert last["choices"][0]["finish_reason"] == "stop"


def test_crlf_line_endings(client: httpx2.Client) -> None:
    text = _stream(client, {"line_ending": "\r\n"}).text
    assert text.startswith(": OPENROUTER PROCESSING\r\n\r\ndata: ")
    assert text.endswith("data: [DONE]\r\n\r\n")
    assert "\n\n" not in text.replace("\r\n\r\n", "")


def test_keepalive_count(client: httpx2.Client) -> None:
    events = parse_sse(_stream(client, {"keepalives": 5}).text)
    leading = 0
    while events[leading].comment:
        leading += 1
    assert leading == 5


def test_each_event_is_its_own_http_chunk(live: ServerThread) -> None:
    raw = _raw_http(
        live,
        {
            "model": "openai/gpt-4o-mini",
            "stream": True,
            "messages": [{"role": "user", "content": "Tell me about owls"}],
        },
    )
    head, chunks = _dechunk(raw)
    assert b"Transfer-Encoding: chunked" in head
    assert b"X-Simulator: or_magics" in head
    assert len(chunks) > 20
    for chunk in chunks:
        text = chunk.decode()
        assert text.endswith("\n\n") and text.count("\n\n") == 1
        assert text.startswith(("data: ", ": OPENROUTER PROCESSING"))
    assert chunks[-1] == b"data: [DONE]\n\n"


def test_non_stream_body_shape(client: httpx2.Client) -> None:
    response = client.post(
        "/chat/completions",
        json={"model": "openai/gpt-4o", "messages": [{"role": "user", "content": "Hi"}]},
    )
    body = response.json()
    assert response.headers["x-simulator"] == "or_magics"
    assert GEN_ID.match(body["id"]) and body["id"] == response.headers["x-generation-id"]
    assert body["object"] == "chat.completion"
    assert body["model"] == "openai/gpt-4o"
    assert body["provider"] == response.headers["x-provider-name"] == "OpenAI"
    choice = body["choices"][0]
    assert choice["finish_reason"] == choice["native_finish_reason"] == "stop"
    assert choice["message"]["role"] == "assistant"
    usage = body["usage"]
    assert usage["is_byok"] is False
    assert set(usage) >= {"prompt_tokens_details", "completion_tokens_details", "cost_details"}
