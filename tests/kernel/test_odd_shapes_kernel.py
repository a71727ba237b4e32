"""Odd shapes and servers that are not the API, in a real kernel: one line, the partial kept
on screen above it, and the kernel answers the next cell."""

from __future__ import annotations

import json

import pytest

from .iopub import execute

ODD = [
    {"choices": "oops"},
    {"choices": [7]},
    {"choices": [{"index": 0, "delta": "Hello"}]},
    {"choices": [{"index": 0, "delta": {"content": 5}}]},
    {"choices": [{"index": 0, "delta": {"content": {"text": "x"}}}]},
    {"choices": [{"index": 0, "delta": {"tool_calls": {"id": 1}}}]},
    {"choices": [{"index": 0, "delta": {}, "finish_reason": 3}]},
    [1, 2],
]
TOLERATED = [
    {"choices": [{"index": 0, "delta": {"content": [{"type": "text", "text": " [parts]"}]}}]},
    {"id": 5, "model": ["x"], "choices": [], "usage": [1, 2]},
]


def shown(run) -> str:
    return "".join(o.get("text/plain", "") for o in run.final_outputs())


@pytest.mark.parametrize("event", ODD, ids=lambda e: json.dumps(e)[:40])
def test_an_odd_event_is_one_line_with_the_partial_above_it(server, kc, event):
    server.simulator.inject({"event": event, "after_chunks": 3})
    run = execute(kc, "%%openrouter openai/gpt-4o-mini\nTell me about rivers")
    assert run.reply["status"] == "error" and run.reply["ename"] == "UsageError"
    evalue = run.reply["evalue"]
    assert evalue.startswith("Unexpected response — the server sent") and "\n" not in evalue
    assert len(shown(run)) > 20  # three chunks of the answer stay on screen
    assert not run.reply.get("traceback")
    assert "Traceback" not in json.dumps([m["content"] for m in run.messages])
    assert execute(kc, "%%openrouter\nhi").reply["status"] == "ok"


@pytest.mark.parametrize("event", TOLERATED, ids=["content parts", "odd descriptive fields"])
def test_shapes_that_can_be_read_are_read(server, kc, event):
    server.simulator.inject({"event": event, "after_chunks": 2})
    run = execute(kc, "%%openrouter openai/gpt-4o-mini -o r\nTell me about rivers")
    assert run.reply["status"] == "ok", run.reply
    text = execute(kc, "print(r.text)").text
    assert ("[parts]" in text) == ("parts" in json.dumps(event))


@pytest.mark.parametrize(("knobs", "words"), [
    ({"redirect": "https://openrouter.ai/api/v1/chat/completions"},
     "HTTP 307 redirect to https://openrouter.ai/api/v1/chat/completions"),
    ({"html": True}, "HTTP 200 with an HTML page, not an API response"),
])
def test_a_moved_api_or_a_login_page_is_named_and_tried_once(server, kc, knobs, words):
    server.simulator.inject(knobs, times=3)
    before = server.simulator.stats.snapshot()["chat_requests"]
    run = execute(kc, "%%openrouter openai/gpt-4o-mini\nhi")
    assert run.reply["ename"] == "UsageError" and words in run.reply["evalue"]
    assert "unknown error" not in run.reply["evalue"]
    assert server.simulator.stats.snapshot()["chat_requests"] - before == 1
    server.simulator.clear_faults()
