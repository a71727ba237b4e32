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
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx2

from ..errors import InvalidParameterError, MissingKeyError, OpenRouterError
from ..protocol import DEFAULT_BASE_URL, OFFLINE_BASE_URL, OFFLINE_KEY
from .limits import DEFAULT_FIRST_TOKEN, Limits, check_seconds
from .payload import shown
from .secrets import Destination, clean_key, mask_key, masked, secret_forms, split_url

__all__ = [
    "DEFAULT_TIMEOUT", "PYTHON_WAYS", "SIMULATOR_KEY", "Hooks", "Settings", "hooks",
    "is_openrouter", "mask_key", "no_key_error",
]

DEFAULT_TIMEOUT = httpx2.Timeout(connect=15.0, read=120.0, write=30.0, pool=30.0)
_SECRET_HEADERS = ("authorization", "proxy-authorization", "cookie", "x-api-key", "api-key")

KeyProvider = Callable[[], "str | None"]
PYTHON_WAYS = ("set OPENROUTER_API_KEY, pass Client(api_key=...), or use Client(offline=True) "
               "for the simulator")
#: What ``%openrouter config`` and ``--dry-run`` say of the key when the simulator answers.
SIMULATOR_KEY = "(simulator: no key needed)"


@dataclass
class Hooks:
    """Behaviour the layers above inject (set once, by the package and the notebook layer)."""

    #: Builds the in-process simulator's transport for ``Client(offline=True)``.
    offline_transport: Callable[[], httpx2.AsyncBaseTransport] | None = None
    #: Asks for a missing key interactively (a hidden prompt in IPython); None: don't ask.
    key_provider: KeyProvider | None = None
    #: Makes a progress bar for a batch: ``(total, title) -> bar`` with ``update(result)``,
    #: ``tick()``, ``close()`` and, optionally, ``status(note)`` (a rate-limit wait, or
    #: None); None: no bar.
    progress: Callable[[int, str], Any] | None = None
    #: The ways out of "no key", named once in the error (the notebook names its magics).
    no_key_ways: str = PYTHON_WAYS


hooks = Hooks()


def is_openrouter(base_url: str) -> bool:
    host = httpx2.URL(base_url).host
    return host == "openrouter.ai" or host.endswith((".openrouter.ai", ".invalid"))


def check_url(value: Any, field: str) -> str:
    """An http(s) URL with a host, or a one-line error naming where it came from."""
    example = "e.g. 'https://openrouter.ai/api/v1' or 'http://localhost:11434/v1'"
    if not isinstance(value, str) or not value.strip():
        raise InvalidParameterError(field, f"must be a URL, {example}; not {shown(value)}")
    try:
        url = httpx2.URL(value.strip())
    except (httpx2.InvalidURL, ValueError, TypeError):
        url = None
    if url is None or url.scheme not in ("http", "https") or not url.host:
        raise InvalidParameterError(field, f"{shown(value)} is not an http(s) URL with a "
                                           f"host; {example}")
    return value.strip()


def check_timeout(value: Any) -> float | httpx2.Timeout | None:
    """Seconds for each whole answer (a finite number > 0), an ``httpx2.Timeout`` (the
    transport's own: connect, read between bytes...), or None."""
    if value is None or isinstance(value, httpx2.Timeout):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) \
            and 0 < value < float("inf"):
        return float(value)
    raise InvalidParameterError("timeout", f"must be a number of seconds > 0 or None, "
                                           f"not {shown(value)}")


def no_key_error() -> MissingKeyError:
    """Raised before anything is sent: one line, the ways out named once."""
    return MissingKeyError(f"No OpenRouter API key, so nothing was sent: {hooks.no_key_ways}.")


