"""What a saved answer costs beyond its own HTML: now, and before (from git), in one run.

    PYTHONPATH=. python tests/perf/bench_saved.py

For a few typical answers (display of a finished Response, and a 64 KB answer streamed
into segments), prints the text/html bytes, the answer's own rendered HTML, and the
overhead: style block, wrapper and header/footer markup (the header and footer facts
themselves are content and not counted). Target: under ~400 bytes per answer. Then the
same answers in a notebook exported with `nbconvert --to markdown`, which keeps the HTML.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import nbformat
from nbconvert import MarkdownExporter

import or_magics.render as now
from tests.perf.baseline import load
from tests.render.fakes import realistic

CODE = ("Use `sorted`:\n\n```python\ndef top(xs, n=3):\n    # largest first\n"
        "    return sorted(xs, reverse=True)[:n]\n```\n\n| n | ok |\n|---|---|\n| 3 | yes |\n")
ANSWERS = {
    "one line": "The capital of France is **Paris**.",
    "code + table": CODE,
    "8 KB answer": realistic(8192),
}
FACTS = re.compile(r'<div class="orm-meta orm-(?:head|foot)">(.*?)</div>', re.S)


class Keep:
    def __init__(self) -> None:
        self.outputs: list[dict[str, str]] = []

    def open(self, bundle: dict[str, str]) -> int:
        self.outputs.append(bundle)
        return len(self.outputs) - 1

    def update(self, handle: int, bundle: dict[str, str]) -> None:
        self.outputs[handle] = bundle


def outputs(render: ModuleType, text: str, streamed: bool) -> list[dict[str, str]]:
    info = render.AnswerInfo(model="openai/gpt-4o", provider="OpenAI", prompt_tokens=12,
                             completion_tokens=2048, cost=0.00123, latency_s=8.2)
    if not streamed:
        return [render.render_answer(text, info)]
    sink, clock = Keep(), [0.0]
    streamer = render.MarkdownStreamer(sink, info, clock=lambda: clock[0])
    for i in range(0, len(text), 16):
        streamer.feed(text[i : i + 16])
        clock[0] += 0.002
    streamer.finish(info)
    return sink.outputs


def overhead(render: ModuleType, bundles: list[dict[str, str]]) -> tuple[int, int, int]:
    """(HTML bytes, the answer's own HTML bytes, overhead) over the outputs of one answer."""
    html = sum(len(b["text/html"]) for b in bundles)
    own = sum(len(render.to_html(b["text/plain"])) for b in bundles)
    facts = sum(len(m) for b in bundles for m in FACTS.findall(b["text/html"]))
    return html, own, html - own - facts


def exported(bundles_per_answer: list[list[dict[str, str]]]) -> int:
    """Bytes of `nbconvert --to markdown` for a notebook holding these answers."""
    cells = []
    for bundles in bundles_per_answer:
        cell = nbformat.v4.new_code_cell("%%openrouter\nask")
        cell.outputs = [nbformat.v4.new_output("display_data", data=b) for b in bundles]
        cells.append(cell)
    body, _ = MarkdownExporter().from_notebook_node(nbformat.v4.new_notebook(cells=cells))
    return len(body.encode())


def main() -> None:
    before, _ = load()
    cases: list[tuple[str, str, bool]] = [(k, v, False) for k, v in ANSWERS.items()]
    cases.append(("64 KB streamed", realistic(65536), True))
    print(f"{'answer':<16} {'outputs':>7} {'html now':>9} {'own':>7} {'overhead':>9} "
          f"{'before':>8} {'ratio':>6}")
    saved: dict[str, list[Any]] = {"now": [], "before": []}
    for name, text, streamed in cases:
        new, old = outputs(now, text, streamed), outputs(before, text, streamed)
        saved["now"].append(new)
        saved["before"].append(old)
        html, own, extra = overhead(now, new)
        _, _, extra_old = overhead(before, old)
        print(f"{name:<16} {len(new):>7} {html:>9,} {own:>7,} {extra:>9,} {extra_old:>8,} "
              f"{extra / extra_old:>5.2f}x")
    md_now, md_before = exported(saved["now"]), exported(saved["before"])
    print(f"\nnbconvert --to markdown of these {len(cases)} answers: {md_now:,} B now, "
          f"{md_before:,} B before ({md_now / md_before:.2f}x)")


if __name__ == "__main__":
    main()
