"""Stalls against the real loopback server: a first-token deadline, an overall deadline, no
retry once the server has the request, and a status line for every second of waiting."""

from __future__ import annotations

import asyncio
import time

import httpx2
import pytest

from or_magics import (
    Client,
    InvalidParameterError,
    RateLimitError,
    RequestTimeoutError,
    batch,
)

from .conftest import KEY

FOREVER = {"keepalives": 10**6, "keepalive_interval": 0.2}  # keep-alives, never a token
SLOW = {"token_rate": 40, "answer_bytes": 6000}


def requests(live) -> int:
    return live.simulator.stats.snapshot()["chat_requests"]


def timed(call):
    start = time.monotonic()
    try:
        call()
    except Exception as exc:
        return exc, time.monotonic() - start
    raise AssertionError("no error")


def test_a_server_that_accepts_and_never_answers_fails_once_not_three_times(live):
    live.simulator.inject({"first_byte_delay": 30}, times=3)
    before = requests(live)
    client = Client(api_key=KEY, base_url=live.base_url, timeout=httpx2.Timeout(10, read=1))
    error, seconds = timed(lambda: client.chat("hi"))
    assert isinstance(error, RequestTimeoutError) and error.status is None
    assert "sent nothing for 1 s" in str(error) and "not retried" in str(error)
    assert requests(live) - before == 1 and seconds < 3
    assert "\n" not in str(error)


def test_keepalives_forever_end_at_the_first_token_deadline(live, chat):
    live.simulator.inject(FOREVER, times=3)
    before = requests(live)
    error, seconds = timed(lambda: chat("hi", first_token_timeout=1))
    assert isinstance(error, RequestTimeoutError)
    assert "no token from 127.0.0.1 within first_token_timeout=1 s" in str(error)
    assert 0.9 < seconds < 2.5 and requests(live) - before == 1


def test_keepalives_then_silence_end_at_the_deadline_too(live, chat):
    live.simulator.inject({"keepalives": 2, "stall": 60, "after_chunks": 0}, times=3)
    error, seconds = timed(lambda: chat("hi", first_token_timeout=1))
    assert isinstance(error, RequestTimeoutError) and seconds < 2.5


def test_the_overall_timeout_keeps_what_came_and_is_not_retried(live, chat):
    live.simulator.inject(SLOW, times=3)
    before = requests(live)
    error, seconds = timed(lambda: chat("A long story", timeout=1))
    assert isinstance(error, RequestTimeoutError)
    assert "not complete within timeout=1 s; what came so far is kept" in str(error)
    assert 0 < len(error.partial.text) < 6000 and error.partial.error is error
    assert seconds < 2 and requests(live) - before == 1


def test_a_stall_mid_answer_ends_at_the_overall_timeout(live, chat):
    live.simulator.inject({"stall": 60, "after_chunks": 3}, times=3)
    error, seconds = timed(lambda: chat("hi", timeout=1))
    assert isinstance(error, RequestTimeoutError) and error.partial.text and seconds < 2


def test_the_client_and_a_call_set_their_own_limits(live):
    live.simulator.inject(FOREVER, times=3)
    client = Client(api_key=KEY, base_url=live.base_url, first_token_timeout=0.5)
    error, seconds = timed(lambda: client.chat("hi"))
    assert "first_token_timeout=0.5 s" in str(error) and seconds < 1.5
    live.simulator.clear_faults()
    live.simulator.inject({"keepalives": 3, "keepalive_interval": 0.3})
    assert client.chat("hi", first_token_timeout=5).text  # the call's own wins


def test_not_streamed_the_first_token_limit_does_not_cut_the_answer(live):
    live.simulator.inject({"first_byte_delay": 0.8}, times=2)
    client = Client(api_key=KEY, base_url=live.base_url)
    assert client.chat("hi", stream=False, first_token_timeout=0.3).text
    error, _ = timed(lambda: client.chat("hi", stream=False, timeout=0.3))
    assert isinstance(error, RequestTimeoutError)


def test_no_retry_starts_after_the_deadline(live, chat):
    live.simulator.inject({"status": 429, "retry_after": 5}, times=3)
    error, seconds = timed(lambda: chat("hi", timeout=2))
    assert isinstance(error, RateLimitError) and seconds < 1


def test_status_lines_say_how_long_and_why(live, client):
    live.simulator.inject({"keepalives": 4, "keepalive_interval": 0.6})
    stream = client.stream("hi")
    statuses = [text for kind, text in stream.events() if kind == "status"]
    assert statuses[:2] == ["waiting for the first token… 1 s", "waiting for the first token… 2 s"]
    assert stream.response.text
    live.simulator.inject({"status": 429, "retry_after": 1.5})
    stream = client.stream("hi")
    statuses = [text for kind, text in stream.events() if kind == "status"]
    assert statuses[:2] == ["retrying in 2 s (429 Rate limited)",
                            "retrying in 1 s (429 Rate limited)"]
    assert stream.response.text and list(client.stream("hi"))  # text only, no status


def test_every_helper_takes_the_limits(live, monkeypatch):
    import or_magics

    or_magics.session.reset()
    or_magics.session.use(Client(api_key=KEY, base_url=live.base_url))
    try:
        live.simulator.inject(FOREVER, times=2)
        results = batch(["a", "b", "c"], first_token_timeout=0.5)
        assert sum(isinstance(r, RequestTimeoutError) for r in results) == 2
        live.simulator.inject(FOREVER)
        with pytest.raises(RequestTimeoutError):
            or_magics.ask("hi", first_token_timeout=0.5)
        live.simulator.inject(FOREVER)
        with pytest.raises(RequestTimeoutError):
            asyncio.run(or_magics.aask("hi", first_token_timeout=0.5))
        live.simulator.inject(FOREVER)
        with pytest.raises(RequestTimeoutError):
            or_magics.Conversation().send("hi", first_token_timeout=0.5)
    finally:
        or_magics.session.reset()


@pytest.mark.parametrize("value", ["5", -1, 0, float("nan"), float("inf"), True])
@pytest.mark.parametrize("name", ["timeout", "first_token_timeout"])
def test_bad_limits_are_one_line_before_sending(live, client, name, value):
    before = requests(live)
    with pytest.raises(InvalidParameterError, match=name):
        client.chat("hi", **{name: value})
    assert requests(live) == before
