"""The fault knobs a stalled, odd or moved server needs: stall, huge_event, event, redirect,
html; over the real server and the in-process transport."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx2
import pytest

from or_magics.offline import DEFAULT_BASE_URL, Simulator, SimulatorTransport

from .helpers import AUTH, content_of, data_chunks, parse_sse

BODY = {"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "A story"}],
        "stream": True}


def post(client: httpx2.Client, knobs: dict[str, Any], timeout: float = 10,
         **extra: Any) -> httpx2.Response:
    return client.post("/chat/completions", json={**BODY, **extra}, timeout=timeout,
                       headers={"X-Simulator": json.dumps(knobs)})


def test_stall_is_silence_after_the_keepalives_then_the_stream_goes_on(client):
    with client.stream("POST", "/chat/completions", json=BODY, headers={
            "X-Simulator": json.dumps({"keepalives": 2, "stall": 0.6, "after_chunks": 0})}) as r:
        reads: list[tuple[float, bytes]] = []
        start = time.monotonic()
        for data in r.iter_raw():
            reads.append((time.monotonic() - start, data))
    body = b"".join(data for _, data in reads)
    before = [data for at, data in reads if at < 0.5]
    assert b"".join(before).count(b": OPENROUTER PROCESSING") == 2
    assert b'"content":"' not in b"".join(before).replace(b'"content":""', b"")  # no token yet
    assert reads[-1][0] >= 0.6 and body.endswith(b"data: [DONE]\n\n")


def test_stall_long_enough_is_a_server_that_never_answers(client):
    with pytest.raises(httpx2.ReadTimeout):
        post(client, {"keepalives": 1, "stall": 60, "after_chunks": 0}, timeout=0.5)


@pytest.mark.parametrize("size", [1, 3_000_000])
def test_huge_event_is_one_content_delta_of_that_many_characters(client, size):
    chunks = data_chunks(parse_sse(post(client, {"huge_event": size, "after_chunks": 1}).text))
    sizes = [len(c["choices"][0]["delta"].get("content") or "") for c in chunks if c["choices"]]
    assert size in sizes and content_of(chunks).count("lorem") >= size // 80


@pytest.mark.parametrize("event", [{"choices": "oops"}, [1, 2], "text", 7])
def test_event_sends_any_json_as_one_data_event(client, event):
    events = parse_sse(post(client, {"event": event, "after_chunks": 2}).text)
    assert json.dumps(event, separators=(",", ":")) in [e.data for e in events]
    assert events[-1].data == "[DONE]"  # and the stream goes on


def test_redirect_and_html_answer_like_a_moved_api_or_a_login_page(client):
    moved = post(client, {"redirect": "https://openrouter.ai/api/v1/chat/completions"})
    assert moved.status_code == 307
    assert moved.headers["location"] == "https://openrouter.ai/api/v1/chat/completions"
    page = post(client, {"html": True})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.text.startswith("<!doctype html>")


def test_the_in_process_transport_honours_them_too():
    with httpx2.Client(transport=SimulatorTransport(Simulator()), base_url=DEFAULT_BASE_URL,
                      headers=AUTH) as client:
        start = time.monotonic()
        chunks = data_chunks(parse_sse(post(client, {"stall": 0.3, "after_chunks": 1}).text))
        assert time.monotonic() - start >= 0.3 and content_of(chunks)
        assert post(client, {"redirect": "/elsewhere"}).status_code == 307


@pytest.mark.parametrize("knobs", [{"stall": -1}, {"huge_event": -5}, {"html": "yes"},
                                   {"redirect": 3}])
def test_bad_values_are_400s(client, knobs):
    assert post(client, knobs).status_code == 400
