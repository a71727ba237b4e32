"""Routing decisions, fallbacks, and usage/cost arithmetic against the catalogue prices."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx2
import pytest

from or_magics.offline import Catalogue, Simulator

Chat = Callable[..., dict[str, Any]]
CATALOGUE = Catalogue()
LLAMA = "meta-llama/llama-3.3-70b-instruct"


def _post(
    tclient: httpx2.Client, headers: dict[str, str] | None = None, **body: Any
) -> httpx2.Response:
    payload = {"messages": [{"role": "user", "content": "Route me"}], **body}
    return tclient.post("/chat/completions", json=payload, headers=headers or {})


def _endpoint(model: str, provider: str) -> Any:
    return next(e for e in CATALOGUE.get(model).endpoints if e.provider_name == provider)


def test_cost_is_tokens_times_endpoint_prices(chat: Chat) -> None:
    body = chat("Explain photosynthesis", model="openai/gpt-4o")
    usage = body["usage"]
    ep = _endpoint("openai/gpt-4o", body["provider"])
    prompt_cost = usage["prompt_tokens"] * ep.prompt_price
    completion_cost = usage["completion_tokens"] * ep.completion_price
    assert usage["cost"] == pytest.approx(float(prompt_cost + completion_cost), rel=1e-12)
    details = usage["cost_details"]
    assert details["upstream_inference_prompt_cost"] == pytest.approx(float(prompt_cost))
    assert details["upstream_inference_completions_cost"] == pytest.approx(float(completion_cost))
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    assert ep.prompt_price == Decimal("0.0000025")


def test_prompt_tokens_track_message_length(chat: Chat) -> None:
    short = chat("Hi")["usage"]["prompt_tokens"]
    long = chat("Hi " + "word " * 400)["usage"]["prompt_tokens"]
    assert 450 <= long - short <= 550  # ≈ 2000 chars / 4


@pytest.mark.parametrize("model", [f"{LLAMA}:free", "deepseek/deepseek-r1:free"])
def test_free_models_cost_nothing(chat: Chat, model: str) -> None:
    body = chat("Tell me a joke", model=model)
    assert body["model"] == model
    assert body["usage"]["cost"] == 0
    assert body["usage"]["completion_tokens"] > 0


def test_default_routing_picks_cheapest(chat: Chat) -> None:
    assert chat(model=LLAMA)["provider"] == "DeepInfra"


@pytest.mark.parametrize(
    ("provider", "expected"),
    [
        ({"sort": "throughput"}, "Cerebras"),
        ({"sort": "latency"}, "Groq"),
        ({"sort": {"by": "throughput", "partition": "model"}}, "Cerebras"),
        ({"order": ["groq", "deepinfra"]}, "Groq"),
        ({"order": ["Novita"]}, "Novita"),
        ({"only": ["cerebras", "groq"]}, "Groq"),
        ({"ignore": ["deepinfra", "novita", "groq"]}, "Cerebras"),
        ({"quantizations": ["fp16"]}, "Cerebras"),
        ({"max_price": {"prompt": 0.2, "completion": 0.5}}, "DeepInfra"),
        ({"only": ["deepinfra/fp8"]}, "DeepInfra"),
    ],
)
def test_provider_preferences(chat: Chat, provider: dict[str, Any], expected: str) -> None:
    body = chat(model=LLAMA, provider=provider)
    assert body["provider"] == expected


def test_variants_nitro_and_floor(chat: Chat) -> None:
    assert chat(model=f"{LLAMA}:nitro")["provider"] == "Cerebras"
    assert chat(model=f"{LLAMA}:floor")["provider"] == "DeepInfra"


def test_provider_header_matches_body(tclient: httpx2.Client) -> None:
    response = _post(tclient, model=LLAMA, provider={"order": ["groq"]})
    assert response.headers["x-provider-name"] == response.json()["provider"] == "Groq"


@pytest.mark.parametrize(
    ("provider", "message"),
    [
        ({"only": ["openai"]}, "No allowed providers are available for the selected model."),
        ({"quantizations": ["int4"]}, "matching the requested quantizations"),
        ({"max_price": {"prompt": 0.01}}, "max_price"),
        ({"order": ["openai"], "allow_fallbacks": False}, "No allowed providers"),
    ],
)
def test_nothing_left_is_404(tclient: httpx2.Client, provider: dict[str, Any],
                             message: str) -> None:
    response = _post(tclient, model=LLAMA, provider=provider)
    assert response.status_code == 404
    body = response.json()
    assert body["error"]["code"] == 404 and message in body["error"]["message"]
    assert body["user_id"].startswith("user_")


def test_data_policy_filters(chat: Chat, tclient: httpx2.Client) -> None:
    response = _post(
        tclient, model="deepseek/deepseek-r1:free", provider={"data_collection": "deny"}
    )
    assert response.status_code == 404
    assert "No endpoints found matching your data policy" in response.json()["error"]["message"]
    assert (
        chat(
            model="deepseek/deepseek-chat-v3.1",
            provider={"data_collection": "deny", "sort": "price"},
        )["provider"]
        != "DeepSeek"
    )
    assert chat(model="openai/gpt-4o", provider={"zdr": True})["provider"] == "Azure"


def test_require_parameters_filters_endpoints(chat: Chat) -> None:
    body = chat(
        model=LLAMA,
        provider={"sort": "latency", "require_parameters": True},
        response_format={"type": "json_object"},
    )
    assert body["provider"] != "Groq"  # Groq's endpoint lacks response_format


@pytest.mark.parametrize(
    "model",
    ["acme/fake-1.0", "openai/gpt-4o:turbo", "openai/gpt-4o:free", "openai/gpt-4o:thinking"],
)
def test_invalid_model_ids(tclient: httpx2.Client, model: str) -> None:
    response = _post(tclient, model=model)
    assert response.status_code == 400
    assert response.json()["error"]["message"] == f"{model} is not a valid model ID"


def test_models_fallback_after_unknown_model(chat: Chat) -> None:
    body = chat(model="acme/fake-1.0", models=["anthropic/claude-haiku-4.5"])
    assert body["model"] == "anthropic/claude-haiku-4.5"


def test_fallback_when_first_model_fails(tclient: httpx2.Client) -> None:
    fault = {"status": 503, "model": "openai/gpt-4o"}
    response = _post(
        tclient,
        {"X-Simulator": json.dumps(fault)},
        model="openai/gpt-4o",
        models=["google/gemini-2.5-flash"],
    )
    assert response.status_code == 200
    body = response.json()
    assert body["model"] == "google/gemini-2.5-flash"
    record = tclient.get("/generation", params={"id": body["id"]}).json()["data"]
    assert {a["model"] for a in record["provider_responses"]} == {"openai/gpt-4o"}


def test_provider_fallback_and_no_fallback(tclient: httpx2.Client) -> None:
    fault = {"X-Simulator": json.dumps({"status": 502, "provider": "deepinfra"})}
    assert _post(tclient, fault, model=LLAMA).json()["provider"] == "Novita"
    strict = _post(tclient, fault, model=LLAMA, provider={"allow_fallbacks": False})
    assert strict.status_code == 502
    assert strict.json()["error"]["metadata"]["provider_name"] == "DeepInfra"


def test_auto_router_reports_real_model(chat: Chat) -> None:
    body = chat("Write a Python function to parse CSV files", model="openrouter/auto")
    assert body["model"] != "openrouter/auto"
    assert CATALOGUE.get(body["model"]) is not None


def test_context_length_exceeded(tclient: httpx2.Client) -> None:
    response = _post(
        tclient, model="microsoft/phi-4", messages=[{"role": "user", "content": "word " * 20000}]
    )
    assert response.status_code == 400
    assert "maximum context length is 16384 tokens" in response.json()["error"]["message"]


def test_generation_store_matches_usage() -> None:
    sim = Simulator()
    response = sim.handle(
        "POST",
        "/api/v1/chat/completions",
        "",
        {"Authorization": "Bearer k"},
        json.dumps(
            {"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}
        ).encode(),
    )
    body = json.loads(response.body or b"")
    record = sim.generations.get(body["id"])
    assert record is not None
    assert record["total_cost"] == body["usage"]["cost"]
    assert record["tokens_prompt"] == body["usage"]["prompt_tokens"]
    assert record["provider_name"] == body["provider"]
