"""How a client is set up: where it talks, with which key, how patiently, and the seams
the layers above plug into (the simulator's transport, an interactive key prompt).

The client knows neither the simulator nor IPython. The package wires both in through the
two hooks here, so ``Client(offline=True)`` and the notebook's hidden key prompt work
without the client importing them.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from ..errors import AuthenticationError, OpenRouterError
from ..protocol import DEFAULT_BASE_URL, OFFLINE_BASE_URL, OFFLINE_KEY

__all__ = [
    "DEFAULT_TIMEOUT", "Hooks", "Settings", "hooks", "is_openrouter", "mask_key", "no_key_error",
]

DEFAULT_TIMEOUT = httpx.Timeout(connect=15.0, read=120.0, write=30.0, pool=30.0)
_KEY_SHAPE = re.compile(r"sk-or-v1-[A-Za-z0-9_-]{6,}")

KeyProvider = Callable[[], "str | None"]


@dataclass
class Hooks:
    """Behaviour the layers above inject (set once, by the package and the notebook layer)."""

    #: Builds the in-process simulator's transport for ``Client(offline=True)``.
    offline_transport: Callable[[], httpx.AsyncBaseTransport] | None = None
    #: Asks for a missing key interactively (a hidden prompt in IPython); None: don't ask.
    key_provider: KeyProvider | None = None
    #: Makes a progress bar for a batch: ``(total, title) -> bar`` with ``update(result)``,
    #: ``tick()`` and ``close()``; None: no bar.
    progress: Callable[[int, str], Any] | None = None


hooks = Hooks()


def mask_key(key: str | None) -> str:
    """``sk-or-v1-…3f9a``: enough to tell keys apart, never enough to use one."""
    if not key:
        return "(none)"
    prefix = "sk-or-v1-" if key.startswith("sk-or-v1-") else ""
    return f"{prefix}…{key[-4:]}" if len(key) > len(prefix) + 8 else "…"


def is_openrouter(base_url: str) -> bool:
    host = httpx.URL(base_url).host
    return host == "openrouter.ai" or host.endswith((".openrouter.ai", ".invalid"))


def no_key_error() -> AuthenticationError:
    return AuthenticationError(
        "no OpenRouter API key: set OPENROUTER_API_KEY, pass Client(api_key=...), or use "
        "offline=True for the simulator", status=None)


@dataclass
class Settings:
    """One client's connection settings, resolved from arguments and the environment."""

    base_url: str
    timeout: httpx.Timeout
    max_retries: int
    headers: dict[str, str]
    offline: bool = False
    key: str | None = field(default=None, repr=False)
    key_provider: KeyProvider | None = field(default=None, repr=False)

    @classmethod
    def resolve(
        cls,
        api_key: str | None,
        base_url: str | None,
        *,
        offline: bool,
        timeout: float | httpx.Timeout | None,
        max_retries: int,
        app_url: str | None,
        app_title: str | None,
        headers: dict[str, str] | None,
        key_provider: KeyProvider | None,
    ) -> Settings:
        if offline:
            base_url = base_url or OFFLINE_BASE_URL
            api_key = api_key or OFFLINE_KEY
        base = (base_url or os.environ.get("OPENROUTER_BASE_URL") or DEFAULT_BASE_URL)
        sent = {"Content-Type": "application/json", "User-Agent": "or_magics/0.1"}
        if app_url:
            sent["HTTP-Referer"] = app_url
        if app_title:
            sent["X-Title"] = app_title
            sent["X-OpenRouter-Title"] = app_title
        sent.update(headers or {})
        return cls(
            base_url=base.rstrip("/"),
            timeout=timeout if isinstance(timeout, httpx.Timeout)
            else httpx.Timeout(timeout) if timeout else DEFAULT_TIMEOUT,
            max_retries=max_retries,
            headers=sent,
            offline=offline,
            key=api_key or os.environ.get("OPENROUTER_API_KEY") or None,
            key_provider=key_provider,
        )

    @functools.cached_property
    def openrouter(self) -> bool:
        """OpenRouter itself (or the simulator): its extras apply (checked once; parsing
        the URL on every request cost a quarter of a millisecond each time)."""
        return is_openrouter(self.base_url)

    @functools.cached_property
    def host(self) -> str:
        return httpx.URL(self.base_url).host

    def ensure_key(self) -> None:
        """Ask for a missing OpenRouter key, on the caller's thread (never from the loop)."""
        if self.key or not self.openrouter:
            return
        provider = self.key_provider or hooks.key_provider
        key = provider() if provider is not None else None
        if not key:
            raise no_key_error()
        self.key = key.strip()

    def auth_headers(self, auth: bool = True) -> dict[str, str]:
        headers = dict(self.headers)
        if auth and self.key:
            headers["Authorization"] = f"Bearer {self.key}"
        return headers

    def redact(self, text: str) -> str:
        if self.key and len(self.key) >= 8:
            text = text.replace(self.key, mask_key(self.key))
        return _KEY_SHAPE.sub(lambda m: mask_key(m.group(0)), text)

    def scrub(self, error: OpenRouterError) -> OpenRouterError:
        """The error with every trace of the key masked (message and metadata)."""
        error.message = self.redact(error.message)
        error.args = (error.message,)
        if error.metadata:
            dumped = json.dumps(error.metadata, default=str)
            if _KEY_SHAPE.search(dumped) or (self.key and self.key in dumped):
                error.metadata = json.loads(self.redact(dumped))
        return error

    def describe(self, method: str, path: str, body: Any) -> str:
        """The request as HTTP text with the key masked, for --dry-run and teaching."""
        headers = self.auth_headers()
        if "Authorization" in headers:
            headers["Authorization"] = f"Bearer {mask_key(self.key)}"
        return (f"{method} {self.base_url}{path}\n"
                + "".join(f"{k}: {v}\n" for k, v in headers.items())
                + "\n" + json.dumps(body, indent=2, ensure_ascii=False))
