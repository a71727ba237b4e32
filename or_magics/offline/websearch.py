"""Web search: when a request searches, with which settings, the sources it cites and the cost.

Three ways in, as on OpenRouter: the `openrouter:web_search` server tool (and the OpenAI
shorthands hoisted to it), the deprecated `web` plugin, and the deprecated `:online` variant;
Perplexity Sonar models always search. Results become `url_citation` annotations.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
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
"""Exa (and the other OpenRouter engines): $4 per 1000 results."""
NATIVE_SEARCH_PRICE = Decimal("0.01")
"""A provider's own search when the catalogue names no price: $10 per 1000 searches."""
NATIVE_AUTHORS = frozenset({"openai", "anthropic", "perplexity", "x-ai"})
ENGINES = frozenset({"native", "exa", "firecrawl", "parallel", "perplexity"})
CONTEXT_SENTENCES = {"low": 1, "medium": 3, "high": 6}
SITES = (
    ("example.org", "Field notes"),
    ("example.com", "Reference guide"),
    ("example.net", "Community Q&A"),
    ("docs.example.org", "Documentation"),
    ("news.example.com", "News"),
    ("blog.example.net", "Engineering blog"),
)


@dataclass(frozen=True)
class Search:
    """How this request searches."""

    via: str
    """"server_tool", "plugin", "online" or "model" (a model that always searches)."""
    engine: str
    max_results: int = 5
    context_size: str = "medium"
    allowed: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()


def settings(body: Mapping[str, Any], model: Model, variants: frozenset[str]) -> Search | None:
    """The search this request runs, or None when it does not search."""
    options = body.get("web_search_options")
    size = options.get("search_context_size") if isinstance(options, Mapping) else None
    for tool in body.get("tools") or []:
        if isinstance(tool, Mapping) and tool.get("type") in WEB_TOOL_TYPES:
            if body.get("tool_choice") == "none":
                return None
            params = tool.get("parameters")
            merged = {**tool, **(params if isinstance(params, Mapping) else {})}
            return _search("server_tool", merged, model, size)
    for plugin in body.get("plugins") or []:
        if isinstance(plugin, Mapping) and plugin.get("id") == "web":
            if plugin.get("enabled", True) is False:
                return None
            renamed = {
                **plugin,
                "allowed_domains": plugin.get("include_domains"),
                "excluded_domains": plugin.get("exclude_domains"),
            }
            return _search("plugin", renamed, model, size)
    if "online" in variants:
        return _search("online", {}, model, size)
    if model.searches:
        return _search("model", {"engine": "native"}, model, size)
    return None


def _search(via: str, spec: Mapping[str, Any], model: Model, size: Any) -> Search:
    engine = spec.get("engine")
    if engine not in ENGINES:
        engine = "native" if model.author in NATIVE_AUTHORS else "exa"
    count = spec.get("max_results")
    context = spec.get("search_context_size") or size
    return Search(
        via=via,
        engine=str(engine),
        max_results=min(count, 10) if isinstance(count, int) and count > 0 else 5,
        context_size=context if context in CONTEXT_SENTENCES else "medium",
        allowed=_domains(spec.get("allowed_domains")),
        excluded=_domains(spec.get("excluded_domains")),
    )


def _domains(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(str(d).strip().lstrip("*.").lower() for d in value if str(d).strip())


def sources(ctx: AnswerContext, search: Search) -> list[tuple[str, str]]:
    """Deterministic (title, url) pairs standing in for search results."""
    slug = "-".join(w.lower() for w in ctx.words[:3])
    sites = [s for s in SITES if not any(s[0].endswith(d) for d in search.excluded)]
    if search.allowed:
        sites = [(d, "Results from " + d) for d in search.allowed]
    sites = sites or list(SITES)
    out: list[tuple[str, str]] = []
    for i in range(search.max_results):
        host, kind = sites[(ctx.seed + i) % len(sites)]
        title = f"{kind}: {' '.join(ctx.words[:2]).title()} ({2024 + (ctx.seed + i) % 3})"
        out.append((title, f"https://{host}/{slug}/{i + 1}"))
    return out


def citation(title: str, url: str, ctx: AnswerContext, search: Search) -> dict[str, Any]:
    """One `url_citation` annotation (offsets are 0, as recorded in mid-2026); the page
    excerpt is as long as `search_context_size` asks."""
    topic = " ".join(ctx.words[:3])
    sentences = [
        f"A simulated page about {topic}.",
        f"It summarises what is known about {ctx.words[0]} and where opinions differ.",
        "Figures are given with their sources and dates.",
        "A short FAQ answers the most common questions.",
        "Related reading is linked at the end.",
        "The page was last reviewed recently.",
    ][: CONTEXT_SENTENCES[search.context_size]]
    return {
        "type": "url_citation",
        "url_citation": {
            "url": url,
            "title": title,
            "start_index": 0,
            "end_index": 0,
            "content": f"# {title}\n\n" + " ".join(sentences),
        },
    }


def search_cost(model: Model, search: Search, results: int) -> Decimal:
    """Native search bills per search (the catalogue's `web_search` price when it has one);
    the OpenRouter engines bill $4 per 1000 results."""
    if search.engine == "native":
        price = model.endpoints[0].pricing.get("web_search") if model.endpoints else None
        return Decimal(price) if price is not None else NATIVE_SEARCH_PRICE
    return SEARCH_PRICE_PER_RESULT * results
