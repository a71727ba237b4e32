"""Prompt caching: a repeated long prompt prefix is read from the provider's cache.

Two kinds, as on OpenRouter. Implicit (OpenAI, Gemini, Grok: endpoints priced with
`input_cache_read` only): any prefix of at least 1024 tokens that the same session sent within
the last five minutes is cached, reported in 128-token steps. Explicit (Anthropic: endpoints
that also price `input_cache_write`): only prefixes ending at a `cache_control` breakpoint (on
a content part or a tool, or the whole prompt with top-level `cache_control`) are cached; the
first request writes them (`cache_write_tokens`, priced at `input_cache_write`, or
`input_cache_write_1h` for `ttl: "1h"`), later ones read them (`cached_tokens`, priced at
`input_cache_read`).

A session is the request's `session_id`, else its `x-session-id` header, else its API key;
caches are per model and provider, like the real ones.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .catalogue import Endpoint, Model
from .media import attachment
from .text import estimate_tokens

if TYPE_CHECKING:
    from .compose import Plan

MIN_TOKENS = 1024
IMPLICIT_STEP = 128
TTL_SECONDS = {"5m": 300.0, "1h": 3600.0}
MAX_SCOPES = 1024
MAX_PROMPTS = 32


@dataclass(frozen=True)
class Segment:
    """One piece of the prompt in cache order, its token weight, and whether a breakpoint
    follows it."""

    text: str
    tokens: int
    breakpoint: str | None = None
    """The breakpoint's TTL ("5m", "1h"), or None."""


def segments(body: Mapping[str, Any]) -> list[Segment]:
    """The prompt as the cache sees it: tools, then each message's parts, in order."""
    out: list[Segment] = []
    for tool in body.get("tools") or []:
        blob = json.dumps(tool, sort_keys=True, default=str)
        out.append(Segment(blob, estimate_tokens(blob), _ttl(tool)))
    for msg in body.get("messages") or []:
        out.append(Segment(f"\x1e{msg.get('role')}\x1f", 4))
        content = msg.get("content")
        parts = content if isinstance(content, list) else [{"type": "text", "text": content}]
        for part in parts:
            if not isinstance(part, Mapping):
                continue
            if part.get("type") == "text":
                text = str(part.get("text") or "")
                out.append(Segment(text, estimate_tokens(text), _ttl(part)))
            else:
                blob = json.dumps(part, sort_keys=True, default=str)
                item = attachment(part)
                weight = item.tokens if item is not None else estimate_tokens(blob)
                digest = hashlib.sha256(blob.encode()).hexdigest()
                out.append(Segment(digest, weight, _ttl(part)))
        if msg.get("tool_calls"):
            blob = json.dumps(msg["tool_calls"], sort_keys=True, default=str)
            out.append(Segment(blob, estimate_tokens(blob)))
    top = body.get("cache_control")
    if isinstance(top, Mapping) and out:
        last = out[-1]
        out[-1] = Segment(last.text, last.tokens, str(top.get("ttl") or "5m"))
    return out


def _ttl(item: Mapping[str, Any]) -> str | None:
    control = item.get("cache_control") or item.get("prompt_cache_breakpoint")
    if not isinstance(control, Mapping):
        return "5m" if control is True else None
    ttl = control.get("ttl")
    return ttl if ttl in TTL_SECONDS else "5m"


def _common_tokens(a: list[Segment], b: tuple[Segment, ...]) -> int:
    """Tokens of the longest common prefix; within the first differing text, by characters."""
    total = 0
    for left, right in zip(a, b, strict=False):
        if left.text == right.text:
            total += left.tokens
            continue
        if len(left.text) > 64 and len(right.text) > 64:  # long texts share a partial prefix
            same = 0
            for x, y in zip(left.text, right.text, strict=False):
                if x != y:
                    break
                same += 1
            total += same // 4
        break
    return total


