"""Batch benchmark: or_magics against raw httpx + asyncio.gather, in one run.

    python tests/perf/bench_batch.py [--requests 400] [--concurrency 50] [--rounds 3]

The simulator runs in its own process with 100 ms of latency per request, so the ideal
wall time of N requests at concurrency C is N / C × 0.1 s. Printed, each against the ideal
and against raw ``httpx.AsyncClient`` + ``asyncio.gather`` + a semaphore measured in the
same run (the machine is shared and noisy): wall time (target ≤ 1.5× ideal and ≤ raw
httpx), client CPU per request (target ≤ 2 ms), and where the time goes (the server's own
time per request, from a run with no latency). Then 2,000 requests with 5% injected 429
and 5xx: all must complete, none lost, none duplicated, in input order. Last, a ``:free``
model under OpenRouter's limit (20 requests a minute; the simulator's minute shortened to
``--rate-window`` seconds): the 429s the batch meets with its whole-batch pacer and with
each item backing off alone, and how many items fail.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time

import httpx
from bench_client import calibrate  # tests/perf is the script's own folder

import or_magics
from or_magics import Client, OpenRouterError

KEY = "sk-or-v1-bench-0000000000000000"


def start_simulator(latency: float, *extra: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "or_magics.offline", "--port", "0", "--token-rate", "0",
         "--latency", str(latency), *extra], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    base_url = proc.stdout.readline().strip()
    if not base_url.startswith("http://127.0.0.1:"):
        proc.kill()
        raise SystemExit(f"simulator did not start: {base_url!r}")
    return proc, base_url


def body(i: int) -> dict[str, object]:
    return {"model": "openai/gpt-4o-mini", "stream": True, "max_tokens": 16,
            "messages": [{"role": "user", "content": f"Say the number {i}"}]}


async def raw_httpx(base_url: str, n: int, concurrency: int) -> float:
    gate = asyncio.Semaphore(concurrency)
    headers = {"Authorization": f"Bearer {KEY}"}
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    async with httpx.AsyncClient(limits=limits, timeout=60) as http:
        async def one(i: int) -> str:
            async with gate:
                text = []
                async with http.stream("POST", f"{base_url}/chat/completions", json=body(i),
                                       headers=headers) as response:
                    async for line in response.aiter_lines():
                        if line.startswith("data: ") and line != "data: [DONE]":
                            chunk = json.loads(line[6:])
                            for choice in chunk.get("choices") or ():
                                text.append((choice.get("delta") or {}).get("content") or "")
                return "".join(text)

        started = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(n)))
        return time.perf_counter() - started


def ours(base_url: str, n: int, concurrency: int) -> float:
    with Client(api_key=KEY, base_url=base_url) as client:
        started = time.perf_counter()
        results = client.batch([f"Say the number {i}" for i in range(n)],
                               model="openai/gpt-4o-mini", max_tokens=16,
                               concurrency=concurrency, progress=False)
        took = time.perf_counter() - started
    failed = [r for r in results if isinstance(r, OpenRouterError)]
    assert not failed, failed[:3]
    return took


def cpu(fn: object, *args: object) -> tuple[float, float]:
    """(wall, CPU) seconds of this process (both threads) for one call."""
    before_cpu, before = time.process_time(), time.perf_counter()
    if asyncio.iscoroutinefunction(fn):
        asyncio.run(fn(*args))  # type: ignore[arg-type]
    else:
        fn(*args)  # type: ignore[operator]
    return time.perf_counter() - before, time.process_time() - before_cpu


def bench_wall(n: int, concurrency: int, rounds: int) -> None:
    ideal = n / concurrency * 0.1
    proc, base_url = start_simulator(0.1)
    try:
        raw_runs, our_runs = [], []
        cpu(ours, base_url, 20, 20)  # warm both paths (imports, the catalogue)
        asyncio.run(raw_httpx(base_url, 20, 20))
        for _ in range(rounds):  # interleaved, so load on the machine hits both alike
            raw_runs.append(cpu(raw_httpx, base_url, n, concurrency))
            our_runs.append(cpu(ours, base_url, n, concurrency))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    raw_wall = statistics.median(w for w, _ in raw_runs)
    our_wall = statistics.median(w for w, _ in our_runs)
    raw_cpu = statistics.median(c for _, c in raw_runs) / n * 1e3
    our_cpu = statistics.median(c for _, c in our_runs) / n * 1e3
    scale = calibrate() / 2.53  # µs of json.loads here / on the reference machine
    print(f"{n} requests x 100 ms, concurrency {concurrency} ({rounds} rounds, medians); "
          f"ideal {ideal:.2f} s; this machine is {scale:.1f}x slower than the reference one, "
          f"so the 2 ms CPU target is {2 * scale:.1f} ms here")
    print(f"  raw httpx + gather   {raw_wall:.2f} s = {raw_wall / ideal:.2f}x ideal, "
          f"client CPU {raw_cpu:.2f} ms/request")
    print(f"  or_magics batch      {our_wall:.2f} s = {our_wall / ideal:.2f}x ideal "
          f"(target <= 1.5x), {our_wall / raw_wall:.2f}x raw httpx (target <= 1.0x), "
          f"client CPU {our_cpu:.2f} ms/request (target <= {2 * scale:.1f} ms here)")


def bench_server(n: int, concurrency: int) -> None:
    """Where the time goes: with no latency, the wall time is the client's and the
    server's work; the server's share is what its own process spends."""
    proc, base_url = start_simulator(0.0)
    try:
        import psutil  # type: ignore[import-untyped]

        server = psutil.Process(proc.pid)
        ours(base_url, 20, 20)
        before = sum(server.cpu_times()[:2])
        wall, client_cpu = cpu(ours, base_url, n, concurrency)
        server_cpu = sum(server.cpu_times()[:2]) - before
    except ImportError:
        wall, client_cpu = cpu(ours, base_url, n, concurrency)
        server_cpu = float("nan")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    print(f"  no latency: {n} requests in {wall:.2f} s; client CPU {client_cpu / n * 1e3:.2f} "
          f"ms/request, simulator CPU {server_cpu / n * 1e3:.2f} ms/request")


def bench_faults(n: int, concurrency: int) -> None:
    """5% of requests fail first with 429 or 5xx: every item still ends, once, in order."""
    proc, base_url = start_simulator(0.0)
    try:
        with httpx.Client() as admin:
            root = base_url
            faults = [{"status": 429, "retry_after": 0, "times": n // 40},
                      {"status": 502, "times": n // 40}]
            admin.post(f"{root}/_simulator/faults", json={"faults": faults}).raise_for_status()
        with Client(api_key=KEY, base_url=base_url) as client:
            prompts = [f"Echo item {i}" for i in range(n)]
            started = time.perf_counter()
            results = client.batch(prompts, model="openai/gpt-4o-mini", max_tokens=8,
                                   concurrency=concurrency, progress=False)
            took = time.perf_counter() - started
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    errors = [r for r in results if isinstance(r, OpenRouterError)]
    in_order = all(f"item {i}" in r.request["messages"][-1]["content"]
                   for i, r in enumerate(results) if not isinstance(r, OpenRouterError))
    ids = [r.id for r in results if not isinstance(r, OpenRouterError)]
    print(f"{n} requests with 5% injected 429/502 at concurrency {concurrency}: "
          f"{len(results)} results in {took:.1f} s, {len(errors)} failed, "
          f"{len(ids) - len(set(ids))} duplicated, in input order: {in_order}")
    for message in sorted({str(e) for e in errors})[:3]:  # a failed item holds its error
        print(f"  failed: {message}")


def bench_free_limit(n: int, concurrency: int, window: float) -> None:
    """A :free model at 20 requests per (shortened) minute: 429s with and without the
    batch's pacer. Each run uses its own key, so each starts with the whole limit."""
    proc, base_url = start_simulator(0.0, "--free-rpm", "20", "--rate-window", str(window))
    ideal = max(0.0, (n - 20) / 20 * window)
    print(f"{n} requests to a :free model limited to 20 per {window:g} s 'minute' "
          f"(OpenRouter: 20 a minute) at concurrency {concurrency}; ideal {ideal:.1f} s")
    try:
        with httpx.Client() as admin:
            for paced in (True, False):
                before = admin.get(f"{base_url}/_stats").json()
                with Client(api_key=f"{KEY}-{'paced' if paced else 'alone'}",
                            base_url=base_url) as client:
                    run, index = client.plan_batch(
                        [f"Echo item {i}" for i in range(n)],
                        "meta-llama/llama-3.3-70b-instruct:free", template=None, schema=None,
                        concurrency=concurrency, max_cost=None, cache=False, params={})
                    if not paced:
                        run.pacer = None
                    started = time.perf_counter()
                    results = client.run_batch(run, index, progress=False)
                    took = time.perf_counter() - started
                after = admin.get(f"{base_url}/_stats").json()
                limited = after["rate_limited"] - before["rate_limited"]
                sent = after["chat_requests"] - before["chat_requests"]
                failed = sum(isinstance(r, OpenRouterError) for r in results)
                in_order = all(f"item {i}" in r.request["messages"][-1]["content"]
                               for i, r in enumerate(results)
                               if not isinstance(r, OpenRouterError))
                how = "whole-batch pacer " if paced else "each item alone   "
                print(f"  {how} {took:5.1f} s, {sent} requests, {limited} got 429, "
                      f"{failed} items failed, {results.done} done, in input order: {in_order}")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--fault-requests", type=int, default=2000)
    parser.add_argument("--free-requests", type=int, default=200)
    parser.add_argument("--rate-window", type=float, default=2.0,
                        help="seconds in the simulator's minute for the :free limit")
    args = parser.parse_args()
    os.environ.pop("OPENROUTER_BASE_URL", None)
    print(f"python {sys.version.split()[0]}; httpx {httpx.__version__}; or_magics "
          f"{or_magics.__version__}; {os.cpu_count()} CPUs")
    bench_wall(args.requests, args.concurrency, args.rounds)
    bench_server(args.requests, args.concurrency)
    bench_faults(args.fault_requests, args.concurrency)
    bench_free_limit(args.free_requests, args.concurrency, args.rate_window)


if __name__ == "__main__":
    main()
