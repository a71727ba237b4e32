"""OpenRouter's own limits on `:free` models, per API key, as it answers them.

Free variants are limited to 20 requests a minute (``free-models-per-min``) and 50 a day
(1000 after buying 10 credits, ``free-models-per-day``). Off by default, so tests and demos
stay fast; ``Simulator(free_rpm=20)`` turns the minute limit on and ``free_rpd`` the day one.
``rate_window`` is the length of the simulator's "minute" in seconds (its day is 1440 of
them), so a test can see a limit reset without waiting a real minute.

Windows are fixed: one opens with a key's first free request and closes ``rate_window``
seconds later. A request over the limit is not counted and gets OpenRouter's 429: the
message, ``metadata.headers`` with ``X-RateLimit-Limit``, ``X-RateLimit-Remaining: 0`` and
``X-RateLimit-Reset`` (milliseconds since the epoch), the same three as HTTP headers, and
``Retry-After`` in whole seconds.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from .errors import SimError

__all__ = ["FreeLimits", "free_limit_error"]

MINUTES_A_DAY = 1440
PER_MINUTE = "Rate limit exceeded: free-models-per-min."
PER_DAY = ("Rate limit exceeded: free-models-per-day. Add 10 credits to unlock 1000 free "
           "model requests per day")


def free_limit_error(message: str, limit: int, reset_in: float, now: float) -> SimError:
    """The 429 OpenRouter answers when a key used up a free-model limit."""
    headers = {
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": str(int((now + reset_in) * 1000)),
    }
    return SimError(429, message, {"headers": headers}, retry_after=max(1, math.ceil(reset_in)))


class FreeLimits:
    """Requests per key in the current window (and day); thread-safe."""

    def __init__(self, clock: Callable[[], float] = time.monotonic,
                 wall: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self.wall = wall
        self._lock = threading.Lock()
        self._windows: dict[tuple[str, float], tuple[float, int]] = {}

    def clear(self) -> None:
        with self._lock:
            self._windows.clear()

    def admit(self, key: str, per_window: int | None, window: float,
              per_day: int | None) -> None:
        """Count one free request of ``key``, or raise the 429 it gets instead."""
        asked = ((per_window, window, PER_MINUTE), (per_day, window * MINUTES_A_DAY, PER_DAY))
        limits = [(n, length, text) for n, length, text in asked if n is not None]
        if not limits:
            return
        now = self.clock()
        with self._lock:
            counts = []
            for limit, length, message in limits:
                start, used = self._windows.get((key, length), (now, 0))
                if now - start >= length:
                    start, used = now, 0
                if used >= limit:
                    raise free_limit_error(message, limit, start + length - now, self.wall())
                counts.append(((key, length), (start, used + 1)))
            self._windows.update(counts)
