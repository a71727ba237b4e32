"""The official openai SDK consumes the simulator's loopback server: it speaks the protocol."""

from __future__ import annotations

import asyncio
import json

import openai
import pytest

from or_magics.offline.server import ServerThread

KEY = "sk-or-v1-test-fake"
MESSAGES = [{"role": "user", "content": "Explain how rainbows form"}]
WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}


@pytest.fixture
def sdk(live: ServerThread) -> openai.OpenAI:
    return openai.OpenAI(base_url=live.base_url, api_key=KEY, max_retries=0)


def test_non_streaming_text_and_usage(sdk: openai.OpenAI) -> None:
    result = sdk.chat.completions.create(model="openai/gpt-4o-mini", messages=MESSAGES)
    assert result.id.startswith("gen-")
    assert result.choices[0].finish_reason == "stop"
    assert "rainbow" in (result.choices[0].message.content or "").lower()
    assert result.usage is not None and result.usage.total_tokens > 0
    assert result.model_extra is not None and result.model_extra["provider"] == "OpenAI"


def test_streaming_text_and_usage(sdk: openai.OpenAI) -> None:
    stream = sdk.chat.completions.create(model="openai/gpt-4o-mini", messages=MESSAGES, stream=True)
    text, usage, finishes = "", None, []
    for chunk in stream:
        if chunk.choices:
            text += chunk.choices[0].delta.content or ""
            finishes.append(chunk.choices[0].finish_reason)
        usage = chunk.usage or usage
    reference = sdk.chat.completions.create(model="openai/gpt-4o-mini", messages=MESSAGES)
    assert text == reference.choices[0].message.content
    assert "stop" in finishes
    assert usage is not None and usage.completion_tokens == reference.usage.completion_tokens


def test_tool_call_non_streaming(sdk: openai.OpenAI) -> None:
    result = sdk.chat.completions.create(
        model="openai/gpt-4o-mini",
        messages=[{"role": "user", "content": "Weather in Berlin?"}],
        tools=[WEATHER],
    )
    (call,) = result.choices[0].message.tool_calls or []
    assert result.choices[0].finish_reason == "tool_calls"
    assert call.function.name == "get_weather"
    assert json.loads(call.function.arguments) == {"city": "Berlin"}


def test_tool_call_streaming(sdk: openai.OpenAI) -> None:
    stream = sdk.chat.completions.create(
        model="openai/gpt-4o-mini",
        messages=[{"role": "user", "content": "Weather in Berlin?"}],
        tools=[WEATHER],
        stream=True,
    )
    name, args, call_id = "", "", None
    for chunk in stream:
        for tc in (chunk.choices[0].delta.tool_calls or []) if chunk.choices else []:
            call_id = call_id or tc.id
            name += (tc.function.name or "") if tc.function else ""
            args += (tc.function.arguments or "") if tc.function else ""
    assert call_id and call_id.startswith("call_")
    assert name == "get_weather" and json.loads(args) == {"city": "Berlin"}


def test_errors_map_to_sdk_exceptions(sdk: openai.OpenAI) -> None:
    with pytest.raises(openai.RateLimitError):
        sdk.chat.completions.create(
            model="openai/gpt-4o-mini",
            messages=MESSAGES,
            extra_headers={"X-Simulator": '{"status": 429}'},
        )
    with pytest.raises(openai.APIError, match="Provider returned error"):
        for _ in sdk.chat.completions.create(
            model="openai/gpt-4o-mini",
            messages=MESSAGES,
            stream=True,
            extra_headers={"X-Simulator": '{"mid_stream_error": "choices_empty"}'},
        ):
            pass


def test_async_sdk_streaming_and_plain(live: ServerThread) -> None:
    async def run() -> tuple[str, str]:
        client = openai.AsyncOpenAI(base_url=live.base_url, api_key=KEY, max_retries=0)
        async with client:
            plain = await client.chat.completions.create(
                model="anthropic/claude-haiku-4.5", messages=MESSAGES
            )
            text = ""
            stream = await client.chat.completions.create(
                model="anthropic/claude-haiku-4.5", messages=MESSAGES, stream=True
            )
            async for chunk in stream:
                if chunk.choices:
                    text += chunk.choices[0].delta.content or ""
            return plain.choices[0].message.content or "", text

    plain, streamed = asyncio.run(run())
    assert plain == streamed and "rainbow" in plain.lower()


def test_sdk_reads_citations_images_and_token_details(sdk: openai.OpenAI) -> None:
    cited = sdk.chat.completions.create(
        model="openai/gpt-4o-mini",
        messages=[{"role": "user", "content": "Coral reefs"}],
        extra_body={"tools": [{"type": "openrouter:web_search"}]},
    )
    notes = cited.choices[0].message.annotations or []
    assert notes and notes[0].url_citation.url in (cited.choices[0].message.content or "")
    stream = sdk.chat.completions.create(
        model="google/gemini-2.5-flash-image",
        messages=[{"role": "user", "content": "A red apple"}],
        stream=True,
        extra_body={"modalities": ["image", "text"]},
    )
    images = [
        image
        for chunk in stream
        if chunk.choices
        for image in (chunk.choices[0].delta.model_extra or {}).get("images") or []
    ]
    assert images and images[0]["image_url"]["url"].startswith("data:image/png;base64,")
    manual = "Keep these rules. " * 400
    messages = [{"role": "system", "content": manual}, {"role": "user", "content": "Rule one?"}]
    extra = {"session_id": "sdk-cache", "reasoning": {"enabled": True}}
    sdk.chat.completions.create(model="openai/gpt-5-mini", messages=messages, extra_body=extra)
    again = sdk.chat.completions.create(
        model="openai/gpt-5-mini", messages=messages, extra_body=extra
    )
    assert again.usage is not None
    assert again.usage.prompt_tokens_details is not None
    assert (again.usage.prompt_tokens_details.cached_tokens or 0) >= 1024
    assert again.usage.completion_tokens_details is not None
    assert (again.usage.completion_tokens_details.reasoning_tokens or 0) > 0
