"""Sending: one pooled ``httpx2.AsyncClient``, the one retry loop, and HTTP failures as
typed errors.

Streaming chat and the JSON endpoints share `Sender.retrying`: an attempt may be tried
again only while it has produced nothing, so a retry can never duplicate or reorder part of
an answer. Waits honour ``Retry-After`` and are bounded. A batch passes its `Pacer`, so one
429 slows all of its requests (``pacer.py``).
"""

from __future__ import annotations

import asyncio
import json
import math
import random
import time
import urllib.request
from collections.abc import AsyncGenerator, Callable
from contextlib import aclosing
from typing import TYPE_CHECKING, Any, Protocol, TypeVar
from urllib.parse import urlsplit

import httpx2

from ..errors import (
    APIConnectionError,
    AuthenticationError,
    InvalidParameterError,
    OpenRouterError,
    RequestTimeoutError,
    error_from_body,
)
from .config import Settings, hooks
from .limits import Deadline
from .shapes import not_an_api_response, redirected

if TYPE_CHECKING:
    from .pacer import Pacer

__all__ = ["MAX_RETRY_WAIT", "Sender", "Watcher", "loads", "proxy_for"]

T = TypeVar("T")
MAX_RETRY_WAIT = 60.0
#: Every connection a batch may use at once stays open for the next request (a batch of
#: 50 at once kept 20, and opened 30 new connections for every 50 requests). On httpx2's
#: pool this costs what raw httpx2 costs; on httpx 0.28's (httpcore 1) the same limit cost
#: 4x the client CPU per request (notes/README-perf-batch.md).
LIMITS = httpx2.Limits(max_connections=100, max_keepalive_connections=100, keepalive_expiry=60.0)


class Watcher(Protocol):
    """What `Sender.retrying` tells about the attempts (an `Accumulator` listens)."""

    started: bool  # something of the answer arrived: a failure now is final

    def reset(self) -> None: ...  # an attempt failed and another follows

    def fail(self, error: OpenRouterError) -> OpenRouterError: ...  # the last one failed

    def interrupt(self) -> None: ...  # cancelled, or the consumer stopped

    def close(self) -> None: ...  # done


