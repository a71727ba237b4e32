"""Fixtures for the offline simulator tests: a loopback server, in-process clients, SSE parsing."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx2
import pytest

from or_magics.offline import DEFAULT_BASE_URL, Simulator, SimulatorTransport
from or_magics.offline.server import ServerThread

from .helpers import AUTH, Event, parse_sse


@pytest.fixture
def client(live: ServerThread) -> Iterator[httpx2.Client]:
    with httpx2.Client(base_url=live.base_url, headers=AUTH, timeout=10) as c:
        yield c


@pytest.fixture
def sim() -> Simulator:
    return Simulator()


@pytest.fixture
def tclient(sim: Simulator) -> Iterator[httpx2.Client]:
    """A sync httpx client on the in-process transport (fast tests)."""
    with httpx2.Client(
        transport=SimulatorTransport(sim), base_url=DEFAULT_BASE_URL, headers=AUTH
    ) as c:
        yield c


@pytest.fixture
def chat(tclient: httpx2.Client) -> Callable[..., dict[str, Any]]:
    """POST a non-streaming chat request through the transport; returns the JSON body."""

    def send(prompt: str | list[dict[str, Any]] = "Hello", **body: Any) -> dict[str, Any]:
        messages = [{"role": "user", "content": prompt}] if isinstance(prompt, str) else prompt
        knobs = body.pop("knobs", None)
        headers = {"X-Simulator": json.dumps(knobs)} if knobs else {}
        payload = {"model": "openai/gpt-4o-mini", "messages": messages, **body}
        response = tclient.post("/chat/completions", json=payload, headers=headers)
        assert response.status_code == 200, response.text
        return response.json()

    return send


@pytest.fixture
def stream(tclient: httpx2.Client) -> Callable[..., list[Event]]:
    """POST a streaming chat request through the transport; returns the parsed events."""

    def send(prompt: str | list[dict[str, Any]] = "Hello", **body: Any) -> list[Event]:
        messages = [{"role": "user", "content": prompt}] if isinstance(prompt, str) else prompt
        knobs = body.pop("knobs", None)
        headers = {"X-Simulator": json.dumps(knobs)} if knobs else {}
        payload = {"model": "openai/gpt-4o-mini", "messages": messages, "stream": True, **body}
        response = tclient.post("/chat/completions", json=payload, headers=headers)
        assert response.status_code == 200, response.text
        return parse_sse(response.text)

    return send
