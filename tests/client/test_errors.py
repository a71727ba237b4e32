from __future__ import annotations

import json
import sys

import httpx2
import pytest

import or_magics
from or_magics import (
    AuthenticationError,
    BadRequestError,
    Client,
    InsufficientCreditsError,
    ModerationError,
    NoProviderError,
    NotFoundError,
    OpenRouterError,
    ProviderError,
    RateLimitError,
    RequestTimeoutError,
)
from or_magics.errors import error_from_body

KEY = "sk-or-v1-test-5ec7e7" + "0" * 40


@pytest.mark.parametrize(
    ("status", "body", "cls", "line"),
    [
        (401, {"error": {"message": "No cookie auth credentials found", "code": 401}},
         AuthenticationError, "401 Authentication failed — No cookie auth credentials found "
                              "(set OPENROUTER_API_KEY, or run %openrouter key)"),
        (402, {"error": {"code": 402, "message": "Insufficient credits",
                         "metadata": {"provider_name": None}}, "user_id": "user_x"},
         InsufficientCreditsError, "402 Insufficient credits — Insufficient credits "
                                   "(add credits at https://openrouter.ai/settings/credits)"),
        (402, {"error": {"code": 402, "message": "This request requires more credits, or fewer "
                         "max_tokens. You requested up to 16384 tokens, but can only afford 0. "
                         "To increase, visit https://openrouter.ai/settings/credits and upgrade "
                         "to a paid account"}, "user_id": "user_x"},
         InsufficientCreditsError, "402 Insufficient credits — This request requires more "
                                   "credits, or fewer max_tokens. You requested up to 16384 "
                                   "tokens, but can only afford 0. To increase, visit "
                                   "https://openrouter.ai/settings/credits and upgrade to a "
                                   "paid account"),  # its link once, not again as a hint
        (403, {"error": {"code": 403, "message": "Your input was flagged", "metadata": {
            "reasons": ["harassment"], "flagged_input": "...", "provider_name": "OpenAI",
            "model_slug": "openai/gpt-4o"}}},
         ModerationError, "403 Blocked by moderation — [OpenAI] Your input was flagged"),
        (404, {"error": {"code": 404, "message": "No endpoints found for x/y:free."}},
         NotFoundError, "404 Not found — No endpoints found for x/y:free."),
        (408, {"error": {"code": 408, "message": "Operation timed out."}},
         RequestTimeoutError, "408 Request timed out — Operation timed out."),
        (400, {"error": {"code": 400, "message": "Provider returned error", "metadata": {
            "is_byok": False, "provider_name": "OpenAI", "raw": json.dumps({"error": {
                "message": "Unsupported value: 'none' is not supported with the 'o3' model.",
                "type": "invalid_request_error"}})}}},
         BadRequestError, "400 Bad request — [OpenAI] Unsupported value: 'none' is not "
                          "supported with the 'o3' model."),
        (502, {"error": {"message": "Provider returned error", "code": 502, "metadata": {
            "raw": '{\n  "error": {\n    "code": 500,\n    "message": "An internal error has '
                   'occurred.",\n    "status": "INTERNAL"\n  }\n}\n',
            "provider_name": "Google AI Studio"}}},
         ProviderError, "502 Provider error — [Google AI Studio] An internal error has occurred."),
        (503, {"error": {"code": 503, "message": "No available providers"}},
         NoProviderError, "503 No provider available — No available providers"),
        (524, {"error": {"code": 524, "message": "Request timed out. Please try again later."}},
         ProviderError, "524 Provider error — Request timed out. Please try again later."),
        (529, {"error": {"code": 529, "message": "Provider returned error"}},
         ProviderError, "529 Provider error — Provider returned error"),
        (502, "<html><body><h1>502 Bad Gateway</h1>\n</body></html>",
         ProviderError, "502 Provider error — HTTP 502"),
        (200, {"error": {"code": 429, "message": "Provider returned error", "metadata": {
            "provider_name": "Google", "raw": "google/gemini-2.0-flash-exp:free is temporarily "
                                              "rate-limited upstream; please retry shortly."}}},
         RateLimitError, "429 Rate limited — [Google] google/gemini-2.0-flash-exp:free is "
                         "temporarily rate-limited upstream; please retry shortly."),
        (200, {"error": {"error_type": "model_not_found", "http_status": 400,
                         "message": "acme/x is not a valid model ID"}},
         BadRequestError, "400 Bad request — acme/x is not a valid model ID"),
    ],
)
def test_error_envelopes_become_their_class_and_one_readable_line(status, body, cls, line):
    error = error_from_body(body, status)
    assert type(error) is cls
    assert str(error) == line


def test_retry_after_comes_from_metadata_when_there_is_no_header():
    error = error_from_body({"error": {"code": 429, "message": "slow down", "metadata": {
        "retry_after_seconds": 17, "headers": {"Retry-After": "17"}}}}, 429)
    assert error.retry_after == 17.0 and error.retryable
    assert isinstance(error, OpenRouterError)


class Script:
    """A MockTransport handler that plays a list of responses and counts requests."""

    def __init__(self, *responses: httpx2.Response) -> None:
        self.responses = list(responses)
        self.requests: list[httpx2.Request] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        return self.responses.pop(0) if len(self.responses) > 1 else self.responses[0]


OK = httpx2.Response(200, json={"id": "gen-1", "model": "m/x", "choices": [
    {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "ok"}}]})


def err(status: int, message: str = "nope", headers: dict | None = None) -> httpx2.Response:
    return httpx2.Response(status, headers=headers,
                          json={"error": {"code": status, "message": message}})


