"""Usage, cost and the generation records behind GET /generation, /credits and /key."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from .catalogue import Endpoint
from .compose import Plan
from .errors import SimError, insufficient_credits


@dataclass(frozen=True)
class Cost:
    prompt: Decimal
    completion: Decimal
    search: Decimal
    parsing: Decimal = Decimal(0)
    cache_discount: Decimal = Decimal(0)
    """What the prompt cache saved (negative when writing it cost more than it saved)."""

    @property
    def upstream(self) -> Decimal:
        return self.prompt + self.completion

    @property
    def total(self) -> Decimal:
        return self.prompt + self.completion + self.search + self.parsing


def cost_of(plan: Plan, endpoint: Endpoint) -> Cost:
    """Tokens x the chosen endpoint's per-token prices (free endpoints cost 0): cached prompt
    tokens at `input_cache_read`, written ones at `input_cache_write`, generated images at
    `image_output` per image when the endpoint prices them so."""
    price = endpoint.prompt_price
    read = _price(endpoint, "input_cache_read", price)
    write = _price(endpoint, plan.cache_write_price, _price(endpoint, "input_cache_write", price))
    fresh = plan.prompt_tokens - plan.cached_tokens - plan.cache_write_tokens
    prompt = fresh * price + plan.cached_tokens * read + plan.cache_write_tokens * write
    completion = plan.completion_tokens * endpoint.completion_price
    per_image = endpoint.pricing.get("image_output")
    if plan.images and per_image is not None:
        text_tokens = plan.completion_tokens - plan.image_tokens
        completion = text_tokens * endpoint.completion_price + len(plan.images) * Decimal(per_image)
    return Cost(
        prompt=prompt,
        completion=completion,
        search=plan.search_cost,
        parsing=plan.parse_cost,
        cache_discount=plan.prompt_tokens * price - prompt,
    )


def _price(endpoint: Endpoint, key: str, default: Decimal) -> Decimal:
    value = endpoint.pricing.get(key)
    return Decimal(value) if value is not None else default


@dataclass(frozen=True)
class Reservation:
    """What OpenRouter's pre-flight credit check weighs before it calls a provider."""

    requested: int
    """Completion tokens reserved: max_tokens, else the endpoint's whole max output (hence the
    spurious 402s of requests that name no max_tokens)."""
    affordable: int | None
    """Completion tokens the credits left pay for after the prompt; None when output is free."""

    @property
    def short(self) -> bool:
        return self.affordable is not None and self.affordable < self.requested

    def refusal(self) -> SimError:
        """The 402 for this request. An injected one that the credits would in fact cover
        reads as if the balance were spent ("can only afford 0")."""
        affordable = self.affordable if self.short and self.affordable is not None else 0
        return insufficient_credits(self.requested, affordable)


def reserve(
    body: Mapping[str, Any], endpoint: Endpoint, prompt_tokens: int, credits_left: Decimal
) -> Reservation:
    """The request's worst case at this endpoint's prices against the credits left."""
    asked = body.get("max_completion_tokens") or body.get("max_tokens")
    if isinstance(asked, int):
        requested = asked
    else:
        requested = endpoint.max_completion_tokens or max(
            endpoint.context_length - prompt_tokens, 1
        )
    after_prompt = credits_left - prompt_tokens * endpoint.prompt_price
    if credits_left < 0 or after_prompt < 0:  # a negative balance stops even free models
        return Reservation(requested, 0)
    if endpoint.completion_price == 0:
        return Reservation(requested, None)
    return Reservation(requested, math.floor(after_prompt / endpoint.completion_price))


