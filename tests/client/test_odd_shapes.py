"""Valid JSON in shapes no OpenAI-compatible server should send, and bodies that are not the
API at all: text where it can be read, else one typed line with the answer so far kept."""

from __future__ import annotations

import asyncio
import copy
import json
from typing import Any

import httpx2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from or_magics import (
    Client,
    IncompleteStreamError,
    OpenRouterError,
    Response,
    UnexpectedResponseError,
)

KEY = "sk-or-v1-test-" + "0dd5" * 8

CHUNK = {"id": "gen-1", "object": "chat.completion.chunk", "created": 1, "model": "m/x",
         "provider": "P", "choices": [{"index": 0, "delta": {"role": "assistant",
         "content": "Hello"}, "finish_reason": None, "native_finish_reason": None}]}
TOOL = {"id": "gen-1", "model": "m/x", "choices": [{"index": 0, "delta": {"tool_calls": [
    {"index": 0, "id": "c1", "type": "function",
     "function": {"name": "f", "arguments": "{\"a\": 1}"}}]}, "finish_reason": None}]}
FINISH = {"id": "gen-1", "model": "m/x", "choices": [{"index": 0, "delta": {},
          "finish_reason": "stop", "native_finish_reason": "stop"}],
          "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5, "cost": 0.1,
                    "prompt_tokens_details": {"cached_tokens": 0},
                    "completion_tokens_details": {"reasoning_tokens": 0}}}
BODY = {"id": "gen-1", "object": "chat.completion", "model": "m/x", "provider": "P",
        "choices": [{"index": 0, "finish_reason": "stop", "message": {
            "role": "assistant", "content": "Hello", "tool_calls": [
                {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}],
            "annotations": [{"type": "url_citation", "url_citation": {"url": "https://e.org"}}]}}],
        "usage": FINISH["usage"]}


def sse(*events: Any) -> bytes:
    return b"".join(b"data: " + json.dumps(e).encode() + b"\n\n" for e in events) \
        + b"data: [DONE]\n\n"


class Server:
    """A MockTransport handler answering every request with one response, counting them."""

    def __init__(self, response: httpx2.Response | None = None, **kwargs: Any) -> None:
        self.kwargs = kwargs if response is None else None
        self.response = response
        self.requests = 0

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests += 1
        if self.response is not None:
            return self.response
        return httpx2.Response(**self.kwargs)


def streamed(*events: Any) -> Server:
    return Server(status_code=200, headers={"content-type": "text/event-stream"},
                  content=sse(*events))


def ask(server: Server, mode: str, **params: Any) -> Response:
    client = Client(api_key=KEY, transport=httpx2.MockTransport(server))
    if mode == "async":
        return asyncio.run(client.achat("hi", **params))
    return client.chat("hi", **params)


def answer_or_one_line(server: Server, mode: str, **params: Any) -> Response | OpenRouterError:
    """The contract: a Response, or an OpenRouterError of one line carrying the partial."""
    try:
        return ask(server, mode, **params)
    except OpenRouterError as exc:
        text = str(exc)
        assert text and "\n" not in text, text
        assert exc.partial is None or isinstance(exc.partial, Response)
        return exc


# -- tolerated: content as parts, arguments as an object -----------------------------------------

PARTS = [{"type": "text", "text": "Hel"}, {"type": "image_url", "image_url": {"url": "x"}},
         {"type": "text", "text": "lo"}]


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_content_as_a_list_of_parts_becomes_text(mode):
    body = copy.deepcopy(BODY)
    body["choices"][0]["message"]["content"] = PARTS
    assert ask(Server(status_code=200, json=body), mode, stream=False).text == "Hello"
    chunk = copy.deepcopy(CHUNK)
    chunk["choices"][0]["delta"]["content"] = PARTS
    assert ask(streamed(chunk, FINISH), mode).text == "Hello"


