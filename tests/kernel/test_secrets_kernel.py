"""A key pasted with a newline, or mistyped, in a real kernel: no output ever carries it."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from .conftest import KEY, kernel_env, loaded_kernel
from .iopub import execute

BAD = "sk-or-v1-test-" + "bad5" * 4 + " " + "bad5" * 4


@pytest.fixture(scope="module")
def pasted(server) -> Iterator[object]:
    """A kernel whose OPENROUTER_API_KEY ends in the newline a file or a paste leaves."""
    env = {**kernel_env(server.base_url), "OPENROUTER_API_KEY": KEY + "\n"}
    with loaded_kernel(env) as (_, kc):
        yield kc


def everything(run) -> str:
    return json.dumps([m["content"] for m in run.messages]) + json.dumps(run.reply)


def test_a_key_with_a_trailing_newline_answers_and_never_shows(pasted, live):
    run = execute(pasted, "%%openrouter openai/gpt-4o-mini\nhi")
    assert run.reply["status"] == "ok", run.error
    run2 = execute(pasted, "%openrouter config")
    for shown in (everything(run), everything(run2)):
        assert KEY not in shown and "Illegal header" not in shown


def test_a_key_with_a_space_inside_is_one_line_that_shows_none_of_it(pasted, live):
    execute(pasted, f"import os, or_magics\nos.environ['OPENROUTER_API_KEY'] = {BAD!r}\n"
                    "or_magics.session.reset()")
    requests = live.simulator.stats.snapshot()["chat_requests"]
    run = execute(pasted, "%%openrouter openai/gpt-4o-mini\nhi")
    assert run.reply["status"] == "error" and run.reply["ename"] == "UsageError"
    assert "OPENROUTER_API_KEY" in run.reply["evalue"] and "\n" not in run.reply["evalue"]
    shown = everything(run)
    assert "Traceback" not in "".join(run.reply.get("traceback", []))
    for part in BAD.split():
        assert part not in shown
    assert live.simulator.stats.snapshot()["chat_requests"] == requests
    execute(pasted, f"os.environ['OPENROUTER_API_KEY'] = {KEY!r}\nor_magics.session.reset()")