def usage(plan: Plan, cost: Cost, style: str) -> dict[str, Any]:
    """The `usage` object in the shape of the chosen period."""
    out: dict[str, Any] = {
        "prompt_tokens": plan.prompt_tokens,
        "completion_tokens": plan.completion_tokens,
        "total_tokens": plan.prompt_tokens + plan.completion_tokens,
        "cost": _num(cost.total),
        "is_byok": False,
        "prompt_tokens_details": {
            "cached_tokens": plan.cached_tokens,
            "cache_write_tokens": plan.cache_write_tokens,
            "audio_tokens": 0,
            "video_tokens": 0,
        },
        "completion_tokens_details": {
            "reasoning_tokens": plan.reasoning_tokens,
            "image_tokens": plan.image_tokens,
            "audio_tokens": 0,
        },
        "cost_details": {
            "upstream_inference_cost": None if style == "2025" else _num(cost.upstream),
            "upstream_inference_prompt_cost": _num(cost.prompt),
            "upstream_inference_completions_cost": _num(cost.completion),
        },
    }
    if plan.web_searches:
        out["server_tool_use_details"] = {
            "web_search_requests": plan.web_searches,
            "tool_calls_requested": plan.web_searches,
            "tool_calls_executed": plan.web_searches,
        }
    return out


def _num(value: Decimal) -> float | int:
    return 0 if value == 0 else float(value)


