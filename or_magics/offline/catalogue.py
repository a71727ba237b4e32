"""The model catalogue in OpenRouter's shapes: Model, PublicEndpoint, provider list."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from . import catalogue_data as data

MILLION = Decimal(1_000_000)


def per_token(per_million: float) -> str:
    """USD per million -> OpenRouter's per-token decimal string ("0.00000015")."""
    if per_million < 0:
        return "-1"
    value = (Decimal(str(per_million)) / MILLION).normalize()
    text = format(value, "f")
    return text if value else "0"


@dataclass(frozen=True)
class Endpoint:
    """One provider serving one model, with the facts routing decisions need."""

    model_id: str
    provider_slug: str
    provider_name: str
    tag: str
    quantization: str | None
    context_length: int
    max_completion_tokens: int | None
    prompt_price: Decimal
    completion_price: Decimal
    throughput: float
    """Tokens per second (p50)."""
    latency: float
    """Seconds to the first token (p50); the API reports it in milliseconds."""
    uptime: float
    """Percent of recent requests served without error."""
    supported_parameters: tuple[str, ...]
    zdr: bool
    trains: bool
    pricing: dict[str, str] = field(hash=False, compare=False)

    def public(self, model: Model) -> dict[str, Any]:
        """The PublicEndpoint JSON shape (latency in milliseconds, as the API documents)."""
        return {
            "name": f"{self.provider_name} | {model.canonical_slug}",
            "model_id": model.canonical_slug,
            "model_name": model.name,
            "context_length": self.context_length,
            "pricing": dict(self.pricing),
            "provider_name": self.provider_name,
            "tag": self.tag,
            "quantization": self.quantization,
            "max_completion_tokens": self.max_completion_tokens,
            "max_prompt_tokens": None,
            "supported_parameters": list(self.supported_parameters),
            "status": 0,
            "uptime_last_5m": self.uptime,
            "uptime_last_30m": self.uptime,
            "uptime_last_1d": self.uptime,
            "latency_last_30m": _percentiles(self.latency * 1000, 1.0, 1.4, 1.9, 3.5),
            "throughput_last_30m": _percentiles(self.throughput, 1.0, 0.85, 0.7, 0.4),
            "supports_implicit_caching": "input_cache_read" in self.pricing
            and "input_cache_write" not in self.pricing,
        }


def _percentiles(p50: float, *factors: float) -> dict[str, float]:
    keys = ("p50", "p75", "p90", "p99")
    return {k: round(p50 * f, 1) for k, f in zip(keys, factors, strict=True)}


@dataclass(frozen=True)
class Model:
    """A catalogue entry: the public Model JSON plus its endpoints and simulator hints."""

    id: str
    name: str
    canonical_slug: str
    raw: Mapping[str, Any] = field(hash=False, compare=False)
    endpoints: tuple[Endpoint, ...] = ()

    @property
    def author(self) -> str:
        return self.id.split("/", 1)[0]

    @property
    def input_modalities(self) -> list[str]:
        return list(self.raw.get("input", ["text"]))

    @property
    def output_modalities(self) -> list[str]:
        return list(self.raw.get("output", ["text"]))

    @property
    def reasoning(self) -> dict[str, Any] | None:
        return self.raw.get("reasoning")

    @property
    def supported_parameters(self) -> list[str]:
        params: set[str] = set()
        for ep in self.endpoints:
            params.update(ep.supported_parameters)
        if not self.endpoints:
            params.update(data.PARAMS[self.raw["params"]])
        return sorted(params)

    @property
    def is_router(self) -> bool:
        return bool(self.raw.get("router"))

    @property
    def is_embedding(self) -> bool:
        return "embeddings" in self.output_modalities

    @property
    def searches(self) -> bool:
        """Models that always answer from a web search (Perplexity Sonar)."""
        return bool(self.raw.get("search"))

    def public(self) -> dict[str, Any]:
        """The Model JSON shape of GET /models."""
        raw = self.raw
        top = self.endpoints[0] if self.endpoints else None
        inputs, outputs = self.input_modalities, self.output_modalities
        entry: dict[str, Any] = {
            "id": self.id,
            "canonical_slug": self.canonical_slug,
            "hugging_face_id": raw.get("hf", ""),
            "name": self.name,
            "created": raw["created"],
            "description": raw["description"],
            "context_length": raw["context"],
            "architecture": {
                "modality": f"{'+'.join(inputs)}->{'+'.join(outputs)}",
                "input_modalities": inputs,
                "output_modalities": outputs,
                "tokenizer": raw.get("tokenizer", "Other"),
                "instruct_type": raw.get("instruct"),
            },
            "pricing": dict(top.pricing) if top else _pricing(raw, 1.0),
            "top_provider": {
                "context_length": top.context_length if top else raw["context"],
                "max_completion_tokens": raw.get("max_output"),
                "is_moderated": bool(top and top.provider_slug in ("openai", "azure")),
            },
            "per_request_limits": None,
            "supported_parameters": self.supported_parameters,
            "default_parameters": {},
            "supported_voices": None,
            "knowledge_cutoff": raw.get("cutoff"),
            "expiration_date": None,
            "links": {"details": f"/api/v1/models/{self.canonical_slug}/endpoints"},
        }
        if self.reasoning is not None:
            info = self.reasoning
            reasoning: dict[str, Any] = {
                "mandatory": bool(info.get("mandatory")),
                "supported_efforts": info.get("efforts"),
                "default_effort": info.get("default"),
                "default_enabled": bool(info.get("mandatory")),
            }
            if info.get("max_tokens"):
                reasoning["supports_max_tokens"] = True
            entry["reasoning"] = reasoning
        if "dimensions" in raw:
            entry["dimensions"] = raw["dimensions"]
        return entry

    def endpoints_payload(self) -> dict[str, Any]:
        """The body of GET /models/{author}/{slug}/endpoints."""
        public = self.public()
        return {
            "data": {
                "id": self.id,
                "name": self.name,
                "created": self.raw["created"],
                "description": self.raw["description"],
                "architecture": public["architecture"],
                "endpoints": [ep.public(self) for ep in self.endpoints],
            }
        }


