"""`Client`: OpenRouter (or any OpenAI-compatible server) with sync and async faces.

Every call, sync or async, streamed or not, single or batched, runs the same coroutine
(`chat.chat_events`) on the private loop (`loop`); the faces only differ in how they wait
for it. The client knows neither IPython nor the display nor the simulator: it turns bytes
into a growing `Response` and raises typed errors whose messages never carry the API key.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from typing import Any

import httpx

from ..protocol import DEFAULT_MODEL
from . import loop
from .bridge import END, Bridge
from .chat import TEXT, chat_events
from .config import KeyProvider, Settings, hooks, mask_key
from .endpoints import Endpoints
from .errors import InvalidParameterError, OpenRouterError
from .limits import DEFAULT_FIRST_TOKEN, ChatRequest
from .request import build_body
from .response import Response
from .send import Sender
from .streams import MultiStream, Stream

__all__ = ["Client"]


class Client(Endpoints):
    """OpenRouter (or any OpenAI-compatible server) from Python, a notebook or a script.

    ``api_key`` defaults to ``$OPENROUTER_API_KEY``; with none, ``key_provider`` (in a
    notebook: a hidden prompt) is asked on first use. ``base_url`` defaults to
    ``$OPENROUTER_BASE_URL`` or OpenRouter; vLLM, Ollama or llama.cpp servers work too.
    ``offline=True`` answers from the built-in simulator, with no key and no network.
    ``transport`` is any httpx async transport.

    ``timeout`` (seconds) bounds each whole answer and ``first_token_timeout`` (default
    300) the wait for its first token; every call takes both as keyword arguments too. An
    ``httpx.Timeout`` sets the transport's own timeouts instead (its read timeout, reset by
    OpenRouter's keep-alive comments, is 120 s by default).
    """

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        model: str | None = None,
        offline: bool = False,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float | httpx.Timeout | None = None,
        first_token_timeout: float | None = DEFAULT_FIRST_TOKEN,
        max_retries: int = 2,
        app_url: str | None = None,
        app_title: str | None = "or_magics",
        headers: dict[str, str] | None = None,
        key_provider: KeyProvider | None = None,
    ) -> None:
        if offline and transport is None:
            if hooks.offline_transport is None:
                raise RuntimeError("offline=True needs the simulator: import or_magics")
            transport = hooks.offline_transport()
        self.settings = Settings.resolve(
            api_key, base_url, offline=offline, timeout=timeout, max_retries=max_retries,
            app_url=app_url, app_title=app_title, headers=headers, key_provider=key_provider,
            first_token_timeout=first_token_timeout)
        self.sender = Sender(self.settings, transport)
        self.model = model
        #: The most recent Response, also when a call was interrupted or failed mid-stream.
        self.last_response: Response | None = None

    @property
    def base_url(self) -> str:
        """Where requests go, as it may be shown (a password in it is masked)."""
        return self.settings.public_url

    @property
    def offline(self) -> bool:
        return self.settings.offline

    @property
    def openrouter(self) -> bool:
        """Talking to OpenRouter itself (or the simulator), so its extras apply."""
        return self.settings.openrouter

    def __repr__(self) -> str:
        where = "offline simulator" if self.offline else self.base_url
        return f"<or_magics.Client {where} key={mask_key(self.settings.key)}>"

    # -- requests ---------------------------------------------------------------------------

    def build_body(self, prompt: Any, *, stream: bool = True, **params: Any) -> dict[str, Any]:
        """The validated request body for ``prompt`` (nothing is sent): a bad field costs no
        request; then the key is made sure of, so a prompt for it comes before sending.
        ``timeout`` / ``first_token_timeout`` are kept with the body, not in it."""
        limits = self.settings.limits.taking(params)
        model = params.pop("model", None) or self.model
        if model is None and self.openrouter:
            model = DEFAULT_MODEL
        body = build_body(prompt, model=model, stream=stream, openrouter=self.openrouter,
                          **params)
        self.settings.ensure_key()
        return ChatRequest.of(body, limits)

    def describe(self, body: dict[str, Any]) -> str:
        """``body`` as the HTTP request it would be, with the key masked (``--dry-run``)."""
        return self.settings.describe("POST", "/chat/completions", body)

    def response_for(self, body: dict[str, Any]) -> Response:
        """A new, empty Response for ``body``; it becomes ``last_response``."""
        response = Response(body, simulated=self.offline)
        self.last_response = response
        return response

    def events(self, body: dict[str, Any], response: Response) -> AsyncIterator[tuple[int, str]]:
        """The one implementation: the display items of ``body``'s answer, filling
        ``response``; run it on the private loop (`send` and `send_all` do)."""
        return chat_events(self.sender, body, response)

    def send(self, body: dict[str, Any]) -> Stream:
        """Start answering a body from `build_body`; iterate the Stream for its deltas."""
        response = self.response_for(body)
        return Stream(self.events(body, response), response)

    def send_all(self, bodies: Sequence[dict[str, Any]]) -> MultiStream:
        """Start answering every body at once; one queue of ``(index, kind, delta)``."""
        responses = [Response(body, simulated=self.offline) for body in bodies]
        return MultiStream([self.events(b, r) for b, r in zip(bodies, responses, strict=True)],
                           responses)

    async def complete(self, body: dict[str, Any], response: Response) -> Response:
        """Run ``body`` to its end on the private loop (batch and helpers build on this)."""
        async for _ in self.events(body, response):
            pass
        return response

    # -- chat -------------------------------------------------------------------------------

    def chat(self, prompt: Any, *, stream: bool = True, **params: Any) -> Response:
        """Ask once and wait for the whole answer. ``prompt``: text, content parts or messages.

        Keyword arguments are request fields (``model``, ``temperature``, ``provider``...),
        checked before sending. Ctrl-C stops the answer; it stays in ``last_response``.
        """
        body = self.build_body(prompt, stream=stream, **params)
        return loop.run_sync(self.complete(body, self.response_for(body)))

    async def achat(self, prompt: Any, *, stream: bool = True, **params: Any) -> Response:
        """`chat` for ``await``, from any event loop."""
        body = self.build_body(prompt, stream=stream, **params)
        coro = self.complete(body, self.response_for(body))
        return await loop.run_async(coro)

    def stream(self, prompt: Any, **params: Any) -> Stream:
        """Iterate text deltas as they arrive; ``.response`` has everything after."""
        return self.send(self.build_body(prompt, **params))

    async def astream(self, prompt: Any, **params: Any) -> AsyncIterator[str]:
        """Async iterator of text deltas (the Response is in ``last_response``)."""
        body = self.build_body(prompt, **params)
        bridge = Bridge([self.events(body, self.response_for(body))],
                        caller=asyncio.get_running_loop())
        try:
            while True:
                _, item = await bridge.aget()
                if item is END:
                    return
                if isinstance(item, BaseException):
                    raise item
                if item[0] == TEXT:
                    yield item[1]
        finally:
            bridge.cancel()

    def batch(self, prompts: Sequence[Any], *, concurrency: int = 8,
              **params: Any) -> list[Response | OpenRouterError]:
        """Ask many prompts at once; results in input order, a failed item is its error."""
        bodies = self._bodies(prompts, concurrency, params)
        return loop.run_sync(self._batch(bodies, concurrency))

    async def abatch(self, prompts: Sequence[Any], *, concurrency: int = 8,
                     **params: Any) -> list[Response | OpenRouterError]:
        bodies = self._bodies(prompts, concurrency, params)
        return await loop.run_async(self._batch(bodies, concurrency))

    def _bodies(self, prompts: Sequence[Any], concurrency: int,
                params: dict[str, Any]) -> list[dict[str, Any]]:
        if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
            raise InvalidParameterError("concurrency", "must be a whole number ≥ 1, not "
                                                       f"{concurrency!r}")
        return [self.build_body(prompt, **params) for prompt in prompts]

    async def _batch(self, bodies: list[dict[str, Any]],
                     concurrency: int) -> list[Response | OpenRouterError]:
        gate = asyncio.Semaphore(concurrency)

        async def one(body: dict[str, Any]) -> Response | OpenRouterError:
            async with gate:
                try:
                    return await self.complete(body, Response(body, simulated=self.offline))
                except OpenRouterError as exc:
                    return exc

        return list(await asyncio.gather(*(one(body) for body in bodies)))

    # -- lifetime ---------------------------------------------------------------------------

    def close(self) -> None:
        if not self.sender.active:
            return
        if loop.in_loop_thread():
            loop.get_loop().create_task(self.sender.aclose())
        else:
            loop.run_sync(self.sender.aclose())

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> Client:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await loop.run_async(self.sender.aclose())
