"""In a real kernel, the cell says what it waits for while no token has come."""

from __future__ import annotations

import json

from .iopub import DISPLAY, execute


def live_html(run) -> str:
    return "".join(m["content"]["data"].get("text/html", "") for m in run.of(*DISPLAY))


def test_the_cell_counts_the_wait_for_the_first_token(server, kc):
    server.simulator.inject({"keepalives": 4, "keepalive_interval": 0.7})
    run = execute(kc, "%%openrouter openai/gpt-4o-mini\nhi")
    assert run.reply["status"] == "ok"
    shown = live_html(run)
    assert "waiting for the first token… 1 s" in shown
    assert "waiting for the first token… 2 s" in shown
    final = json.dumps(run.final_outputs(), ensure_ascii=False)
    assert "waiting for" not in final and "simulated" in final


def test_the_cell_counts_down_to_a_retry_and_names_why(server, kc):
    server.simulator.inject({"status": 429, "retry_after": 1.5})
    run = execute(kc, "%%openrouter openai/gpt-4o-mini\nhi")
    assert run.reply["status"] == "ok"
    assert "retrying in 2 s (429 Rate limited)" in live_html(run)
    assert "retrying" not in json.dumps(run.final_outputs())


def test_a_first_token_timeout_is_one_line_after_the_count(server, kc):
    server.simulator.inject({"keepalives": 10**6, "keepalive_interval": 0.3})  # not retried
    run = execute(kc, "%%openrouter openai/gpt-4o-mini --first-token-timeout 1.5\nhi")
    assert run.reply["status"] == "error" and run.reply["ename"] == "UsageError"
    assert "first_token_timeout=1.5 s" in run.reply["evalue"]
    assert "waiting for the first token… 1 s" in live_html(run)
    after = execute(kc, "%%openrouter openai/gpt-4o-mini --first-token-timeout 20\nhi")
    assert after.reply["status"] == "ok"
