"""OpenRouter's response cache in the simulator (X-OpenRouter-Cache): a hit is the same
answer, a new generation, usage 0, nothing billed; only complete answers are kept."""

from __future__ import annotations

import contextlib
from typing import Any

import httpx2
import pytest

from or_magics.offline import DEFAULT_BASE_URL, Simulator, SimulatorTransport

from .helpers import AUTH, Clock, content_of, data_chunks, parse_sse

ON = {"X-OpenRouter-Cache": "true"}


@pytest.fixture
def clock(sim: Simulator) -> Clock:
    fake = Clock()
    sim.response_cache.clock = fake
    return fake


def post(client: httpx2.Client, prompt: str = "Name a colour",
         headers: dict[str, str] | None = None, **body: Any) -> httpx2.Response:
    payload = {"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": prompt}],
               **body}
    return client.post("/chat/completions", json=payload, headers=headers or {})


def test_a_second_identical_request_is_a_free_hit_with_the_same_answer(tclient, sim, clock):
    first = post(tclient, headers=ON)
    clock.now += 12
    second = post(tclient, headers=ON)
    assert first.headers["X-OpenRouter-Cache-Status"] == "MISS"
    assert first.headers["X-OpenRouter-Cache-TTL"] == "300"
    assert "X-OpenRouter-Cache-Age" not in first.headers
    assert second.headers["X-OpenRouter-Cache-Status"] == "HIT"
    assert second.headers["X-OpenRouter-Cache-Age"] == "12"
    assert second.headers["X-OpenRouter-Cache-TTL"] == "288"
    a, b = first.json(), second.json()
    assert a["choices"][0]["message"] == b["choices"][0]["message"]
    assert b["id"] != a["id"] and second.headers["X-Generation-Id"] == b["id"]
    assert a["usage"]["cost"] > 0 and a["usage"]["total_tokens"] > 0
    assert b["usage"]["cost"] == 0 and b["usage"]["prompt_tokens"] == 0
    assert b["usage"]["completion_tokens"] == b["usage"]["total_tokens"] == 0
    record = tclient.get("/generation", params={"id": b["id"]}).json()["data"]
    assert record["response_cache_source_id"] == a["id"] and record["total_cost"] == 0
    assert float(sim.generations.spent()) == pytest.approx(a["usage"]["cost"])  # billed once
    assert sim.stats["cache_hits"] == 1


def test_streams_replay_the_same_chunks_and_are_cached_apart_from_json(tclient, sim, clock):
    json_answer = post(tclient, headers=ON)
    first = post(tclient, headers=ON, stream=True)
    second = post(tclient, headers=ON, stream=True)
    assert first.headers["X-OpenRouter-Cache-Status"] == "MISS"  # not the JSON answer's
    assert second.headers["X-OpenRouter-Cache-Status"] == "HIT"
    a, b = data_chunks(parse_sse(first.text)), data_chunks(parse_sse(second.text))
    assert content_of(a) == content_of(b) == json_answer.json()["choices"][0]["message"][
        "content"]
    assert {c["id"] for c in b} == {second.headers["X-Generation-Id"]} != {c["id"] for c in a}
    assert b[-1]["usage"]["cost"] == 0 and b[-1]["usage"]["total_tokens"] == 0
    assert second.text.rstrip().endswith("data: [DONE]")


def test_without_the_header_nothing_is_cached_or_said(tclient, sim):
    post(tclient)
    again = post(tclient, headers={"X-OpenRouter-Cache": "false"})
    assert "X-OpenRouter-Cache-Status" not in again.headers
    assert again.json()["usage"]["cost"] > 0 and len(sim.response_cache) == 0


def test_the_key_body_and_ttl_decide_a_hit(tclient, sim, clock):
    post(tclient, headers={**ON, "X-OpenRouter-Cache-TTL": "60abc"})
    other_key = post(tclient, headers={**ON, "Authorization": "Bearer sk-or-v1-test-other"})
    other_body = post(tclient, headers=ON, temperature=1.0)
    assert other_key.headers["X-OpenRouter-Cache-Status"] == "MISS"  # caches are per key
    assert other_body.headers["X-OpenRouter-Cache-Status"] == "MISS"  # sending a default counts
    hit = post(tclient, headers=ON)
    assert hit.headers["X-OpenRouter-Cache-Status"] == "HIT"
    assert hit.headers["X-OpenRouter-Cache-TTL"] == "60"
    clock.now += 61
    assert post(tclient, headers=ON).headers["X-OpenRouter-Cache-Status"] == "MISS"  # expired


@pytest.mark.parametrize(("given", "ttl"), [("0", "1"), ("999999", "86400"), ("1.5", "1"),
                                            ("soon", "300")])
def test_ttl_values_are_clamped_truncated_or_ignored(tclient, given, ttl):
    answer = post(tclient, headers={**ON, "X-OpenRouter-Cache-TTL": given})
    assert answer.headers["X-OpenRouter-Cache-TTL"] == ttl


def test_clear_asks_the_provider_again_and_stores_the_new_answer(tclient, sim):
    first = post(tclient, headers=ON)
    fresh = post(tclient, headers={**ON, "X-OpenRouter-Cache-Clear": "true"})
    assert fresh.headers["X-OpenRouter-Cache-Status"] == "MISS"
    assert fresh.json()["usage"]["cost"] > 0 and fresh.json()["id"] != first.json()["id"]
    hit = post(tclient, headers=ON)
    record = tclient.get("/generation", params={"id": hit.json()["id"]}).json()["data"]
    assert record["response_cache_source_id"] == fresh.json()["id"]


@pytest.mark.parametrize("fault", [{"status": 502}, {"mid_stream_error": "choice"},
                                   {"drop": "during"}])
def test_failures_and_broken_streams_are_never_kept(sim, fault):
    transport = SimulatorTransport(sim)
    with httpx2.Client(transport=transport, base_url=DEFAULT_BASE_URL, headers=AUTH) as client:
        sim.inject(fault)
        with contextlib.suppress(httpx2.HTTPError):  # the dropped connection
            post(client, headers=ON, stream=True).read()
        again = post(client, headers=ON, stream=True)
    assert again.headers["X-OpenRouter-Cache-Status"] == "MISS"


def test_a_hit_skips_the_free_model_limit(sim):
    sim.configure(free_rpm=1)
    with httpx2.Client(transport=SimulatorTransport(sim), base_url=DEFAULT_BASE_URL,
                      headers=AUTH) as client:
        model = "meta-llama/llama-3.3-70b-instruct:free"
        assert post(client, headers=ON, model=model).status_code == 200
        hit = post(client, headers=ON, model=model)
        assert hit.status_code == 200 and hit.headers["X-OpenRouter-Cache-Status"] == "HIT"
        assert post(client, "Another question", model=model).status_code == 429
