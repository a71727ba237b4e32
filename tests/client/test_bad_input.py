"""Bad arguments to the client and the helpers: one typed line, nothing sent, nothing lost."""

from __future__ import annotations

import json
import math

import httpx2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import or_magics
from or_magics import Client, Conversation, InvalidParameterError, OpenRouterError
from or_magics.client.request import PARAMETERS
from or_magics.helpers.compare import model_list

KEY = "sk-or-v1-test-" + "bad1" * 8
OK = {"id": "gen-1", "model": "m/x", "choices": [
    {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "ok"}}]}


class Recorder:
    def __init__(self) -> None:
        self.requests: list[httpx2.Request] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        return httpx2.Response(200, json=OK)


@pytest.fixture
def sent() -> Recorder:
    return Recorder()


@pytest.fixture
def client(sent: Recorder) -> Client:
    return Client(api_key=KEY, transport=httpx2.MockTransport(sent))


def one_line(error: BaseException) -> str:
    text = str(error)
    assert text and "\n" not in text and "Traceback" not in text
    return text


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"base_url": 5}, ["base_url", "must be a URL"]),
    ({"base_url": "openrouter.ai/api/v1"}, ["base_url", "http(s) URL"]),
    ({"base_url": "ftp://example.org"}, ["base_url", "http(s) URL"]),
    ({"timeout": "5"}, ["timeout", "'5'"]),
    ({"timeout": -1}, ["timeout", "> 0"]),
    ({"timeout": float("nan")}, ["timeout"]),
    ({"max_retries": -1}, ["max_retries", "-1"]),
    ({"max_retries": "2"}, ["max_retries", "'2'"]),
    ({"max_retries": True}, ["max_retries"]),
])
def test_bad_client_settings_are_one_typed_line(kwargs, words):
    with pytest.raises(InvalidParameterError) as info:
        Client(api_key=KEY, **kwargs)
    text = one_line(info.value)
    assert all(word in text for word in words), text


def test_a_bad_base_url_from_the_environment_names_the_variable(monkeypatch):
    monkeypatch.setenv("OPENROUTER_BASE_URL", "localhost:8000")
    with pytest.raises(InvalidParameterError, match="OPENROUTER_BASE_URL"):
        Client(api_key=KEY)


@pytest.mark.parametrize(("params", "field"), [
    ({"temperature": float("nan")}, "temperature"),
    ({"temperature": float("inf")}, "temperature"),
    ({"top_p": -math.inf}, "top_p"),
    ({"logit_bias": {"50256": float("nan")}}, "logit_bias.50256"),
    ({"extra_body": {"x": [1, float("nan")]}}, "x[1]"),
    ({"extra_body": "abc"}, "extra_body"),
    ({"extra_body": {"when": object()}}, "when"),
    ({"stream": "yes"}, "stream"),
    ({"models": 5}, "models"),
    ({"models": "openai/gpt-4o"}, "models"),
    ({"system": 5}, "system"),
    ({"web": "yes"}, "web"),
])
def test_values_json_cannot_carry_are_refused_before_sending(client, sent, params, field):
    with pytest.raises(InvalidParameterError) as info:
        client.chat("hi", **params)
    assert field in one_line(info.value)
    assert sent.requests == []


@pytest.mark.parametrize("prompt", ["half an emoji \ud83d", "from bytes \udcff",
                                    [{"role": "user", "content": "x\udc80"}]])
def test_a_lone_surrogate_in_a_prompt_is_one_line_naming_where(client, sent, prompt):
    with pytest.raises(InvalidParameterError) as info:
        client.chat(prompt)
    text = one_line(info.value)
    assert "messages[0].content" in text and "surrogate" in text
    assert sent.requests == []


@pytest.mark.parametrize("call", [
    lambda c: c.model_info(5), lambda c: c.endpoints(None), lambda c: c.generation(7),
    lambda c: c.embeddings(5, model="openai/text-embedding-3-small"),
    lambda c: c.embeddings("x", model=3),
    lambda c: c.batch(["a"], concurrency="8"),
])
def test_bad_endpoint_arguments_are_typed(client, sent, call):
    with pytest.raises(InvalidParameterError) as info:
        call(client)
    one_line(info.value)
    assert sent.requests == []


def test_helpers_refuse_bad_arguments_with_typed_errors():
    with pytest.raises(InvalidParameterError, match="models"):
        model_list(5)  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match="max_turns"):
        Conversation(max_turns="3")  # type: ignore[arg-type]


# -- property-based: any keyword arguments to build_body ---------------------------------------

json_leaf = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=8),
    st.sampled_from(["\ud800", "ok\udcff", "\U0001f600"]),
)
values = st.recursive(
    json_leaf | st.just(object()) | st.just(b"bytes"),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=6,
)
names = st.sampled_from([*PARAMETERS, "model", "models", "system", "provider", "reasoning",
                         "tools", "tool_choice", "response_format", "plugins", "web",
                         "transforms", "cache_control", "extra_body", "stream", "temprature"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(names, values, max_size=4), st.one_of(st.text(max_size=20), values))
def test_any_keyword_arguments_give_a_sendable_body_or_one_typed_line(kwargs, prompt):
    client = Client(api_key=KEY, transport=httpx2.MockTransport(Recorder()))
    try:
        body = client.build_request(prompt, **kwargs).body
    except InvalidParameterError as exc:
        one_line(exc)
        return
    # whatever was accepted is real JSON a server can read
    json.loads(json.dumps(body, ensure_ascii=False, allow_nan=False).encode())


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(names, values, max_size=3))
def test_the_helpers_take_any_keywords_without_a_raw_traceback(kwargs):
    session = or_magics.session
    recorder = Recorder()
    session.use(Client(api_key=KEY, transport=httpx2.MockTransport(recorder)))
    try:
        for call in (lambda: or_magics.ask("hi", **kwargs),
                     lambda: or_magics.batch(["a", "b"], **kwargs),
                     lambda: Conversation(**kwargs).send("hi")):
            before = len(recorder.requests)
            try:
                call()
            except (OpenRouterError, TypeError) as exc:
                # TypeError only for Python's own "unexpected keyword" of a named argument
                if isinstance(exc, TypeError):
                    assert "argument" in str(exc)
                one_line(exc)
                assert len(recorder.requests) == before
    finally:
        session.reset()


def test_an_httpx_transport_is_one_line_naming_its_httpx2_twin():
    import httpx

    with pytest.raises(InvalidParameterError) as info:
        Client(api_key="sk-or-v1-test", transport=httpx.MockTransport(lambda r: None))
    assert str(info.value) == (
        "Invalid parameter — transport: a MockTransport is not an async httpx2 transport "
        "(or_magics is built on httpx2, httpx's maintained fork with the same API: use "
        "httpx2.MockTransport)")
    Client(api_key="sk-or-v1-test", transport=httpx2.MockTransport(lambda r: None)).close()
