"""The in-process transport streams for real and stops when the consumer stops."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time

import httpx2

from or_magics.offline import DEFAULT_BASE_URL, Simulator, SimulatorTransport

from .helpers import AUTH, content_of, data_chunks, parse_sse

BODY = {
    "model": "openai/gpt-4o-mini",
    "stream": True,
    "messages": [{"role": "user", "content": "Explain streaming"}],
}


def _client(sim: Simulator) -> httpx2.AsyncClient:
    return httpx2.AsyncClient(
        transport=SimulatorTransport(sim), base_url=DEFAULT_BASE_URL, headers=AUTH
    )


def test_events_arrive_as_they_are_produced() -> None:
    sim = Simulator(token_rate=300, chunk_chars=6)

    async def run() -> list[float]:
        arrivals = []
        start = time.perf_counter()
        async with (
            _client(sim) as client,
            client.stream(
                "POST",
                "/chat/completions",
                json=BODY,
                headers={"X-Simulator": json.dumps({"answer_bytes": 600})},
            ) as response,
        ):
            async for _ in response.aiter_lines():
                arrivals.append(time.perf_counter() - start)
        return arrivals

    arrivals = asyncio.run(run())
    # 600 bytes ≈ 150 tokens at 300 tok/s ≈ 0.5 s in total, the first event at once
    assert arrivals[0] < 0.1
    assert 0.35 < arrivals[-1] < 2.0


def test_latency_delays_the_response_head() -> None:
    sim = Simulator(latency=0.25)

    async def run() -> float:
        async with _client(sim) as client:
            start = time.perf_counter()
            response = await client.post("/chat/completions", json={**BODY, "stream": False})
            assert response.status_code == 200
            return time.perf_counter() - start

    assert 0.25 <= asyncio.run(run()) < 1.5


def test_closing_early_stops_the_producer() -> None:
    sim = Simulator(token_rate=100)

    async def run() -> None:
        async with _client(sim) as client:
            start = time.perf_counter()
            async with client.stream("POST", "/chat/completions", json=BODY) as response:
                async for line in response.aiter_lines():
                    if line.startswith("data: {"):
                        break
            assert time.perf_counter() - start < 0.5

    asyncio.run(run())
    assert sim.stats["streams_aborted"] == 1
    assert sim.stats["streams_completed"] == 0
    (record,) = [sim.generations.get(g) for g in list(sim.generations._items)]
    assert record is not None and record["cancelled"] is True


def test_cancelling_the_reader_task_is_prompt() -> None:
    sim = Simulator(token_rate=20)

    async def run() -> None:
        async with _client(sim) as client:

            async def consume() -> None:
                async with client.stream("POST", "/chat/completions", json=BODY) as response:
                    async for _ in response.aiter_bytes():
                        pass

            task = asyncio.create_task(consume())
            await asyncio.sleep(0.1)
            start = time.perf_counter()
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            assert time.perf_counter() - start < 0.2

    asyncio.run(run())
    assert sim.stats["streams_aborted"] == 1


def test_sync_client_streams_too(tclient: httpx2.Client) -> None:
    with tclient.stream("POST", "/chat/completions", json=BODY) as response:
        text = response.read().decode()
    assert response.headers["x-simulator"] == "or_magics"
    chunks = data_chunks(parse_sse(text))
    assert len(content_of(chunks)) > 200


def test_transport_config_keywords() -> None:
    transport = SimulatorTransport(usage_style="mar2026", keepalives=3)
    with httpx2.Client(transport=transport, base_url=DEFAULT_BASE_URL, headers=AUTH) as client:
        text = client.post("/chat/completions", json=BODY).text
    events = parse_sse(text)
    assert [e.comment for e in events[:4]] == [True, True, True, False]
    assert data_chunks(events)[-1]["choices"] == []


def test_no_key_needed_when_auth_is_off() -> None:
    transport = SimulatorTransport(require_auth=False)
    with httpx2.Client(transport=transport, base_url=DEFAULT_BASE_URL) as client:
        assert client.post("/chat/completions", json=BODY).status_code == 200
