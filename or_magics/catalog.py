"""The model catalogue: `/models` entries as small objects, and search over them.

Prices on the wire are decimal strings in USD per token; people think in USD per million
tokens, so that is what `Model` shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Model", "search_models"]


def _per_million(value: Any) -> float | None:
    try:
        price = float(value)
    except (TypeError, ValueError):
        return None
    return price * 1_000_000 if price >= 0 else None  # "-1" means variable (openrouter/auto)


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
        arch = data.get("architecture") or {}
        pricing = data.get("pricing") or {}
        return cls(
            id=str(data.get("id", "")),
            name=str(data.get("name") or data.get("id", "")),
            description=str(data.get("description") or ""),
            context_length=data.get("context_length"),
            prompt_price=_per_million(pricing.get("prompt")),
            completion_price=_per_million(pricing.get("completion")),
            input_modalities=tuple(arch.get("input_modalities") or ("text",)),
            output_modalities=tuple(arch.get("output_modalities") or ("text",)),
            supported_parameters=tuple(data.get("supported_parameters") or ()),
            created=data.get("created"),
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


def search_models(
    models: Iterable[Model],
    query: str | None = None,
    *,
    author: str | None = None,
    input_modalities: Sequence[str] = (),
    supports: Sequence[str] = (),
    min_context: int | None = None,
    max_price: float | None = None,
    free: bool | None = None,
) -> list[Model]:
    """Filter models; every word of ``query`` must appear in the id, name or description."""
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
