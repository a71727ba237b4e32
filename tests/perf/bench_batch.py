"""The batch benchmark of issue 10: or_magics' ``batch`` against the simulator.

The simulator runs in its own process with 100 ms of latency per request, so the ideal
wall time of N requests at concurrency C is N / C x 0.1 s. Every figure is printed against
the ideal and as a ratio to baselines measured in the same run, rounds interleaved (the
machine is shared and noisy): raw ``httpx.AsyncClient`` + ``asyncio.gather`` + a semaphore
as client-baselines.md measured it (httpx's default limits), the same keeping 100 idle
connections (what a batch of 50 needs), and raw ``httpx2`` (the library or_magics is built
on). Targets: wall <= 1.5x ideal and <= raw httpx; client CPU <= 2 ms per request on the
reference machine (scaled here by a json.loads calibration). Then where the time goes (a
run with no latency: the client's and the simulator's CPU per request), and 2,000 requests
with 5% injected 429 and 5xx: all must complete, none lost, none duplicated, in order.
Last, a ``:free`` model under OpenRouter's limit (20 requests a minute; the simulator's
minute shortened to ``--rate-window`` seconds): the 429s the batch meets with its
whole-batch pacer and with each item backing off alone, and how many items fail.

It measures the or_magics of the tree it is in (not an installed one):
``python tests/perf/bench_batch.py --rounds 3``.
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
from pathlib import Path
from types import ModuleType

import httpx
import httpx2

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # this tree's or_magics, and its simulator below

from bench_client import calibrate  # noqa: E402 (tests/perf is the script's own folder)

import or_magics  # noqa: E402
from or_magics import Client, OpenRouterError  # noqa: E402

KEY = "sk-or-v1-bench-0000000000000000"


def start_simulator(latency: float, *extra: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "or_magics.offline", "--port", "0", "--token-rate", "0",
         "--latency", str(latency), *extra], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stdout is not None
    base_url = proc.stdout.readline().strip()
    if not base_url.startswith("http://127.0.0.1:"):
        proc.kill()
        raise SystemExit(f"simulator did not start: {base_url!r}")
    return proc, base_url


def body(i: int) -> dict[str, object]:
    return {"model": "openai/gpt-4o-mini", "stream": True, "max_tokens": 16,
            "messages": [{"role": "user", "content": f"Say the number {i}"}]}


async def raw_httpx(base_url: str, n: int, concurrency: int, lib: ModuleType = httpx,
                    keep: int | None = None) -> float:
    """The baseline: what a careful user writes with ``lib`` (httpx, or httpx2) alone, as
    client-baselines.md measured it (the default limits: 100 connections, 20 kept idle), or
    keeping ``keep`` idle connections."""
    gate = asyncio.Semaphore(concurrency)
    headers = {"Authorization": f"Bearer {KEY}"}
    limits = lib.Limits(max_connections=100, max_keepalive_connections=keep or 20)
    async with lib.AsyncClient(limits=limits, timeout=60) as http:
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


def server_cpu(proc: subprocess.Popen[str]) -> float:
    """CPU seconds the simulator has used so far (nan without psutil)."""
    try:
        import psutil  # type: ignore[import-untyped]
    except ImportError:
        return float("nan")
    return float(sum(psutil.Process(proc.pid).cpu_times()[:2]))


#: The baselines measured in every round beside or_magics: (library, idle connections kept).
BASELINES = {"raw httpx": ("httpx", None), "raw httpx keep100": ("httpx", 100),
             "raw httpx2": ("httpx2", None)}


def bench_wall(n: int, concurrency: int, rounds: int) -> dict[str, tuple[float, ...]]:
    """Each figure against the ideal and the same run's baselines; returns the medians
    (wall s, client CPU s, simulator CPU s) by name."""
    ideal = n / concurrency * 0.1
    proc, base_url = start_simulator(0.1)
    libs = {"httpx": httpx, "httpx2": httpx2}
    names = ["or_magics", *BASELINES]
    runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in names}

    def one(name: str, count: int, width: int) -> tuple[float, float]:
        if name == "or_magics":
            return cpu(ours, base_url, count, width)
        lib, keep = BASELINES[name]
        return cpu(raw_httpx, base_url, count, width, libs[lib], keep)

    try:
        for name in names:  # warm every path (imports, the catalogue)
            one(name, 20, 20)
        for _ in range(rounds):  # interleaved, so load on the machine hits all alike
            for name in names:
                before = server_cpu(proc)
                wall, used = one(name, n, concurrency)
                runs[name].append((wall, used, server_cpu(proc) - before))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    figures = {name: tuple(statistics.median(r[k] for r in rs) for k in range(3))
               for name, rs in runs.items()}
    raw_wall, raw_cpu = figures["raw httpx"][:2]
    base_wall, base_cpu = figures["raw httpx2"][:2]
    best = min(wall for name, (wall, *_) in figures.items() if name != "or_magics")
    scale = calibrate() / 2.53  # µs of json.loads here / on the reference machine
    print(f"{n} requests x 100 ms, concurrency {concurrency} ({rounds} rounds, medians); "
          f"ideal {ideal:.2f} s; json.loads is {scale:.1f}x slower here than on the reference "
          f"machine, so the 2 ms CPU target is {2 * scale:.1f} ms here")
    print(f"  {'':<18} {'wall':>6} {'/ideal':>7} {'/raw httpx':>10} {'client CPU':>11} "
          f"{'/raw httpx':>10} {'ref. ms':>8} {'simulator CPU':>14}")
    for name, (wall, used, served) in figures.items():
        print(f"  {name:<18} {wall:5.2f}s {wall / ideal:6.2f}x {wall / raw_wall:9.2f}x "
              f"{used / n * 1e3:8.2f} ms {used / raw_cpu:9.2f}x {used / n * 1e3 / scale:8.2f} "
              f"{served / n * 1e3:11.2f} ms")
    wall, used, served = figures["or_magics"]
    print(f"  where the time goes: of or_magics' {wall:.2f} s, its client process was on a CPU "
          f"for {used:.2f} s ({used / wall:.0%}; one event loop does the requests) and the "
          f"simulator for {served:.2f} s ({served / wall:.0%}), on {os.cpu_count()} shared "
          f"cores; the floor is the ideal {ideal:.2f} s plus the work that does not overlap "
          f"the waits")
    print(f"  targets: or_magics wall <= 1.5x ideal: {_yes(wall <= 1.5 * ideal)} "
          f"({wall / ideal:.2f}x); <= raw httpx: {_yes(wall <= raw_wall)} "
          f"({wall / raw_wall:.2f}x; {wall / best:.2f}x the best baseline); client CPU <= 2 ms "
          f"on the reference machine: {_yes(used / n * 1e3 / scale <= 2)} "
          f"({used / n * 1e3 / scale:.2f} ms)")
    print(f"  or_magics over the library it is built on (raw httpx2): wall {wall / base_wall:.2f}x,"
          f" client CPU {used / base_cpu:.2f}x")
    return figures


def _yes(ok: bool) -> str:
    return "yes" if ok else "NO"


def bench_server(n: int, concurrency: int) -> None:
    """Where the time goes: with no latency, the wall time is the client's and the
    server's work; the server's share is what its own process spends."""
    proc, base_url = start_simulator(0.0)
    try:
        ours(base_url, 20, 20)
        before = server_cpu(proc)
        wall, client_cpu = cpu(ours, base_url, n, concurrency)
        served = server_cpu(proc) - before
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    print(f"where the time goes, with no latency: {n} requests in {wall:.2f} s; client CPU "
          f"{client_cpu / n * 1e3:.2f} ms/request ({client_cpu / wall:.0%} of the wall), simulator "
          f"CPU {served / n * 1e3:.2f} ms/request ({served / wall:.0%}); the client's share of "
          f"the work: {client_cpu / (client_cpu + served):.0%}")


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
        with httpx.Client() as admin:
            stats = admin.get(f"{base_url}/_stats").json()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    errors = [r for r in results if isinstance(r, OpenRouterError)]
    in_order = all(f"item {i}" in r.request["messages"][-1]["content"]
                   for i, r in enumerate(results) if not isinstance(r, OpenRouterError))
    ids = [r.id for r in results if not isinstance(r, OpenRouterError)]
    injected = 2 * (n // 40)
    print(f"{n} requests with 5% injected 429/502 at concurrency {concurrency}: "
          f"{len(results)} results in {took:.1f} s, {len(errors)} failed, "
          f"{n - len(results)} lost, "
          f"{len(ids) - len(set(ids))} duplicated, in input order: {in_order}; the simulator "
          f"answered {stats['chat_requests']} chat requests (= {n} + {injected} injected "
          f"failures retried: {stats['chat_requests'] == n + injected})")
    ok = len(results) == n and not errors and len(ids) == len(set(ids)) == n and in_order
    print(f"  target: all complete, none lost, none duplicated, in order: {_yes(ok)}")
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
    print(f"python {sys.version.split()[0]}; httpx {httpx.__version__}; httpx2 "
          f"{httpx2.__version__}; or_magics {or_magics.__version__} "
          f"({Path(or_magics.__file__).parent}); "
          f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}")
    bench_wall(args.requests, args.concurrency, args.rounds)
    bench_server(args.requests, args.concurrency)
    bench_faults(args.fault_requests, args.concurrency)
    bench_free_limit(args.free_requests, args.concurrency, args.rate_window)


if __name__ == "__main__":
    main()
