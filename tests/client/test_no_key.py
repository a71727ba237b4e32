"""No key, from Python, against the simulator as a real loopback server: one typed error
naming the three ways out once, and not one request reaches the server."""

from __future__ import annotations

import asyncio

import httpx2
import pytest

import or_magics
from or_magics import AuthenticationError, Client, MissingKeyError

WAYS = ("OPENROUTER_API_KEY", "api_key=", "offline=True")


class ToLoopback(httpx2.AsyncBaseTransport):
    """OpenRouter's own URL, answered by the loopback simulator (so a request that went
    out would show in its counters)."""

    def __init__(self, base_url: str) -> None:
        self.target = httpx2.URL(base_url)
        self.inner = httpx2.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        path = request.url.path.replace("/api/v1", self.target.path.rstrip("/"), 1)
        request.url = request.url.copy_with(scheme=self.target.scheme, host=self.target.host,
                                            port=self.target.port, path=path)
        return await self.inner.handle_async_request(request)


@pytest.fixture
def no_key(monkeypatch, live):
    monkeypatch.delenv("OPENROUTER_API_KEY", raising=False)
    monkeypatch.setattr("or_magics.client.config.hooks.key_provider", None)  # a script
    monkeypatch.setattr("or_magics.client.config.hooks.no_key_ways",
                        or_magics.client.config.PYTHON_WAYS)
    return live


def sent(live) -> int:
    return live.simulator.stats.snapshot().get("requests", 0)


def one_line(error: BaseException) -> str:
    text = str(error)
    assert "\n" not in text
    for way in WAYS:
        assert text.count(way) == 1, text
    return text


def test_client_with_no_key_sends_nothing_and_says_the_ways_out_once(no_key, monkeypatch):
    monkeypatch.delenv("OPENROUTER_BASE_URL", raising=False)
    before = sent(no_key)
    client = Client(transport=ToLoopback(no_key.base_url))
    for call in (lambda: client.chat("hi"), lambda: client.chat("hi", stream=False),
                 lambda: asyncio.run(client.achat("hi")),
                 lambda: client.batch(["a", "b"], progress=False)):
        with pytest.raises(AuthenticationError) as caught:
            call()
        assert isinstance(caught.value, MissingKeyError) and caught.value.status is None
        assert "nothing was sent" in one_line(caught.value)
    assert sent(no_key) == before
    # the same client answers once it has a key: the transport does reach the server
    Client("sk-or-v1-test-" + "ab12" * 8, transport=ToLoopback(no_key.base_url)).chat("hi")
    assert sent(no_key) == before + 1


def test_the_helpers_online_with_no_key_send_nothing(no_key, monkeypatch):
    monkeypatch.setenv("OPENROUTER_BASE_URL", no_key.base_url)
    session = or_magics.session
    session.reset()
    session.offline = False  # %openrouter online, from Python
    before = sent(no_key)
    try:
        for call in (lambda: or_magics.ask("hi"),
                     lambda: or_magics.compare("hi", ["openai/gpt-4o-mini",
                                                      "anthropic/claude-haiku-4.5"]),
                     lambda: or_magics.batch(["a", "b"], progress=False),
                     lambda: asyncio.run(or_magics.aask("hi"))):
            with pytest.raises(MissingKeyError) as caught:
                call()
            one_line(caught.value)
        assert sent(no_key) == before
        assert session.total_usage().total_tokens == 0
    finally:
        session.reset()


def test_a_401_from_the_server_names_the_ways_out_once(no_key, monkeypatch):
    """A server that is not OpenRouter's host may need no key (Ollama): the request goes,
    and the simulator's 401 says what to do once, not twice."""
    monkeypatch.setenv("OPENROUTER_BASE_URL", no_key.base_url)
    with pytest.raises(AuthenticationError) as caught:
        Client().chat("hi")
    text = one_line(caught.value)
    assert caught.value.status == 401 and "no API key was sent" in text
    assert "%openrouter key" not in text  # a script has no magics
