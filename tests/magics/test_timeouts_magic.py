"""--timeout, --first-token-timeout and their session defaults in %%openrouter."""

from __future__ import annotations

import time

import pytest
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output

import or_magics

FOREVER = {"keepalives": 10**6, "keepalive_interval": 0.2}


def failing(shell, line: str, body: str = "hi") -> tuple[str, float]:
    start = time.monotonic()
    with capture_output(), pytest.raises(UsageError) as info:
        shell.run_cell_magic("openrouter", line, body)
    message = str(info.value)
    assert "\n" not in message
    return message, time.monotonic() - start


def test_first_token_timeout_flag(shell, sim):
    sim.inject(FOREVER, times=3)
    message, seconds = failing(shell, "--first-token-timeout 0.5")
    assert "first_token_timeout=0.5 s" in message and seconds < 2
    assert sim.stats.snapshot()["chat_requests"] == 1


def test_timeout_flag_keeps_the_partial_answer(shell, sim):
    sim.inject({"token_rate": 40, "answer_bytes": 6000}, times=3)
    message, seconds = failing(shell, "--timeout 0.8 -o r", "A long story")
    assert "timeout=0.8 s" in message and seconds < 2.5
    partial = shell.user_ns["r"]
    assert partial.error is not None and 0 < len(partial.text) < 6000


def test_a_session_default_from_config_and_the_flag_over_it(shell, sim):
    shell.run_line_magic("openrouter", "config first_token_timeout=0.5")
    try:
        sim.inject(FOREVER)
        message, _ = failing(shell, "")
        assert "first_token_timeout=0.5 s" in message
        sim.inject({"keepalives": 3, "keepalive_interval": 0.3})
        with capture_output():
            shell.run_cell_magic("openrouter", "--first-token-timeout 10", "hi")
        assert or_magics.session.last.text
    finally:
        shell.run_line_magic("openrouter", "config --reset")


def test_compare_takes_the_flag_for_every_column(shell, sim):
    sim.inject(FOREVER, times=1)
    with capture_output() as captured:
        shell.run_cell_magic("openrouter", "--compare openai/gpt-4o-mini "
                             "anthropic/claude-haiku-4.5 --first-token-timeout 0.6 -o rs", "hi")
    results = shell.user_ns["rs"]
    assert sum(r.error is not None for r in results) == 1 and any(r.text for r in results)
    assert "first_token_timeout=0.6 s" in captured.stdout


@pytest.mark.parametrize("line", ["--timeout nan", "--timeout -1", "--first-token-timeout 0",
                                  "--timeout soon", "-p timeout=soon"])
def test_bad_limits_are_one_line_and_send_nothing(shell, sim, line):
    with capture_output(), pytest.raises(UsageError) as info:
        shell.run_cell_magic("openrouter", line, "hi")
    assert "\n" not in str(info.value) and "timeout" in str(info.value)
    assert sim.stats.snapshot()["chat_requests"] == 0


def test_config_refuses_a_bad_limit(shell, sim):
    with pytest.raises(UsageError, match="first_token_timeout"):
        shell.run_line_magic("openrouter", "config first_token_timeout=-3")
