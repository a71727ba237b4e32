"""Behind a proxy that is down, the connection error names the proxy, not only the host."""

from __future__ import annotations

import socket

import pytest

from or_magics import Client
from or_magics.errors import APIConnectionError

from .conftest import KEY


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def no_proxy_env(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    return monkeypatch


def test_a_proxy_that_is_down_is_named_with_the_way_around_it(live, no_proxy_env):
    port = closed_port()
    no_proxy_env.setenv("HTTP_PROXY", f"http://someone:secret@127.0.0.1:{port}")
    with (Client(api_key=KEY, base_url=live.base_url, max_retries=0) as client,
          pytest.raises(APIConnectionError) as info):
        client.chat("hi", model="openai/gpt-4o-mini")
    line = str(info.value)
    assert line.startswith("Connection error — ")
    assert line.endswith(f"(127.0.0.1, through the proxy 127.0.0.1:{port} from HTTP_PROXY; "
                         "NO_PROXY=127.0.0.1 goes around it)")
    assert "secret" not in line and "someone" not in line
    no_proxy_env.setenv("NO_PROXY", "127.0.0.1")  # and it does
    with Client(api_key=KEY, base_url=live.base_url, max_retries=0) as client:
        assert client.chat("hi", model="openai/gpt-4o-mini").text


def test_without_a_proxy_the_error_names_only_the_host(no_proxy_env):
    url = f"http://127.0.0.1:{closed_port()}/api/v1"
    with (Client(api_key=KEY, base_url=url, max_retries=0) as client,
          pytest.raises(APIConnectionError) as info):
        client.chat("hi", model="openai/gpt-4o-mini")
    assert str(info.value).endswith("(127.0.0.1)") and "proxy" not in str(info.value)
