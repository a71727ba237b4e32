"""Every endpoint over the loopback server, plus auth and request validation."""

from __future__ import annotations

import base64
import math
import struct
from typing import Any

import httpx2
import pytest

from or_magics.offline import Catalogue
from or_magics.offline.catalogue_data import UPTIME
from or_magics.offline.server import ServerThread

from .helpers import AUTH


def test_models_catalogue_size_and_variety(client: httpx2.Client) -> None:
    models = client.get("/models").json()["data"]
    assert len(models) >= 30
    authors = {m["id"].split("/")[0] for m in models}
    assert len(authors) >= 12
    ids = {m["id"] for m in models}
    assert {
        "openai/gpt-4o-mini",
        "openai/gpt-4o",
        "meta-llama/llama-3.3-70b-instruct:free",
        "deepseek/deepseek-r1:free",
        "openrouter/auto",
    } <= ids
    assert any("image" in m["architecture"]["input_modalities"] for m in models)
    assert any("image" in m["architecture"]["output_modalities"] for m in models)
    assert any("reasoning" in m for m in models)
    for model in models:
        pricing = model["pricing"]
        for key in ("prompt", "completion"):
            assert isinstance(pricing[key], str)
            assert pricing[key] == "-1" or "e" not in pricing[key].lower()
        assert model["links"]["details"].endswith("/endpoints")
        assert model["top_provider"]["context_length"] > 0
    free = [m for m in models if m["id"].endswith(":free")]
    assert free and all(m["pricing"]["prompt"] == "0" for m in free)


def test_models_filters(client: httpx2.Client) -> None:
    tools = client.get("/models", params={"supported_parameters": "tools,structured_outputs"})
    assert all(
        {"tools", "structured_outputs"} <= set(m["supported_parameters"])
        for m in tools.json()["data"]
    )
    vision = client.get("/models", params={"input_modalities": "image"}).json()["data"]
    assert vision and all("image" in m["architecture"]["input_modalities"] for m in vision)
    search = client.get("/models", params={"q": "llama"}).json()["data"]
    assert search and all(
        "llama" in (m["id"] + m["name"] + m["description"]).lower() for m in search
    )
    default = {m["id"] for m in client.get("/models").json()["data"]}
    assert "openai/text-embedding-3-small" not in default
    everything = client.get("/models", params={"output_modalities": "all"}).json()["data"]
    assert "openai/text-embedding-3-small" in {m["id"] for m in everything}


def test_embedding_models_are_listed_by_their_output_modality(client: httpx2.Client) -> None:
    found = client.get("/models", params={"output_modalities": "embeddings"}).json()["data"]
    ids = {m["id"] for m in found}
    assert {"openai/text-embedding-3-small", "openai/text-embedding-3-large"} <= ids
    assert len(ids) >= 4
    assert all(m["architecture"]["output_modalities"] == ["embeddings"] for m in found)
    assert all(m["architecture"]["modality"] == "text->embeddings" for m in found)
    assert ids == {m["id"] for m in client.get("/embeddings/models").json()["data"]}
    for model in sorted(ids):
        vectors = _embed(client, model=model, input="tides").json()["data"]
        assert len(vectors[0]["embedding"]) == next(
            m["dimensions"] for m in found if m["id"] == model
        )


def test_models_need_no_key(live: ServerThread) -> None:
    assert httpx2.get(f"{live.base_url}/models").status_code == 200


def test_model_endpoints(client: httpx2.Client) -> None:
    body = client.get("/models/meta-llama/llama-3.3-70b-instruct/endpoints").json()["data"]
    assert body["id"] == "meta-llama/llama-3.3-70b-instruct"
    endpoints = body["endpoints"]
    assert 1 <= len(endpoints) <= 4
    for ep in endpoints:
        assert {
            "provider_name",
            "tag",
            "quantization",
            "context_length",
            "pricing",
            "latency_last_30m",
            "throughput_last_30m",
            "uptime_last_30m",
            "supported_parameters",
            "status",
        } <= set(ep)
        assert set(ep["latency_last_30m"]) == {"p50", "p75", "p90", "p99"}
    catalogue = Catalogue().get("meta-llama/llama-3.3-70b-instruct")
    assert catalogue is not None
    for ep, known in zip(endpoints, catalogue.endpoints, strict=True):
        latency = ep["latency_last_30m"]
        # milliseconds to the first token, as the API documents (the catalogue keeps seconds)
        assert latency["p50"] == pytest.approx(known.latency * 1000)
        assert 50 <= latency["p50"] <= latency["p75"] <= latency["p90"] <= latency["p99"]
        expected = UPTIME[known.provider_slug]
        assert ep["uptime_last_5m"] == ep["uptime_last_30m"] == ep["uptime_last_1d"] == expected
    canonical = client.get("/models/openai/gpt-4o-mini-2024-07-18/endpoints")
    assert canonical.json()["data"]["id"] == "openai/gpt-4o-mini"
    missing = client.get("/models/acme/nothing/endpoints")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == 404


