"""Streamer scaling benchmark: answers with no block break, doubled in size.

    PYTHONPATH=. python tests/perf/bench_stream_scale.py [MAX_MB]

One paragraph, one fenced code block and one long list, each fed to `MarkdownStreamer` in
12-character deltas at a simulated 2,000 deltas/s (a fake clock, so the throttle decides
exactly as it would live), into a sink that only counts bytes. Printed: CPU seconds per
size and the ratio to the size half as big. Linear (amortised) cost is ~2.0x per
doubling; a quadratic one tends to 4x.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from or_magics.render import MarkdownStreamer

DELTA = 12
RATE = 2000.0  # deltas per simulated second


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class CountingSink:
    def __init__(self) -> None:
        self.bytes = 0
        self.outputs = 0

    def open(self, bundle: dict[str, str]) -> int:
        self.outputs += 1
        self.update(None, bundle)
        return self.outputs

    def update(self, handle: Any, bundle: dict[str, str]) -> None:
        self.bytes += sum(len(v) for v in bundle.values())


def shape(kind: str, size: int) -> str:
    if kind == "paragraph":
        unit = "word and more words, "
        return "Start " + unit * (size // len(unit))
    if kind == "fence":
        unit = "x = compute(x, y)  # step\n"
        return "```python\n" + unit * (size // len(unit))
    unit = "- an item of the one long list\n"
    return unit * (size // len(unit))


def run(text: str) -> tuple[float, CountingSink]:
    clock, sink = Clock(), CountingSink()
    streamer = MarkdownStreamer(sink, clock=clock)
    started = time.process_time()
    for i in range(0, len(text), DELTA):
        streamer.feed(text[i : i + DELTA])
        clock.now += 1 / RATE
    streamer.finish()
    return time.process_time() - started, sink


def main() -> None:
    top = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    sizes = [int(top * 2**20 / 2**k) for k in (2, 1, 0)]
    print(f"{'answer':<10} {'size':>9} {'CPU s':>8} {'x prev':>7} {'outputs':>8} {'sent/kept':>10}")
    for kind in ("paragraph", "fence", "list"):
        previous = None
        for size in sizes:
            seconds, sink = run(shape(kind, size))
            ratio = f"{seconds / previous:.2f}x" if previous else ""
            print(f"{kind:<10} {size / 2**20:>7.2f}MB {seconds:>8.2f} {ratio:>7} "
                  f"{sink.outputs:>8} {sink.bytes / (3 * size):>10.2f}")
            previous = seconds


if __name__ == "__main__":
    main()
