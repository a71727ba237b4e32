"""Panel benchmark: how fast the model panel opens and answers a keystroke, one run.

    python tests/perf/bench_panel.py [--models 400] [--rounds 30]

Real OpenRouter lists ~400 models; the simulator's catalogue is cloned up to that size. No
frontend is attached, so this is the kernel's share of the work (the frontend then draws).

- open: `Panel()` on a warm catalogue (with the first model's providers), next to building
  a bare `Select` of the same labels (the part no panel can avoid); target: well under the
  ~100 ms a click feels instant within;
- keystroke in the search box: filter, sort and resend the list, against assigning the same
  options to a bare `Select` (target ≤ 3×: the filtering must not dominate).
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import time
from collections.abc import Callable

import ipywidgets as w

from or_magics import Client
from or_magics.explorer.panel import Panel, _label


def best(fn: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()

    client = Client(offline=True)
    base = client.models()
    catalogue = [dataclasses.replace(m, id=f"{m.id}-v{i}" if i else m.id)
                 for i in range(-(-args.models // len(base))) for m in base][: args.models]
    client.models = lambda *a, **k: list(catalogue)  # type: ignore[method-assign]
    labels = [(_label(m), m.id) for m in catalogue]

    def bare_open() -> None:
        w.VBox([w.Select(options=labels, rows=14)])

    open_s = best(lambda: Panel(client), max(3, args.rounds // 5))
    bare_open_s = best(bare_open, max(3, args.rounds // 5))

    panel = Panel(client)
    words = iter(["gpt", "claude", "llama", "mini", "free", "a"] * args.rounds)
    keystroke_s = best(lambda: setattr(panel.search, "value", next(words)), args.rounds)
    subset = [(_label(m), m.id) for m in panel.filtered()]
    select = w.Select(options=[], rows=14)
    options = iter([labels, subset] * args.rounds)
    bare_keystroke_s = best(lambda: setattr(select, "options", next(options)), args.rounds)

    print(f"catalogue: {len(catalogue)} models")
    print(f"open panel      {open_s * 1000:7.1f} ms   bare select+box {bare_open_s * 1000:6.1f} ms"
          f"   ratio {open_s / bare_open_s:5.1f}×")
    print(f"search keystroke {keystroke_s * 1000:6.1f} ms   bare options    "
          f"{bare_keystroke_s * 1000:6.1f} ms   ratio {keystroke_s / bare_keystroke_s:5.1f}×"
          "  (target ≤ 3×)")


if __name__ == "__main__":
    main()
