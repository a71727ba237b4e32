"""`compare` against the simulator on 127.0.0.1: real sockets, real concurrency, real faults."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

import or_magics
from or_magics import BadRequestError, InvalidParameterError, ProviderError, compare
from or_magics.render.grid import PlainGrid

from .conftest import KEY

A, B = "openai/gpt-4o-mini", "anthropic/claude-haiku-4.5"
C = "mistralai/mistral-small-3.2-24b-instruct"


def stats(server) -> dict[str, int]:
    return server.simulator.stats.snapshot()


def test_answers_come_back_in_the_models_order_and_are_recorded(remote, capsys):
    results = compare("Explain recursion", [C, A, B], max_tokens=40, temperature=0.3)
    assert [r.model for r in results] == [C, A, B]
    assert all(r.done and r.text and r.error is None and r.usage.cost > 0 for r in results)
    assert all(r.request["temperature"] == 0.3 for r in results)
    assert {m: u.calls for m, u in or_magics.session.usage.items()} == {A: 1, B: 1, C: 1}
    printed = capsys.readouterr().out
    for r in results:  # outside a kernel: each answer printed whole, with its footer
        assert f"[{r.model} · {r.provider} · simulated]" in printed and r.text[:60] in printed
    assert printed.count("40 tokens") == 3


def test_three_models_take_the_time_of_one_not_three(remote):
    remote.simulator.inject({"token_rate": 60}, times=4)
    started = time.perf_counter()
    (alone,) = compare("Count slowly", [A], max_tokens=30)
    one = time.perf_counter() - started
    started = time.perf_counter()
    results = compare("Count slowly", [A, B, C], max_tokens=30)
    three = time.perf_counter() - started
    assert alone.latency > 0.4 and all(r.latency > 0.4 for r in results)
    assert three < 1.6 * one, f"3 models took {three:.2f} s, one took {one:.2f} s"
    # really at once: every answer was still streaming when the last one started
    assert max(r.started for r in results) < min(r.started + r.latency for r in results)


def test_one_failing_model_does_not_stop_the_others(remote, capsys):
    results = compare("Explain recursion", [A, "nobody/no-such-model", B], max_tokens=30)
    good, bad, other = results
    assert good.done and good.text and good.error is None
    assert other.done and other.text and other.error is None
    assert isinstance(bad.error, BadRequestError) and not bad.text
    assert "no-such-model" in str(bad.error)
    printed = capsys.readouterr().out
    assert f"⚠ {bad.error}" in printed and good.text[:60] in printed and other.text[:60] in printed
    assert or_magics.session.usage["nobody/no-such-model"].calls == 1
    assert KEY not in printed


def test_a_model_failing_mid_answer_keeps_its_partial_text(remote):
    remote.simulator.inject({"mid_stream_error": "choice", "after_chunks": 4, "code": 502,
                             "model": B}, times=3)
    first, broken, last = compare("Explain recursion", [A, B, C], max_tokens=60)
    assert isinstance(broken.error, ProviderError) and broken.error.partial is broken
    assert 0 < len(broken.text) < len(first.text)  # what came before the error stays
    assert first.error is None and last.error is None and first.done and last.done


@pytest.mark.parametrize(
    ("models", "params", "field"),
    [
        ([A, 42], {}, "model"),
        ([A, B], {"temprature": 0.2}, "temprature"),
        ([A, B], {"model": C}, "model"),
        ([], {}, "models"),
        ("", {}, "models"),
    ],
)
def test_a_bad_field_or_model_id_sends_nothing(remote, models, params, field):
    before = stats(remote)["chat_requests"]
    with pytest.raises(InvalidParameterError) as caught:
        compare("hi", models, **params)
    assert caught.value.field == field
    assert stats(remote)["chat_requests"] == before


def test_comma_separated_models_are_accepted(remote):
    assert [r.model for r in compare("hi", f"{A}, {B}", max_tokens=5)] == [A, B]


def test_ctrl_c_stops_every_column_and_keeps_the_partials(remote, capsys):
    remote.simulator.inject({"token_rate": 50, "answer_bytes": 4000}, times=3)
    aborted = stats(remote)["streams_aborted"]
    threading.Timer(0.8, os.kill, (os.getpid(), signal.SIGINT)).start()
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        compare("A long story", [A, B, C])
    assert time.monotonic() - started < 3  # at once, not after the answers
    recorded = or_magics.session.usage
    assert {m: u.calls for m, u in recorded.items()} == {A: 1, B: 1, C: 1}
    last = or_magics.session.last
    assert last.interrupted and 0 < len(last.text) < 4000
    printed = capsys.readouterr().out
    assert printed.count("interrupted") == 3 and last.text[:40] in printed
    deadline = time.monotonic() + 2
    while stats(remote)["streams_aborted"] < aborted + 3:
        assert time.monotonic() < deadline, "the server did not see every hang-up"
        time.sleep(0.02)
    assert compare("next", [A, B], max_tokens=5)[1].text  # and the next call works


def test_a_bug_is_not_swallowed_and_the_answers_are_stopped(remote, monkeypatch):
    def broken(self, index, delta):
        raise ZeroDivisionError("a bug in the view")

    monkeypatch.setattr(PlainGrid, "feed", broken)
    remote.simulator.inject({"token_rate": 50, "answer_bytes": 4000}, times=2)
    with pytest.raises(ZeroDivisionError):
        compare("A long story", [A, B])
    assert or_magics.session.last.interrupted
