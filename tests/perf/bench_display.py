"""Display benchmark: what ``%%openrouter`` sends over IOPub, in a real kernel, one run.

    python tests/perf/bench_display.py [--paces]

The simulator (loopback, this process) streams 8 KB and 64 KB answers in 16-character deltas
at 2,000 deltas/s. For each, the script prints the bytes of display traffic against the size
of what the notebook keeps (target ≤ 4×), the number of outputs (≤ 20) and display messages
per second (~10), and, as the baseline measured in the same kernel, the same answer shown
the naive way: one ``update_display`` of the whole text per delta.

Then the same at a steady pace (``--paces``, tokens/s: 64 KB at 2,000, 300 and 100, 8 KB at
30 and 10, 12-character deltas, about 9 minutes in all): bytes against kept (≤ 4x at every
pace), the busiest second's display messages (≤ 12), outputs (≤ 20), the time from the
cell's start to the answer's first text on screen, and how long the screen waits between
updates (mean and longest), since at a slow pace the tail is redrawn less often.

Then ``%%openrouter --compare`` with 3 models x 8 KB answers, against two baselines from the
same kernel: the three answers asked one after another with ``%%openrouter`` (the bytes and
time to beat), and the naive side-by-side view (the whole Markdown of all three answers sent
on every delta). The compare view's bound: ≤ 10 messages/s and ≤ 100 KB/s of HTML.
"""

from __future__ import annotations

import itertools
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from jupyter_client.manager import start_new_kernel

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from or_magics.offline import serve_in_thread
from tests.kernel.iopub import DISPLAY, execute

NAIVE = """
import or_magics
from IPython.display import display
client = or_magics.session.client()
handle = display({"text/markdown": ""}, raw=True, display_id=True)
text = ""
for delta in client.stream("Tell me about rivers", model="openai/gpt-4o-mini"):
    text += delta
    handle.update({"text/markdown": text}, raw=True)
"""

MODELS = ("openai/gpt-4o-mini", "anthropic/claude-haiku-4.5", "google/gemini-2.5-flash")
COMPARE = f"%%openrouter --compare {' '.join(MODELS)}\nTell me about rivers"
NAIVE_COMPARE = f"""
import or_magics
from IPython.display import display
models = {MODELS!r}
client = or_magics.session.client()
bodies = [client.build_request("Tell me about rivers", model=m) for m in models]
texts = ["", "", ""]
handle = display({{"text/markdown": ""}}, raw=True, display_id=True)
for i, kind, delta in client.send_all(bodies).events():
    if kind == "text":
        texts[i] += delta
        md = "\\n\\n".join(f"### {{m}}\\n\\n{{t}}" for m, t in zip(models, texts))
        handle.update({{"text/markdown": md}}, raw=True)
"""


def main() -> None:
    with serve_in_thread(port=0) as server:
        env = {**os.environ, "OPENROUTER_BASE_URL": server.base_url,
               "OPENROUTER_API_KEY": "sk-or-v1-bench-0000"}
        km, kc = start_new_kernel(kernel_name="python3", env=env)
        try:
            started = time.perf_counter()
            execute(kc, "%load_ext or_magics")
            print(f"%load_ext or_magics in a fresh kernel: "
                  f"{(time.perf_counter() - started) * 1e3:.0f} ms round trip")
            print(f"\n{'answer':>8} {'how':<10} {'IOPub bytes':>12} {'kept':>10} {'ratio':>7} "
                  f"{'outputs':>8} {'msgs':>6} {'msgs/s':>7} {'seconds':>8}")
            for size in (8192, 65536):
                knobs = {"answer_bytes": size, "chunk_chars": 16, "token_rate": 8000}
                server.simulator.inject(knobs)
                ours = execute(kc, "%%openrouter openai/gpt-4o-mini\nTell me about rivers")
                rows = [("or_magics", ours)]
                if size <= 8192:  # naive 64 KB is ~135 MB of IOPub and drops messages
                    server.simulator.inject(knobs)
                    naive = execute(kc, NAIVE)
                    if naive.reply["status"] != "ok":
                        raise SystemExit(f"naive baseline failed: {naive.reply}")
                    rows.append(("naive", naive))
                for how, run in rows:
                    seconds = run.ended - run.started
                    messages = len(run.of(*DISPLAY))
                    print(f"{size:>8} {how:<10} {run.display_bytes:>12,} {run.final_bytes:>10,} "
                          f"{run.display_bytes / run.final_bytes:>6.2f}x "
                          f"{len(run.final_outputs()):>8} {messages:>6} "
                          f"{messages / seconds:>7.1f} {seconds:>8.2f}")
            bench_paced(server, kc, PACES if "--paces" in sys.argv else QUICK_PACES)
            bench_compare(server, kc)
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)


