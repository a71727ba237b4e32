"""Prompt caching: a repeated long prefix reports `cached_tokens` (implicit providers) or needs
`cache_control` breakpoints and reports `cache_write_tokens` first (Anthropic); priced with the
catalogue's cache prices; per session."""

from __future__ import annotations

import json
from typing import Any

import httpx2
import pytest

from or_magics.offline import DEFAULT_BASE_URL, Simulator, SimulatorTransport

from .helpers import AUTH, Clock, data_chunks, parse_sse

MANUAL = "The handbook says: " + " ".join(f"rule {i} is to keep notes tidy." for i in range(180))
SONNET = "anthropic/claude-sonnet-4.5"


@pytest.fixture
def clock(sim: Simulator) -> Clock:
    fake = Clock()
    sim.prompt_cache.clock = fake
    return fake


def _send(client: httpx2.Client, question: str, model: str = "openai/gpt-4o-mini",
          system: Any = MANUAL, headers: dict[str, str] | None = None,
          **body: Any) -> httpx2.Response:  # fmt: skip
    messages = [{"role": "system", "content": system}, {"role": "user", "content": question}]
    payload = {"model": model, "messages": messages, "max_tokens": 50, **body}
    response = client.post("/chat/completions", json=payload, headers=headers or {})
    assert response.status_code == 200, response.text
    return response


def _details(response: httpx2.Response) -> dict[str, int]:
    return dict(response.json()["usage"]["prompt_tokens_details"])


def test_a_repeated_long_prefix_is_read_from_the_cache(tclient: httpx2.Client,
                                                      clock: Clock) -> None:
    first = _send(tclient, "What is rule 3?", session_id="lesson-1")
    second = _send(tclient, "What is rule 7?", session_id="lesson-1")
    assert _details(first)["cached_tokens"] == 0
    cached = _details(second)["cached_tokens"]
    assert cached >= 1024 and (cached - 1024) % 128 == 0  # OpenAI: 1024, then 128-token steps
    usage = second.json()["usage"]
    assert cached <= usage["prompt_tokens"]
    fresh = usage["prompt_tokens"] - cached
    expected = fresh * 0.15e-6 + cached * 0.075e-6  # gpt-4o-mini input and cache-read prices
    assert usage["cost_details"]["upstream_inference_prompt_cost"] == pytest.approx(expected)
    assert usage["cost"] < first.json()["usage"]["cost"]


def test_the_cache_is_per_session(tclient: httpx2.Client, clock: Clock) -> None:
    _send(tclient, "What is rule 3?", session_id="a")
    assert _details(_send(tclient, "What is rule 3?", session_id="b"))["cached_tokens"] == 0
    header = {"x-session-id": "a"}
    assert _details(_send(tclient, "What is rule 4?", headers=header))["cached_tokens"] >= 1024


def test_without_a_session_the_key_is_the_session(sim: Simulator, clock: Clock) -> None:
    def client(key: str) -> httpx2.Client:
        auth = {"Authorization": f"Bearer {key}"}
        return httpx2.Client(transport=SimulatorTransport(sim), base_url=DEFAULT_BASE_URL,
                            headers=auth)  # fmt: skip

    with client("sk-or-v1-one") as one, client("sk-or-v1-two") as two:
        _send(one, "What is rule 3?")
        assert _details(_send(one, "What is rule 5?"))["cached_tokens"] >= 1024
        assert _details(_send(two, "What is rule 5?"))["cached_tokens"] == 0


def test_short_prompts_and_expired_entries_are_not_cached(
    tclient: httpx2.Client, clock: Clock
) -> None:
    _send(tclient, "Hi", system="Be brief.")
    assert _details(_send(tclient, "Hi", system="Be brief."))["cached_tokens"] == 0
    _send(tclient, "What is rule 1?")
    clock.now += 301  # five minutes and a second later
    assert _details(_send(tclient, "What is rule 1?"))["cached_tokens"] == 0


def _marked(ttl: str | None = None) -> list[dict[str, Any]]:
    control: dict[str, Any] = {"type": "ephemeral"}
    if ttl:
        control["ttl"] = ttl
    return [{"type": "text", "text": MANUAL, "cache_control": control}]


def test_anthropic_caches_only_at_cache_control_breakpoints(
    tclient: httpx2.Client, clock: Clock
) -> None:
    _send(tclient, "What is rule 3?", model=SONNET)
    unmarked = _send(tclient, "What is rule 3?", model=SONNET)
    assert _details(unmarked)["cached_tokens"] == _details(unmarked)["cache_write_tokens"] == 0

    write = _send(tclient, "What is rule 3?", model=SONNET, system=_marked())
    read = _send(tclient, "What is rule 9?", model=SONNET, system=_marked())
    written = _details(write)["cache_write_tokens"]
    assert written >= 1024 and _details(write)["cached_tokens"] == 0
    assert _details(read) == {**_details(read), "cached_tokens": written, "cache_write_tokens": 0}

    def prompt_cost(response: httpx2.Response, write_price: float = 3.75e-6) -> float:
        usage = response.json()["usage"]
        details = usage["prompt_tokens_details"]
        fresh = usage["prompt_tokens"] - details["cached_tokens"] - details["cache_write_tokens"]
        return float(
            fresh * 3e-6 + details["cached_tokens"] * 0.3e-6
            + details["cache_write_tokens"] * write_price
        )  # fmt: skip

    for response in (write, read):
        spent = response.json()["usage"]["cost_details"]["upstream_inference_prompt_cost"]
        assert spent == pytest.approx(prompt_cost(response))
    hour = _send(tclient, "What is rule 2?", model=SONNET, system=_marked("1h"), session_id="h")
    spent = hour.json()["usage"]["cost_details"]["upstream_inference_prompt_cost"]
    assert spent == pytest.approx(prompt_cost(hour, write_price=6e-6))  # the 1-hour write price


def test_top_level_cache_control_caches_the_whole_prompt(
    tclient: httpx2.Client, clock: Clock
) -> None:
    auto = {"cache_control": {"type": "ephemeral"}}
    first = _send(tclient, "What is rule 3?", model=SONNET, **auto)
    second = _send(tclient, "What is rule 3?", model=SONNET, **auto)
    assert _details(first)["cache_write_tokens"] == first.json()["usage"]["prompt_tokens"]
    assert _details(second)["cached_tokens"] == second.json()["usage"]["prompt_tokens"]


def test_generation_and_stream_report_the_cache(tclient: httpx2.Client, clock: Clock) -> None:
    _send(tclient, "What is rule 3?", session_id="gen")
    response = _send(tclient, "What is rule 4?", session_id="gen")
    gen_id = response.headers["x-generation-id"]
    record = tclient.get("/generation", params={"id": gen_id}).json()["data"]
    cached = _details(response)["cached_tokens"]
    assert record["native_tokens_cached"] == cached and record["session_id"] == "gen"
    assert record["cache_discount"] == pytest.approx(cached * (0.15e-6 - 0.075e-6))
    streamed = tclient.post(
        "/chat/completions",
        headers=AUTH,
        json={
            "model": "openai/gpt-4o-mini",
            "session_id": "gen",
            "stream": True,
            "messages": [
                {"role": "system", "content": MANUAL},
                {"role": "user", "content": "What is rule 5?"},
            ],
        },
    )
    usage = data_chunks(parse_sse(streamed.text))[-1]["usage"]
    assert usage["prompt_tokens_details"]["cached_tokens"] >= 1024
    assert json.dumps(usage)  # plain JSON, as on the wire
