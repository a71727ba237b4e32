"""How a client is set up: where it talks, with which key, how patiently, and the seams
the layers above plug into (the simulator's transport, an interactive key prompt).

The client knows neither the simulator nor IPython. The package wires both in through the
two hooks here, so ``Client(offline=True)`` and the notebook's hidden key prompt work
without the client importing them.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from ..protocol import DEFAULT_BASE_URL, OFFLINE_BASE_URL, OFFLINE_KEY
from .errors import AuthenticationError, InvalidParameterError, OpenRouterError
from .payload import shown

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


def check_url(value: Any, field: str) -> str:
    """An http(s) URL with a host, or a one-line error naming where it came from."""
    example = "e.g. 'https://openrouter.ai/api/v1' or 'http://localhost:11434/v1'"
    if not isinstance(value, str) or not value.strip():
        raise InvalidParameterError(field, f"must be a URL, {example}; not {shown(value)}")
    try:
        url = httpx.URL(value.strip())
    except (httpx.InvalidURL, ValueError, TypeError):
        url = None
    if url is None or url.scheme not in ("http", "https") or not url.host:
        raise InvalidParameterError(field, f"{shown(value)} is not an http(s) URL with a "
                                           f"host; {example}")
    return value.strip()


def check_timeout(value: Any) -> float | httpx.Timeout | None:
    """Seconds (a finite number > 0), an ``httpx.Timeout``, or None."""
    if value is None or isinstance(value, httpx.Timeout):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) \
            and 0 < value < float("inf"):
        return float(value)
    raise InvalidParameterError("timeout", f"must be a number of seconds > 0 or None, "
                                           f"not {shown(value)}")


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
        if base_url is not None:
            base = check_url(base_url, "base_url")
        elif os.environ.get("OPENROUTER_BASE_URL"):
            base = check_url(os.environ["OPENROUTER_BASE_URL"], "OPENROUTER_BASE_URL")
        else:
            base = DEFAULT_BASE_URL
        timeout = check_timeout(timeout)
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) \
                or not 0 <= max_retries <= 10:
            raise InvalidParameterError("max_retries", "must be a whole number from 0 to 10, "
                                                       f"not {shown(max_retries)}")
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

    @property
    def openrouter(self) -> bool:
        return is_openrouter(self.base_url)

    @property
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