PACES = ((2000, 65536), (300, 65536), (100, 65536), (30, 8192), (10, 8192))
QUICK_PACES = ((2000, 65536), (300, 8192))
ASK = "%%openrouter openai/gpt-4o-mini\nTell me about rivers"


def bench_paced(server: Any, kc: Any, paces: tuple[tuple[int, int], ...]) -> None:
    """Answers streamed at a steady token rate: the budgets must hold at every pace."""
    print(f"\n{'tokens/s':>8} {'answer':>7} {'IOPub bytes':>12} {'kept':>10} {'ratio':>7} "
          f"{'outputs':>8} {'max msg/s':>9} {'1st text':>9} {'gap mean':>9} {'gap max':>8}")
    for rate, size in paces:
        server.simulator.inject({"answer_bytes": size, "chunk_chars": 12, "token_rate": rate})
        arrived: list[float] = []
        run = execute(kc, ASK, on_message=lambda m, seen=arrived: seen.append(time.monotonic()))
        if run.reply["status"] != "ok":
            raise SystemExit(f"paced run failed: {run.reply}")
        at = [t for t, m in zip(arrived, run.messages, strict=True) if m["msg_type"] in DISPLAY]
        busiest = max(sum(1 for t in at if start <= t < start + 1) for start in at)
        texts = [t for t, m in zip(arrived, run.messages, strict=True)
                 if m["msg_type"] in DISPLAY and "orm-wait" not in json.dumps(m["content"])]
        gaps = [b - a for a, b in itertools.pairwise(at)]
        print(f"{rate:>8} {size:>7} {run.display_bytes:>12,} {run.final_bytes:>10,} "
              f"{run.display_bytes / run.final_bytes:>6.2f}x {len(run.final_outputs()):>8} "
              f"{busiest:>9} {texts[0] - run.started:>8.2f}s {sum(gaps) / len(gaps):>8.2f}s "
              f"{max(gaps):>7.2f}s")


def bench_compare(server: Any, kc: Any) -> None:
    """3 models x 8 KB at once: one output, bytes and messages against both baselines."""
    knobs = {"answer_bytes": 8192, "chunk_chars": 16, "token_rate": 8000}
    server.simulator.inject(knobs, times=3)
    ours = execute(kc, COMPARE)
    server.simulator.inject(knobs, times=3)
    one_by_one = [execute(kc, f"%%openrouter {m}\nTell me about rivers") for m in MODELS]
    server.simulator.inject(knobs, times=3)
    naive = execute(kc, NAIVE_COMPARE)
    for run in (ours, *one_by_one, naive):
        if run.reply["status"] != "ok":
            raise SystemExit(f"compare benchmark failed: {run.reply}")
    print(f"\n3 models x 8192 B {'IOPub bytes':>12} {'kept':>10} {'ratio':>7} {'outputs':>8} "
          f"{'msgs':>6} {'msgs/s':>7} {'KB/s':>7} {'seconds':>8}")
    rows = [("--compare", [ours]), ("3 cells", one_by_one), ("naive grid", [naive])]
    figures = {}
    for how, runs in rows:
        sent = sum(r.display_bytes for r in runs)
        kept = sum(r.final_bytes for r in runs)
        seconds = sum(r.ended - r.started for r in runs)
        messages = sum(len(r.of(*DISPLAY)) for r in runs)
        outputs = sum(len(r.final_outputs()) for r in runs)
        figures[how] = (sent, seconds)
        print(f"{how:<17} {sent:>12,} {kept:>10,} {sent / kept:>6.2f}x {outputs:>8} "
              f"{messages:>6} {messages / seconds:>7.1f} {sent / seconds / 1000:>7.1f} "
              f"{seconds:>8.2f}")
    (ours_bytes, ours_s), (seq_bytes, seq_s) = figures["--compare"], figures["3 cells"]
    naive_bytes = figures["naive grid"][0]
    live = [len(json.dumps(m["content"]).encode()) for m in ours.of(*DISPLAY)[:-1]]
    ours_s_live = ours.of(*DISPLAY)[-1]["header"]["date"] - ours.of(*DISPLAY)[0]["header"]["date"]
    print(f"--compare live updates: {len(live)} messages, {sum(live):,} B in "
          f"{ours_s_live.total_seconds():.2f} s (each waits max(0.1 s, its size / 100 KB/s)), "
          f"then one final bundle of {ours.final_bytes:,} B")
    print(f"--compare vs 3 cells: {ours_bytes / seq_bytes:.2f}x the bytes, "
          f"{ours_s / seq_s:.2f}x the time; vs naive grid: {ours_bytes / naive_bytes:.3f}x "
          "the bytes")


if __name__ == "__main__":
    main()
