"""Model and provider routing: variants, fallbacks and the `provider` preferences object."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from ..protocol import DEFAULT_MODEL, VARIANTS
from .catalogue import Catalogue, Endpoint, Model
from .catalogue_data import AUTO_CHOICES
from .errors import PRIVACY_URL, ROUTING_DOCS, SimError, invalid_model

PARAMETER_NAMES = frozenset(
    """
    temperature top_p top_k min_p top_a frequency_penalty presence_penalty
    repetition_penalty max_tokens max_completion_tokens logit_bias logprobs top_logprobs
    prediction seed response_format structured_outputs stop tools tool_choice
    parallel_tool_calls include_reasoning reasoning reasoning_effort web_search_options
    verbosity
    """.split()  # noqa: SIM905
)


@dataclass
class Needs:
    """What the request requires of an endpoint."""

    prompt_tokens: int = 0
    images: bool = False
    audio: bool = False
    tools: bool = False
    outputs: list[str] = field(default_factory=list)
    """`modalities`: the output modalities asked for ("image", "text")."""
    parameters: set[str] = field(default_factory=set)
    kind: str = "chat"
    """Request kind for `openrouter/auto`: chat, code, math, vision or tools."""


@dataclass(frozen=True)
class Candidate:
    """One (model, endpoint) pair the request may be served by, in preference order."""

    requested: str
    model: Model
    endpoint: Endpoint
    variants: frozenset[str]
    router: str | None = None


def parse_model(
    catalogue: Catalogue, requested: str, needs: Needs, seed: int
) -> tuple[Model, frozenset[str], str | None]:
    """Resolve `author/slug[:variant...]` (or a router) to a catalogue model."""
    if not isinstance(requested, str) or not requested.strip():
        raise invalid_model(str(requested))
    base, *suffixes = requested.strip().split(":")
    variants = frozenset(suffixes)
    if any(v not in VARIANTS for v in variants):
        raise invalid_model(requested)
    if base in ("openrouter/auto", "openrouter/auto-beta", "openrouter/free"):
        return _route_auto(catalogue, base, needs, seed), variants, base
    model_id = f"{base}:free" if "free" in variants else base
    model = catalogue.get(model_id)
    if model is None or model.is_router or model.is_embedding:
        raise invalid_model(requested)
    if "thinking" in variants and model.reasoning is None:
        raise invalid_model(requested)
    return model, variants, None


def _route_auto(catalogue: Catalogue, router: str, needs: Needs, seed: int) -> Model:
    """What `openrouter/auto` would pick: a real model that fits the request."""
    if router == "openrouter/free":
        free = [m for m in catalogue.models.values() if m.id.endswith(":free")]
        free = [m for m in free if not needs.images or "image" in m.input_modalities] or free
        return free[seed % len(free)]
    kind = "vision" if needs.images else "tools" if needs.tools else needs.kind
    choices = [catalogue.models[c] for c in AUTO_CHOICES.get(kind, AUTO_CHOICES["chat"])]
    return choices[seed % len(choices)]


def plan(catalogue: Catalogue, body: Mapping[str, Any], needs: Needs, seed: int) -> list[Candidate]:
    """Every candidate in the order OpenRouter would try them; raises when none qualifies."""
    requested = _requested_models(body)
    prefs = body.get("provider") or {}
    if not isinstance(prefs, Mapping):
        raise SimError(400, "provider: Expected object, received " + type(prefs).__name__)
    first_error: SimError | None = None
    per_model: list[list[Candidate]] = []
    for name in requested:
        try:
            model, variants, router = parse_model(catalogue, name, needs, seed)
            endpoints = select_endpoints(model, variants, prefs, needs, catalogue)
        except SimError as err:
            first_error = first_error or err
            continue
        per_model.append([Candidate(name, model, ep, variants, router) for ep in endpoints])
    sort = prefs.get("sort")
    if isinstance(sort, Mapping) and sort.get("partition") == "none" and len(per_model) > 1:
        key = _sort_key(str(sort.get("by") or "price"))
        merged = sorted((c for group in per_model for c in group), key=lambda c: key(c.endpoint))
        per_model = [merged]
    candidates = [c for group in per_model for c in group]
    if not candidates:
        raise first_error or invalid_model(requested[0])
    return candidates


def _requested_models(body: Mapping[str, Any]) -> list[str]:
    names: list[str] = []
    model = body.get("model")
    if model is not None and not isinstance(model, str):
        raise SimError(400, "model: Expected string, received " + type(model).__name__)
    models = body.get("models") or []
    if not isinstance(models, list) or not all(isinstance(m, str) for m in models):
        raise SimError(400, "models: Expected array of strings")
    for name in ([model] if model else []) + list(models):
        if name not in names:
            names.append(name)
    return names or [DEFAULT_MODEL]


def select_endpoints(
    model: Model,
    variants: frozenset[str],
    prefs: Mapping[str, Any],
    needs: Needs,
    catalogue: Catalogue,
) -> list[Endpoint]:
    """Filter and order one model's endpoints; the first filter that empties the list errs."""
    eps = list(model.endpoints)
    if needs.images and "image" not in model.input_modalities:
        raise SimError(404, "No endpoints found that support image input")
    if needs.audio and "audio" not in model.input_modalities:
        raise SimError(404, "No endpoints found that support input audio")
    if any(m not in model.output_modalities for m in needs.outputs):
        raise SimError(
            404,
            "No endpoints found that support the requested output modalities: "
            + ", ".join(needs.outputs),
        )
    eps = _keep(
        eps,
        lambda e: not needs.tools or "tools" in e.supported_parameters,
        SimError(
            404,
            f"No endpoints found that support tool use. To learn more about "
            f"provider routing, visit: {ROUTING_DOCS}",
        ),
    )
    requested_params = needs.parameters & PARAMETER_NAMES
    soft = {p for p in requested_params if p in ("tools", "response_format")}
    wanted = requested_params if prefs.get("require_parameters") else soft
    eps = _keep(
        eps,
        lambda e: wanted <= set(e.supported_parameters),
        SimError(
            404,
            "No endpoints found that can handle the requested parameters. "
            f"To learn more about provider routing, visit: {ROUTING_DOCS}",
        ),
    )
    if needs.prompt_tokens:
        biggest = max((e.context_length for e in eps), default=0)
        eps = _keep(
            eps,
            lambda e: e.context_length >= needs.prompt_tokens,
            SimError(
                400,
                f"This endpoint's maximum context length is {biggest} tokens. However, you "
                f"requested about {needs.prompt_tokens} tokens ({needs.prompt_tokens} of text "
                'input). Please reduce the length of either one, or use the "middle-out" '
                "transform to compress your prompt automatically.",
            ),
        )
    if prefs.get("data_collection") == "deny":
        kind = "Free model training" if model.id.endswith(":free") else "Paid model training"
        eps = _keep(eps, lambda e: not e.trains, _policy_error(kind))
    if prefs.get("zdr"):
        eps = _keep(eps, lambda e: e.zdr, _policy_error("Zero data retention"))
    no_provider = SimError(404, "No allowed providers are available for the selected model.")
    only = _names(prefs.get("only"))
    if only:
        eps = _keep(eps, lambda e: catalogue.provider_matches(e, only), no_provider)
    ignore = _names(prefs.get("ignore"))
    if ignore:
        eps = _keep(eps, lambda e: not catalogue.provider_matches(e, ignore), no_provider)
    quants = {q.lower() for q in _names(prefs.get("quantizations"))}
    if quants:
        eps = _keep(
            eps,
            lambda e: (e.quantization or "unknown") in quants,
            SimError(
                404,
                f"No endpoints found for {model.id} matching the requested quantizations "
                f"({', '.join(sorted(quants))}).",
            ),
        )
    max_price = prefs.get("max_price")
    if isinstance(max_price, Mapping):
        eps = _keep(
            eps,
            lambda e: _within_price(e, max_price),
            SimError(
                404,
                f"No endpoints found for {model.id} within your max_price limits "
                "(USD per million tokens). Raise provider.max_price or pick another model.",
            ),
        )
    eps = _order(eps, variants, prefs, catalogue)
    if prefs.get("allow_fallbacks") is False:
        order = _names(prefs.get("order"))
        if order:
            eps = _keep(eps, lambda e: catalogue.provider_matches(e, order), no_provider)
        else:
            eps = eps[:1]
    return eps