class GenerationStore:
    """Generation stats by id, as GET /generation reports them; thread-safe.

    A streamed generation is added `pending` when it starts: its planned cost counts
    against the credits at once, but /generation answers 404 until the stream has ended
    (as OpenRouter's does, for a moment after an answer), then tells what was billed.

    The total spent (asked on every chat request, for the credit check) is kept as records
    are added, in the order they came, so it is the same sum as adding them all up again;
    a replaced record or a changed cost drops it until the next full count."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: dict[str, dict[str, Any]] = {}
        self._total: Decimal | None = Decimal(0)
        self._pending: set[str] = set()

    def add(self, record: dict[str, Any], *, pending: bool = False) -> None:
        with self._lock:
            if self._total is not None and record["id"] not in self._items:
                self._total += Decimal(str(record["total_cost"]))
            else:
                self._total = None
            self._items[record["id"]] = record
            if pending:
                self._pending.add(record["id"])

    def update(self, gen_id: str, **changes: Any) -> None:
        with self._lock:
            if gen_id in self._items:
                if "total_cost" in changes:
                    self._total = None
                self._items[gen_id].update(changes)

    def finish(self, gen_id: str, **changes: Any) -> None:
        """The stream ended (complete or cancelled): the record, as billed, is visible."""
        with self._lock:
            if gen_id in self._items:
                if "total_cost" in changes:
                    self._total = None
                self._items[gen_id].update(changes)
            self._pending.discard(gen_id)

    def get(self, gen_id: str) -> dict[str, Any] | None:
        with self._lock:
            item = None if gen_id in self._pending else self._items.get(gen_id)
            return dict(item) if item else None

    def spent(self, since: datetime | None = None) -> Decimal:
        """Credits used by the generations created at or after `since` (all when None)."""
        with self._lock:
            if since is None:
                if self._total is None:
                    self._total = _total(self._items.values(), None)
                return self._total
            records = list(self._items.values())
        return _total(records, since)

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)


def _total(records: Iterable[dict[str, Any]], since: datetime | None) -> Decimal:
    return sum(
        (
            Decimal(str(r["total_cost"]))
            for r in records
            if since is None or datetime.fromisoformat(r["created_at"]) >= since
        ),
        Decimal(0),
    )


def usage_windows(store: GenerationStore, now: datetime | None = None) -> dict[str, float]:
    """Credits used in total and in the current UTC day, week (from Monday) and month."""
    now = now or datetime.now(UTC)
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    starts = {
        "usage": None,
        "usage_daily": day,
        "usage_weekly": day - timedelta(days=day.weekday()),
        "usage_monthly": day.replace(day=1),
    }
    return {name: round(float(store.spent(since)), 10) for name, since in starts.items()}


def generation_record(
    *,
    gen_id: str,
    model: str,
    provider: str,
    plan: Plan,
    cost: Cost,
    streamed: bool,
    router: str | None,
    wait: float,
    token_rate: float,
    headers: dict[str, str],
    attempts: list[dict[str, Any]],
) -> dict[str, Any]:
    """The GenerationResponse `data` object for one simulated generation.

    Times are in milliseconds, as the schema says: `generation_time` is the completion at the
    configured token rate (0 when streaming as fast as possible), `latency` the total, that is
    `wait` (seconds of latency, first-byte delay and keep-alives before the first token) plus
    the generation time.
    """
    created = datetime.now(UTC).isoformat()
    generation_ms = round(plan.completion_tokens / token_rate * 1000) if token_rate > 0 else 0
    return {
        "id": gen_id,
        "upstream_id": "chatcmpl-sim" + gen_id[-20:],
        "total_cost": _num(cost.total),
        "usage": _num(cost.total),
        "cache_discount": _num(cost.cache_discount) if plan.cached_tokens else None,
        "upstream_inference_cost": None,
        "created_at": created,
        "model": model,
        "app_id": None,
        "streamed": streamed,
        "cancelled": False,
        "provider_name": provider,
        "latency": round(wait * 1000) + generation_ms,
        "moderation_latency": None,
        "generation_time": generation_ms,
        "finish_reason": plan.finish_reason,
        "native_finish_reason": plan.native_finish_reason,
        "tokens_prompt": plan.prompt_tokens,
        "tokens_completion": plan.completion_tokens,
        "native_tokens_prompt": plan.prompt_tokens,
        "native_tokens_completion": plan.completion_tokens,
        "native_tokens_completion_images": plan.image_tokens,
        "native_tokens_reasoning": plan.reasoning_tokens,
        "native_tokens_cached": plan.cached_tokens,
        "num_media_prompt": plan.media_in,
        "num_input_audio_prompt": plan.audio_in,
        "num_media_completion": len(plan.images),
        "num_search_results": sum(a.get("type") == "url_citation" for a in plan.annotations),
        "num_fetches": 0,
        "origin": headers.get("http-referer", ""),
        "is_byok": False,
        "external_user": None,
        "api_type": "completions",
        "router": router,
        "preset_id": None,
        "provider_responses": attempts or None,
        "request_id": f"req-{int(time.time())}-{gen_id[-20:]}",
        "session_id": plan.session_id,
        "service_tier": None,
        "data_region": "global",
        "http_referer": headers.get("http-referer"),
        "user_agent": headers.get("user-agent"),
        "web_search_engine": plan.search_engine if plan.web_searches else None,
        "workspace_id": None,
        "response_cache_source_id": None,
    }


#: Providers whose streams stop (and stop billing) when the client disconnects; the others
#: finish the generation and bill it in full (openrouter-wire.md §3.8, by provider slug).
CANCELLABLE = frozenset({
    "openai", "azure", "anthropic", "fireworks", "deepinfra", "together", "cohere", "xai",
    "chutes", "deepseek", "novita",
})


@dataclass
class Generated:
    """Characters of the answer handed to the connection so far (the stream counts them)."""

    content: int = 0
    reasoning: int = 0
    tools: int = 0


def cancelled(plan: Plan, endpoint: Endpoint, made: Generated) -> dict[str, Any]:
    """What a stream the client left early is billed: the tokens generated until then where
    the provider stops on a disconnect; the whole plan where it does not."""
    if endpoint.provider_slug not in CANCELLABLE:
        return {"cancelled": True}
    share = made.reasoning / len(plan.reasoning) if plan.reasoning else 0.0
    reasoning = min(plan.reasoning_tokens, round(plan.reasoning_tokens * share))
    completion = math.ceil(made.content / 4) + math.ceil(made.tools / 4) + reasoning
    partial = replace(plan, completion_tokens=completion, reasoning_tokens=reasoning,
                      images=[], image_tokens=0)
    cost = cost_of(partial, endpoint)
    return {
        "cancelled": True,
        "total_cost": _num(cost.total),
        "usage": _num(cost.total),
        "tokens_completion": completion,
        "native_tokens_completion": completion,
        "native_tokens_reasoning": reasoning,
        "native_tokens_completion_images": 0,
        "num_media_completion": 0,
        "finish_reason": None,
        "native_finish_reason": None,
    }
