"""An interrupted answer in a real kernel counts what arrived (≈, never "0 → 0 tokens"),
then shows what OpenRouter billed once /generation tells it; the session's totals and the
key's spend agree."""

from __future__ import annotations

import json
import re
import threading

from .iopub import DISPLAY, execute

ESTIMATE = re.compile(r"≈ ([\d,]+) → ([\d,]+) tokens")
BILLED = re.compile(r"(?<!≈ )\b([\d,]+) → ([\d,]+) tokens")


def footers(run) -> list[str]:
    """The Markdown of every final bundle the cell sent, in order."""
    return [m["content"]["data"]["text/markdown"] for m in run.of(*DISPLAY)
            if "text/markdown" in m["content"]["data"]]


def test_an_interrupted_answer_counts_what_arrived_then_what_was_billed(server, kernel, live):
    km, kc = kernel
    sim = server.simulator
    execute(kc, "import or_magics\nor_magics.session.usage.clear()")
    spent = sim.generations.spent()
    sim.inject({"answer_bytes": 20000, "token_rate": 300})
    pressed = threading.Event()

    def on_message(msg):
        html = msg["content"].get("data", {}).get("text/html", "") \
            if msg["msg_type"] in DISPLAY else ""
        if len(html) > 1500 and not pressed.is_set():
            pressed.set()  # a few hundred characters are on screen: press ■ now
            km.interrupt_kernel()

    run = execute(kc, "%%openrouter openai/gpt-4o-mini\nTell me a long story",
                  timeout=30, on_message=on_message)
    assert run.reply["ename"] == "KeyboardInterrupt"
    shown = footers(run)
    estimated = [ESTIMATE.search(text) for text in shown if ESTIMATE.search(text)]
    assert estimated, shown[-1][-300:]  # the stop drew the count of what arrived first
    prompt, completion = (int(n.replace(",", "")) for n in estimated[0].groups())
    assert prompt > 0 and completion > 10
    final = run.final_outputs()[-1]["text/markdown"]
    assert "0 → 0 tokens" not in final and "interrupted" in final
    billed = BILLED.search(final)
    assert billed and "≈" not in final, final[-300:]  # then what was billed, in place

    check = execute(kc, "import json\nr = or_magics.session.last\n"
                        "t = or_magics.session.total_usage()\n"
                        "print(json.dumps([r.id, r.usage.estimated, r.usage.prompt_tokens, "
                        "r.usage.completion_tokens, t.cost, t.estimated, len(r.text)]))")
    gen_id, still_estimated, p, c, total_cost, total_estimated, size = json.loads(check.text)
    record = sim.generations.get(gen_id)
    assert record is not None and record["cancelled"] is True
    assert not still_estimated and not total_estimated
    assert (p, c) == (record["tokens_prompt"], record["tokens_completion"])
    assert f"{p:,} → {c:,} tokens" in final
    assert c >= size / 4 * 0.9 and size < 20000  # about what arrived, not the whole plan
    assert abs(total_cost - record["total_cost"]) < 1e-12
    assert abs(total_cost - float(sim.generations.spent() - spent)) < 1e-12  # the key's
    usage = execute(kc, "%openrouter usage")
    table = usage.final_outputs()[0]["text/plain"]
    assert "≈" not in table and f"{c:,}" in table
