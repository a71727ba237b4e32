"""Fixtures: the simulator as a real loopback HTTP server, and clients pointed at it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from or_magics import Client
from or_magics.offline.server import ServerThread

KEY = "sk-or-v1-test-" + "ab12" * 8


@pytest.fixture
def client(live: ServerThread) -> Iterator[Client]:
    with Client(api_key=KEY, base_url=live.base_url) as c:
        yield c


@pytest.fixture(params=["sync", "async"])
def chat(request: pytest.FixtureRequest, client: Client) -> Callable[..., Any]:
    """``chat(prompt, **params)`` through the sync or the async face: one body, both paths."""
    if request.param == "sync":
        return client.chat

    def run(prompt: Any, **params: Any) -> Any:
        return asyncio.run(client.achat(prompt, **params))

    return run