class Sender:
    """The HTTP side of one client. Used only on the private loop's thread."""

    def __init__(self, settings: Settings, transport: Any) -> None:
        """``transport``: an ``httpx2.AsyncBaseTransport`` or None (a pooled one); anything
        else, an httpx 0.x transport above all, is one line naming what to give instead."""
        if transport is not None and not isinstance(transport, httpx2.AsyncBaseTransport):
            kind = type(transport)
            hint = (" (or_magics is built on httpx2, httpx's maintained fork with the same "
                    f"API: use httpx2.{kind.__name__})") if kind.__module__.split(".")[0] == \
                "httpx" else ""
            raise InvalidParameterError("transport", f"a {kind.__name__} is not an async "
                                                     f"httpx2 transport{hint}")
        self.settings = settings
        self._transport = transport
        self._http: httpx2.AsyncClient | None = None

    def http(self) -> httpx2.AsyncClient:
        if self._http is None:  # created on the loop thread, used only there
            credentials = self.settings.url_auth
            self._http = httpx2.AsyncClient(
                transport=self._transport,
                auth=httpx2.BasicAuth(*credentials) if credentials else None,
                timeout=self.settings.timeout,
                limits=LIMITS,
            )
        return self._http

    @property
    def active(self) -> bool:
        """A connection pool exists (so closing has something to do)."""
        return self._http is not None

    async def aclose(self) -> None:
        if self._http is not None:
            http, self._http = self._http, None
            await http.aclose()

    def url(self, path: str) -> str:
        return f"{self.settings.base_url}{path}"

    async def retrying(self, attempt: Callable[[], AsyncGenerator[T, None]],
                       watcher: Watcher | None = None, *,
                       status: Callable[[str], T] | None = None,
                       deadline: Deadline | None = None,
                       pacer: Pacer | None = None) -> AsyncGenerator[T, None]:
        """Items of ``attempt()``; a retryable failure before the answer started (the
        watcher says when; without one, the first item) tries again.

        ``watcher`` hears how it ends (an accumulator closing its Response), so a stream
        passes through one generator here, not one more per layer. With ``status``, the
        wait before a retry is counted down in status items; a retry that would start
        after the ``deadline`` is not made. With a ``pacer``, each try waits for its turn
        first, and a 429 waits for the whole batch's pause."""
        tries = 0
        began = 0.0
        try:
            while True:
                started = False
                if pacer is not None:
                    async for note in pacer.turn():
                        if status is not None:
                            yield status(note)
                    if pacer.exhausted is not None:  # the limit resets too late to wait
                        error = pacer.refusal()
                        raise (watcher.fail(error) if watcher else error).with_traceback(None)
                    began = pacer.began()
                try:
                    async with aclosing(attempt()) as items:
                        async for item in items:
                            started = started or watcher is None
                            yield item
                    if pacer is not None:
                        pacer.succeeded()
                    break
                except OpenRouterError as exc:
                    error = self.settings.scrub(exc)
                    wait = backoff(tries, error.retry_after) if error.retryable else None
                    if pacer is not None and error.status == 429:
                        pacer.limited_by(error, began)
                        wait = None if pacer.exhausted else pacer.left()
                except httpx2.TransportError as exc:
                    error = self.transport_error(exc)
                    wait = backoff(tries, None) if error.retryable else None
                finally:
                    if pacer is not None:
                        pacer.end()
                started = started or (watcher is not None and watcher.started)
                if deadline is not None and wait is not None and not deadline.allows(wait):
                    wait = None
                if started or wait is None or tries >= self.settings.max_retries:
                    # no traceback: its frames hold the request, and with it the key
                    final = watcher.fail(error) if watcher else error
                    raise final.with_traceback(None) from None
                tries += 1
                if watcher is not None:
                    watcher.reset()
                if status is None:
                    await asyncio.sleep(wait)
                    continue
                why = f"{error.status} {error.title}" if error.status else error.title
                end = time.monotonic() + wait
                while (left := end - time.monotonic()) > 0:
                    yield status(f"retrying in {math.ceil(left)} s ({why})")
                    await asyncio.sleep(min(1.0, left))
        except (asyncio.CancelledError, GeneratorExit):
            if watcher is not None:
                watcher.interrupt()
            raise
        if watcher is not None:
            watcher.close()

    async def request_json(self, method: str, path: str, *, auth: bool = True,
                           raw: bool = False, **kwargs: Any) -> Any:
        """A JSON request with the same errors and retries as chat; returns ``data``."""

        async def attempt() -> AsyncGenerator[Any, None]:  # the key stays in this frame
            try:
                response = await self.http().request(
                    method, self.url(path), headers=self.settings.auth_headers(auth), **kwargs)
            except httpx2.TransportError as exc:
                raise self.transport_error(exc, idempotent=method == "GET") from None
            if response.status_code >= 400:
                raise await self.http_error(response)
            if response.status_code >= 300:
                raise redirected(response, self.settings.public_url)
            body = loads(response.content)
            if body is None:
                raise not_an_api_response(response, response.content, self.settings.public_url)
            if isinstance(body, dict) and body.get("error") is not None:
                raise error_from_body(body, response.status_code)
            yield body if raw or not (isinstance(body, dict) and "data" in body) else body["data"]

        async with aclosing(self.retrying(attempt)) as results:
            async for result in results:
                return result
        raise AssertionError("unreachable: an attempt yields or raises")  # pragma: no cover

    async def http_error(self, response: httpx2.Response) -> OpenRouterError:
        raw = await response.aread()
        body = loads(raw)
        if body is None:
            body = raw.decode("utf-8", "replace")
        retry_after = _retry_after(response.headers.get("retry-after"))
        error = error_from_body(body, response.status_code, retry_after=retry_after)
        if response.status_code == 429:  # the limit's size and reset, for a batch's pacer
            given = error.metadata.get("headers")
            given = given if isinstance(given, dict) else {}
            known = {str(name).lower() for name in given}
            limits = {k: v for k, v in response.headers.items()  # names in lower case
                      if k.startswith("x-ratelimit-") and k not in known}
            if limits:
                error.metadata["headers"] = {**given, **limits}
        if isinstance(error, AuthenticationError) and not self.settings.key:
            why = self.settings.withheld or hooks.no_key_ways
            error.message += f" (no API key was sent: {why})"
            error.hint = ""  # the ways out are named once, here
        return error

    def transport_error(self, exc: httpx2.TransportError, *, accepted: bool = False,
                        idempotent: bool = False) -> OpenRouterError:
        """A connection failure as a typed error. Not to be retried once the server had the
        request (a read timed out, or the answer had begun) unless asking again is free
        (``idempotent``): a second try could pay twice for one generation."""
        host = self.settings.host
        if isinstance(exc, httpx2.TimeoutException):
            if isinstance(exc, httpx2.ReadTimeout):
                seconds = self.settings.timeout.read or 0
                error: OpenRouterError = RequestTimeoutError(
                    f"{host} sent nothing for {seconds:g} s (the read timeout)"
                    + ("" if idempotent else "; not retried, as the server has the request "
                                             "and a second try could pay twice"))
                accepted = True
            else:
                kind = type(exc).__name__.replace("Timeout", " timeout").lower()
                error = RequestTimeoutError(f"{kind} talking to {host}")
            error.status = None
        else:
            detail = str(exc) or type(exc).__name__
            proxy = None if self._transport is not None else proxy_for(self.settings.base_url)
            through = f", through the proxy {proxy}" if proxy else ""
            error = APIConnectionError(f"{detail} ({host}{through})")
        if accepted and not idempotent:
            error.retry = False
        return self.settings.scrub(error)


def proxy_for(url: str) -> str | None:
    """The proxy httpx takes from the environment for ``url`` (``HTTPS_PROXY``...), named
    without its credentials and with the way around it: a connection error behind a proxy
    that is down otherwise names only the host it never reached."""
    parts = urlsplit(url)
    proxies = urllib.request.getproxies_environment()
    proxy = proxies.get(parts.scheme) or proxies.get("all")
    host = parts.hostname or ""
    if not proxy or not host or urllib.request.proxy_bypass(host):
        return None
    shown = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    variable = f"{parts.scheme.upper()}_PROXY" if proxies.get(parts.scheme) else "ALL_PROXY"
    return (f"{shown.hostname}:{shown.port or 80} from {variable}; NO_PROXY={host} "
            "goes around it")


def loads(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            return max(0.0, float(parsedate_to_datetime(value).timestamp()) - time.time())
        except (TypeError, ValueError):
            return None


def backoff(attempt: int, retry_after: float | None) -> float | None:
    """Seconds to wait before retry ``attempt + 1``; None when the server asks for too long."""
    if retry_after is not None:
        return retry_after if retry_after <= MAX_RETRY_WAIT else None
    return min(8.0, 0.5 * 2.0**attempt) * (0.75 + random.random() / 2)
