"""How long a call may wait: a first-token deadline and an overall one, apart from the read
timeout that keep-alive comments reset.

A server that accepted the request and then went quiet, or sends ``: OPENROUTER PROCESSING``
forever, used to hold a cell for minutes, silently, and a read timeout was retried, which
can pay twice for one generation. Now ``first_token_timeout`` bounds the wait for the first
token (text, reasoning or a tool call; keep-alives do not count) and ``timeout`` the whole
answer; every call, the magic (``--timeout``, ``--first-token-timeout``) and the session
defaults take them. While waiting, the client tells how long it has waited (a "status"
event), so a cell can show it.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace
from typing import Any

from ..errors import InvalidParameterError, RequestTimeoutError
from .payload import shown

__all__ = ["DEFAULT_FIRST_TOKEN", "LIMIT_NAMES", "ChatRequest", "Deadline", "Limits",
           "check_seconds"]

#: Seconds to wait for a first token by default: long enough for a model that thinks
#: before it writes (hidden reasoning), short of "forever".
DEFAULT_FIRST_TOKEN = 300.0
#: The keyword arguments (and ``-p``/config fields) that are limits, not request fields.
LIMIT_NAMES = ("timeout", "first_token_timeout")
#: Seconds between two status lines while waiting.
STATUS_EVERY = 1.0
_UNSET: Any = object()


def check_seconds(value: Any, field: str) -> float | None:
    """A finite number of seconds > 0, or None for no limit."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or not (value > 0 and math.isfinite(value)):
        raise InvalidParameterError(field, "must be a number of seconds > 0, or None for no "
                                           f"limit; not {shown(value)}")
    return float(value)


@dataclass(frozen=True)
class Limits:
    """Seconds for the whole answer and for its first token (None: no limit)."""

    timeout: float | None = None
    first_token_timeout: float | None = DEFAULT_FIRST_TOKEN

    def taking(self, params: dict[str, Any]) -> Limits:
        """These limits with the call's own (popped from ``params``, so not sent)."""
        changes = {}
        for name in LIMIT_NAMES:
            value = params.pop(name, _UNSET)
            if value is not _UNSET:
                changes[name] = check_seconds(value, name)
        return replace(self, **changes) if changes else self


class ChatRequest(dict[str, Any]):
    """A request body (what is sent, as a dict) with the limits of its call and the extra
    headers it goes with (``X-OpenRouter-Cache``...); neither is part of the body."""

    limits: Limits | None = None
    headers: dict[str, str] | None = None

    @classmethod
    def of(cls, body: dict[str, Any], limits: Limits | None,
           headers: dict[str, str] | None = None) -> ChatRequest:
        request = cls(body)
        request.limits = limits
        request.headers = headers or None
        return request

    def like(self, body: dict[str, Any]) -> ChatRequest:
        """Another body (a tool loop's next turn) with this call's limits and headers."""
        return ChatRequest.of(body, self.limits, self.headers)


class Deadline:
    """The clock of one call, started at its first attempt; retries share it."""

    __slots__ = ("_first_at", "_overall_at", "_told_at", "limits", "started", "what")

    def __init__(self, limits: Limits, what: str = "the first token") -> None:
        self.limits = limits
        #: What is waited for: "the first token", or "the answer" when it is not streamed.
        self.what = what
        self.started: float | None = None
        self._first_at = self._overall_at = math.inf
        self._told_at = 0.0

    def start(self) -> None:
        if self.started is None:
            now = self.started = self._told_at = time.monotonic()
            first, overall = self.limits.first_token_timeout, self.limits.timeout
            self._first_at = now + first if first is not None else math.inf
            self._overall_at = now + overall if overall is not None else math.inf

    @property
    def limited(self) -> bool:
        """An overall limit applies after the first token (reads are timed then too)."""
        return self._overall_at != math.inf

    def until(self, token: bool) -> float:
        """Seconds left before the first-token (or, after it, the overall) deadline."""
        when = self._overall_at if token else min(self._first_at, self._overall_at)
        return when - time.monotonic()

    def waited(self) -> float:
        return time.monotonic() - (self.started or time.monotonic())

    def due(self) -> float:
        """Seconds until the next status line is due (one a second while waiting)."""
        return self._told_at + STATUS_EVERY - time.monotonic()

    def waiting(self) -> str:
        """The status line while no token has come (and when the next one is due)."""
        self._told_at = time.monotonic()
        return f"waiting for {self.what}… {self.waited():.0f} s"

    def allows(self, wait: float) -> bool:
        """A retry after ``wait`` seconds would still start before the deadline."""
        return wait < self.until(False)

    def expired(self, host: str, token: bool) -> RequestTimeoutError:
        """The error for the deadline that passed (no retry: the server had the request)."""
        limits = self.limits
        if not token and limits.first_token_timeout is not None and (
                limits.timeout is None or limits.first_token_timeout < limits.timeout):
            error = RequestTimeoutError(
                f"no token from {host} within first_token_timeout={limits.first_token_timeout:g}"
                " s; not retried, as the server has the request and a second try could pay "
                "twice")
        else:
            error = RequestTimeoutError(
                f"the answer was not complete within timeout={limits.timeout:g} s"
                + ("; what came so far is kept" if token else ""))
        error.status = None
        error.retry = False
        return error
