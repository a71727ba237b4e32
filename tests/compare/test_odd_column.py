"""One server in an odd shape: its column says so in one line, the others answer; the odd
catalogue entry still lists, in %openrouter models and in the panel."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx2
import pytest
from IPython.utils.capture import capture_output

import or_magics
from or_magics import Client, UnexpectedResponseError, compare

from .conftest import KEY

GOOD, ODD = "openai/gpt-4o-mini", "odd/server"


def chunk(model: str, delta: object, finish: str | None = None) -> bytes:
    event = {"id": f"gen-{model}", "model": model, "choices": [
        {"index": 0, "delta": delta, "finish_reason": finish}]}
    return b"data: " + json.dumps(event).encode() + b"\n\n"


def answer(request: httpx2.Request) -> httpx2.Response:
    if request.url.path.endswith("/models"):
        return httpx2.Response(200, json={"data": [
            {"id": GOOD, "context_length": 128000, "pricing": {"prompt": "0.00000015"}},
            {"id": ODD, "context_length": "lots", "pricing": {"prompt": []},
             "architecture": "text", "created": "yesterday"}]})
    if request.url.path.endswith("/providers"):
        return httpx2.Response(200, json={"data": []})
    if request.method == "GET":  # a model's providers
        return httpx2.Response(200, json={"data": {"id": "x", "endpoints": []}})
    model = json.loads(request.content)["model"]
    body = chunk(model, {"content": "Part one. "})
    body += chunk(model, "not an object" if model == ODD else {"content": "Part two."})
    body += chunk(model, {}, "stop") + b"data: [DONE]\n\n"
    return httpx2.Response(200, headers={"content-type": "text/event-stream"}, content=body)


@pytest.fixture
def odd(sim) -> Iterator[None]:
    """The session on a server whose ODD model sends a delta that is a string."""
    or_magics.session.use(Client(api_key=KEY, base_url="https://odd.example.org/v1",
                                 transport=httpx2.MockTransport(answer)))
    yield
    or_magics.session.reset()


def test_a_column_in_an_odd_shape_fails_alone_with_its_partial(odd, capsys):
    results = compare("hi", [GOOD, ODD, GOOD])
    assert [r.text for r in results] == ["Part one. Part two.", "Part one. ",
                                         "Part one. Part two."]
    assert isinstance(results[1].error, UnexpectedResponseError)
    assert results[0].error is None and results[2].error is None
    printed = capsys.readouterr().out
    assert "delta as a string" in printed and printed.count("Part two.") == 2


def test_the_magic_compare_keeps_every_column(shell, odd):
    with capture_output() as captured:
        shell.run_cell_magic("openrouter", f"--compare {GOOD} {ODD} -o rs", "hi")
    assert "delta as a string" in captured.stdout and "Traceback" not in captured.stdout
    assert [r.error is None for r in shell.user_ns["rs"]] == [True, False]


def test_an_odd_catalogue_entry_lists_in_the_table_and_the_panel(shell, odd):
    with capture_output() as captured:
        shell.run_line_magic("openrouter", "models")
    table = captured.outputs[0].data["text/plain"]
    assert GOOD in table and ODD in table and "128,000" in table
    from or_magics.explorer.panel import Panel

    panel = Panel(shell=shell)
    assert [value for _, value in panel.models.options] == sorted([GOOD, ODD])
    panel.models.value = ODD  # its details show, unknowns and all
    assert ODD in panel.details.value and "?" in panel.details.value
