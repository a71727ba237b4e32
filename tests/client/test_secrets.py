"""The API key and URL credentials: cleaned, sent only where they belong, never shown."""

from __future__ import annotations

import asyncio
import json
import logging
import types
from collections.abc import Iterator

import httpx2
import pytest

from or_magics import AuthenticationError, Client, InvalidParameterError, OpenRouterError
from or_magics.offline.server import ServerThread

KEY = "sk-or-v1-test-" + "5ec2e7" * 8
PLAIN = "plainkey" + "0123456789" * 3  # a key without OpenRouter's prefix
OK = {"id": "gen-1", "model": "m/x", "choices": [
    {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "ok"}}]}


class Recorder:
    def __init__(self, status: int = 200, body: object = OK) -> None:
        self.status, self.body = status, body
        self.requests: list[httpx2.Request] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        return httpx2.Response(self.status, json=self.body)

    @property
    def auth(self) -> str | None:
        return self.requests[-1].headers.get("authorization")


@pytest.fixture(autouse=True)
def no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENROUTER_API_KEY", raising=False)
    monkeypatch.delenv("OPENROUTER_BASE_URL", raising=False)
    monkeypatch.setattr("or_magics.client.config.hooks.key_provider", None)


def texts_reachable_from(error: BaseException) -> Iterator[str]:
    """What a traceback, a verbose traceback (%xmode Verbose) or a debugger would show."""
    seen: set[int] = set()
    stack: list[BaseException | None] = [error]
    while stack:
        exc = stack.pop()
        if exc is None or id(exc) in seen:
            continue
        seen.add(id(exc))
        yield str(exc)
        yield repr(exc)
        yield json.dumps(getattr(exc, "metadata", None), default=str)
        request = getattr(exc, "_request", None)
        if request is not None:
            yield json.dumps(dict(request.headers))
        tb = exc.__traceback__
        while tb is not None:
            if "/or_magics/" not in tb.tb_frame.f_code.co_filename:  # the test's own frames
                tb = tb.tb_next
                continue
            for value in tb.tb_frame.f_locals.values():
                yield repr(value)
                if isinstance(value, dict):
                    yield json.dumps(value, default=repr)
            tb = tb.tb_next
        stack += [exc.__context__, exc.__cause__]


# -- whitespace and odd characters ----------------------------------------------------------------

@pytest.mark.parametrize("key", [KEY + "\n", PLAIN + "\n", f"  {KEY}\r\n", f"\t{PLAIN} "])
def test_a_key_with_stray_whitespace_works_against_a_real_server(live: ServerThread, key):
    with Client(api_key=key, base_url=live.base_url, max_retries=0) as client:
        assert client.chat("hi", model="openai/gpt-4o-mini").text
        assert key.strip() not in repr(client)


def test_a_pasted_key_from_the_environment_is_stripped_too(monkeypatch):
    monkeypatch.setenv("OPENROUTER_API_KEY", PLAIN + "\n")
    sent = Recorder()
    Client(transport=httpx2.MockTransport(sent)).chat("hi")
    assert sent.auth == f"Bearer {PLAIN}"


@pytest.mark.parametrize("key", [
    "sk-or-v1-abc def0123456789", PLAIN[:10] + "\n" + PLAIN[10:], "sk-or-v1-abcdé0123456789",
    PLAIN + "\x00", "sk-or-v1-\u200b0123456789abcdef",
])
def test_a_key_with_whitespace_or_non_ascii_inside_is_one_line_showing_none_of_it(key):
    with pytest.raises(InvalidParameterError) as info:
        Client(api_key=key)
    text = str(info.value)
    assert "\n" not in text and "api_key" in text and "copy it again" in text
    for start in range(len(key) - 6):
        assert key[start:start + 6] not in text  # not even a fragment


def test_a_bad_key_in_the_environment_fails_the_first_request_and_sends_nothing(monkeypatch):
    monkeypatch.setenv("OPENROUTER_API_KEY", "sk-or-v1-abc\tdef0123456789")
    sent = Recorder()
    client = Client(transport=httpx2.MockTransport(sent))  # making a client never fails on it
    assert "unusable" in client.settings.key_status()
    for call in (lambda: client.chat("hi"), lambda: asyncio.run(client.achat("hi")),
                 client.key_info, client.models):
        with pytest.raises(InvalidParameterError, match=r"OPENROUTER_API_KEY.*whitespace"):
            call()
    assert sent.requests == []


@pytest.mark.parametrize("echo", [
    lambda key: f"Illegal header value b'Bearer {key}'",
    lambda key: f"you sent {json.dumps(key)}",
    lambda key: f"repr {key!r} and bytes {key.encode()!r}",
])
def test_every_form_of_the_key_in_a_message_is_masked(echo):
    key = 'odd"key\\with' + "0123456789"  # quotes and backslashes escape differently
    body = {"error": {"code": 401, "message": echo(key), "metadata": {"raw": echo(key)}}}
    client = Client(api_key=key, transport=httpx2.MockTransport(Recorder(401, body)))
    with pytest.raises(AuthenticationError) as info:
        client.chat("hi")
    for text in texts_reachable_from(info.value):
        for form in (key, json.dumps(key)[1:-1], repr(key)[1:-1], repr(key.encode())[2:-1]):
            assert form not in text


# -- exception chains ---------------------------------------------------------------------------