def test_tool_arguments_as_an_object_are_parsed():
    body = copy.deepcopy(BODY)
    body["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"] = {"city": "Oslo"}
    [call] = ask(Server(status_code=200, json=body), "sync", stream=False).tool_calls
    assert call.arguments == {"city": "Oslo"} and json.loads(call.raw_arguments) == {
        "city": "Oslo"}


def test_null_error_fields_are_not_errors():
    chunk = {**CHUNK, "error": None}
    assert ask(streamed(chunk, FINISH), "sync").text == "Hello"
    assert ask(Server(status_code=200, json={**BODY, "error": None}), "sync",
               stream=False).text == "Hello"


@pytest.mark.parametrize(("field", "value"), [("model", 5), ("id", ["x"]), ("provider", {}),
                                              ("created", "yesterday")])
def test_an_odd_descriptive_field_is_left_out_not_fatal(field, value):
    r = ask(streamed({**CHUNK, field: value}, FINISH), "sync")
    assert r.text == "Hello" and getattr(r, field) in (None, "m/x", "gen-1", "P", 1)


# -- refused: one typed line, the answer so far kept ----------------------------------------------

@pytest.mark.parametrize(("path", "value", "words"), [
    (("choices",), "oops", "choices as a string"),
    (("choices", 0), 7, "choices[0] as a number"),
    (("choices", 0, "delta"), "Hello", "delta as a string"),
    (("choices", 0, "delta", "content"), 5, "delta.content as a number"),
    (("choices", 0, "delta", "content"), {"text": "x"}, "delta.content as an object"),
    (("choices", 0, "finish_reason"), 1, "finish_reason as a number"),
])
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_chunk_in_an_odd_shape_is_one_line_keeping_the_partial(mode, path, value, words):
    bad = copy.deepcopy(CHUNK)
    holder: Any = bad
    for step in path[:-1]:
        holder = holder[step]
    holder[path[-1]] = value
    server = streamed(CHUNK, bad, FINISH)
    with pytest.raises(UnexpectedResponseError) as info:
        ask(server, mode)
    assert words in str(info.value) and "\n" not in str(info.value)
    assert info.value.partial.text.startswith("Hello")
    assert server.requests == 1  # the same server would send the same again


@pytest.mark.parametrize("event", [[1, 2], "hello", 3])
def test_an_event_that_is_not_an_object_is_an_error(event):
    with pytest.raises(UnexpectedResponseError, match="an event as"):
        ask(streamed(CHUNK, event, FINISH), "sync")


@pytest.mark.parametrize(("message", "words"), [
    ({"content": 5}, "message.content as a number"),
    ({"content": {"a": 1}}, "message.content as an object"),
    ({"tool_calls": {"id": "x"}}, "tool_calls as an object"),
    ({"tool_calls": [{"function": {"name": 3}}]}, "tool_calls.function.name as a number"),
])
def test_a_whole_body_in_an_odd_shape_is_one_line(message, words):
    body = copy.deepcopy(BODY)
    body["choices"][0]["message"] = {"role": "assistant", **message}
    with pytest.raises(UnexpectedResponseError) as info:
        ask(Server(status_code=200, json=body), "sync", stream=False)
    assert words in str(info.value)


# -- not the API at all ----------------------------------------------------------------------

@pytest.mark.parametrize("stream", [True, False])
def test_a_redirect_is_named_with_its_location_and_not_retried(stream):
    server = Server(status_code=301, headers={"location": "https://openrouter.ai/api/v1/x"})
    with pytest.raises(UnexpectedResponseError) as info:
        ask(server, "sync", stream=stream)
    text = str(info.value)
    assert "HTTP 301 redirect to https://openrouter.ai/api/v1/x" in text and "base_url" in text
    assert server.requests == 1


@pytest.mark.parametrize("stream", [True, False])
def test_an_html_page_with_status_200_is_not_an_api_response(stream):
    server = Server(status_code=200, headers={"content-type": "text/html"},
                    content=b"<!doctype html><html><body>Sign in</body></html>")
    with pytest.raises(UnexpectedResponseError) as info:
        ask(server, "sync", stream=stream)
    assert "HTTP 200 with an HTML page, not an API response" in str(info.value)
    assert "unknown error" not in str(info.value) and server.requests == 1


