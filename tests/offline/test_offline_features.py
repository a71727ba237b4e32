"""Reasoning, tools, structured outputs, web search and multimodal input."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import httpx2
import jsonschema
import pytest

from . import samples
from .helpers import Event, content_of, data_chunks

Chat = Callable[..., dict[str, Any]]
Stream = Callable[..., list[Event]]

WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather for a city",
        "parameters": {
            "type": "object",
            "properties": {
                "location": {"type": "string", "description": "City name"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            },
            "required": ["location"],
        },
    },
}
BOOKING = {
    "type": "function",
    "function": {
        "name": "book_table",
        "parameters": {
            "type": "object",
            "properties": {
                "restaurant": {"type": "string", "minLength": 3},
                "party": {"type": "integer", "minimum": 1, "maximum": 12},
                "when": {"type": "string", "format": "date-time"},
                "options": {
                    "type": "object",
                    "properties": {
                        "outdoor": {"type": "boolean"},
                        "diet": {
                            "type": "array",
                            "items": {"enum": ["vegan", "halal", "none"]},
                            "minItems": 1,
                        },
                    },
                    "required": ["outdoor", "diet"],
                },
                "code": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{2}$"},
            },
            "required": ["restaurant", "party", "when", "options", "code"],
            "additionalProperties": False,
        },
    },
}
RECIPE_SCHEMA = {
    "type": "object",
    "properties": {
        "title": {"type": "string"},
        "servings": {"type": "integer", "minimum": 1},
        "ingredients": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "grams": {"type": "number"}},
                "required": ["name", "grams"],
                "additionalProperties": False,
            },
            "minItems": 2,
        },
        "difficulty": {"type": "string", "enum": ["easy", "medium", "hard"]},
        "notes": {"anyOf": [{"type": "string"}, {"type": "null"}]},
    },
    "required": ["title", "servings", "ingredients", "difficulty", "notes"],
    "additionalProperties": False,
}


# -- reasoning ------------------------------------------------------------------------------
def test_reasoning_streams_before_content_with_keepalives(stream: Stream) -> None:
    events = stream(
        "Is 97 prime?", model="anthropic/claude-sonnet-4.5", reasoning={"enabled": True}
    )
    first_data = next(i for i, e in enumerate(events) if not e.comment)
    assert any(e.comment for e in events[first_data:]), "mid-stream keep-alive expected"
    chunks = data_chunks(events)
    deltas = [c["choices"][0]["delta"] for c in chunks if c["choices"]]
    reasoning_at = [i for i, d in enumerate(deltas) if d.get("reasoning")]
    content_at = [i for i, d in enumerate(deltas) if d.get("content")]
    assert reasoning_at and content_at and max(reasoning_at) < min(content_at)
    details = [x for d in deltas for x in d.get("reasoning_details") or []]
    assert all(x["type"] == "reasoning.text" for x in details)
    assert {x["format"] for x in details} == {"anthropic-claude-v1"}
    usage = chunks[-1]["usage"]
    assert usage["completion_tokens_details"]["reasoning_tokens"] > 0


@pytest.mark.parametrize(
    "request_fields",
    [
        {"reasoning": {"effort": "high"}},
        {"reasoning_effort": "low"},
        {"include_reasoning": True},
    ],
)
def test_reasoning_switches(chat: Chat, request_fields: dict[str, Any]) -> None:
    body = chat("Plan a picnic", model="deepseek/deepseek-chat-v3.1", **request_fields)
    message = body["choices"][0]["message"]
    assert message["reasoning"]
    assert body["usage"]["completion_tokens_details"]["reasoning_tokens"] > 0


def test_thinking_variant_and_mandatory_reasoning(chat: Chat) -> None:
    plain = chat("Plan a picnic", model="deepseek/deepseek-chat-v3.1")
    assert plain["choices"][0]["message"]["reasoning"] is None
    thinking = chat("Plan a picnic", model="deepseek/deepseek-chat-v3.1:thinking")
    assert thinking["choices"][0]["message"]["reasoning"]
    mandatory = chat("Plan a picnic", model="deepseek/deepseek-r1")
    assert mandatory["choices"][0]["message"]["reasoning"]


def test_reasoning_exclude_hides_but_counts(chat: Chat) -> None:
    body = chat("Plan a picnic", model="deepseek/deepseek-r1", reasoning={"exclude": True})
    assert body["choices"][0]["message"]["reasoning"] is None
    assert body["usage"]["completion_tokens_details"]["reasoning_tokens"] > 0


def test_reasoning_effort_scales_length(chat: Chat) -> None:
    low = chat("Plan a picnic", model="openai/o3", reasoning={"effort": "low"})
    high = chat("Plan a picnic", model="openai/o3", reasoning={"effort": "high"})
    assert len(high["choices"][0]["message"]["reasoning"]) > len(
        low["choices"][0]["message"]["reasoning"]
    )


def test_reasoning_max_tokens_is_a_budget(chat: Chat) -> None:
    model = "anthropic/claude-sonnet-4.5"
    free = chat("Plan a picnic", model=model, reasoning={"enabled": True})
    capped = chat("Plan a picnic", model=model, reasoning={"max_tokens": 20})
    spent = capped["usage"]["completion_tokens_details"]["reasoning_tokens"]
    assert 0 < spent <= 20 < free["usage"]["completion_tokens_details"]["reasoning_tokens"]


def test_reasoning_shows_the_working_of_the_answer(chat: Chat) -> None:
    body = chat("Which prime comes right after 7?", model="deepseek/deepseek-r1")
    message = body["choices"][0]["message"]
    assert "9 = 3 × 3" in message["reasoning"] and "a direct answer" in message["reasoning"]
    assert "**11**" in message["content"]


def test_excluded_reasoning_is_not_streamed_but_counted(stream: Stream) -> None:
    chunks = data_chunks(
        stream("Is 97 prime?", model="deepseek/deepseek-r1", reasoning={"exclude": True})
    )
    assert not any(c["choices"] and c["choices"][0]["delta"].get("reasoning") for c in chunks)
    assert chunks[-1]["usage"]["completion_tokens_details"]["reasoning_tokens"] > 0


def test_disabling_mandatory_reasoning_is_a_provider_error(tclient: httpx2.Client) -> None:
    response = tclient.post(
        "/chat/completions",
        json={
            "model": "openai/o3",
            "reasoning": {"effort": "none"},
            "messages": [{"role": "user", "content": "hi"}],
        },
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["message"] == "Provider returned error"
    assert "mandatory" in json.loads(error["metadata"]["raw"])["error"]["message"]


# -- tools ----------------------------------------------------------------------------------
def _calls(body: dict[str, Any]) -> list[dict[str, Any]]:
    return body["choices"][0]["message"]["tool_calls"]


def test_tool_call_arguments_validate_and_use_prompt(chat: Chat) -> None:
    body = chat("What's the weather in Lisbon today?", tools=[WEATHER])
    choice = body["choices"][0]
    assert choice["finish_reason"] == "tool_calls"
    (call,) = _calls(body)
    assert call["type"] == "function" and call["id"].startswith("call_")
    args = json.loads(call["function"]["arguments"])
    jsonschema.validate(args, WEATHER["function"]["parameters"])
    assert args["location"] == "Lisbon"


def test_complex_schema_arguments_validate(chat: Chat) -> None:
    body = chat(
        "Book a table at Luigi for four people",
        tools=[WEATHER, BOOKING],
        tool_choice={"type": "function", "function": {"name": "book_table"}},
    )
    (call,) = _calls(body)
    assert call["function"]["name"] == "book_table"
    jsonschema.validate(
        json.loads(call["function"]["arguments"]), BOOKING["function"]["parameters"]
    )


def test_parallel_calls_one_per_city(chat: Chat) -> None:
    calls = _calls(chat("Compare the weather in Paris and Tokyo", tools=[WEATHER]))
    assert [json.loads(c["function"]["arguments"])["location"] for c in calls] == ["Paris", "Tokyo"]
    single = _calls(
        chat("Compare the weather in Paris and Tokyo", tools=[WEATHER], parallel_tool_calls=False)
    )
    assert len(single) == 1


def test_tool_choice_none_answers_in_text(chat: Chat) -> None:
    body = chat("Weather in Oslo?", tools=[WEATHER], tool_choice="none")
    assert "tool_calls" not in body["choices"][0]["message"]
    assert body["choices"][0]["finish_reason"] == "stop"


def test_tool_call_streams_openai_style(stream: Stream) -> None:
    chunks = data_chunks(stream("Weather in Rome?", tools=[WEATHER]))
    frags = [
        (c["choices"][0]["delta"], tc)
        for c in chunks
        if c["choices"]
        for tc in c["choices"][0]["delta"].get("tool_calls") or []
    ]
    (first_delta, first), *rest = frags
    assert first_delta["content"] is None
    assert set(first) == {"index", "id", "type", "function"}
    assert first["function"] == {"name": "get_weather", "arguments": ""}
    assert rest and all(set(tc) == {"index", "function"} for _, tc in rest)
    args = "".join(tc["function"]["arguments"] for _, tc in rest)
    assert json.loads(args)["location"] == "Rome"
    finishes = [c["choices"][0]["finish_reason"] for c in chunks if c["choices"]]
    assert "tool_calls" in finishes


def test_tool_results_are_used_in_the_answer(chat: Chat) -> None:
    messages = [
        {"role": "user", "content": "What's the weather in Paris?"},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": '{"location": "Paris"}'},
                }
            ],
        },
        {
            "role": "tool",
            "tool_call_id": "call_1",
            "content": '{"temperature_c": 21, "sky": "sunny"}',
        },
    ]
    body = chat(messages, tools=[WEATHER])
    text = body["choices"][0]["message"]["content"]
    assert body["choices"][0]["finish_reason"] == "stop"
    assert "get_weather" in text and "sunny" in text and "21" in text


# -- structured output -------------------------------------------------------------------------
def test_json_schema_output_validates(chat: Chat) -> None:
    body = chat(
        "Give me a pancake recipe",
        response_format={
            "type": "json_schema",
            "json_schema": {"name": "recipe", "strict": True, "schema": RECIPE_SCHEMA},
        },
    )
    jsonschema.validate(json.loads(body["choices"][0]["message"]["content"]), RECIPE_SCHEMA)


def test_json_schema_output_streams_valid_json(stream: Stream) -> None:
    chunks = data_chunks(
        stream(
            "Give me a pancake recipe",
            response_format={
                "type": "json_schema",
                "json_schema": {"name": "recipe", "schema": RECIPE_SCHEMA},
            },
        )
    )
    jsonschema.validate(json.loads(content_of(chunks)), RECIPE_SCHEMA)


# -- web search --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "fields",
    [
        {"model": "openai/gpt-4o-mini:online"},
        {"plugins": [{"id": "web", "max_results": 3}]},
        {"tools": [{"type": "openrouter:web_search"}]},
    ],
)
def test_web_search_citations(stream: Stream, fields: dict[str, Any]) -> None:
    chunks = data_chunks(stream("Latest research on coral reef recovery", **fields))
    deltas = [c["choices"][0]["delta"] for c in chunks if c["choices"]]
    notes = [d["annotations"] for d in deltas if d.get("annotations")]
    assert notes and all(len(n) == 1 for n in notes)
    first_text = next(i for i, d in enumerate(deltas) if d.get("content"))
    assert max(i for i, d in enumerate(deltas) if d.get("annotations")) < first_text
    text = content_of(chunks)
    for i, (note,) in enumerate(notes, start=1):
        assert note["type"] == "url_citation"
        url = note["url_citation"]["url"]
        assert ".example" in url or "example." in url
        assert f"[{i}]({url})" in text
    usage = chunks[-1]["usage"]
    assert usage["server_tool_use_details"]["web_search_requests"] == 1


# -- multimodal (more in test_offline_media.py) ------------------------------------------------
PNG = samples.data_url("image/png", samples.png(64, 48))
PDF = samples.data_url("application/pdf", samples.pdf(["Revenue grew", "Costs fell"]))


def test_image_and_pdf_are_acknowledged(chat: Chat) -> None:
    parts = [
        {"type": "text", "text": "Describe this chart and summarise the report"},
        {"type": "image_url", "image_url": {"url": PNG}},
        {"type": "file", "file": {"filename": "quarterly-report.pdf", "file_data": PDF}},
    ]
    body = chat([{"role": "user", "content": parts}], model="openai/gpt-4o")
    text = body["choices"][0]["message"]["content"]
    assert "a PNG of 64 × 48 pixels" in text
    assert "**quarterly-report.pdf**: a PDF of 2 pages" in text
    text_only = chat("Describe this chart and summarise the report", model="openai/gpt-4o")
    assert body["usage"]["prompt_tokens"] > text_only["usage"]["prompt_tokens"] + 50


def test_image_to_text_only_model_is_404(tclient: httpx2.Client) -> None:
    parts = [
        {"type": "text", "text": "What is this?"},
        {"type": "image_url", "image_url": {"url": PNG}},
    ]
    response = tclient.post(
        "/chat/completions",
        json={
            "model": "meta-llama/llama-3.3-70b-instruct",
            "messages": [{"role": "user", "content": parts}],
        },
    )
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "No endpoints found that support image input"


def test_image_output_model_returns_png(chat: Chat) -> None:
    body = chat(
        "A lighthouse at dusk", model="google/gemini-2.5-flash-image", modalities=["image", "text"]
    )
    (image,) = body["choices"][0]["message"]["images"]
    url = image["image_url"]["url"]
    assert base64.b64decode(url.split(",", 1)[1]).startswith(b"\x89PNG\r\n\x1a\n")
    assert body["usage"]["completion_tokens_details"]["image_tokens"] > 0
