"""%%openrouter --compare in a real kernel: one output, bounded IOPub, interrupts, saved table."""

from __future__ import annotations

import json
import re
import threading

import nbformat
from nbclient import NotebookClient

from ..render.safety import unsafe
from .conftest import KEY
from .iopub import DISPLAY, execute

MODELS = ("openai/gpt-4o-mini", "anthropic/claude-haiku-4.5", "google/gemini-2.5-flash")
CELL = f"%%openrouter --compare {' '.join(MODELS)} -o rs\n"


def kernel_value(kc, expression: str):
    run = execute(kc, f"import json\nprint(json.dumps({expression}))")
    assert run.reply["status"] == "ok", run.error
    return json.loads(run.text)


def test_one_output_holds_the_final_table_and_iopub_stays_bounded(server, kc):
    server.simulator.inject({"answer_bytes": 8192, "chunk_chars": 16, "token_rate": 2000},
                            times=3)
    run = execute(kc, CELL + "Tell me about rivers")
    assert run.reply["status"] == "ok", run.error
    outputs = run.final_outputs()
    assert len(outputs) == 1 and not run.of("execute_result")
    final = outputs[0]
    assert set(final) == {"text/plain", "text/markdown", "text/html"}
    assert final["text/html"].count("<table class=\"orm-grid") == 1
    texts = kernel_value(kc, "[r.text for r in rs]")
    assert [len(t.encode()) for t in texts] == [8192] * 3
    for model, text in zip(MODELS, texts, strict=True):
        assert model in final["text/html"] and f"### {model}" in final["text/markdown"]
        assert text in final["text/plain"]
        words = " ".join(re.findall(r"[A-Za-z0-9]+", final["text/markdown"]))
        # the markdown is the answer re-written safe: the same words
        assert " ".join(re.findall(r"[A-Za-z0-9]+", text)[:12]) in words
    assert final["text/html"].lower().count("simulated") >= 3
    # the throttle: ≤ 10 messages/s, and ≤ 100 KB/s of HTML once the table is past 10 KB
    messages = run.of(*DISPLAY)
    seconds = max(run.ended - run.started, 1e-3)
    assert len(messages) <= 10 * seconds + 3, f"{len(messages)} messages in {seconds:.2f} s"
    live = [len(json.dumps(m["content"]).encode()) for m in messages[:-1]]
    assert sum(live) <= 1.5 * 100_000 * seconds + max(live), f"{sum(live)} B in {seconds:.2f} s"
    assert run.display_bytes <= 6 * run.final_bytes, (run.display_bytes, run.final_bytes)
    assert KEY not in json.dumps([m["content"] for m in run.messages])


def test_interrupt_stops_every_column_at_once(server, kernel, live):
    km, kc = kernel
    for attempt in range(3):
        server.simulator.inject({"answer_bytes": 20000, "token_rate": 300}, times=3)
        shown: list[dict] = []

        def on_message(msg, shown=shown):
            if msg["msg_type"] in DISPLAY:
                shown.append(msg)
                if len(shown) == 2:  # the empty table, then the first text: press ■ soon
                    threading.Timer(0.3, km.interrupt_kernel).start()

        run = execute(kc, CELL + f"Tell me a long story, part {attempt}", timeout=30,
                      on_message=on_message)
        assert run.reply["status"] == "error" and run.reply["ename"] == "KeyboardInterrupt"
        outputs = run.final_outputs()
        assert len(outputs) == 1
        assert outputs[0]["text/plain"].count("interrupted") == 3
        assert outputs[0]["text/html"].count("interrupted") == 3
        state = kernel_value(kc, "[(r.interrupted, 0 < len(r.text) < 20000) for r in rs]")
        assert state == [[True, True]] * 3
    after = execute(kc, CELL + "A short question")
    assert after.reply["status"] == "ok"


def test_the_saved_notebook_keeps_a_readable_static_table(server, live, monkeypatch):
    monkeypatch.setenv("OPENROUTER_BASE_URL", server.base_url)
    monkeypatch.setenv("OPENROUTER_API_KEY", KEY)
    server.simulator.inject({"answer_bytes": 3000}, times=2)
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("%load_ext or_magics"),
        nbformat.v4.new_code_cell(
            "%%openrouter --compare openai/gpt-4o-mini nobody/no-such-model "
            "anthropic/claude-haiku-4.5 -o rs\nExplain recursion"),
        nbformat.v4.new_code_cell("print(json.dumps([r.text for r in rs]))"),
    ])
    notebook.cells[2].source = "import json\n" + notebook.cells[2].source
    NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    outputs = [o for o in notebook.cells[1].outputs if o.output_type == "display_data"]
    assert len(outputs) == 1
    data = outputs[0].data
    html, markdown, plain = data["text/html"], data["text/markdown"], data["text/plain"]
    texts = json.loads(notebook.cells[2].outputs[0].text)
    assert texts[0] and not texts[1] and texts[2]
    assert "<table" in html and unsafe(html, allow_style_tag=True) == []
    for model in ("openai/gpt-4o-mini", "nobody/no-such-model", "anthropic/claude-haiku-4.5"):
        assert f"### {model}" in markdown and model in html and model in plain
    assert "no-such-model is not a valid model ID" in markdown
    assert texts[0].strip() in plain and texts[2].strip() in plain  # the raw answers
    # text/markdown is the answer re-written safe (no raw HTML, no breakouts): the same
    # words and headings, not necessarily the same characters
    words = " ".join(re.findall(r"[A-Za-z0-9]+", markdown))
    for text in (texts[0], texts[2]):
        assert " ".join(re.findall(r"[A-Za-z0-9]+", text)[:12]) in words
    saved = nbformat.writes(notebook)
    assert KEY not in saved
