"""Batch planning: every request of a 1,000-row DataFrame batch with a schema, checked
before anything is sent (one pydantic adapter, one catalogue check per model).

    python tests/perf/bench_plan.py [--rows 1000]

Offline (in-process simulator); the catalogue is fetched before the clock starts.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from or_magics import Client


@dataclass
class Review:
    sentiment: Literal["positive", "negative", "neutral"]
    stars: Literal[1, 2, 3, 4, 5]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    os.environ.pop("OPENROUTER_API_KEY", None)
    frame = pd.DataFrame({"review": [f"Review number {i}: fine." for i in range(args.rows)]})
    with Client(offline=True) as client:
        client.models()
        times = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            run, _ = client.plan_batch(frame, "openai/gpt-4o-mini", template="Classify: {review}",
                                       schema=Review, concurrency=8, max_cost=None, cache=False,
                                       params={"max_tokens": 60})
            times.append(time.perf_counter() - started)
    print(f"planned {len(run.requests)} requests with a schema in "
          f"{statistics.median(times):.2f} s (median of {args.rounds}; "
          f"{statistics.median(times) / args.rows * 1e3:.2f} ms a row)")


if __name__ == "__main__":
    main()