def test_rate_limit_is_retried_after_the_servers_retry_after():
    script = Script(err(429, headers={"Retry-After": "0"}), err(503), OK)
    client = Client(api_key=KEY, transport=httpx2.MockTransport(script))
    client_retries = client.settings.max_retries
    assert client.chat("hi", stream=False).text == "ok"
    assert len(script.requests) == 3 == client_retries + 1


def test_retries_are_bounded():
    script = Script(err(502, headers={"Retry-After": "0"}))
    client = Client(api_key=KEY, transport=httpx2.MockTransport(script), max_retries=1)
    with pytest.raises(ProviderError):
        client.chat("hi", stream=False)
    assert len(script.requests) == 2


@pytest.mark.parametrize("status", [400, 401, 402, 403, 404])
def test_client_errors_are_not_retried(status):
    script = Script(err(status), OK)
    client = Client(api_key=KEY, transport=httpx2.MockTransport(script))
    with pytest.raises(OpenRouterError):
        client.chat("hi", stream=False)
    assert len(script.requests) == 1


def test_a_retry_after_longer_than_a_minute_is_not_waited_for():
    script = Script(err(429, "Rate limit exceeded: free-models-per-day",
                        headers={"Retry-After": "3600"}), OK)
    client = Client(api_key=KEY, transport=httpx2.MockTransport(script))
    with pytest.raises(RateLimitError) as info:
        client.chat("hi", stream=False)
    assert info.value.retry_after == 3600 and len(script.requests) == 1


def test_the_key_is_sent_only_in_the_authorization_header_and_never_shown():
    echo = httpx2.Response(401, json={"error": {"code": 401, "message": f"bad key {KEY}",
                                               "metadata": {"sent": f"Bearer {KEY}"}}})
    script = Script(echo)
    client = Client(api_key=KEY, transport=httpx2.MockTransport(script))
    with pytest.raises(AuthenticationError) as info:
        client.chat("hi")
    request = script.requests[0]
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert KEY not in request.content.decode()
    error = info.value
    for text in (str(error), repr(error), error.message, json.dumps(error.metadata),
                 repr(client), repr(error.partial), json.dumps(error.partial.to_dict())):
        assert KEY not in text
    assert "…0000" in str(error)


def test_app_attribution_headers_are_configurable():
    script = Script(OK)
    client = Client(api_key=KEY, transport=httpx2.MockTransport(script),
                    app_url="https://example.org/course", app_title="Stats 101")
    client.chat("hi", stream=False)
    headers = script.requests[0].headers
    assert headers["http-referer"] == "https://example.org/course"
    assert headers["x-title"] == "Stats 101" == headers["x-openrouter-title"]


def test_base_url_from_the_environment(monkeypatch):
    monkeypatch.setenv("OPENROUTER_BASE_URL", "http://localhost:11434/v1/")
    script = Script(OK)
    client = Client(transport=httpx2.MockTransport(script))
    client.chat("hi", model="llama3:8b", stream=False)
    request = script.requests[0]
    assert str(request.url) == "http://localhost:11434/v1/chat/completions"
    assert "authorization" not in request.headers  # a local server needs no key
    assert json.loads(request.content)["model"] == "llama3:8b"


def test_no_key_outside_a_notebook_is_a_clear_error(monkeypatch):
    monkeypatch.setattr("or_magics.client.config.hooks.key_provider", None)  # a plain script
    monkeypatch.delenv("OPENROUTER_API_KEY", raising=False)
    monkeypatch.delenv("OPENROUTER_BASE_URL", raising=False)
    script = Script(OK)
    client = Client(transport=httpx2.MockTransport(script))
    with pytest.raises(AuthenticationError, match="OPENROUTER_API_KEY"):
        client.chat("hi")
    assert script.requests == []


def test_no_key_in_ipython_asks_with_a_hidden_prompt(monkeypatch):
    asked = []
    monkeypatch.setitem(sys.modules, "IPython", sys.modules.get("IPython") or __import__("IPython"))
    monkeypatch.setattr("IPython.get_ipython", lambda: object())
    monkeypatch.setattr("getpass.getpass", lambda prompt: asked.append(prompt) or KEY)
    monkeypatch.delenv("OPENROUTER_API_KEY", raising=False)
    monkeypatch.delenv("OPENROUTER_BASE_URL", raising=False)
    script = Script(OK)
    client = Client(transport=httpx2.MockTransport(script))
    assert client.chat("hi", stream=False).text == "ok"
    assert len(asked) == 1 and "hidden" in asked[0]
    assert script.requests[0].headers["authorization"] == f"Bearer {KEY}"
    client.chat("again", stream=False)
    assert len(asked) == 1  # asked once, kept for the client


@pytest.mark.parametrize("cls", [c for c in vars(or_magics).values()
                                 if isinstance(c, type) and issubclass(c, OpenRouterError)])
def test_every_error_pickles_with_its_message_and_partial(cls):
    """Batch results cross process boundaries (Dask workers): errors must survive pickling."""
    import pickle

    from or_magics import InvalidParameterError, Response

    if cls is InvalidParameterError:
        error = cls("temperature", "5 is out of range")
    else:
        error = cls("the provider said no", metadata={"raw": "x"}, retry_after=2.0)
    partial = Response({"model": "m"})
    partial.chunks.append("half an answer")
    partial.error, error.partial = error, partial
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is cls and str(copy) == str(error) and copy.status == error.status
    assert copy.metadata == error.metadata and copy.retry_after == error.retry_after
    assert copy.partial.text == "half an answer" and copy.partial.error is copy
    if cls is InvalidParameterError:
        assert copy.field == "temperature"