@pytest.mark.parametrize("call", ["chat", "achat", "models", "key_info"])
def test_connection_and_timeout_errors_keep_no_trace_of_the_key(live, call):
    live.simulator.inject({"first_byte_delay": 2}, times=3)  # (chat requests only)
    cases = [("http://127.0.0.1:1/api/v1", None)]
    if call in ("chat", "achat"):
        cases.append((live.base_url, 0.3))
    for base_url, timeout in cases:
        client = Client(api_key=KEY, base_url=base_url, timeout=timeout, max_retries=0)
        with pytest.raises(OpenRouterError) as info:
            result = getattr(client, call)() if call in ("models", "key_info") else \
                getattr(client, call)("hi")
            if asyncio.iscoroutine(result):
                asyncio.run(result)
        for text in texts_reachable_from(info.value):
            assert KEY not in text
        client.close()


# -- credentials in the base URL ----------------------------------------------------------------

def test_credentials_in_the_base_url_are_never_shown_or_logged(caplog):
    sent = Recorder(401, {"error": {"code": 401, "message": "nope"}})
    url = "https://alice:hunter2-secret@proxy.example.org/api/v1"
    client = Client(api_key=KEY, base_url=url, transport=httpx2.MockTransport(sent))
    body = client.build_request("hi", stream=False)
    shown = [repr(client), client.base_url, client.describe(body)]
    with caplog.at_level(logging.DEBUG), pytest.raises(AuthenticationError) as info:
        client.chat("hi", stream=False)
    shown += [caplog.text, *texts_reachable_from(info.value)]
    assert [text for text in shown if "hunter2-secret" in text] == []
    assert client.base_url == "https://alice:***@proxy.example.org/api/v1"
    request = sent.requests[0]
    assert request.url.userinfo == b""  # the URL requested (and logged) carries none
    assert request.headers["authorization"].startswith("Basic ")  # what httpx sent before


# -- where the key goes ---------------------------------------------------------------------------

@pytest.mark.parametrize(("env_key", "env_url", "api_key", "base_url", "sent_key"), [
    (KEY, None, None, None, KEY),                                      # OpenRouter
    (KEY, None, None, "https://openrouter.ai/api/v1", KEY),            # OpenRouter, in code
    (KEY, "https://gw.example.org/v1", None, None, KEY),               # OPENROUTER_BASE_URL
    (KEY, "https://gw.example.org/v1", None, "https://gw.example.org/v1/", KEY),
    (KEY, None, None, "https://other.example.org/v1", None),           # set in code: withheld
    (KEY, "https://gw.example.org/v1", None, "https://other.example.org/v1", None),
    (None, None, PLAIN, "https://other.example.org/v1", PLAIN),        # given together
    (KEY, None, PLAIN, "http://localhost:8000/v1", PLAIN),             # plain http, loopback
    (None, None, PLAIN, "http://127.0.0.1:8000/v1", PLAIN),
    (None, None, PLAIN, "http://[::1]:8000/v1", PLAIN),
    (KEY, None, None, "http://localhost:11434/v1", None),              # Ollama: no key sent
])
def test_the_openrouter_key_goes_only_to_openrouter_or_its_base_url(
        monkeypatch, env_key, env_url, api_key, base_url, sent_key):
    if env_key:
        monkeypatch.setenv("OPENROUTER_API_KEY", env_key)
    if env_url:
        monkeypatch.setenv("OPENROUTER_BASE_URL", env_url)
    sent = Recorder()
    Client(api_key, base_url, transport=httpx2.MockTransport(sent)).chat("hi", model="m/x")
    assert sent.auth == (f"Bearer {sent_key}" if sent_key else None)


def test_a_withheld_key_is_named_in_the_401_and_the_dry_run(monkeypatch):
    monkeypatch.setenv("OPENROUTER_API_KEY", KEY)
    sent = Recorder(401, {"error": {"code": 401, "message": "Missing Authentication header"}})
    client = Client(base_url="https://other.example.org/v1", transport=httpx2.MockTransport(sent))
    assert "OPENROUTER_API_KEY goes only to OpenRouter" in client.describe({"model": "m"})
    with pytest.raises(AuthenticationError) as info:
        client.chat("hi", model="m/x")
    text = str(info.value)
    assert "no API key was sent: OPENROUTER_API_KEY goes only to OpenRouter" in text
    assert "\n" not in text and KEY not in text


@pytest.mark.parametrize(("env", "kwargs"), [
    ({}, {"api_key": PLAIN, "base_url": "http://gw.example.org/v1"}),
    ({"OPENROUTER_API_KEY": KEY, "OPENROUTER_BASE_URL": "http://gw.example.org/v1"}, {}),
    ({"OPENROUTER_API_KEY": KEY}, {"base_url": "http://openrouter.ai/api/v1"}),
])
def test_no_key_crosses_plain_http_to_another_host(monkeypatch, env, kwargs):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    sent = Recorder()
    client = Client(transport=httpx2.MockTransport(sent), **kwargs)
    for call in (lambda: client.chat("hi", model="m/x"), client.models):
        with pytest.raises(InvalidParameterError) as info:
            call()
        assert "plain http to gw.example.org" in str(info.value) or "openrouter.ai" in str(
            info.value)
    assert sent.requests == []


def test_the_key_is_not_kept_where_it_may_not_go(monkeypatch):
    monkeypatch.setenv("OPENROUTER_API_KEY", KEY)
    client = Client(base_url="https://other.example.org/v1")
    held = types.SimpleNamespace(**vars(client.settings))
    assert held.key is None and KEY not in json.dumps(vars(held), default=repr)


def test_a_key_given_as_a_header_of_ones_own_is_never_shown():
    key = "sk-or-v1-test-" + "4ead" * 12
    client = Client(offline=True, headers={"Authorization": f"Bearer {key}"})
    shown = repr(client) + repr(client.settings) + client.settings.redact(f"failed: {key}")
    assert key not in shown and key[-12:] not in shown
