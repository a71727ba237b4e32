"""What the display needs to know about an answer besides its text.

Plain data, filled by the magic from the request and the growing Response. The renderer
never imports the client; `as_citation` and `as_tool_call` accept the client's objects,
dicts in OpenRouter's wire shape, or tuples, so neither side depends on the other.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(slots=True)
class AnswerInfo:
    """Header and footer facts; any field may be unknown (None) until the answer ends."""

    model: str | None = None
    provider: str | None = None
    simulated: bool = False
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    reasoning_tokens: int | None = None
    #: Prompt tokens read from the provider's cache, and written to it.
    cached_tokens: int | None = None
    cache_write_tokens: int | None = None
    #: USD the prompt cache saved (negative while writing it cost more than it saved).
    cache_saving: float | None = None
    cost: float | None = None  # USD
    latency_s: float | None = None
    ttft_s: float | None = None
    tokens_per_s: float | None = None
    finish_reason: str | None = None
    interrupted: bool = False
    error: str | None = None
    #: Answered from the on-disk cache: nothing was sent or spent.
    cached: bool = False
    #: Answered from OpenRouter's response cache: nothing generated, nothing billed.
    server_cached: bool = False
    #: The token counts are estimated from what arrived (shown with ≈), not billed ones.
    estimated: bool = False

    @classmethod
    def from_response(cls, response: Any, **overrides: Any) -> AnswerInfo:
        """Read what is known from a Response-like object (duck-typed: `model`, `provider`,
        `finish_reason`, `simulated`, `latency`, `ttft`, `tokens_per_second`, `interrupted`,
        `usage.prompt_tokens|completion_tokens|reasoning_tokens|cached_tokens|
        cache_write_tokens|cost`); `overrides` (e.g. `model`, `error`, `cache_saving`) win
        over it.
        """
        usage = getattr(response, "usage", None)
        found: dict[str, Any] = {
            "model": getattr(response, "model", None),
            "provider": getattr(response, "provider", None),
            "simulated": bool(getattr(response, "simulated", False)),
            "finish_reason": getattr(response, "finish_reason", None),
            "prompt_tokens": getattr(usage, "prompt_tokens", None),
            "completion_tokens": getattr(usage, "completion_tokens", None),
            "reasoning_tokens": getattr(usage, "reasoning_tokens", None),
            "cached_tokens": getattr(usage, "cached_tokens", None),
            "cache_write_tokens": getattr(usage, "cache_write_tokens", None),
            "cost": getattr(usage, "cost", None),
            "latency_s": getattr(response, "latency", None),
            "ttft_s": getattr(response, "ttft", None),
            "tokens_per_s": getattr(response, "tokens_per_second", None),
            "interrupted": bool(getattr(response, "interrupted", False)),
            "cached": bool(getattr(response, "cached", False)),
            "server_cached": getattr(response, "server_cache", None) == "HIT",
            "estimated": bool(getattr(usage, "estimated", False)),
        }
        if not getattr(usage, "total_tokens", 1) and not found["estimated"]:
            found["prompt_tokens"] = found["completion_tokens"] = None  # none told: no "0 → 0"
        found.update(overrides)
        return cls(**found)


@dataclass(frozen=True, slots=True)
class Citation:
    """A source the answer cites (OpenRouter `url_citation` annotations)."""

    url: str
    title: str | None = None


@dataclass(frozen=True, slots=True)
class ToolCallView:
    """A tool call to show: its name and arguments (a dict, or the raw JSON string), and
    once the kernel ran it (a tool loop's step), what went back and how long it took."""

    name: str
    arguments: Any = None
    #: What the model was sent back (the result as text, or "Error: …"); None: not run.
    result: str | None = None
    error: str | None = None
    seconds: float | None = None

    @property
    def ran(self) -> bool:
        return self.result is not None or self.error is not None

    def arguments_json(self, *, indent: int | None = None) -> str:
        """Arguments as JSON text; a string that is not valid JSON is shown as it came."""
        args = self.arguments
        if isinstance(args, str):
            if not args.strip():
                return "{}"
            try:
                args = json.loads(args)
            except ValueError:
                return str(self.arguments)
        if args is None:
            return "{}"
        return json.dumps(args, ensure_ascii=False, indent=indent, default=str)


def _get(obj: Any, key: str) -> Any:
    return obj.get(key) if isinstance(obj, Mapping) else getattr(obj, key, None)


def as_citation(obj: Any) -> Citation | None:
    """Coerce a citation-like object (attributes, wire dict, or (url, title)) or return None."""
    if isinstance(obj, Citation):
        return obj
    if isinstance(obj, tuple) and obj:
        return Citation(str(obj[0]), str(obj[1]) if len(obj) > 1 and obj[1] else None)
    inner = _get(obj, "url_citation")
    if inner is not None:
        obj = inner
    url = _get(obj, "url")
    if not url:
        return None
    title = _get(obj, "title")
    return Citation(str(url), str(title) if title else None)


def as_tool_call(obj: Any) -> ToolCallView | None:
    """Coerce a tool-call-like object (attributes or the wire `{function: {…}}` dict)."""
    if isinstance(obj, ToolCallView):
        return obj
    function = _get(obj, "function")
    source = function if function is not None else obj
    name = _get(source, "name")
    if not name:
        return None
    result, error, seconds = _get(obj, "content"), _get(obj, "error"), _get(obj, "seconds")
    return ToolCallView(str(name), _get(source, "arguments"),
                        result=str(result) if result is not None else None,
                        error=str(error) if error is not None else None,
                        seconds=float(seconds) if isinstance(seconds, (int, float)) else None)


def citations_of(items: Iterable[Any] | None) -> list[Citation]:
    """Coerce and de-duplicate citations by URL, keeping first-seen order."""
    seen: set[str] = set()
    out: list[Citation] = []
    for item in items or ():
        cite = as_citation(item)
        if cite is not None and cite.url not in seen:
            seen.add(cite.url)
            out.append(cite)
    return out


def tool_calls_of(items: Iterable[Any] | None) -> list[ToolCallView]:
    return [call for item in items or () if (call := as_tool_call(item)) is not None]
