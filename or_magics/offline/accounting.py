"""Usage, cost and the generation records behind GET /generation, /credits and /key."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from .catalogue import Endpoint
from .compose import Plan


@dataclass(frozen=True)
class Cost:
    prompt: Decimal
    completion: Decimal
    search: Decimal

    @property
    def upstream(self) -> Decimal:
        return self.prompt + self.completion

    @property
    def total(self) -> Decimal:
        return self.prompt + self.completion + self.search


def cost_of(plan: Plan, endpoint: Endpoint) -> Cost:
    """Tokens x the chosen endpoint's per-token prices (free endpoints cost 0)."""
    return Cost(
        prompt=plan.prompt_tokens * endpoint.prompt_price,
        completion=plan.completion_tokens * endpoint.completion_price,
        search=plan.search_cost,
    )


def usage(plan: Plan, cost: Cost, style: str) -> dict[str, Any]:
    """The `usage` object in the shape of the chosen period."""
    out: dict[str, Any] = {
        "prompt_tokens": plan.prompt_tokens,
        "completion_tokens": plan.completion_tokens,
        "total_tokens": plan.prompt_tokens + plan.completion_tokens,
        "cost": _num(cost.total),
        "is_byok": False,
        "prompt_tokens_details": {
            "cached_tokens": 0,
            "cache_write_tokens": 0,
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
    """Generation stats by id, as GET /generation reports them; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: dict[str, dict[str, Any]] = {}

    def add(self, record: dict[str, Any]) -> None:
        with self._lock:
            self._items[record["id"]] = record

    def update(self, gen_id: str, **changes: Any) -> None:
        with self._lock:
            if gen_id in self._items:
                self._items[gen_id].update(changes)

    def get(self, gen_id: str) -> dict[str, Any] | None:
        with self._lock:
            item = self._items.get(gen_id)
            return dict(item) if item else None

    def total_cost(self) -> float:
        with self._lock:
            return float(sum(Decimal(str(r["total_cost"])) for r in self._items.values()))

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)


def generation_record(
    *,
    gen_id: str,
    model: str,
    provider: str,
    plan: Plan,
    cost: Cost,
    streamed: bool,
    router: str | None,
    latency_ms: float,
    headers: dict[str, str],
    attempts: list[dict[str, Any]],
) -> dict[str, Any]:
    """The GenerationResponse `data` object for one simulated generation."""
    created = datetime.now(timezone.utc).isoformat()
    tokens_per_second = 150.0
    generation_ms = round(plan.completion_tokens / tokens_per_second * 1000)
    return {
        "id": gen_id,
        "upstream_id": "chatcmpl-sim" + gen_id[-20:],
        "total_cost": _num(cost.total),
        "usage": _num(cost.total),
        "cache_discount": None,
        "upstream_inference_cost": None,
        "created_at": created,
        "model": model,
        "app_id": None,
        "streamed": streamed,
        "cancelled": False,
        "provider_name": provider,
        "latency": round(latency_ms),
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
        "native_tokens_cached": 0,
        "num_media_prompt": plan.media_in,
        "num_input_audio_prompt": 0,
        "num_media_completion": len(plan.images),
        "num_search_results": len(plan.annotations),
        "num_fetches": 0,
        "origin": headers.get("http-referer", ""),
        "is_byok": False,
        "external_user": None,
        "api_type": "completions",
        "router": router,
        "preset_id": None,
        "provider_responses": attempts or None,
        "request_id": f"req-{int(time.time())}-{gen_id[-20:]}",
        "session_id": None,
        "service_tier": None,
        "data_region": "global",
        "http_referer": headers.get("http-referer"),
        "user_agent": headers.get("user-agent"),
        "web_search_engine": "exa" if plan.web_searches else None,
        "workspace_id": None,
        "response_cache_source_id": None,
    }
