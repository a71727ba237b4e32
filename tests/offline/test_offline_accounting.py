"""Figures the simulator reports follow from what it did: timing, credits, usage windows."""

from __future__ import annotations

import json
import math
import re
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx2
import pytest

from or_magics.offline import (
    DEFAULT_BASE_URL,
    Catalogue,
    Simulator,
    SimulatorTransport,
    serve_in_thread,
)
from or_magics.offline.accounting import GenerationStore, usage_windows

from .helpers import AUTH

OPUS = "anthropic/claude-opus-4.1"
WINDOWS = ("usage", "usage_daily", "usage_weekly", "usage_monthly")
AFFORD = re.compile(
    r"^This request requires more credits, or fewer max_tokens\. You requested up to (\d+) "
    r"tokens, but can only afford (\d+)\. To increase, visit "
    r"https://openrouter\.ai/settings/credits and upgrade to a paid account$"
)


def _client(sim: Simulator) -> httpx2.Client:
    return httpx2.Client(transport=SimulatorTransport(sim), base_url=DEFAULT_BASE_URL, headers=AUTH)


def _chat(
    sim: Simulator,
    model: str = "openai/gpt-4o-mini",
    knobs: dict[str, Any] | None = None,
    **body: Any,
) -> httpx2.Response:
    headers = {"X-Simulator": json.dumps(knobs)} if knobs else {}
    payload = {"model": model, "messages": [{"role": "user", "content": "Explain tides"}], **body}
    with _client(sim) as client:
        return client.post("/chat/completions", json=payload, headers=headers)


def _generation(sim: Simulator, response: httpx2.Response) -> dict[str, Any]:
    gen_id = response.headers["x-generation-id"]
    with _client(sim) as client:
        return client.get("/generation", params={"id": gen_id}).json()["data"]


# -- /generation timing -------------------------------------------------------------------------
@pytest.mark.parametrize("rate", [50.0, 400.0])
def test_generation_time_follows_the_token_rate(rate: float) -> None:
    sim = Simulator(token_rate=rate)
    record = _generation(sim, _chat(sim))
    assert record["tokens_completion"] > 100
    assert record["generation_time"] == round(record["tokens_completion"] / rate * 1000)
    assert record["latency"] == record["generation_time"]  # no wait before the first token


def test_instant_simulator_reports_no_generation_time() -> None:
    sim = Simulator()
    record = _generation(sim, _chat(sim))
    assert record["generation_time"] == 0 and record["latency"] == 0


def test_latency_adds_every_wait_before_the_first_token() -> None:
    sim = Simulator(token_rate=4000, latency=0.05)
    knobs = {"first_byte_delay": 0.03, "keepalives": 3, "keepalive_interval": 0.02}
    response = _chat(sim, knobs=knobs, stream=True, max_tokens=20)
    record = _generation(sim, response)
    generation = round(record["tokens_completion"] / 4000 * 1000)
    assert record["generation_time"] == generation
    assert record["latency"] == 50 + 30 + 3 * 20 + generation


# -- the credit check ---------------------------------------------------------------------------
def _opus_endpoint() -> Any:
    return Catalogue().get(OPUS).endpoints[0]  # type: ignore[union-attr]


