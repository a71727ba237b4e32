"""The client against OpenRouter's real stream shapes, through httpx2.MockTransport."""

from __future__ import annotations

import asyncio
import json
import random

import httpx2
import pytest

from or_magics import (
    BadRequestError,
    Client,
    IncompleteStreamError,
    InsufficientCreditsError,
    ProviderError,
    RateLimitError,
    Response,
)

from . import wire_examples as ex

KEY = "sk-or-v1-test-0123456789abcdef"


class Chunks(httpx2.AsyncByteStream):
    def __init__(self, body: bytes, pieces: int | None = None, seed: int = 0) -> None:
        self.reads = [body]
        if pieces:
            rng = random.Random(seed)
            cuts = sorted(rng.sample(range(1, len(body)), min(pieces, len(body) - 1)))
            self.reads = [body[a:b] for a, b in zip([0, *cuts], [*cuts, len(body)], strict=True)]

    async def __aiter__(self):
        for read in self.reads:
            yield read


def sse(body: str, pieces: int | None = None, status: int = 200) -> httpx2.MockTransport:
    def handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(status, headers={"content-type": "text/event-stream"},
                              stream=Chunks(body.encode(), pieces))
    return httpx2.MockTransport(handler)


def client_for(transport: httpx2.MockTransport, **kwargs) -> Client:
    return Client(api_key=KEY, transport=transport, **kwargs)


@pytest.fixture(params=["sync", "async"])
def ask(request):
    """One test body for the sync and the async face (as openai-python tests do)."""
    def run(client: Client, prompt="hi", **params) -> Response:
        if request.param == "sync":
            return client.chat(prompt, **params)
        return asyncio.run(client.achat(prompt, **params))
    return run


@pytest.mark.parametrize("pieces", [None, 7, 200])
def test_example_a_2025_format_with_keepalives_and_fallback_model(ask, pieces):
    r = ask(client_for(sse(ex.EXAMPLE_A, pieces)), model="google/gemini-2.0-flash-exp:free",
            models=["x-ai/grok-4"])
    assert r.text == "Why?"
    assert (r.model, r.provider) == ("x-ai/grok-4", "xAI")
    assert r.id == "gen-1762064096-m5VxL2xrxOREwashCey6"
    assert (r.finish_reason, r.native_finish_reason) == ("stop", "completed")
    u = r.usage
    assert (u.prompt_tokens, u.completion_tokens, u.total_tokens) == (687, 187, 874)
    assert u.cost == pytest.approx(0.00333825)
    assert (u.reasoning_tokens, u.cached_tokens) == (118, 679)
    assert r.done and r.error is None and r.latency is not None


def test_example_b_reasoning_and_merged_reasoning_details(ask):
    r = ask(client_for(sse(ex.EXAMPLE_B, 13)))
    assert r.text == "2 + 2 = 4"
    assert r.reasoning == "This is a simple arithmetic question. "
    assert r.usage.reasoning_tokens == 30
    [detail] = r.reasoning_details
    assert detail["text"] == "This is a simple arithmetic question. "
    assert detail["signature"] == "Et0BCkgIChACGAIqQA"
    assert r.to_message()["reasoning_details"] == r.reasoning_details


def test_example_c_citations_and_repeated_finish_reason(ask):
    r = ask(client_for(sse(ex.EXAMPLE_C)))
    assert r.text == "https://github.com/pydantic/pydantic-ai"
    assert [c.url for c in r.citations] == ["https://github.com/pydantic/pydantic-ai",
                                            "https://ai.pydantic.dev"]
    assert r.citations[0].title.startswith("AI Agent Framework")
    assert r.finish_reason == "stop"
    assert r.usage.total_tokens == 2370 and r.usage.cost == pytest.approx(0.00765091690)


def test_example_d_tool_call_with_only_empty_argument_fragments(ask):
    r = ask(client_for(sse(ex.EXAMPLE_D)))
    [call] = r.tool_calls
    assert (call.id, call.name, call.arguments) == (
        "toolu_bdrk_01AMXFNuQYF6fxS1hryPtu9K", "get_all_tabs", {})
    assert r.text == "" and r.finish_reason == "tool_calls"
    assert r.usage.prompt_tokens == 25105 and r.usage.cost is None


def test_tool_arguments_assembled_by_index_and_parsed(ask):
    r = ask(client_for(sse(ex.TOOL_FRAGMENTS, 31)))
    assert [(c.id, c.name, c.arguments) for c in r.tool_calls] == [
        ("call_1", "test-tool", {"value": "Sparkle Day"}), ("call_2", "other", {"n": 2})]
    assert r.to_message()["tool_calls"][0]["function"]["arguments"] == '{"value":"Sparkle Day"}'