def _keep(eps: list[Endpoint], test: Any, error: SimError) -> list[Endpoint]:
    kept = [e for e in eps if test(e)]
    if not kept:
        raise error
    return kept


def _policy_error(kind: str) -> SimError:
    return SimError(
        404, f"No endpoints found matching your data policy ({kind}). Configure: {PRIVACY_URL}"
    )


def _names(value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise SimError(400, "provider: Expected array of provider names")
    return [str(v) for v in value]


def _within_price(ep: Endpoint, limits: Mapping[str, Any]) -> bool:
    for key, price in (("prompt", ep.prompt_price), ("completion", ep.completion_price)):
        if limits.get(key) is None:
            continue
        try:
            limit = Decimal(str(limits[key]))
        except InvalidOperation as exc:
            raise SimError(400, f"provider.max_price.{key}: Expected number") from exc
        if price * Decimal(1_000_000) > limit:
            return False
    return True


def _sort_key(by: str) -> Any:
    if by == "throughput":
        return lambda e: (-e.throughput, e.prompt_price + e.completion_price)
    if by == "latency":
        return lambda e: (e.latency, e.prompt_price + e.completion_price)
    if by == "exacto":
        return lambda e: (e.quantization not in (None, "bf16", "fp16"), e.latency)
    return lambda e: e.prompt_price + e.completion_price


def _order(
    eps: list[Endpoint], variants: frozenset[str], prefs: Mapping[str, Any], catalogue: Catalogue
) -> list[Endpoint]:
    sort = prefs.get("sort")
    by = sort.get("by") if isinstance(sort, Mapping) else sort
    if "nitro" in variants:
        by = "throughput"
    elif "floor" in variants:
        by = "price"
    elif "exacto" in variants:
        by = "exacto"
    ordered = sorted(eps, key=_sort_key(str(by or "price")))
    ordered = _prefer(ordered, prefs)
    order = _names(prefs.get("order"))
    if order:

        def rank(e: Endpoint) -> int:
            hits = [i for i, name in enumerate(order) if catalogue.provider_matches(e, [name])]
            return hits[0] if hits else len(order)

        ordered = sorted(ordered, key=rank)
    return ordered


def _prefer(eps: list[Endpoint], prefs: Mapping[str, Any]) -> list[Endpoint]:
    """Soft preferences: endpoints meeting preferred throughput/latency come first."""
    tput = _p50(prefs.get("preferred_min_throughput"))
    lat = _p50(prefs.get("preferred_max_latency"))

    def good(e: Endpoint) -> bool:
        return (tput is None or e.throughput >= tput) and (lat is None or e.latency <= lat)

    return [e for e in eps if good(e)] + [e for e in eps if not good(e)]


def _p50(value: Any) -> float | None:
    if isinstance(value, Mapping):
        value = value.get("p50")
    return float(value) if isinstance(value, (int, float)) else None
