"""``%openrouter online`` with no key, in a real kernel: a cell is one UsageError line that
names the three ways out once, with no traceback, and not one request reaches the server."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

import pytest

from .conftest import loaded_kernel
from .iopub import execute

WAYS = ("OPENROUTER_API_KEY", "%openrouter key", "%openrouter offline")


@pytest.fixture(scope="module")
def keyless(server) -> Iterator[object]:
    """A kernel pointed at the loopback simulator, with no key and no stdin to ask on."""
    env = {k: v for k, v in os.environ.items() if k != "OPENROUTER_API_KEY"}
    env["OPENROUTER_BASE_URL"] = server.base_url
    # as nbclient runs a notebook: no prompt can be answered
    with loaded_kernel(env, allow_stdin=False) as (_, kc):
        yield kc


def requests(live) -> int:
    return live.simulator.stats.snapshot().get("requests", 0)


def one_line(run) -> str:
    assert run.reply["status"] == "error" and run.reply["ename"] == "UsageError", run.reply
    evalue = run.reply["evalue"]
    assert "\n" not in evalue
    for way in WAYS:
        assert evalue.count(way) == 1, evalue
    shown = "".join(m["content"].get("text", "") for m in run.of("stream"))
    shown += "".join("".join(m["content"].get("traceback", [])) for m in run.of("error"))
    assert "Traceback" not in shown and "File " not in shown and ".py" not in shown
    return evalue


def test_online_with_no_key_is_one_line_and_sends_nothing(keyless, live):
    said = execute(keyless, "%openrouter online")
    assert "no API key yet" in said.text
    before = requests(live)
    for cell in ("%%openrouter openai/gpt-4o-mini\nWhat is a prime?",
                 "%%openrouter --compare openai/gpt-4o-mini anthropic/claude-haiku-4.5\nHi",
                 "%openrouter ask What is a prime?"):
        evalue = one_line(execute(keyless, cell))
        assert "nothing was sent" in evalue and "401" not in evalue
    for cell in ("%%openrouter --dry-run\nhi",  # shows the request: needs no key to be shown
                 "%%openrouter --dry-run --compare openai/gpt-4o-mini anthropic/claude-haiku-4.5"
                 "\nhi"):
        shown = execute(keyless, cell)
        assert shown.reply["status"] == "ok", shown.error
        assert "Authorization: (no API key yet" in json.dumps([m["content"] for m in
                                                              shown.messages])
    assert requests(live) == before
    run = execute(keyless, "import or_magics\ntry:\n    or_magics.ask('hi')\n"
                           "except or_magics.AuthenticationError as e:\n"
                           "    print(type(e).__name__, e)")
    assert run.text.startswith("MissingKeyError No OpenRouter API key") and \
        run.text.count("\n") == 1
    assert requests(live) == before
    assert execute(keyless, "%openrouter offline").reply["status"] == "ok"
    answered = execute(keyless, "%%openrouter openai/gpt-4o-mini\nhi")
    assert answered.reply["status"] == "ok" and "simulated" in str(answered.final_outputs())


def test_a_401_from_a_server_says_the_ways_out_once(keyless, live):
    """Not told to go online, a server of its own may need no key (Ollama): the request goes
    without one, and the simulator's 401 is one line with the ways out named once."""
    execute(keyless, "import or_magics; or_magics.session.reset()")
    run = execute(keyless, "%%openrouter openai/gpt-4o-mini\nhi")
    evalue = one_line(run)
    assert evalue.startswith("401 Authentication failed") and "no API key was sent" in evalue