def test_example_e_error_on_the_usage_chunk_keeps_the_partial_answer(ask):
    with pytest.raises(BadRequestError) as info:
        ask(client_for(sse(ex.EXAMPLE_E)))
    error = info.value
    assert str(error) == "400 Bad request — Token limit reached"
    assert error.partial is not None
    assert error.partial.text == "Hi" and error.partial.reasoning == "We need to respond."
    assert error.partial.usage.total_tokens == 53


def test_example_g_image_output(ask):
    r = ask(client_for(sse(ex.EXAMPLE_G)))
    assert r.text == "Here you go: "
    assert r.images == ["data:image/png;base64,iVBORw0KGgo="]


def test_images_in_any_shape_never_break_the_answer(ask):
    url = "data:image/png;base64,iVBORw0KGgo="
    odd = [{"image_url": url}, {"image_url": 5}, "not a dict", {"type": "image_url"},
           {"image_url": {"url": url}}]
    body = (chunk("Here", choice={"delta": {"content": "Here", "images": odd}})
            + chunk(" too", choice={"delta": {"content": " too", "images": 7}})
            + chunk("", choice={"finish_reason": "stop"}) + "data: [DONE]\n\n")
    r = ask(client_for(sse(body)))
    assert r.text == "Here too" and r.images == [url, url]
    assert r.images[0].mime == "image/png" and r.images[0].data == b"\x89PNG\r\n\x1a\n"


def chunk(content: str = "", **extra) -> str:
    choice = {"index": 0, "delta": {"role": "assistant", "content": content},
              "finish_reason": None, "native_finish_reason": None}
    choice.update(extra.pop("choice", {}))
    return "data: " + json.dumps({"id": "gen-x", "model": "m/x", "provider": "P",
                                  "choices": [choice], **extra}) + "\n\n"


HELLO = chunk("Hello") + chunk(" there")


@pytest.mark.parametrize(
    ("tail", "cls", "words"),
    [
        # documented: top-level error plus a choice with finish_reason "error"
        (chunk(error={"code": 429, "message": "Rate limit exceeded", "metadata": {
            "error_type": "rate_limit_exceeded"}}, choice={"finish_reason": "error"}),
         RateLimitError, "Rate limit exceeded"),
        # top-level error with choices [] (Aug 2026), string code
        ('data: {"id":"g","choices":[],"error":{"code":"server_error","message":"Server tool '
         'request failed","metadata":{"error_type":"invalid_request"}}}\n\n',
         ProviderError, "Server tool request failed"),
        # error inside the choice, with the provider's cause
        (chunk(choice={"error": {"message": "Error processing stream", "code": 502, "metadata": {
            "provider_name": "DeepInfra", "raw": {"retryable": True}}},
            "finish_reason": "error", "native_finish_reason": "error"}),
         ProviderError, "[DeepInfra] Error processing stream"),
        # bare error event with a JSON-encoded upstream body in the message
        ('data: {"error":{"message":"Provider returned error","code":429,"metadata":'
         '{"provider_name":"Google","raw":"{\\"error\\":{\\"code\\":429,\\"message\\":'
         '\\"Resource exhausted\\"}}"}}}\n\n', RateLimitError, "[Google] Resource exhausted"),
        # silent failure: finish_reason stop but native network_error, no usage
        (chunk(choice={"finish_reason": "stop", "native_finish_reason": "network_error"}),
         ProviderError, "network_error"),
        # finish_reason error with no error object at all
        (chunk(choice={"finish_reason": "error"}), ProviderError, "failed mid-answer"),
    ],
)
@pytest.mark.parametrize("done", [True, False])
def test_every_mid_stream_error_shape_raises_its_class_with_the_partial(ask, tail, cls, words,
                                                                        done):
    body = HELLO + tail + ("data: [DONE]\n\n" if done else "")
    with pytest.raises(cls) as info:
        ask(client_for(sse(body)))
    assert words in str(info.value)
    assert "\n" not in str(info.value)
    assert info.value.partial.text == "Hello there"


def test_a_stream_that_stops_without_finish_or_done_is_incomplete(ask):
    with pytest.raises(IncompleteStreamError) as info:
        ask(client_for(sse(HELLO)))
    assert info.value.partial.text == "Hello there"


def test_a_finished_stream_without_done_is_accepted(ask):
    r = ask(client_for(sse(HELLO + chunk(choice={"finish_reason": "stop"}))))
    assert r.text == "Hello there" and r.finish_reason == "stop"


