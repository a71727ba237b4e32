"""The client against the simulator served on 127.0.0.1: real sockets, real HTTP."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import threading
import time

import jsonschema
import pytest

from or_magics import (
    APIConnectionError,
    AuthenticationError,
    BadRequestError,
    Client,
    IncompleteStreamError,
    InsufficientCreditsError,
    InvalidParameterError,
    ModerationError,
    NoProviderError,
    NotFoundError,
    ProviderError,
    RateLimitError,
)

from .conftest import KEY


def test_streamed_answer_with_usage_cost_and_provider(chat):
    r = chat("Explain gradient descent", model="openai/gpt-4o-mini")
    assert len(r.text) > 200 and "gradient" in r.text.lower()
    assert r.model == "openai/gpt-4o-mini" and r.provider
    assert r.id.startswith("gen-") and r.finish_reason == "stop"
    assert r.usage.prompt_tokens > 0 and r.usage.completion_tokens > 0
    assert r.usage.total_tokens == r.usage.prompt_tokens + r.usage.completion_tokens
    assert r.usage.cost > 0
    assert r.simulated and r.done and r.ttft is not None and r.latency >= r.ttft


def test_non_streaming_gives_the_same_answer(client):
    streamed = client.chat("Same question", model="openai/gpt-4o-mini", seed=1)
    whole = client.chat("Same question", model="openai/gpt-4o-mini", seed=1, stream=False)
    assert whole.text == streamed.text
    assert whole.usage.total_tokens == streamed.usage.total_tokens


def test_free_variant_costs_nothing(chat):
    r = chat("hello", model="meta-llama/llama-3.3-70b-instruct:free")
    assert r.usage.cost == 0 and r.text


def test_reasoning_arrives_before_the_text(client):
    stream = client.stream("Why is the sky blue?", model="deepseek/deepseek-r1",
                           reasoning="high")
    kinds = [kind for kind, _ in stream.events()]
    r = stream.response
    assert r.reasoning and r.usage.reasoning_tokens > 0
    assert kinds.index("reasoning") < kinds.index("text")


def test_tool_call_arguments_fit_the_schema(chat):
    schema = {"type": "object", "properties": {
        "city": {"type": "string"}, "unit": {"type": "string", "enum": ["c", "f"]},
        "days": {"type": "integer", "minimum": 1}}, "required": ["city", "unit"]}
    tools = [{"type": "function", "function": {"name": "get_weather",
                                               "description": "Weather forecast",
                                               "parameters": schema}}]
    r = chat("Weather in Paris?", model="openai/gpt-4o-mini", tools=tools)
    assert r.finish_reason == "tool_calls"
    [call] = r.tool_calls
    assert call.name == "get_weather" and call.id
    jsonschema.validate(call.arguments, schema)
    # answer the call: the model now uses the result
    messages = [{"role": "user", "content": "Weather in Paris?"}, r.to_message(),
                {"role": "tool", "tool_call_id": call.id, "content": '{"temp": 21}'}]
    final = chat(messages, model="openai/gpt-4o-mini", tools=tools)
    assert final.finish_reason == "stop" and "21" in final.text


def test_structured_output_validates_against_the_schema(chat):
    schema = {"type": "object", "properties": {"name": {"type": "string"},
              "age": {"type": "integer"}, "tags": {"type": "array", "items": {"type": "string"}}},
              "required": ["name", "age", "tags"], "additionalProperties": False}
    r = chat("A person", model="openai/gpt-4o-mini", response_format={
        "type": "json_schema", "json_schema": {"name": "person", "schema": schema, "strict": True}})
    jsonschema.validate(r.json(), schema)


def test_online_variant_brings_citations(chat):
    r = chat("Latest on fusion energy", model="openai/gpt-4o-mini:online")
    assert len(r.citations) >= 2
    assert all(c.url.startswith("https://") and c.title for c in r.citations)
    assert r.citations[0].url in r.text


def test_routing_is_honoured_and_visible_in_the_provider(client):
    endpoints = client.endpoints("meta-llama/llama-3.3-70b-instruct")["endpoints"]
    assert len(endpoints) >= 2
    names = [e["provider_name"] for e in endpoints]
    cheapest = min(endpoints, key=lambda e: float(e["pricing"]["prompt"]))["provider_name"]
    fastest = max(endpoints, key=lambda e: e["throughput_last_30m"]["p50"])["provider_name"]
    model = "meta-llama/llama-3.3-70b-instruct"
    assert client.chat("hi", model=model, provider={"sort": "price"}).provider == cheapest
    assert client.chat("hi", model=f"{model}:nitro").provider == fastest
    assert client.chat("hi", model=model, provider={"order": [names[-1]]}).provider == names[-1]
    ignored = client.chat("hi", model=model, provider={"ignore": [cheapest]}).provider
    assert ignored != cheapest
    with pytest.raises(NotFoundError, match="No allowed providers"):
        client.chat("hi", model=model, provider={"only": ["nobody"]})


def test_fallback_models_are_used_in_order(client):
    r = client.chat("hi", model="acme/not-a-model", models=["openai/gpt-4o-mini"])
    assert r.model == "openai/gpt-4o-mini"


def test_unknown_model_is_a_one_line_bad_request(chat):
    with pytest.raises(BadRequestError) as info:
        chat("hi", model="acme/not-a-model")
    assert str(info.value) == "400 Bad request — acme/not-a-model is not a valid model ID"


def test_validation_happens_before_any_request(live, client):
    before = live.simulator.stats.snapshot()["requests"]
    with pytest.raises(InvalidParameterError, match=r"provider\.sort"):
        client.chat("hi", provider={"sort": "cheap"})
    assert live.simulator.stats.snapshot()["requests"] == before


@pytest.mark.parametrize(
    ("status", "cls", "words"),
    [(401, AuthenticationError, "401 Authentication failed"),
     (402, InsufficientCreditsError, "openrouter.ai/settings/credits"),
     (403, ModerationError, "403 Blocked by moderation"),
     (404, NotFoundError, "404 Not found"),
     (400, BadRequestError, "400 Bad request")],
)
def test_error_statuses_map_to_classes_without_retry(live, chat, status, cls, words):
    live.simulator.inject({"status": status}, times=5)
    before = live.simulator.stats.snapshot()["chat_requests"]
    with pytest.raises(cls) as info:
        chat("hi", model="openai/gpt-4o-mini")
    assert words in str(info.value) and "\n" not in str(info.value)
    assert live.simulator.stats.snapshot()["chat_requests"] - before == 1


@pytest.mark.parametrize(("status", "cls"), [(429, RateLimitError), (502, ProviderError),
                                             (503, NoProviderError), (500, ProviderError)])
def test_transient_errors_are_retried_honouring_retry_after(live, chat, status, cls):
    live.simulator.inject({"status": status, "retry_after": 0.2}, times=1)
    start = time.perf_counter()
    r = chat("hi", model="openai/gpt-4o-mini")
    assert r.text and time.perf_counter() - start >= 0.2
    live.simulator.inject({"status": status, "retry_after": 0}, times=3)
    with pytest.raises(cls):
        chat("hi", model="openai/gpt-4o-mini")


def test_provider_error_shows_the_real_cause(live, chat):
    live.simulator.inject({"status": 400, "provider_error": "OpenAI",
                           "message": "Unsupported value: 'none' for reasoning.effort"})
    with pytest.raises(BadRequestError) as info:
        chat("hi", model="openai/gpt-4o-mini")
    assert "[OpenAI] Unsupported value: 'none' for reasoning.effort" in str(info.value)


@pytest.mark.parametrize("shape", ["documented", "choices_empty", "usage_chunk", "choice",
                                   "bare", "network_error"])
def test_mid_stream_errors_keep_the_partial_answer_and_are_not_retried(live, chat, shape):
    live.simulator.inject({"mid_stream_error": shape, "after_chunks": 4, "code": 502}, times=3)
    before = live.simulator.stats.snapshot()["chat_requests"]
    with pytest.raises(ProviderError) as info:
        chat("Tell me about rivers", model="openai/gpt-4o-mini")
    partial = info.value.partial
    assert partial is not None and len(partial.text) > 0 and not partial.interrupted
    assert live.simulator.stats.snapshot()["chat_requests"] - before == 1


def test_error_before_any_content_is_retried(live, chat):
    live.simulator.inject({"mid_stream_error": "choices_empty", "after_chunks": 0,
                           "code": 502}, times=1)
    assert chat("hi", model="openai/gpt-4o-mini").text


def test_http_200_error_body(live, client):
    live.simulator.inject({"http200_error": True, "status": 402}, times=3)
    with pytest.raises(InsufficientCreditsError):
        client.chat("hi", model="openai/gpt-4o-mini", stream=False)


def test_dropped_connections(live, chat):
    live.simulator.inject({"drop": "before"}, times=1)
    assert chat("hi", model="openai/gpt-4o-mini").text  # retried on a new connection
    live.simulator.inject({"drop": "during", "after_chunks": 3}, times=3)
    with pytest.raises(APIConnectionError) as info:
        chat("hi", model="openai/gpt-4o-mini")
    assert info.value.partial.text


def test_malformed_event_and_missing_done(live, chat):
    live.simulator.inject({"malformed": True, "after_chunks": 2}, times=1)
    with pytest.raises(IncompleteStreamError, match="malformed"):
        chat("hi", model="openai/gpt-4o-mini")
    live.simulator.inject({"no_done": True})
    r = chat("hi", model="openai/gpt-4o-mini")
    assert r.text and r.finish_reason == "stop"


def test_slow_first_byte_within_timeout(live, chat):
    live.simulator.inject({"first_byte_delay": 0.3})
    start = time.perf_counter()
    r = chat("hi", model="openai/gpt-4o-mini")
    assert r.ttft >= 0.3 and time.perf_counter() - start >= 0.3


def test_read_timeout_is_a_clear_error(live):
    live.simulator.inject({"first_byte_delay": 2}, times=3)
    with Client(api_key=KEY, base_url=live.base_url, timeout=0.3, max_retries=0) as c, \
            pytest.raises(Exception) as info:
        c.chat("hi", model="openai/gpt-4o-mini")
    assert "timeout" in str(info.value).lower() and "\n" not in str(info.value)


@pytest.mark.parametrize("usage_style", ["2025", "mar2026", "mid2026"])
@pytest.mark.parametrize("line_ending", ["\n", "\r\n"])
def test_every_usage_chunk_shape_and_line_ending(live, client, usage_style, line_ending):
    live.simulator.inject({"usage_style": usage_style, "line_ending": line_ending,
                           "keepalives": 3})
    r = client.chat("hi", model="openai/gpt-4o-mini")
    assert r.usage.total_tokens > 0 and r.usage.cost > 0 and r.finish_reason == "stop"


def test_one_connection_for_many_sequential_calls(live, client):
    client.chat("warm up", model="openai/gpt-4o-mini")
    before = live.simulator.stats.snapshot()["connections"]
    for i in range(25):
        client.chat(f"question {i}", model="openai/gpt-4o-mini")
    assert live.simulator.stats.snapshot()["connections"] == before


def test_interrupt_closes_the_stream_and_keeps_the_partial(live):
    """Ctrl-C in the main thread (what a kernel interrupt is) while a slow answer streams."""
    live.simulator.inject({"token_rate": 50, "answer_bytes": 4000})
    client = Client(api_key=KEY, base_url=live.base_url)
    aborted = live.simulator.stats.snapshot()["streams_aborted"]
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    stream = client.stream("A long story", model="openai/gpt-4o-mini")
    with pytest.raises(KeyboardInterrupt):
        for _ in stream:
            pass
    r = stream.response
    assert r.interrupted and 0 < len(r.text) < 4000
    assert client.last_response is r
    deadline = time.monotonic() + 2
    while live.simulator.stats.snapshot()["streams_aborted"] == aborted:
        assert time.monotonic() < deadline, "the server never saw the hang-up"
        time.sleep(0.02)
    assert client.chat("next", model="openai/gpt-4o-mini").text  # and the next call works


def test_sync_chat_interrupt_keeps_the_partial_in_last_response(live):
    live.simulator.inject({"token_rate": 50, "answer_bytes": 4000})
    client = Client(api_key=KEY, base_url=live.base_url)
    threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT)).start()
    with pytest.raises(KeyboardInterrupt):
        client.chat("A long story", model="openai/gpt-4o-mini")
    assert client.last_response.interrupted and client.last_response.text


def test_breaking_out_of_a_stream_stops_it(live, client):
    live.simulator.inject({"token_rate": 100, "answer_bytes": 4000})
    stream = client.stream("hi", model="openai/gpt-4o-mini")
    for _ in stream:
        break
    assert stream.response.interrupted


def test_async_cancellation_closes_the_stream(live, client):
    live.simulator.inject({"token_rate": 50, "answer_bytes": 4000})
    aborted = live.simulator.stats.snapshot()["streams_aborted"]

    async def main():
        task = asyncio.ensure_future(client.achat("hi", model="openai/gpt-4o-mini"))
        await asyncio.sleep(0.4)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())
    deadline = time.monotonic() + 2  # the cancel crosses to the client's loop thread
    while (live.simulator.stats.snapshot()["streams_aborted"] == aborted
           or not client.last_response.interrupted):
        assert time.monotonic() < deadline, "the stream was not closed"
        time.sleep(0.02)
    assert client.last_response.text


def test_astream_from_a_foreign_event_loop(client):
    async def main():
        return [text async for text in client.astream("hi", model="openai/gpt-4o-mini")]

    parts = asyncio.run(main())
    assert len(parts) > 3 and "".join(parts) == client.last_response.text


def test_batch_keeps_order_and_returns_failures_as_values(live, client):
    live.simulator.inject({"status": 402}, times=1)
    prompts = [f"Question number {i}" for i in range(6)]
    results = client.batch(prompts, model="openai/gpt-4o-mini", concurrency=3)
    failures = [r for r in results if isinstance(r, Exception)]
    assert len(results) == 6 and len(failures) == 1
    assert isinstance(failures[0], InsufficientCreditsError)
    for prompt, result in zip(prompts, results, strict=True):
        if not isinstance(result, Exception):
            assert result.request["messages"][-1]["content"] == prompt and result.text


def test_abatch(client):
    results = asyncio.run(client.abatch(["a", "b"], model="openai/gpt-4o-mini"))
    assert [r.done for r in results] == [True, True]


def test_models_are_fetched_once_and_searchable(live, client):
    models = client.models(refresh=True)
    assert len(models) >= 30 and len({m.author for m in models}) >= 12
    requests = live.simulator.stats.snapshot()["requests"]
    claude = client.models("claude")
    assert claude and all("claude" in (m.id + m.name + m.description).lower() for m in claude)
    tools = client.models(supports=["tools"], input_modalities=["image"])
    assert tools and all(m.supports("tools") and "image" in m.input_modalities for m in tools)
    free = client.models(free=True)
    assert free and all(m.is_free for m in free)
    assert live.simulator.stats.snapshot()["requests"] == requests  # cached
    gpt = client.model_info("openai/gpt-4o-mini:free")
    assert gpt.id == "openai/gpt-4o-mini" and gpt.prompt_price > 0
    with pytest.raises(NotFoundError, match="did you mean"):
        client.model_info("openai/gpt-4o-mimi")
    assert asyncio.run(client.amodels("claude")) == claude


def test_endpoints_generation_key_credits_providers_embeddings(client):
    info = client.endpoints("openai/gpt-4o")
    assert info["id"] == "openai/gpt-4o" and info["endpoints"][0]["pricing"]["prompt"]
    r = client.chat("hi", model="openai/gpt-4o-mini")
    stats = client.generation(r.id)
    assert stats["id"] == r.id and stats["total_cost"] == pytest.approx(r.usage.cost)
    key = client.key_info()
    assert "limit" in key and KEY not in json.dumps(key)
    before = client.credits()
    spent = client.chat("hi again", model="openai/gpt-4o").usage.cost
    after = client.credits()
    assert spent > 0 and after["total_credits"] == before["total_credits"] == 100
    assert after["total_usage"] - before["total_usage"] == pytest.approx(spent)
    assert any(p["slug"] for p in client.providers())
    emb = client.embeddings(["a", "b", "c"], model="openai/text-embedding-3-small")
    assert len(emb.vectors) == 3 and len({len(v) for v in emb.vectors}) == 1
    assert emb.usage.prompt_tokens > 0
    with pytest.raises(NotFoundError):
        client.endpoints("acme/nothing")


def test_a_missing_key_is_refused_by_the_server(live, monkeypatch):
    monkeypatch.delenv("OPENROUTER_API_KEY", raising=False)
    with Client(base_url=live.base_url) as c, pytest.raises(AuthenticationError) as info:
        c.chat("hi")
    assert "no API key was sent" in str(info.value)


def test_offline_client_needs_no_key_or_network(monkeypatch):
    monkeypatch.delenv("OPENROUTER_API_KEY", raising=False)
    with Client(offline=True) as c:
        r = c.chat("Explain recursion")
        assert r.simulated and r.text and "offline" in repr(c)
        assert len(c.models()) >= 30


@pytest.mark.parametrize(("name", "args"), [
    ("models", ("claude",)), ("model_info", ("openai/gpt-4o",)),
    ("endpoints", ("openai/gpt-4o",)), ("key_info", ()), ("credits", ()),
    ("providers", ()),
])
def test_every_endpoint_has_an_async_twin_with_the_same_answer(client, name, args):
    sync = getattr(client, name)(*args)
    twin = asyncio.run(getattr(client, f"a{name}")(*args))
    if name == "credits":  # spending elsewhere in the run may move the figures
        assert twin.keys() == sync.keys()
    else:
        assert twin == sync


def test_async_generation_and_embeddings(client):
    r = client.chat("hi", model="openai/gpt-4o-mini")
    stats = asyncio.run(client.ageneration(r.id))
    assert stats["id"] == r.id
    emb = asyncio.run(client.aembeddings(["a", "b"], model="openai/text-embedding-3-small"))
    assert len(emb.vectors) == 2


def test_the_model_cache_belongs_to_the_client(live):
    """Two clients of one server fetch the catalogue once each, not once per process."""
    before = live.simulator.stats.snapshot()["requests"]
    with Client(api_key=KEY, base_url=live.base_url) as one, \
            Client(api_key=KEY, base_url=live.base_url) as two:
        one.models(), one.models(), two.models()
    assert live.simulator.stats.snapshot()["requests"] - before == 2