def _pricing(raw: Mapping[str, Any], factor: float) -> dict[str, str]:
    prompt, completion = raw["price"]
    pricing = {
        "prompt": per_token(round(prompt * factor, 6) if prompt > 0 else prompt),
        "completion": per_token(round(completion * factor, 6) if completion > 0 else completion),
    }
    for key, value in raw.get("extra", {}).items():
        pricing[key] = per_token(round(value * factor, 6))
    return pricing


def _endpoint(raw: Mapping[str, Any], spec: tuple[Any, ...], canonical: str) -> Endpoint:
    slug, quant, factor, throughput, latency, *rest = spec
    extras: dict[str, Any] = rest[0] if rest else {}
    provider = data.PROVIDERS[slug]
    params = [p for p in data.PARAMS[raw["params"]] if p not in extras.get("drop", ())]
    pricing = _pricing(raw, factor)
    tag = f"{slug}/{quant}" if quant and slug in ("deepinfra", "novita", "together") else slug
    return Endpoint(
        model_id=canonical,
        provider_slug=slug,
        provider_name=provider["name"],
        tag=tag,
        quantization=quant,
        context_length=extras.get("ctx", raw["context"]),
        max_completion_tokens=raw.get("max_output"),
        prompt_price=Decimal(pricing["prompt"]),
        completion_price=Decimal(pricing["completion"]),
        throughput=float(throughput),
        latency=float(latency),
        uptime=float(extras.get("uptime", data.UPTIME[slug])),
        supported_parameters=tuple(params),
        zdr=bool(provider["zdr"]),
        trains=bool(provider["trains"]),
        pricing=pricing,
    )


def _build_model(raw: Mapping[str, Any]) -> Model:
    canonical = raw.get("canonical", raw["id"])
    endpoints = tuple(_endpoint(raw, spec, canonical) for spec in raw["endpoints"])
    return Model(raw["id"], raw["name"], canonical, raw, endpoints)


class Catalogue:
    """All simulated models and providers, with the lookups routing and /models need."""

    def __init__(self) -> None:
        built = [_build_model(m) for m in data.MODELS]
        self.models: dict[str, Model] = {m.id: m for m in built}
        self.providers = data.PROVIDERS

    def get(self, model_id: str) -> Model | None:
        return self.models.get(model_id)

    def find_by_slug(self, slug: str) -> Model | None:
        """Look a model up by id or canonical slug (the endpoints URL uses either)."""
        if slug in self.models:
            return self.models[slug]
        return next((m for m in self.models.values() if m.canonical_slug == slug), None)

    def list_models(self, query: Mapping[str, str]) -> list[dict[str, Any]]:
        """GET /models with the easy filters: q, supported_parameters, *_modalities."""
        out = []
        q = query.get("q", "").lower()
        wanted_params = _csv(query.get("supported_parameters"))
        inputs = _csv(query.get("input_modalities"))
        outputs = _csv(query.get("output_modalities")) or ["text"]
        for model in self.models.values():
            if q and q not in f"{model.id} {model.name} {model.raw['description']}".lower():
                continue
            if any(p not in model.supported_parameters for p in wanted_params):
                continue
            if any(m not in model.input_modalities for m in inputs):
                continue
            if "all" not in outputs and not set(outputs) & set(model.output_modalities):
                continue
            out.append(model.public())
        return out

    def provider_list(self) -> list[dict[str, Any]]:
        """GET /providers."""
        out = []
        for slug, info in self.providers.items():
            domain = _provider_domain(slug)
            out.append(
                {
                    "name": info["name"],
                    "slug": slug,
                    "privacy_policy_url": f"https://{domain}/privacy",
                    "terms_of_service_url": f"https://{domain}/terms",
                    "status_page_url": f"https://status.{domain}",
                    "headquarters": info["hq"],
                    "datacenters": list(info["dc"]),
                }
            )
        return out

    def provider_matches(self, endpoint: Endpoint, names: list[str]) -> bool:
        """True when a routing list names this endpoint (slug, display name or exact tag)."""
        wanted = {str(n).lower() for n in names}
        return bool(
            wanted & {endpoint.provider_slug, endpoint.provider_name.lower(), endpoint.tag.lower()}
        )


def _csv(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _provider_domain(slug: str) -> str:
    special = {
        "azure": "azure.microsoft.com",
        "amazon-bedrock": "aws.amazon.com",
        "google-vertex": "cloud.google.com",
        "google-ai-studio": "ai.google.dev",
        "xai": "x.ai",
        "z-ai": "z.ai",
        "moonshotai": "moonshot.ai",
        "mistral": "mistral.ai",
        "together": "together.ai",
        "groq": "groq.com",
    }
    return special.get(slug, f"{slug}.com")