def test_a_malformed_event_is_an_error_with_the_partial(ask):
    with pytest.raises(IncompleteStreamError, match="malformed") as info:
        ask(client_for(sse(HELLO + "data: {not json\n\n")))
    assert info.value.partial.text == "Hello there"


def test_null_content_and_role_on_every_delta(ask):
    body = (chunk(choice={"delta": {"role": "assistant", "content": None}})
            + HELLO + chunk(choice={"finish_reason": "stop"}) + "data: [DONE]\n\n")
    assert ask(client_for(sse(body))).text == "Hello there"


def test_http_200_with_an_error_body_is_an_error(ask):
    body = {"error": {"code": 402, "message": "This request requires more credits, or fewer "
            "max_tokens.", "metadata": {"provider_name": None}}, "user_id": "user_1"}
    transport = httpx2.MockTransport(lambda r: httpx2.Response(200, json=body))
    with pytest.raises(InsufficientCreditsError) as info:
        ask(client_for(transport, max_retries=0))
    assert str(info.value).startswith("402 Insufficient credits — This request requires more")
    assert "openrouter.ai/settings/credits" in str(info.value)


def test_non_streaming_answer_gives_the_same_response(ask):
    body = {"id": "gen-9", "object": "chat.completion", "model": "deepseek/deepseek-chat",
            "provider": "OpenAI", "choices": [{"index": 0, "finish_reason": "tool_calls",
            "native_finish_reason": "tool_calls", "message": {"role": "assistant",
            "content": "Looking it up", "reasoning": "Need a tool", "tool_calls": [
                {"id": "c1", "type": "function", "index": 0, "function": {
                    "name": "lookup", "arguments": "{\"q\": \"x\"}"}}],
            "annotations": [{"type": "url_citation", "url_citation": {"url": "https://e.org",
                             "title": "E"}}]}}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15,
                      "cost": 0.5, "prompt_tokens_details": {"cached_tokens": 4}}}
    seen = {}

    def handler(request):
        seen.update(json.loads(request.content))
        return httpx2.Response(200, json=body)

    r = ask(client_for(httpx2.MockTransport(handler)), stream=False)
    assert seen["stream"] is False
    assert (r.text, r.reasoning, r.model, r.provider) == (
        "Looking it up", "Need a tool", "deepseek/deepseek-chat", "OpenAI")
    assert r.tool_calls[0].arguments == {"q": "x"}
    assert r.citations[0].url == "https://e.org"
    assert (r.usage.cost, r.usage.cached_tokens) == (0.5, 4)
    assert r.done


def test_stream_iterates_text_and_keeps_the_response():
    client = client_for(sse(ex.EXAMPLE_B, 5))
    stream = client.stream("2+2?")
    assert list(stream) == ["2 ", "+ 2 = 4"]
    assert stream.response.text == "2 + 2 = 4" and stream.response.done


def test_stream_events_carry_reasoning_then_text():
    events = list(client_for(sse(ex.EXAMPLE_B)).stream("2+2?").events())
    kinds = [kind for kind, _ in events]
    assert kinds.index("reasoning") < kinds.index("text")
    reasoning = "".join(t for k, t in events if k == "reasoning")
    assert reasoning == "This is a simple arithmetic question. "


def test_astream_yields_text_deltas():
    async def main():
        return [t async for t in client_for(sse(ex.EXAMPLE_A)).astream("hi")]
    assert asyncio.run(main()) == ["Why", "?"]


def test_response_display_looks_like_a_streamed_answer():
    r = client_for(sse(ex.EXAMPLE_A)).chat("hi")
    bundle = r._repr_mimebundle_()
    assert bundle["text/plain"] == "Why?"
    assert bundle["text/markdown"].startswith("*x-ai/grok-4 · xAI*\n\nWhy?\n\n*687 → 187 tokens")
    assert "\\$0.003338" in bundle["text/markdown"]
    assert "<p>Why?</p>" in bundle["text/html"] and "687 → 187 tokens" in bundle["text/html"]
    assert str(r) == "Why?" and "x-ai/grok-4" in repr(r)


def test_a_displayed_response_escapes_model_html_in_every_rich_format():
    payload = "Look <img src=x onerror=alert(1)> and <script>alert(2)</script> `<b>`"
    r = client_for(sse(ex.EXAMPLE_A)).chat("hi")
    r.chunks[:] = [payload]
    bundle = r._repr_mimebundle_()
    assert bundle["text/plain"] == payload  # the raw answer, as written
    for kind in ("text/markdown", "text/html"):
        assert "<img" not in bundle[kind] and "<script" not in bundle[kind], kind
    assert "`<b>`" in bundle["text/markdown"]  # code spans stay code