class PromptCache:
    """What each session's prompts left in each provider's cache; thread-safe."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._implicit: OrderedDict[tuple[str, ...], list[tuple[float, tuple[Segment, ...]]]]
        self._implicit = OrderedDict()
        self._explicit: OrderedDict[tuple[str, ...], dict[str, float]] = OrderedDict()

    def clear(self) -> None:
        with self._lock:
            self._implicit.clear()
            self._explicit.clear()

    def apply(
        self,
        plan: Plan,
        body: Mapping[str, Any],
        headers: Mapping[str, str],
        model: Model,
        endpoint: Endpoint,
    ) -> None:
        """Fill in the plan's cached and written tokens, and remember this prompt."""
        session = body.get("session_id") or headers.get("x-session-id")
        plan.session_id = str(session) if session else None
        if "input_cache_read" not in endpoint.pricing:
            return
        owner = plan.session_id or _key_of(headers)
        scope = (owner, model.id, endpoint.provider_slug)
        parts = segments(body)
        scale = plan.prompt_tokens / max(1, sum(s.tokens for s in parts))
        with self._lock:
            if "input_cache_write" in endpoint.pricing:
                minimum = 2 * MIN_TOKENS if "haiku" in model.id else MIN_TOKENS
                self._explicit_cache(plan, scope, parts, scale, minimum)
            else:
                self._implicit_cache(plan, scope, parts, scale)

    def _implicit_cache(
        self, plan: Plan, scope: tuple[str, ...], parts: list[Segment], scale: float
    ) -> None:
        now = self.clock()
        seen = [(t, p) for t, p in self._implicit.get(scope, []) if now - t < TTL_SECONDS["5m"]]
        cached = 0
        if plan.prompt_tokens >= MIN_TOKENS:  # a shorter prompt is never cached: no compare
            common = max((_common_tokens(parts, p) for _, p in seen), default=0)
            cached = min(int(common * scale), plan.prompt_tokens)
        if cached >= MIN_TOKENS:
            plan.cached_tokens = MIN_TOKENS + (cached - MIN_TOKENS) // IMPLICIT_STEP * IMPLICIT_STEP
        seen.append((now, tuple(parts)))
        self._implicit[scope] = seen[-MAX_PROMPTS:]
        self._implicit.move_to_end(scope)
        while len(self._implicit) > MAX_SCOPES:
            self._implicit.popitem(last=False)

    def _explicit_cache(
        self,
        plan: Plan,
        scope: tuple[str, ...],
        parts: list[Segment],
        scale: float,
        minimum: int,
    ) -> None:
        now = self.clock()
        stored = {h: exp for h, exp in self._explicit.get(scope, {}).items() if exp > now}
        digest = hashlib.sha256()
        tokens = 0
        hit, written, write_ttl = 0, 0, "5m"
        for seg in parts:
            digest.update(seg.text.encode() + b"\x00")
            tokens += seg.tokens
            if seg.breakpoint is None:
                continue
            at = min(int(tokens * scale), plan.prompt_tokens)
            if at < minimum:
                continue
            key = digest.hexdigest()
            ttl = TTL_SECONDS[seg.breakpoint]
            if key in stored:
                hit = at
            else:
                written, write_ttl = at, seg.breakpoint
            stored[key] = max(stored.get(key, 0.0), now + ttl)
        plan.cached_tokens = hit
        plan.cache_write_tokens = max(0, written - hit)
        if write_ttl == "1h":
            plan.cache_write_price = "input_cache_write_1h"
        self._explicit[scope] = stored
        self._explicit.move_to_end(scope)
        while len(self._explicit) > MAX_SCOPES:
            self._explicit.popitem(last=False)


def _key_of(headers: Mapping[str, str]) -> str:
    auth = headers.get("authorization", "")
    return "key:" + hashlib.sha256(auth.encode()).hexdigest()[:16] if auth else "anonymous"
