"""OpenRouter's limits on :free models in the simulator: per key, per minute and per day,
answered with OpenRouter's 429 (message, X-RateLimit-* headers, Retry-After)."""

from __future__ import annotations

import time

import httpx2
import pytest

from or_magics.offline import DEFAULT_BASE_URL, Simulator, SimulatorTransport

FREE = "meta-llama/llama-3.3-70b-instruct:free"


class Clock:
    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


def client_for(sim: Simulator, key: str = "sk-or-v1-test-free") -> httpx2.Client:
    return httpx2.Client(transport=SimulatorTransport(sim), base_url=DEFAULT_BASE_URL,
                        headers={"Authorization": f"Bearer {key}"})


def ask(client: httpx2.Client, model: str = FREE, n: int = 0) -> httpx2.Response:
    return client.post("/chat/completions", json={
        "model": model, "messages": [{"role": "user", "content": f"Say {n}"}]})


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def limited(clock: Clock) -> Simulator:
    sim = Simulator(free_rpm=3, rate_window=60.0)
    sim.free_limits.clock = clock
    return sim


def test_the_fourth_free_request_in_a_minute_gets_openrouters_429(limited, clock):
    with client_for(limited) as client:
        assert [ask(client, n=i).status_code for i in range(3)] == [200, 200, 200]
        clock.now += 20
        before = time.time()
        refused = ask(client, n=3)
    assert refused.status_code == 429
    error = refused.json()["error"]
    assert error["message"] == "Rate limit exceeded: free-models-per-min."
    assert refused.headers["Retry-After"] == "40"
    assert refused.headers["X-RateLimit-Limit"] == "3"
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    reset = int(refused.headers["X-RateLimit-Reset"]) / 1000  # milliseconds since the epoch
    assert before + 39 <= reset <= time.time() + 41
    assert error["metadata"]["headers"]["X-RateLimit-Reset"] == refused.headers[
        "X-RateLimit-Reset"]
    assert limited.stats["rate_limited"] == 1


def test_the_window_resets_refusals_do_not_count_and_paid_models_are_not_limited(limited,
                                                                                 clock):
    with client_for(limited) as client:
        for i in range(3):
            ask(client, n=i)
        assert ask(client, n=9).status_code == 429
        assert ask(client, model="openai/gpt-4o-mini").status_code == 200
        clock.now += 60
        assert [ask(client, n=i).status_code for i in range(4)] == [200, 200, 200, 429]


def test_limits_are_per_key(limited):
    with client_for(limited, "sk-or-v1-test-a") as a, client_for(limited, "sk-or-v1-test-b") as b:
        for i in range(3):
            ask(a, n=i)
        assert ask(a).status_code == 429 and ask(b).status_code == 200


def test_the_daily_limit_says_how_to_raise_it(clock):
    sim = Simulator(free_rpd=2, rate_window=1.0)
    sim.free_limits.clock = clock
    with client_for(sim) as client:
        ask(client), ask(client)
        clock.now += 5  # past the minute, not the day (1440 of its minutes)
        refused = ask(client)
    assert refused.status_code == 429
    assert "free-models-per-day" in refused.json()["error"]["message"]
    assert refused.headers["Retry-After"] == "1435"


def test_settings_are_checked():
    with pytest.raises(ValueError, match="free_rpm"):
        Simulator(free_rpm=0)
    with pytest.raises(ValueError, match="rate_window"):
        Simulator(rate_window=0)
