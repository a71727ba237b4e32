"""Display benchmark: what ``%%openrouter`` sends over IOPub, in a real kernel, one run.

    python tests/perf/bench_display.py

The simulator (loopback, this process) streams 8 KB and 64 KB answers in 16-character deltas
at 2,000 deltas/s. For each, the script prints the bytes of display traffic against the size
of what the notebook keeps (target ≤ 4×), the number of outputs (≤ 20) and display messages
per second (~10), and, as the baseline measured in the same kernel, the same answer shown
the naive way: one ``update_display`` of the whole text per delta.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

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
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)


if __name__ == "__main__":
    main()
