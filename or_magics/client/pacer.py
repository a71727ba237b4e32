"""A batch's shared pace: a 429 slows the whole batch down, not only the item that got it.

Without it, every worker of a batch learns about a rate limit on its own: each sends, gets
a 429, waits its own Retry-After, and they all come back together into the same wall,
so most requests of a batch against a ``:free`` model (20 a minute) end as 429s. With it,
every attempt of the batch takes a turn from one `Pacer` first (`Sender.retrying` asks it
before each try), and a 429 from any of them:

* pauses every new attempt until the limit resets: the later of ``Retry-After`` (seconds)
  and OpenRouter's ``X-RateLimit-Reset`` (milliseconds since the epoch), or without
  either a growing back-off (0.5 s doubling, at most 8 s);
* halves how many may be in flight (once per wave: a 429 of a request sent before the last
  cut does not cut again); each success adds it back slowly (one more per window of
  successes, up to ``concurrency``), so a passing limit costs little;
* with ``X-RateLimit-Limit``, spaces the starts so that the limit is not met again: the
  time to the reset over the number allowed (3 s for 20 a minute), kept for the batch;
* a limit that resets only after ``MAX_PAUSE`` (60 s: a daily limit) fails the items not
  yet sent at once, with that error, instead of sending each one into it.

An item is still tried at most ``max_retries`` times more, as every call is. One event
loop (the private one) uses a Pacer; the progress bar reads `note` from its own thread (a
float and an int: no lock needed).
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections.abc import AsyncIterator, Callable

from ..errors import OpenRouterError, RateLimitError

__all__ = ["Pacer"]

#: The longest pause a batch waits out; a limit further away fails what is left.
MAX_PAUSE = 60.0
#: Starts are spaced this much wider than the limit allows, for clocks and travel time.
MARGIN = 1.05


class Pacer:
    """How fast one batch may start requests; see the module's docstring."""

    def __init__(self, concurrency: int, *, clock: Callable[[], float] = time.monotonic,
                 wall: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self.wall = wall
        self.ceiling = concurrency
        #: How many attempts may be in flight now (halved by a 429, grown by successes).
        self.window = float(concurrency)
        self.active = 0
        #: No attempt starts before this (the clock's time).
        self.paused_until = 0.0
        #: Seconds between two starts, once a limit told its size; 0: as fast as allowed.
        self.spacing = 0.0
        #: 429s the batch met.
        self.limited = 0
        #: The error that ended the batch's sending (a limit that resets too late).
        self.exhausted: OpenRouterError | None = None
        self._next = 0.0
        self._cut_at = -math.inf
        self._strikes = 0
        self._why = ""
        self._wake: asyncio.Event | None = None

    def note(self) -> str | None:
        """The status line while the batch waits for a rate limit, else None."""
        left = max(self.paused_until, self._next if self.spacing >= 1 else 0) - self.clock()
        if left <= 0:
            return None
        return f"waiting for the rate limit… {math.ceil(left)} s{self._why}"

    async def turn(self) -> AsyncIterator[str]:
        """Wait until an attempt may start (yielding `note` each second meanwhile), then
        take its place in flight: the caller must `end` it. Returns at once when the batch
        has stopped sending (``exhausted``): the caller fails the item instead."""
        told = -math.inf
        while self.exhausted is None:
            now = self.clock()
            wait = max(self.paused_until, self._next) - now
            if wait <= 0 and self.active < int(self.window):
                self.active += 1
                if self.spacing:
                    self._next = max(now, self._next) + self.spacing
                return
            note = self.note()
            if note is not None and now - told >= 1.0:
                told = now
                yield note
            if wait > 0:
                await asyncio.sleep(min(wait, 1.0))
            else:
                self._wake = self._wake or asyncio.Event()
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), 1.0)

    def began(self) -> float:
        """When an attempt that got its turn started (give it back to `limited_by`)."""
        return self.clock()

    def end(self) -> None:
        """An attempt is over (answered, failed or cancelled): its place is free."""
        self.active = max(0, self.active - 1)
        if self._wake is not None:
            self._wake.set()
            self._wake = None

    def succeeded(self) -> None:
        self._strikes = 0
        self.window = min(float(self.ceiling), self.window + 1 / self.window)

    def limited_by(self, error: OpenRouterError, began: float) -> None:
        """A 429 for an attempt started at ``began``: pause, slow down, learn the limit."""
        now = self.clock()
        self.limited += 1
        pause = self._pause(error, now)
        if pause > MAX_PAUSE:
            self.exhausted = error
            return
        self.paused_until = max(self.paused_until, now + pause)
        self._why = f" ({error.message})" if error.message else ""
        if began >= self._cut_at:  # sent after the last cut: slow down again
            self.window = max(1.0, self.window / 2)
            self._cut_at = now
        allowed = _header(error, "x-ratelimit-limit")
        if allowed is not None and allowed >= 1 and pause > 0:
            self.spacing = max(self.spacing, pause / allowed * MARGIN)

    def left(self) -> float:
        """Seconds until the batch may send again."""
        return max(0.0, self.paused_until - self.clock())

    def refusal(self) -> OpenRouterError:
        """The error of an item not sent because the limit resets too late."""
        error = self.exhausted
        assert error is not None
        message = f"not sent: {error.message or 'rate limited'} (the limit resets too late to wait)"
        return RateLimitError(message, status=429, metadata=dict(error.metadata),
                              retry_after=error.retry_after)

    def _pause(self, error: OpenRouterError, now: float) -> float:
        waits = []
        if error.retry_after is not None:
            waits.append(error.retry_after)
        reset = _header(error, "x-ratelimit-reset")
        if reset is not None:
            if reset > 1e11:  # milliseconds since the epoch, as OpenRouter sends it
                waits.append(reset / 1000 - self.wall())
            elif reset > 1e9:  # seconds since the epoch
                waits.append(reset - self.wall())
            else:  # seconds from now
                waits.append(reset)
        if waits and max(waits) > 0:
            return max(waits)
        self._strikes += 1  # no time told, or a reset already past (clocks differ): back off
        return min(8.0, 0.5 * 2.0 ** (self._strikes - 1))


def _header(error: OpenRouterError, name: str) -> float | None:
    """A rate-limit header OpenRouter repeats in ``metadata.headers`` (any case)."""
    headers = error.metadata.get("headers")
    if not isinstance(headers, dict):
        return None
    for key, value in headers.items():
        if str(key).lower() == name:
            try:
                return float(value)
            except (TypeError, ValueError):
                return None
    return None
