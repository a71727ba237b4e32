"""Whole-batch back-off on 429, against the loopback simulator with OpenRouter's :free
limits: one 429 slows every request of the batch, so few requests meet the limit, and
every item still ends once, in order."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from or_magics import Client, OpenRouterError, RateLimitError
from or_magics.client.config import hooks
from or_magics.offline import serve_in_thread
from or_magics.offline.server import ServerThread
from or_magics.render.progress import BatchProgress

FREE = "meta-llama/llama-3.3-70b-instruct:free"
CONCURRENCY = 8


@pytest.fixture(scope="module")
def limited() -> Iterator[ServerThread]:
    """A simulator limiting :free models to 5 requests per key per 1-second "minute"."""
    with serve_in_thread(port=0, free_rpm=5, rate_window=1.0) as running:
        yield running


def run(server: ServerThread, key: str, n: int, *, paced: bool = True, progress: bool = False):
    """A batch of ``n`` prompts; the 429s and requests the simulator answered meanwhile."""
    sim = server.simulator
    before = sim.stats.snapshot()
    with Client(api_key=key, base_url=server.base_url) as client:
        batch, index = client.plan_batch(
            [f"Echo item {i}" for i in range(n)], FREE, template=None, schema=None,
            concurrency=CONCURRENCY, max_cost=None, cache=False, params={})
        if not paced:
            batch.pacer = None  # each item backs off on its own, as before
        results = client.run_batch(batch, index, progress=progress)
    after = sim.stats.snapshot()
    return results, after["rate_limited"] - before["rate_limited"], \
        after["chat_requests"] - before["chat_requests"]


def test_a_429_slows_the_whole_batch_so_few_requests_meet_the_limit(limited):
    paced, paced_429s, paced_sent = run(limited, "sk-or-v1-test-paced-0001", 30)
    _, alone_429s, _ = run(limited, "sk-or-v1-test-alone-0001", 30, paced=False)
    assert paced_429s <= CONCURRENCY + 2  # the first wave, then the limit is kept
    assert alone_429s >= 3 * paced_429s  # each item alone walks into the wall again
    assert paced.rate_limited == paced_429s
    assert not [r for r in paced if isinstance(r, OpenRouterError)]
    # in input order, each answered once: the 200s are exactly the items
    assert [r.request["messages"][-1]["content"] for r in paced] == [
        f"Echo item {i}" for i in range(30)]
    assert paced_sent - paced_429s == 30 and len({r.id for r in paced}) == 30


def test_the_progress_bar_says_the_batch_waits_for_the_rate_limit(limited, capfd,
                                                                    monkeypatch):
    monkeypatch.setattr(hooks, "progress",
                        lambda total, title: BatchProgress(total, title, notebook=False))
    results, limited_429s, _ = run(limited, "sk-or-v1-test-progress-01", 16, progress=True)
    bar = capfd.readouterr().err
    assert limited_429s and results.done == 16
    assert "waiting for the rate limit" in bar and "free-models-per-min" in bar
    assert "16 done, 0 failed" in bar


def test_a_daily_limit_fails_the_rest_without_sending_them():
    with serve_in_thread(port=0, free_rpd=3, rate_window=1.0) as server:
        results, count, sent = run(server, "sk-or-v1-test-daily-0001", 40)
    assert results.done == 3
    failed = [r for r in results if isinstance(r, OpenRouterError)]
    assert len(failed) == 37 and all(isinstance(e, RateLimitError) for e in failed)
    assert any("not sent" in str(e) and "free-models-per-day" in str(e) for e in failed)
    assert count <= CONCURRENCY + 2 and sent <= 3 + CONCURRENCY + 2  # not 40 tries


def test_single_calls_keep_their_own_retries(limited):
    with Client(api_key="sk-or-v1-test-single-001", base_url=limited.base_url,
                max_retries=0) as client:
        for i in range(5):
            client.chat(f"Say {i}", model=FREE)
        with pytest.raises(RateLimitError, match="free-models-per-min"):
            client.chat("One too many", model=FREE)


def test_the_pause_comes_from_retry_after_or_openrouters_reset_and_cuts_once_per_wave():
    from or_magics.client.pacer import Pacer

    now = [100.0]
    pacer = Pacer(8, clock=lambda: now[0], wall=lambda: 1_700_000_000.0)
    headers = {"X-RateLimit-Limit": "20", "X-RateLimit-Remaining": "0",
               "X-RateLimit-Reset": str(1_700_000_030 * 1000)}  # 30 s away, in ms
    error = RateLimitError("Rate limit exceeded: free-models-per-min.", status=429,
                           metadata={"headers": headers})
    pacer.limited_by(error, began=99.0)
    pacer.limited_by(error, began=99.5)  # in flight before the cut: no second cut
    assert pacer.left() == pytest.approx(30) and pacer.window == 4
    assert pacer.spacing == pytest.approx(30 / 20 * 1.05)
    assert "waiting for the rate limit… 30 s" in pacer.note()
    now[0] += 31
    assert pacer.note() is None
    for _ in range(12):
        pacer.succeeded()
    assert 6 < pacer.window < 8  # grows back slowly
    pacer.limited_by(RateLimitError("slow down", status=429, retry_after=2.0), began=now[0])
    assert pacer.left() == pytest.approx(2) and pacer.window < 4


def test_a_reset_already_past_backs_off_instead_of_retrying_at_once():
    """The server's clock a little ahead of ours: the reset it names is behind us."""
    from or_magics.client.pacer import Pacer

    pacer = Pacer(8, clock=lambda: 100.0, wall=lambda: 1_700_000_000.0)
    headers = {"X-RateLimit-Reset": str((1_700_000_000 - 2) * 1000)}  # 2 s ago
    pacer.limited_by(RateLimitError("Rate limited", status=429, metadata={"headers": headers}),
                     began=99.0)
    assert pacer.left() >= 0.5