def test_generation_lookup(client: httpx2.Client) -> None:
    chat = client.post(
        "/chat/completions",
        json={"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "hello"}]},
    )
    gen_id = chat.json()["id"]
    record = client.get("/generation", params={"id": gen_id}).json()["data"]
    assert record["id"] == gen_id
    assert record["model"] == "openai/gpt-4o-mini"
    assert record["tokens_completion"] == chat.json()["usage"]["completion_tokens"]
    assert record["streamed"] is False
    unknown = client.get("/generation", params={"id": "gen-0-unknown"})
    assert unknown.status_code == 404


def test_key_endpoints_agree_and_track_spending(client: httpx2.Client) -> None:
    key = client.get("/key").json()["data"]
    assert client.get("/auth/key").json()["data"] == key
    assert key["label"].startswith("sk-or-v1-")
    assert key["limit"] == 100.0
    before = client.get("/credits").json()["data"]
    client.post(
        "/chat/completions",
        json={
            "model": "anthropic/claude-opus-4.1",
            "messages": [{"role": "user", "content": "essay"}],
        },
    )
    after = client.get("/credits").json()["data"]
    assert after["total_credits"] == before["total_credits"]
    assert after["total_usage"] > before["total_usage"]


def test_providers(client: httpx2.Client) -> None:
    providers = client.get("/providers").json()["data"]
    assert len(providers) >= 12
    assert {
        "name",
        "slug",
        "privacy_policy_url",
        "terms_of_service_url",
        "status_page_url",
        "headquarters",
        "datacenters",
    } <= set(providers[0])


def _embed(client: httpx2.Client, **body: Any) -> httpx2.Response:
    return client.post("/embeddings", json={"model": "openai/text-embedding-3-small", **body})


def test_embeddings_are_deterministic_unit_vectors(client: httpx2.Client) -> None:
    first = _embed(client, input=["cats purr", "dogs bark"]).json()
    again = _embed(client, input="cats purr").json()
    assert first["object"] == "list" and len(first["data"]) == 2
    vec = first["data"][0]["embedding"]
    assert len(vec) == 1536
    assert math.isclose(sum(x * x for x in vec), 1.0, rel_tol=1e-4)
    assert again["data"][0]["embedding"] == vec
    assert first["data"][1]["embedding"] != vec
    assert first["usage"]["prompt_tokens"] > 0


def test_embeddings_dimensions_and_base64(client: httpx2.Client) -> None:
    short = _embed(client, input="x", dimensions=64).json()["data"][0]["embedding"]
    assert len(short) == 64
    packed = _embed(client, input="x", dimensions=64, encoding_format="base64").json()
    raw = base64.b64decode(packed["data"][0]["embedding"])
    assert struct.unpack("<64f", raw) == pytest.approx(short, abs=1e-6)
    assert _embed(client, input="x", model="openai/gpt-4o").status_code == 404


def test_unknown_path_is_json_404(client: httpx2.Client) -> None:
    response = client.get("/no/such/thing")
    assert response.status_code == 404
    assert response.headers["x-simulator"] == "or_magics"
    assert response.json()["error"]["code"] == 404


def test_auth_errors(live: ServerThread) -> None:
    url = f"{live.base_url}/chat/completions"
    body = {"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "x"}]}
    missing = httpx2.post(url, json=body)
    assert missing.status_code == 401
    assert missing.json() == {"error": {"code": 401, "message": "No cookie auth credentials found"}}
    bad = httpx2.post(url, json=body, headers={"Authorization": "Bearer sk-or-v1-invalid-key"})
    assert bad.status_code == 401
    assert bad.json()["error"]["message"] == "User not found."
    assert httpx2.post(url, json=body, headers=AUTH).status_code == 200


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "Invalid JSON in request body"),
        (b'{"model": "openai/gpt-4o-mini"}', 'Input required: specify "prompt" or "messages"'),
        (b'{"messages": [{"role": "robot", "content": "x"}]}', "Invalid discriminator value"),
        (
            b'{"messages": [{"role": "user", "content": "x"}], "temperature": 3}',
            "temperature: Number must be less than or equal to 2",
        ),
        (
            b'{"messages": [{"role": "user", "content": "x"}], "max_tokens": 0}',
            "max_tokens: Number must be greater than or equal to 1",
        ),
        (
            b'{"messages": [{"role": "user", "content": "x"}], "top_p": -1}',
            "top_p: Number must be greater than or equal to 0",
        ),
    ],
)
def test_validation_errors(client: httpx2.Client, body: bytes, message: str) -> None:
    response = client.post(
        "/chat/completions", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == 400 and message in error["message"]


def test_prompt_field_is_accepted(client: httpx2.Client) -> None:
    response = client.post(
        "/chat/completions", json={"model": "openai/gpt-4o-mini", "prompt": "Say hi"}
    )
    assert response.status_code == 200
