"""SSE decoder benchmark: one huge event, split into network-sized reads, at doubling sizes.

    python tests/perf/bench_sse.py [--sizes 5,10,20,40] [--read 65536] [--rounds 3]

A decoder that rebuilds its buffer on every read is quadratic: each doubling of the event
takes four times as long. Linear means about two. Each size is printed with the baseline
measured in the same run on the same reads (``b"".join`` of the reads and one split, the
least any decoder must do), so the figures mean something on a shared, noisy machine:

- CPU seconds for the decoder and for the baseline, and their ratio;
- the doubling ratio: this size's decoder time over the previous size's (target ≤ 2.5).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from or_magics.client.sse import SSEDecoder


def reads_of(megabytes: int, size: int) -> list[bytes]:
    body = b'data: {"choices":[{"delta":{"content":"' + b"x" * (megabytes << 20) + b'"}}]}\n\n'
    return [body[i:i + size] for i in range(0, len(body), size)]


def decoder(reads: list[bytes]) -> int:
    sse = SSEDecoder()
    events = [event for read in reads for event in sse.feed(read)]
    return sum(map(len, events))


def baseline(reads: list[bytes]) -> int:
    return sum(map(len, b"".join(reads).split(b"\n\n")))


def cpu(work: Callable[[list[bytes]], int], reads: list[bytes], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        work(reads)
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="5,10,20,40", help="event sizes in MB")
    parser.add_argument("--read", type=int, default=65536, help="bytes per read")
    parser.add_argument("--rounds", type=int, default=3, help="best of this many")
    args = parser.parse_args()
    print(f"one event split into {args.read}-byte reads; CPU seconds, best of {args.rounds}")
    print(f"{'MB':>4} {'decoder':>9} {'baseline':>9} {'ratio':>7} {'doubling':>9}")
    previous: float | None = None
    for megabytes in (int(s) for s in args.sizes.split(",")):
        reads = reads_of(megabytes, args.read)
        assert decoder(reads) == len(b"".join(reads)) - 8  # "data: " and the blank line
        ours, base = cpu(decoder, reads, args.rounds), cpu(baseline, reads, args.rounds)
        doubling = f"{ours / previous:8.2f}x" if previous else f"{'':>9}"
        print(f"{megabytes:>4} {ours:9.3f} {base:9.3f} {ours / max(base, 1e-9):6.1f}x {doubling}")
        previous = ours


if __name__ == "__main__":
    main()