def test_a_truncated_json_body_says_so_and_is_not_retried():
    raw = json.dumps(BODY).encode()
    server = Server(status_code=200, headers={"content-type": "application/json"},
                    content=raw[: len(raw) // 2])
    with pytest.raises(IncompleteStreamError) as info:
        ask(server, "sync", stream=False)
    assert f"ended after {len(raw) // 2:,} bytes" in str(info.value) and server.requests == 1


def test_the_truncated_body_of_the_simulator_over_real_http(live):
    live.simulator.inject({"malformed": True}, times=3)
    before = live.simulator.stats.snapshot()["chat_requests"]
    with Client(api_key=KEY, base_url=live.base_url) as client, \
            pytest.raises(IncompleteStreamError, match="before its JSON did"):
        client.chat("hi", model="openai/gpt-4o-mini", stream=False)
    assert live.simulator.stats.snapshot()["chat_requests"] - before == 1


@pytest.mark.parametrize("server", [
    Server(status_code=302, headers={"location": "/login"}),
    Server(status_code=200, headers={"content-type": "text/html"}, content=b"<html>hi</html>"),
    Server(status_code=200, json={"data": "lots"}),
])
def test_the_catalogue_says_what_it_got_instead_of_an_empty_list(server):
    client = Client(api_key=KEY, transport=httpx2.MockTransport(server))
    with pytest.raises(UnexpectedResponseError):
        client.models()


def test_a_catalogue_entry_in_odd_shapes_is_shown_with_unknowns():
    rows = [{"id": "a/ok", "context_length": 128000, "pricing": {"prompt": "0.000001"}},
            {"id": "b/odd", "context_length": "lots", "created": "today", "pricing": "free",
             "architecture": ["text"], "supported_parameters": "tools", "name": 5},
            {"id": "c/str", "context_length": "32000", "pricing": {"prompt": "NaN"}},
            {"name": "no id"}, "not an object"]
    client = Client(api_key=KEY, transport=httpx2.MockTransport(
        Server(status_code=200, json={"data": rows})))
    models = {m.id: m for m in client.models()}
    assert list(models) == ["a/ok", "b/odd", "c/str"]
    assert models["b/odd"].context_length is None and models["b/odd"].name == "b/odd"
    assert models["c/str"].context_length == 32000 and models["c/str"].prompt_price is None


# -- property-based: any JSON value anywhere in a chunk or a body --------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                                max_size=3),
    max_leaves=5,
)


def paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            out += paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += paths(item, (*prefix, index))
    return out


def replaced(document: Any, path: tuple, value: Any) -> Any:
    document = copy.deepcopy(document)
    holder = document
    for step in path[:-1]:
        holder = holder[step]
    holder[path[-1]] = value
    return document


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([CHUNK, TOOL, FINISH]).flatmap(
    lambda doc: st.tuples(st.just(doc), st.sampled_from(paths(doc)))), JSON,
    st.sampled_from(["sync", "async"]))
def test_any_value_anywhere_in_a_chunk_gives_an_answer_or_one_typed_line(where, value, mode):
    document, path = where
    bad = replaced(document, path, value)
    found = answer_or_one_line(streamed(CHUNK, bad, FINISH), mode)
    if isinstance(found, OpenRouterError) and found.partial is not None:
        assert found.partial.text.startswith("Hello")  # what came before is kept


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(paths(BODY)), JSON)
def test_any_value_anywhere_in_a_body_gives_an_answer_or_one_typed_line(path, value):
    answer_or_one_line(Server(status_code=200, json=replaced(BODY, path, value)), "sync",
                       stream=False)


@settings(max_examples=100, deadline=None)
@given(JSON)
def test_any_json_as_a_whole_body_or_event(value):
    answer_or_one_line(Server(status_code=200, json=value), "sync", stream=False)
    answer_or_one_line(streamed(value), "sync")