@dataclass
class Settings:
    """One client's connection settings, resolved from arguments and the environment.

    ``base_url`` carries no credentials (they go as basic auth); ``public_url`` is what is
    shown. The key is kept only when it may be sent to ``base_url`` (`secrets.Destination`).
    """

    base_url: str
    timeout: httpx2.Timeout
    max_retries: int
    headers: dict[str, str] = field(repr=False)  # may carry a credential of their own
    offline: bool = False
    #: The client's default deadlines (a call's own ``timeout=`` ... win).
    limits: Limits = field(default_factory=Limits)
    public_url: str = ""
    key: str | None = field(default=None, repr=False)
    key_provider: KeyProvider | None = field(default=None, repr=False)
    url_auth: tuple[str, str] | None = field(default=None, repr=False)
    #: Why the key is not sent to ``base_url``; why nothing may be sent; what is wrong with
    #: the key from the environment (raised when a request would use it).
    withheld: str | None = None
    refused: str | None = None
    key_problem: InvalidParameterError | None = field(default=None, repr=False)
    #: A key is needed even where the server is not OpenRouter's own host (the session's
    #: ``%openrouter online`` to ``OPENROUTER_BASE_URL``): no key, nothing is sent.
    require_key: bool = False

    @classmethod
    def resolve(
        cls,
        api_key: str | None,
        base_url: str | None,
        *,
        offline: bool,
        timeout: float | httpx2.Timeout | None,
        max_retries: int,
        app_url: str | None,
        first_token_timeout: float | None = DEFAULT_FIRST_TOKEN,
        app_title: str | None,
        headers: dict[str, str] | None,
        key_provider: KeyProvider | None,
        require_key: bool = False,
    ) -> Settings:
        explicit_url = base_url is not None
        if offline:
            base_url = base_url or OFFLINE_BASE_URL
            api_key = api_key or OFFLINE_KEY
        env_url = os.environ.get("OPENROUTER_BASE_URL") or None
        if base_url is not None:
            base = check_url(base_url, "base_url")
        elif env_url:
            base = check_url(env_url, "OPENROUTER_BASE_URL")
        else:
            base = DEFAULT_BASE_URL
        timeout = check_timeout(timeout)
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) \
                or not 0 <= max_retries <= 10:
            raise InvalidParameterError("max_retries", "must be a whole number from 0 to 10, "
                                                       f"not {shown(max_retries)}")
        explicit = key = clean_key(api_key, "api_key")  # a bad key given in code fails now
        problem = None
        if key is None:
            try:
                key = clean_key(os.environ.get("OPENROUTER_API_KEY"), "OPENROUTER_API_KEY")
            except InvalidParameterError as exc:  # raised if a request would send it
                problem = exc
        bare, public, url_auth = split_url(base.rstrip("/"))
        where = Destination.of(bare, explicit_key=explicit is not None,
                               explicit_url=explicit_url, env_url=env_url)
        withheld = where.withheld if key or problem else None
        if withheld:
            key = problem = None
        sent = {"Content-Type": "application/json", "User-Agent": "or_magics/0.1"}
        if app_url:
            sent["HTTP-Referer"] = app_url
        if app_title:
            sent["X-Title"] = app_title
            sent["X-OpenRouter-Title"] = app_title
        sent.update(headers or {})
        return cls(
            base_url=bare,
            public_url=public,
            url_auth=url_auth,
            timeout=timeout if isinstance(timeout, httpx2.Timeout) else DEFAULT_TIMEOUT,
            limits=Limits(timeout=timeout if isinstance(timeout, float) else None,
                          first_token_timeout=check_seconds(first_token_timeout,
                                                            "first_token_timeout")),
            max_retries=max_retries,
            headers=sent,
            offline=offline,
            key=key,
            key_provider=key_provider,
            withheld=withheld,
            refused=where.refused,
            key_problem=problem,
            require_key=require_key,
        )

    @functools.cached_property
    def openrouter(self) -> bool:
        """OpenRouter itself (or the simulator): its extras apply (checked once; parsing
        the URL on every request cost a quarter of a millisecond each time)."""
        return is_openrouter(self.base_url)

    @functools.cached_property
    def host(self) -> str:
        return httpx2.URL(self.base_url).host

    def key_status(self) -> str:
        """The key as ``%openrouter config`` shows it: masked, or why it is not used."""
        if self.offline:
            return SIMULATOR_KEY
        if self.key_problem is not None:
            return f"unusable: {self.key_problem.message}"
        if self.withheld:
            return f"not sent to {self.host}"
        return mask_key(self.key)

    def ensure_key(self, ask: bool = True) -> None:
        """Ask for a missing OpenRouter key, on the caller's thread (never from the loop);
        a key that may not be sent, or cannot be a key, fails here, before anything goes.
        ``ask=False`` (a dry run) checks a key it has and leaves a missing one missing."""
        self._check_key()
        if self.key or not ask or not (self.openrouter or self.require_key):
            return
        provider = self.key_provider or hooks.key_provider
        key = clean_key(provider(), "key") if provider is not None else None
        if not key:
            raise no_key_error()
        self.key = key

    def _check_key(self) -> None:
        if self.key_problem is not None:
            problem = self.key_problem
            raise InvalidParameterError(problem.field, problem.message.split(": ", 1)[-1])
        if self.refused and self.key:
            raise InvalidParameterError("base_url", self.refused)

    def auth_headers(self, auth: bool = True) -> dict[str, str]:
        headers = dict(self.headers)
        if auth:
            self._check_key()
            if self.key:
                headers["Authorization"] = f"Bearer {self.key}"
        return headers

    def secrets(self) -> list[tuple[str, str]]:
        """(form, mask) of every secret this client holds, longest first."""
        pairs = [(form, mask_key(self.key)) for form in secret_forms(self.key)]
        password = self.url_auth[1] if self.url_auth else None
        pairs += [(form, "***") for form in secret_forms(password, least=4)]
        for name, value in self.headers.items():  # a key given as a header of one's own
            if name.lower() in _SECRET_HEADERS:
                secret = value.partition(" ")[2] or value
                pairs += [(form, mask_key(secret)) for form in secret_forms(secret)]
        return sorted(pairs, key=lambda pair: len(pair[0]), reverse=True)

    def redact(self, text: str) -> str:
        for form, mask in self.secrets():
            text = text.replace(form, mask)
        return masked(text)

    def scrub(self, error: OpenRouterError) -> OpenRouterError:
        """The error with every trace of a secret masked (message, metadata, chain)."""
        error.message = self.redact(error.message)
        error.args = (error.message,)
        if error.metadata:
            dumped = json.dumps(error.metadata, default=str)
            if self.redact(dumped) != dumped:
                error.metadata = json.loads(self.redact(dumped))
        error.__context__ = error.__cause__ = None  # an httpx error holds the request
        error.__suppress_context__ = True
        return error

    def describe(self, method: str, path: str, body: Any) -> str:
        """The request as HTTP text with secrets masked, for --dry-run and teaching."""
        headers = {**self.auth_headers(), **(getattr(body, "headers", None) or {})}
        for name in list(headers):
            if self.offline and name.lower() == "authorization":
                headers[name] = SIMULATOR_KEY  # the simulator's placeholder is no key
            elif name.lower() in _SECRET_HEADERS:
                value = headers[name]
                scheme, _, secret = value.partition(" ")
                headers[name] = f"{scheme} {mask_key(secret)}" if secret else mask_key(value)
        if not self.key and not self.offline and (self.openrouter or self.require_key):
            headers["Authorization"] = "(no API key yet: sending would need one)"
        note = f"\n\n(no API key sent: {self.withheld})" if self.withheld else ""
        return (f"{method} {self.public_url}{path}\n"
                + "".join(f"{k}: {v}\n" for k, v in headers.items())
                + "\n" + json.dumps(body, indent=2, ensure_ascii=False) + note)
