"""`python -m or_magics.offline --port PORT`: serve the simulator on 127.0.0.1.

The first stdout line is exactly the base URL, so scripts can read it and go.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys

from .server import SimulatorServer
from .settings import DEMO_PACE, USAGE_STYLES


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m or_magics.offline",
        description="Offline OpenRouter simulator on 127.0.0.1 (prints its base URL first).",
    )
    parser.add_argument("--port", type=int, default=8787, help="TCP port; 0 picks a free one")
    parser.add_argument(
        "--latency",
        type=float,
        default=DEMO_PACE["latency"],
        help="seconds before each answer (default: %(default)s)",
    )
    parser.add_argument(
        "--token-rate",
        type=float,
        default=DEMO_PACE["token_rate"],
        help="streamed tokens per second, 0 = as fast as possible (default: %(default)s)",
    )
    parser.add_argument("--chunk-chars", type=int, default=12, help="characters per delta")
    parser.add_argument(
        "--keepalives",
        type=int,
        default=2,
        help="': OPENROUTER PROCESSING' comments before the first data event",
    )
    parser.add_argument("--usage-style", choices=USAGE_STYLES, default="mid2026")
    parser.add_argument("--free-rpm", type=int, default=None,
                        help=":free requests per key per minute, as OpenRouter limits them "
                             "(it allows 20; default: no limit)")
    parser.add_argument("--free-rpd", type=int, default=None,
                        help=":free requests per key per day (OpenRouter: 50, or 1000 with "
                             "credits; default: no limit)")
    parser.add_argument("--rate-window", type=float, default=60.0,
                        help="seconds in the simulator's minute for those limits "
                             "(default: %(default)s)")
    return parser.parse_args(argv)


async def _serve(args: argparse.Namespace) -> None:
    server = SimulatorServer(
        port=args.port,
        latency=args.latency,
        token_rate=args.token_rate,
        chunk_chars=args.chunk_chars,
        keepalives=args.keepalives,
        usage_style=args.usage_style,
        free_rpm=args.free_rpm,
        free_rpd=args.free_rpd,
        rate_window=args.rate_window,
    )
    await server.start()
    print(server.base_url, flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await server.close()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        asyncio.run(_serve(args))
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        print(f"or_magics.offline: cannot listen on port {args.port}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
