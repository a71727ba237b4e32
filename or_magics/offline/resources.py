"""The non-chat endpoints: models, endpoints, generation, key, credits, embeddings, providers."""

from __future__ import annotations

import base64
import math
import random
import struct
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .accounting import usage_windows
from .errors import SimError, invalid_model, not_found
from .text import estimate_tokens, generation_id, stable_hash
from .validate import parse_body

if TYPE_CHECKING:
    from .simulator import Simulator


def models(sim: Simulator, query: Mapping[str, str]) -> dict[str, Any]:
    data = sim.catalogue.list_models(query)
    return {"data": data}


def model_count(sim: Simulator, query: Mapping[str, str]) -> dict[str, Any]:
    return {"data": {"count": len(sim.catalogue.list_models(query))}}


def embedding_models(sim: Simulator) -> dict[str, Any]:
    return {"data": sim.catalogue.list_models({"output_modalities": "embeddings"})}


def endpoints(sim: Simulator, author: str, slug: str) -> dict[str, Any]:
    model = sim.catalogue.find_by_slug(f"{author}/{slug}")
    if model is None or model.is_router:
        raise not_found(f"No model found for {author}/{slug}")
    return model.endpoints_payload()


def generation(sim: Simulator, query: Mapping[str, str]) -> dict[str, Any]:
    gen_id = query.get("id")
    if not gen_id:
        raise SimError(400, "id: Required")
    record = sim.generations.get(gen_id)
    if record is None:
        raise not_found(f"Generation {gen_id} not found")
    return {"data": record}


def key(sim: Simulator, token: str) -> dict[str, Any]:
    """GET /key: the credit limit and what the simulated generations have used of it."""
    used = usage_windows(sim.generations)
    limit = sim.config.credit_limit
    label = f"{token[:12]}...{token[-3:]}" if len(token) > 16 else token
    return {
        "data": {
            "label": label,
            "limit": limit,
            "limit_remaining": round(limit - used["usage"], 10),
            "limit_reset": None,
            "include_byok_in_limit": False,
            **used,
            "byok_usage": 0,
            "byok_usage_daily": 0,
            "byok_usage_weekly": 0,
            "byok_usage_monthly": 0,
            "is_free_tier": False,
            "is_management_key": False,
            "is_provisioning_key": False,
            "creator_user_id": sim.config.user_id,
            "expires_at": None,
            "rate_limit": {
                "requests": 1000,
                "interval": "1h",
                "note": "This field is deprecated and safe to ignore.",
            },
        }
    }


def credits(sim: Simulator) -> dict[str, Any]:
    used = round(float(sim.generations.spent()), 10)
    return {"data": {"total_credits": sim.config.credit_limit, "total_usage": used}}


def providers(sim: Simulator) -> dict[str, Any]:
    return {"data": sim.catalogue.provider_list()}


def embeddings(sim: Simulator, raw: bytes) -> dict[str, Any]:
    """Deterministic unit vectors: the same text always embeds to the same vector."""
    body = parse_body(raw)
    model_id = body.get("model")
    model = sim.catalogue.get(model_id) if isinstance(model_id, str) else None
    if model is None:
        raise invalid_model(str(model_id))
    if not model.is_embedding:
        raise SimError(404, f"No endpoints found for {model.id} that support embeddings.")
    inputs = _inputs(body.get("input"))
    full = int(model.raw.get("dimensions", 1536))
    dims = body.get("dimensions", full)
    if not isinstance(dims, int) or not 1 <= dims <= full:
        raise SimError(400, f"dimensions: Number must be between 1 and {full}")
    fmt = body.get("encoding_format", "float")
    if fmt not in ("float", "base64"):
        raise SimError(400, "encoding_format: Invalid enum value. Expected 'float' | 'base64'")
    data = []
    tokens = 0
    for index, text in enumerate(inputs):
        tokens += max(1, estimate_tokens(text))
        vector = _vector(model.id, text, dims)
        embedding: Any = vector
        if fmt == "base64":
            embedding = base64.b64encode(struct.pack(f"<{dims}f", *vector)).decode()
        data.append({"object": "embedding", "embedding": embedding, "index": index})
    price = model.endpoints[0].prompt_price if model.endpoints else Decimal(0)
    cost = float(tokens * price)
    return {
        "id": "embd-" + generation_id()[4:],
        "object": "list",
        "data": data,
        "model": model.id,
        "usage": {"prompt_tokens": tokens, "total_tokens": tokens, "cost": cost},
    }


def _inputs(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and value:
        if all(isinstance(v, str) for v in value):
            return list(value)
        if all(isinstance(v, int) for v in value):
            return [" ".join(map(str, value))]
        if all(isinstance(v, list) for v in value):
            return [" ".join(map(str, v)) for v in value]
    raise SimError(400, "input: Expected string or array of strings or token arrays")


def _vector(model_id: str, text: str, dims: int) -> list[float]:
    rng = random.Random(stable_hash("embedding", model_id, text))
    raw = [rng.gauss(0.0, 1.0) for _ in range(dims)]
    norm = math.sqrt(sum(x * x for x in raw)) or 1.0
    return [round(x / norm, 7) for x in raw]
