"""The model catalogue: `/models` entries as small objects, and search over them.

Prices on the wire are decimal strings in USD per token; people think in USD per million
tokens, so that is what `Model` shows.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "MODEL_SORTS", "Model", "format_context", "format_price", "per_million", "search_models",
    "sort_models",
]


def per_million(value: Any) -> float | None:
    try:
        price = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    if isinstance(value, bool) or not math.isfinite(price):
        return None
    return price * 1_000_000 if price >= 0 else None  # "-1" means variable (openrouter/auto)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _count(value: Any) -> int | None:
    """A whole number ≥ 0 (also written as "128000"); anything else is unknown."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 \
        else None


def _words(value: Any) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


@dataclass(frozen=True)
class Model:
    id: str
    name: str = ""
    description: str = ""
    context_length: int | None = None
    #: USD per million prompt / completion tokens (None when unknown or variable).
    prompt_price: float | None = None
    completion_price: float | None = None
    input_modalities: tuple[str, ...] = ("text",)
    output_modalities: tuple[str, ...] = ("text",)
    supported_parameters: tuple[str, ...] = ()
    created: int | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False, hash=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Model:
        """One ``/models`` entry; a field in an odd shape (``context_length: "lots"``) is
        left unknown rather than breaking the table or the panel for every model."""
        arch = _dict(data.get("architecture"))
        pricing = _dict(data.get("pricing"))
        model_id = _text(data.get("id"))
        return cls(
            id=model_id,
            name=_text(data.get("name")) or model_id,
            description=_text(data.get("description")),
            context_length=_count(data.get("context_length")),
            prompt_price=per_million(pricing.get("prompt")),
            completion_price=per_million(pricing.get("completion")),
            input_modalities=_words(arch.get("input_modalities")) or ("text",),
            output_modalities=_words(arch.get("output_modalities")) or ("text",),
            supported_parameters=_words(data.get("supported_parameters")),
            created=_count(data.get("created")),
            raw=data,
        )

    @property
    def author(self) -> str:
        return self.id.split("/", 1)[0]

    @property
    def is_free(self) -> bool:
        return self.id.endswith(":free") or (
            self.prompt_price == 0 and self.completion_price == 0
        )

    def supports(self, parameter: str) -> bool:
        return parameter in self.supported_parameters

    @property
    def reasons(self) -> bool:
        """Takes ``reasoning`` (the catalogue says so, or describes how it reasons)."""
        return self.supports("reasoning") or isinstance(self.raw.get("reasoning"), dict)

    @property
    def reasoning_mandatory(self) -> bool:
        """Always reasons: reasoning cannot be turned off (``effort="none"`` is refused)."""
        info = self.raw.get("reasoning")
        return isinstance(info, dict) and bool(info.get("mandatory"))

    @property
    def reasoning_efforts(self) -> tuple[str, ...] | None:
        """The efforts the model takes, highest first; None when it names no list."""
        info = self.raw.get("reasoning")
        efforts = info.get("supported_efforts") if isinstance(info, dict) else None
        if not isinstance(efforts, list):
            return None
        return tuple(e for e in efforts if isinstance(e, str)
                     and not (e == "none" and self.reasoning_mandatory))

    def cache_saving(self, cached_tokens: int, cache_write_tokens: int = 0) -> float | None:
        """USD the prompt cache saved at this model's listed prices (negative while writing
        it costs more than it saved); None when the catalogue has no cache prices."""
        pricing = self.raw.get("pricing") or {}

        def price(key: str) -> float | None:
            try:
                return float(pricing[key])
            except (KeyError, TypeError, ValueError):
                return None

        prompt, read = price("prompt"), price("input_cache_read")
        write = price("input_cache_write")
        if prompt is None or (cached_tokens and read is None) or (
                cache_write_tokens and write is None):
            return None
        return cached_tokens * (prompt - (read or 0.0)) - cache_write_tokens * (
            (write or prompt) - prompt)


def search_models(
    models: Iterable[Model],
    query: str | None = None,
    *,
    author: str | None = None,
    input_modalities: Sequence[str] = (),
    output_modalities: Sequence[str] = (),
    supports: Sequence[str] = (),
    min_context: int | None = None,
    max_price: float | None = None,
    free: bool | None = None,
) -> list[Model]:
    """Filter models; every word of ``query`` must appear in the id, name or description;
    a model must take every one of ``input_modalities`` and make one of
    ``output_modalities``."""
    words = (query or "").lower().split()
    out = []
    for model in models:
        haystack = f"{model.id} {model.name} {model.description}".lower()
        if any(word not in haystack for word in words):
            continue
        if author and model.author != author:
            continue
        if any(m not in model.input_modalities for m in input_modalities):
            continue
        if output_modalities and not set(output_modalities) & set(model.output_modalities):
            continue
        if any(p not in model.supported_parameters for p in supports):
            continue
        if min_context and (model.context_length or 0) < min_context:
            continue
        if max_price is not None and (
            model.prompt_price is None or model.prompt_price > max_price
        ):
            continue
        if free is not None and model.is_free != free:
            continue
        out.append(model)
    return out


#: How a model list can be ordered, and the key for each (cheapest, longest, newest first).
MODEL_SORTS: dict[str, Callable[[Model], Any]] = {
    "name": lambda m: m.id,
    "price": lambda m: (m.prompt_price is None, m.prompt_price or 0, m.completion_price or 0),
    "context": lambda m: -(m.context_length or 0),
    "newest": lambda m: -(m.created or 0),
}


def sort_models(models: Iterable[Model], by: str = "name") -> list[Model]:
    if by not in MODEL_SORTS:
        raise ValueError(f"sort by one of {', '.join(MODEL_SORTS)}, not {by!r}")
    return sorted(models, key=MODEL_SORTS[by])


def format_price(value: float | None) -> str:
    """A price per million tokens: "$0.15", "free", or "?" when unknown or variable."""
    if value is None:
        return "?"
    if value == 0:
        return "free"
    return f"${value:,.2f}" if value >= 0.01 else f"${value:.4f}"


def format_context(tokens: int | None) -> str:
    """128000 -> "128K", 1048576 -> "1M": how model pages show context windows."""
    if not tokens:
        return "?"
    if tokens >= 1_000_000:
        return f"{tokens / 1_000_000:.3g}M"
    return f"{tokens / 1000:.0f}K" if tokens >= 1000 else str(tokens)
