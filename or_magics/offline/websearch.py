"""Web search: when a request searches, the sources it cites and what the search costs."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .answers import AnswerContext
from .catalogue import Model

WEB_TOOL_TYPES = frozenset(
    {
        "openrouter:web_search",
        "web_search",
        "web_search_preview",
        "web_search_preview_2025_03_11",
        "web_search_2025_08_26",
    }
)
SEARCH_PRICE_PER_RESULT = Decimal("0.004")
"""The web plugin's price: $4 per 1000 results."""
SITES = (
    ("example.org", "Field notes"),
    ("example.com", "Reference guide"),
    ("example.net", "Community Q&A"),
    ("docs.example.org", "Documentation"),
    ("news.example.com", "News"),
    ("blog.example.net", "Engineering blog"),
)


def wants_web(body: Mapping[str, Any], model: Model, variants: frozenset[str]) -> bool:
    """True when the request searches: `:online`, the web plugin, a web tool, a Sonar model."""
    if "online" in variants or model.searches:
        return True
    if any(
        isinstance(p, Mapping) and p.get("id") == "web" and p.get("enabled", True) is not False
        for p in body.get("plugins") or []
    ):
        return True
    return any(
        isinstance(t, Mapping) and t.get("type") in WEB_TOOL_TYPES for t in body.get("tools") or []
    )


def _max_results(body: Mapping[str, Any]) -> int:
    for plugin in body.get("plugins") or []:
        if isinstance(plugin, Mapping) and plugin.get("id") == "web":
            value = plugin.get("max_results")
            if isinstance(value, int) and value > 0:
                return min(value, 10)
    return 5


def sources(ctx: AnswerContext, body: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Deterministic (title, url) pairs standing in for search results."""
    count = min(_max_results(body), 5) if ctx.words else 3
    slug = "-".join(w.lower() for w in ctx.words[:3])
    out: list[tuple[str, str]] = []
    for i in range(max(count, 1)):
        host, kind = SITES[(ctx.seed + i) % len(SITES)]
        title = f"{kind}: {' '.join(ctx.words[:2]).title()} ({2024 + (ctx.seed + i) % 3})"
        out.append((title, f"https://{host}/{slug}/{i + 1}"))
    return out


def citation(title: str, url: str, ctx: AnswerContext) -> dict[str, Any]:
    """One `url_citation` annotation (offsets are 0, as recorded in mid-2026)."""
    return {
        "type": "url_citation",
        "url_citation": {
            "url": url,
            "title": title,
            "start_index": 0,
            "end_index": 0,
            "content": f"# {title}\n\nA simulated page about {' '.join(ctx.words[:3])}.",
        },
    }


def search_cost(model: Model, body: Mapping[str, Any]) -> Decimal:
    """Native search models bill per search; the web plugin bills $4 per 1000 results."""
    price = model.endpoints[0].pricing.get("web_search") if model.endpoints else None
    if price is not None:
        return Decimal(price)
    return SEARCH_PRICE_PER_RESULT * _max_results(body)
