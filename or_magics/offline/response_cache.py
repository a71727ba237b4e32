"""OpenRouter's response cache (beta): identical requests answered again, free.

Opt-in per request with ``X-OpenRouter-Cache: true`` (``false`` turns it off);
``X-OpenRouter-Cache-TTL`` sets the seconds an answer is kept (default 300, clamped to
1..86400; only leading digits count, so ``60abc`` is 60 and ``1.5`` is 1);
``X-OpenRouter-Cache-Clear: true`` drops the stored answer and asks the provider again.

Two requests are the same when they share the API key, the endpoint and the request body
(whitespace aside; key order and the streaming mode count). Only complete 200 answers are
kept; errors, rate limits and cut-off streams never are, and two identical requests in
flight at once both miss. A hit replays the stored answer with a new generation id and
``created``, all usage counters 0 and nothing billed; it skips routing, the provider and
the free-model limits. Answers carry ``X-OpenRouter-Cache-Status: HIT|MISS``,
``X-OpenRouter-Cache-TTL`` (the full TTL on a miss, what is left on a hit) and on a hit
``X-OpenRouter-Cache-Age``; /generation names the original in ``response_cache_source_id``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .compose import Plan

__all__ = ["Ask", "CachedAnswer", "ResponseCache", "free_plan"]

DEFAULT_TTL = 300
MAX_TTL = 86400
MAX_ENTRIES = 4096
_DIGITS = re.compile(r"^\s*(\d+)")


@dataclass(frozen=True)
class Ask:
    """What a request's headers ask of the cache."""

    ttl: int = DEFAULT_TTL
    clear: bool = False


@dataclass(frozen=True)
class CachedAnswer:
    """A stored answer: what it said, who said it, and when."""

    plan: Plan
    model: str
    provider: str
    gen_id: str
    stored: float
    ttl: int

    def left(self, now: float) -> float:
        return self.stored + self.ttl - now


def ask_of(headers: Mapping[str, str]) -> Ask | None:
    """The cache request in ``headers`` (lower-case names); None when caching is off."""
    if headers.get("x-openrouter-cache", "").strip().lower() != "true":
        return None
    ttl = DEFAULT_TTL
    match = _DIGITS.match(headers.get("x-openrouter-cache-ttl", ""))
    if match:
        ttl = min(max(int(match.group(1)), 1), MAX_TTL)
    clear = headers.get("x-openrouter-cache-clear", "").strip().lower() == "true"
    return Ask(ttl, clear)


def free_plan(plan: Plan) -> Plan:
    """The same answer with every billable counter at 0 (what a cache hit reports)."""
    return dataclasses.replace(plan, prompt_tokens=0, completion_tokens=0, reasoning_tokens=0,
                               image_tokens=0, cached_tokens=0, cache_write_tokens=0,
                               web_searches=0, search_cost=type(plan.search_cost)(0),
                               parse_cost=type(plan.parse_cost)(0))


class ResponseCache:
    """Stored answers by cache key, expiring after their TTL; thread-safe."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._items: OrderedDict[str, CachedAnswer] = OrderedDict()

    @staticmethod
    def key(headers: Mapping[str, str], body: Any, endpoint: str = "chat") -> str:
        """API key, endpoint and the body as sent (key order kept, whitespace not)."""
        blob = json.dumps(body, separators=(",", ":"), ensure_ascii=False, default=str)
        text = "\x1f".join((headers.get("authorization", ""), endpoint, blob))
        return hashlib.sha256(text.encode()).hexdigest()

    def get(self, key: str) -> CachedAnswer | None:
        now = self.clock()
        with self._lock:
            entry = self._items.get(key)
            if entry is not None and entry.left(now) <= 0:
                del self._items[key]
                entry = None
            return entry

    def put(self, key: str, entry: CachedAnswer) -> None:
        with self._lock:
            self._items[key] = entry
            self._items.move_to_end(key)
            while len(self._items) > MAX_ENTRIES:  # eviction under pressure, as documented
                self._items.popitem(last=False)

    def drop(self, key: str) -> None:
        with self._lock:
            self._items.pop(key, None)

    def clear(self) -> int:
        with self._lock:
            count = len(self._items)
            self._items.clear()
            return count

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