def test_no_max_tokens_reserves_the_whole_max_output_and_can_402() -> None:
    sim = Simulator(credit_limit=0.5)
    endpoint = _opus_endpoint()
    refused = _chat(sim, OPUS)
    assert refused.status_code == 402
    error = refused.json()["error"]
    assert error["code"] == 402 and error["metadata"] == {"provider_name": None}
    match = AFFORD.match(error["message"])
    assert match, error["message"]
    requested, affordable = map(int, match.groups())
    assert requested == endpoint.max_completion_tokens == 32000
    # what 0.5 credits buy at the endpoint's completion price, less a short prompt's cost
    assert affordable * endpoint.completion_price <= Decimal("0.5")
    assert (affordable + 1) * endpoint.completion_price > Decimal("0.5") - Decimal("0.01")
    assert 0 < affordable < requested
    served = _chat(sim, OPUS, max_tokens=affordable // 2)
    assert served.status_code == 200, served.text


def test_the_402_names_the_max_tokens_asked_for() -> None:
    sim = Simulator(credit_limit=0.01)
    match = AFFORD.match(_chat(sim, OPUS, max_tokens=4000).json()["error"]["message"])
    assert match and match.group(1) == "4000"
    assert int(match.group(2)) * _opus_endpoint().completion_price <= Decimal("0.01")


def test_spending_lowers_what_the_next_request_can_afford() -> None:
    sim = Simulator(credit_limit=0.5)
    first = AFFORD.match(_chat(sim, OPUS).json()["error"]["message"])
    assert _chat(sim, OPUS, max_tokens=2000).status_code == 200
    second = AFFORD.match(_chat(sim, OPUS).json()["error"]["message"])
    assert first and second and int(second.group(2)) < int(first.group(2))


def test_free_models_need_no_credits_but_a_spent_balance_stops_paid_ones() -> None:
    sim = Simulator(credit_limit=0.0)
    assert _chat(sim, "meta-llama/llama-3.3-70b-instruct:free").status_code == 200
    error = _chat(sim, "openai/gpt-4o-mini", max_tokens=50).json()["error"]
    assert error["message"].startswith(
        "This request requires more credits, or fewer max_tokens. You requested up to 50 "
        "tokens, but can only afford 0."
    )


def test_an_injected_402_is_worded_from_the_request() -> None:
    sim = Simulator()
    response = _chat(sim, knobs={"status": 402}, max_tokens=777)
    assert response.status_code == 402
    match = AFFORD.match(response.json()["error"]["message"])
    assert match and match.groups() == ("777", "0")  # credits to spare: as if spent
    default = AFFORD.match(_chat(sim, knobs={"status": 402}).json()["error"]["message"])
    assert default and default.group(1) == "16384"  # gpt-4o-mini's max output
    short = Simulator(credit_limit=0.001)
    match = AFFORD.match(_chat(short, knobs={"status": 402}).json()["error"]["message"])
    assert match and 0 < int(match.group(2)) < 16384


# -- /key ---------------------------------------------------------------------------------------
def test_key_usage_follows_spending() -> None:
    sim = Simulator(credit_limit=10.0)
    with _client(sim) as client:
        before = client.get("/key").json()["data"]
        assert all(before[name] == 0 for name in WINDOWS)
        assert before["limit_remaining"] == 10.0
        cost = client.post(
            "/chat/completions",
            json={"model": OPUS, "max_tokens": 500, "messages": [{"role": "user", "content": "x"}]},
        ).json()["usage"]["cost"]
        assert cost > 0
        after = client.get("/key").json()["data"]
        for name in WINDOWS:
            assert after[name] == pytest.approx(cost)
        assert after["limit_remaining"] == pytest.approx(10.0 - cost)
        assert client.get("/credits").json()["data"]["total_usage"] == pytest.approx(cost)
        old = datetime.now(UTC) - timedelta(days=40)
        sim.generations.add({"id": "gen-old", "total_cost": 1.5, "created_at": old.isoformat()})
        later = client.get("/key").json()["data"]
    assert later["usage"] == pytest.approx(cost + 1.5)
    assert later["usage_monthly"] == pytest.approx(cost)  # 40 days ago is another month
    assert later["limit_remaining"] == pytest.approx(10.0 - cost - 1.5)


def test_usage_windows_are_the_current_utc_day_week_and_month() -> None:
    store = GenerationStore()
    now = datetime(2026, 3, 11, 12, 0, tzinfo=UTC)  # a Wednesday
    spent = {
        "2026-03-11T01:00:00+00:00": 0.001,  # today
        "2026-03-09T08:00:00+00:00": 0.02,  # Monday: this week
        "2026-03-02T08:00:00+00:00": 0.3,  # this month
        "2026-02-28T23:59:00+00:00": 4.0,  # before
    }
    for i, (created, cost) in enumerate(spent.items()):
        store.add({"id": f"gen-{i}", "total_cost": cost, "created_at": created})
    assert usage_windows(store, now) == {
        "usage": 4.321,
        "usage_daily": 0.001,
        "usage_weekly": 0.021,
        "usage_monthly": 0.321,
    }


# -- a stream the client leaves early -----------------------------------------------------------
def _leave_early(sim: Simulator, model: str, events: int) -> tuple[str, str]:
    """Stream an answer over the loopback server, read ``events`` content events, hang up;
    the generation id and the text that arrived."""
    payload = {"model": model, "stream": True,
               "messages": [{"role": "user", "content": "Explain tides in detail"}]}
    text = ""
    with serve_in_thread(simulator=sim) as server, \
            httpx2.Client(base_url=server.base_url, headers=AUTH) as client, \
            client.stream("POST", "/chat/completions", json=payload) as response:
        gen_id = response.headers["x-generation-id"]
        with _client(sim) as other:  # still streaming: not there yet, as on OpenRouter
            assert other.get("/generation", params={"id": gen_id}).status_code == 404
        for line in response.iter_lines():
            if line.startswith("data: {"):
                delta = json.loads(line[6:])["choices"][0]["delta"].get("content") or ""
                text += delta
                events -= bool(delta)
                if events <= 0:
                    break
    return gen_id, text


def _settled(sim: Simulator, gen_id: str) -> dict[str, Any]:
    with _client(sim) as client:
        for _ in range(100):
            found = client.get("/generation", params={"id": gen_id})
            if found.status_code == 200:
                return found.json()["data"]
            time.sleep(0.05)
    raise AssertionError("the cancelled generation never appeared")


def test_a_cancelled_stream_bills_what_was_generated_before_the_client_left() -> None:
    """OpenAI stops a generation (and its billing) when the connection drops: the record
    counts the tokens generated until then, and /credits and /key spend exactly that."""
    sim = Simulator(token_rate=200.0, chunk_chars=24)
    full = _generation(sim, _chat(sim, messages=[{"role": "user",
                                                   "content": "Explain tides in detail"}]))
    spent_before = sim.generations.spent()
    gen_id, text = _leave_early(sim, "openai/gpt-4o-mini", 5)
    record = _settled(sim, gen_id)
    assert record["cancelled"] is True and record["tokens_prompt"] == full["tokens_prompt"]
    arrived = math.ceil(len(text) / 4)
    assert arrived <= record["tokens_completion"] < full["tokens_completion"] / 2
    price = Decimal("0.15") / 10**6, Decimal("0.60") / 10**6  # gpt-4o-mini at OpenAI
    cost = record["tokens_prompt"] * price[0] + record["tokens_completion"] * price[1]
    assert record["total_cost"] == pytest.approx(float(cost))
    spent = sim.generations.spent() - spent_before
    assert float(spent) == pytest.approx(record["total_cost"])
    with _client(sim) as client:
        assert client.get("/credits").json()["data"]["total_usage"] == pytest.approx(
            float(sim.generations.spent()))


def test_a_provider_that_cannot_cancel_bills_the_whole_answer() -> None:
    """Google finishes and bills a generation the client left (openrouter-wire.md §3.8)."""
    sim = Simulator(token_rate=200.0, chunk_chars=24)
    gen_id, _ = _leave_early(sim, "google/gemini-2.5-flash", 3)
    record = _settled(sim, gen_id)
    assert record["cancelled"] is True
    assert record["provider_name"].startswith("Google")
    assert record["tokens_completion"] > 100  # the whole answer, not the part that arrived
