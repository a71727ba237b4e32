"""The keep-alive pool behind every client (httpx2's, with `send.LIMITS`): a batch's
connections are reused at concurrency, a connection the server closed while idle is
replaced, and a transport of one's own is used as given."""

from __future__ import annotations

import time

import httpx2

from or_magics import Client

from .conftest import KEY


def connections(live) -> int:
    return live.simulator.stats.snapshot()["connections"]


def test_a_batch_at_concurrency_keeps_its_connections_for_the_next_wave(live, client):
    prompts = [f"Say the number {i}" for i in range(40)]
    client.batch(prompts, model="openai/gpt-4o-mini", concurrency=20, progress=False)
    before = connections(live)
    for _ in range(3):
        results = client.batch(prompts, model="openai/gpt-4o-mini", concurrency=20,
                               progress=False)
        assert results.errors.count(None) == 40
    assert connections(live) == before  # 120 more requests, not one new connection


def test_a_connection_the_server_closed_while_idle_is_replaced(live, client):
    client.chat("warm up", model="openai/gpt-4o-mini")
    before = connections(live)
    loop = live._loop
    assert loop is not None
    for writer in list(live.server._writers):  # the server hangs up on idle connections
        loop.call_soon_threadsafe(writer.transport.abort)
    for _ in range(100):
        if live.simulator.stats.snapshot()["active_connections"] == 0:
            break
        time.sleep(0.01)
    assert client.chat("again", model="openai/gpt-4o-mini").text
    assert connections(live) == before + 1


def test_a_transport_of_ones_own_is_used_as_given(live):
    seen = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request.url.path)
        return httpx2.Response(200, json={"choices": [{"message": {"content": "mocked"},
                                                      "finish_reason": "stop"}]})

    with Client(api_key=KEY, base_url=live.base_url,
                transport=httpx2.MockTransport(handler)) as client:
        response = client.chat("hi", model="openai/gpt-4o-mini", stream=False)
    assert response.text == "mocked" and seen == ["/api/v1/chat/completions"]
