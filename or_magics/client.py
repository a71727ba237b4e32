"""`Client`: one pooled ``httpx.AsyncClient`` on the private loop, with sync and async faces.

Every call, sync or async, streamed or not, single or batched, runs the same coroutines on the
loop of `_loop`. The client never knows about IPython; it turns bytes into a growing
`Response` and raises typed errors whose messages never carry the API key.
"""

from __future__ import annotations

import asyncio
import difflib
import json
import os
import queue
import random
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote

import httpx

from . import _loop
from .catalog import Model, search_models
from .errors import (
    APIConnectionError,
    AuthenticationError,
    IncompleteStreamError,
    NotFoundError,
    OpenRouterError,
    RequestTimeoutError,
    error_from_body,
)
from .request import build_body
from .response import Response, Usage
from .sse import DONE, SSEDecoder

__all__ = [
    "DEFAULT_BASE_URL", "DEFAULT_MODEL", "Client", "Embeddings", "MultiStream", "Stream",
    "mask_key",
]

T = TypeVar("T")

DEFAULT_BASE_URL = "https://openrouter.ai/api/v1"
DEFAULT_MODEL = "openai/gpt-4o-mini"
OFFLINE_BASE_URL = "http://simulator.invalid/api/v1"
OFFLINE_KEY = "sk-or-v1-offline-simulator"
DEFAULT_TIMEOUT = httpx.Timeout(connect=15.0, read=120.0, write=30.0, pool=30.0)
MODELS_TTL = 3600.0
MAX_RETRY_WAIT = 60.0

_scan = json.JSONDecoder().scan_once
_KEY_SHAPE = re.compile(r"sk-or-v1-[A-Za-z0-9_-]{6,}")
_models_cache: dict[str, tuple[float, list[Model]]] = {}

# stream item kinds (ints: they cross threads once per chunk)
TEXT, REASONING, OTHER = 0, 1, 2
_KINDS = ("text", "reasoning", "update")
_END = object()


def mask_key(key: str | None) -> str:
    """``sk-or-v1-…3f9a``: enough to tell keys apart, never enough to use one."""
    if not key:
        return "(none)"
    prefix = "sk-or-v1-" if key.startswith("sk-or-v1-") else ""
    return f"{prefix}…{key[-4:]}" if len(key) > len(prefix) + 8 else "…"


def _is_openrouter(base_url: str) -> bool:
    host = httpx.URL(base_url).host
    return host == "openrouter.ai" or host.endswith((".openrouter.ai", ".invalid"))


@dataclass
class Embeddings:
    vectors: list[list[float]]
    model: str | None
    usage: Usage


class Client:
    """OpenRouter (or any OpenAI-compatible server) from Python, a notebook or a script.

    ``api_key`` defaults to ``$OPENROUTER_API_KEY``; with none, a notebook asks for it with a
    hidden prompt on first use. ``base_url`` defaults to ``$OPENROUTER_BASE_URL`` or
    OpenRouter; vLLM, Ollama or llama.cpp servers work too. ``offline=True`` answers from the
    built-in simulator, with no key and no network. ``transport`` is any httpx async transport.
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
        max_retries: int = 2,
        app_url: str | None = None,
        app_title: str | None = "or_magics",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.offline = offline
        if offline:
            from .offline import SimulatorTransport

            transport = transport or SimulatorTransport()
            base_url = base_url or OFFLINE_BASE_URL
            api_key = api_key or OFFLINE_KEY
        self.base_url = (base_url or os.environ.get("OPENROUTER_BASE_URL")
                         or DEFAULT_BASE_URL).rstrip("/")
        self._key = api_key or os.environ.get("OPENROUTER_API_KEY") or None
        self.model = model
        self.max_retries = max_retries
        self.timeout = timeout if isinstance(timeout, httpx.Timeout) else (
            httpx.Timeout(timeout) if timeout else DEFAULT_TIMEOUT
        )
        self.openrouter = _is_openrouter(self.base_url)
        self._headers = {"Content-Type": "application/json", "User-Agent": "or_magics/0.1"}
        if app_url:
            self._headers["HTTP-Referer"] = app_url
        if app_title:
            self._headers["X-Title"] = app_title
            self._headers["X-OpenRouter-Title"] = app_title
        self._headers.update(headers or {})
        self._transport = transport
        self._http: httpx.AsyncClient | None = None
        #: The most recent Response, also when a call was interrupted or failed mid-stream.
        self.last_response: Response | None = None

    def __repr__(self) -> str:
        where = "offline simulator" if self.offline else self.base_url
        return f"<or_magics.Client {where} key={mask_key(self._key)}>"

    # -- plumbing ------------------------------------------------------------------------

    @property
    def api_key_masked(self) -> str:
        return mask_key(self._key)

    def _client(self) -> httpx.AsyncClient:
        if self._http is None:  # created on the loop thread, used only there
            self._http = httpx.AsyncClient(
                transport=self._transport,
                timeout=self.timeout,
                limits=httpx.Limits(max_connections=100, max_keepalive_connections=20,
                                    keepalive_expiry=60.0),
            )
        return self._http

    def _ensure_key(self) -> None:
        """Ask for a missing key on the caller's thread (a prompt can't come from the loop)."""
        if not self._key and self.openrouter:
            self._key = _ask_for_key()

    def _auth_headers(self) -> dict[str, str]:
        headers = dict(self._headers)
        if self._key:
            headers["Authorization"] = f"Bearer {self._key}"
        return headers

    def _redact(self, text: str) -> str:
        if self._key and len(self._key) >= 8:
            text = text.replace(self._key, mask_key(self._key))
        return _KEY_SHAPE.sub(lambda m: mask_key(m.group(0)), text)

    def _scrub(self, error: OpenRouterError) -> OpenRouterError:
        error.message = self._redact(error.message)
        error.args = (error.message,)
        if error.metadata and _KEY_SHAPE.search(json.dumps(error.metadata, default=str)):
            error.metadata = json.loads(self._redact(json.dumps(error.metadata, default=str)))
        return error

    def _run(self, coro: Any) -> Any:
        return _loop.run_sync(coro)

    def _await(self, coro: Any) -> Awaitable[Any]:
        return asyncio.wrap_future(_loop.submit(coro))

    def close(self) -> None:
        if self._http is not None:
            http, self._http = self._http, None
            if _loop.in_loop_thread():
                _loop.get_loop().create_task(http.aclose())
            else:
                self._run(http.aclose())

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> Client:
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._http is not None:
            http, self._http = self._http, None
            await self._await(http.aclose())

    # -- chat ----------------------------------------------------------------------------

    def _body(self, prompt: Any, stream: bool, params: dict[str, Any]) -> dict[str, Any]:
        """Validate first (a bad field costs no prompt and no request), then make sure of a key."""
        model = params.pop("model", None) or self.model
        if model is None and self.openrouter:
            model = DEFAULT_MODEL
        body = build_body(prompt, model=model, stream=stream, openrouter=self.openrouter,
                          **params)
        self._ensure_key()
        return body

    def chat(self, prompt: Any, *, stream: bool = True, **params: Any) -> Response:
        """Ask once and wait for the whole answer. ``prompt``: text, content parts or messages.

        Keyword arguments are request fields (``model``, ``temperature``, ``provider``...),
        checked before sending. Ctrl-C stops the answer; it stays in ``last_response``.
        """
        body = self._body(prompt, stream, params)
        response = self._new_response(body)
        return self._run(self._complete(body, response))  # type: ignore[no-any-return]

    async def achat(self, prompt: Any, *, stream: bool = True, **params: Any) -> Response:
        """`chat` for ``await``, from any event loop."""
        body = self._body(prompt, stream, params)
        response = self._new_response(body)
        return await self._await(self._complete(body, response))  # type: ignore[no-any-return]

    def stream(self, prompt: Any, **params: Any) -> Stream:
        """Iterate text deltas as they arrive; ``.response`` has everything after."""
        body = self._body(prompt, True, params)
        return Stream(self, body, self._new_response(body))

    async def astream(self, prompt: Any, **params: Any) -> AsyncIterator[str]:
        """Async iterator of text deltas (the Response is in ``last_response``)."""
        body = self._body(prompt, True, params)
        response = self._new_response(body)
        caller = asyncio.get_running_loop()
        inbox: asyncio.Queue[Any] = asyncio.Queue()

        async def produce() -> None:
            try:
                async for kind, text in self._events(body, response):
                    if kind == TEXT:
                        caller.call_soon_threadsafe(inbox.put_nowait, text)
                caller.call_soon_threadsafe(inbox.put_nowait, _END)
            except BaseException as exc:
                caller.call_soon_threadsafe(inbox.put_nowait, exc)

        future = _loop.submit(produce())
        try:
            while True:
                item = await inbox.get()
                if item is _END:
                    return
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            if not future.done():
                future.cancel()

    def batch(self, prompts: Sequence[Any], *, concurrency: int = 8,
              **params: Any) -> list[Response | OpenRouterError]:
        """Ask many prompts at once; results in input order, a failed item is its error."""
        bodies = self._bodies(prompts, concurrency, params)
        return self._run(self._batch(bodies, concurrency))  # type: ignore[no-any-return]

    async def abatch(self, prompts: Sequence[Any], *, concurrency: int = 8,
                     **params: Any) -> list[Response | OpenRouterError]:
        bodies = self._bodies(prompts, concurrency, params)
        return await self._await(self._batch(bodies, concurrency))  # type: ignore[no-any-return]

    def _bodies(self, prompts: Sequence[Any], concurrency: int,
                params: dict[str, Any]) -> list[dict[str, Any]]:
        if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
            raise ValueError(f"concurrency must be a whole number ≥ 1, not {concurrency!r}")
        stream = params.pop("stream", True)
        return [self._body(prompt, stream, dict(params)) for prompt in prompts]

    async def _batch(self, bodies: list[dict[str, Any]],
                     concurrency: int) -> list[Response | OpenRouterError]:
        gate = asyncio.Semaphore(concurrency)

        async def one(body: dict[str, Any]) -> Response | OpenRouterError:
            async with gate:
                try:
                    return await self._complete(body, Response(body, simulated=self.offline))
                except OpenRouterError as exc:
                    return exc

        return list(await asyncio.gather(*(one(body) for body in bodies)))

    def _new_response(self, body: dict[str, Any]) -> Response:
        response = Response(body, simulated=self.offline)
        self.last_response = response
        return response

    async def _complete(self, body: dict[str, Any], response: Response) -> Response:
        async for _ in self._events(body, response):
            pass
        return response

    async def _events(
        self, body: dict[str, Any], response: Response
    ) -> AsyncIterator[tuple[int, str]]:
        """The one implementation: send, retry before the first content, stream, accumulate."""
        url = f"{self.base_url}/chat/completions"
        payload = json.dumps(body, ensure_ascii=False).encode()
        attempt = 0
        while True:
            started = False
            http_response: httpx.Response | None = None
            try:
                http = self._client()
                request = http.build_request("POST", url, content=payload,
                                             headers=self._auth_headers())
                http_response = await http.send(request, stream=True)
                if http_response.headers.get("x-simulator"):
                    response.simulated = True
                if http_response.status_code >= 400:
                    raise await self._http_error(http_response, response)
                content_type = http_response.headers.get("content-type", "")
                if "text/event-stream" not in content_type:
                    data = _loads(await http_response.aread())
                    response._add_message(data if isinstance(data, dict) else {"error": data})
                    if response.error is not None:
                        raise response.error
                    response._close()
                    yield (TEXT, response.text) if response.text else (OTHER, "")
                    return
                decoder = SSEDecoder()
                finished = False
                reads = (http_response.aiter_bytes() if "content-encoding" in http_response.headers
                         else http_response.aiter_raw())
                async for raw in reads:
                    for data in decoder.feed(raw):
                        if data == DONE:
                            finished = True
                            continue
                        item = self._absorb(data, response)
                        if item is None:
                            continue
                        if response.error is not None:
                            break
                        started = True
                        yield item
                    if response.error is not None:
                        break
                else:
                    for data in decoder.close():
                        if data == DONE:
                            finished = True
                        else:
                            self._absorb(data, response)
                if response.error is not None:
                    raise response.error
                if not finished and response.finish_reason is None:
                    raise IncompleteStreamError(
                        "the stream ended before the answer was complete", partial=response
                    )
                response._close()
                return
            except OpenRouterError as exc:
                error = self._scrub(exc)
                if not started and error.retryable and attempt < self.max_retries:
                    wait = _backoff(attempt, error.retry_after)
                    if wait is not None:
                        attempt += 1
                        response._reset()
                        await asyncio.sleep(wait)
                        continue
                response._close()
                response.error = error
                raise error from None
            except httpx.TransportError as exc:
                error = self._transport_error(exc, response)
                if not started and attempt < self.max_retries:
                    attempt += 1
                    response._reset()
                    await asyncio.sleep(_backoff(attempt - 1, None) or 0.0)
                    continue
                response._close()
                response.error = error
                raise error from None
            except (asyncio.CancelledError, GeneratorExit):
                response.interrupted = True
                response._close()
                raise
            finally:
                if http_response is not None:
                    await http_response.aclose()

    @staticmethod
    def _absorb(data: bytes, response: Response) -> tuple[int, str] | None:
        """One event payload into the Response; the display item it makes, if any."""
        try:
            try:
                chunk = _scan(data.decode(), 0)[0]  # 2 µs less than json.loads(bytes)
            except StopIteration:  # leading white space, or not JSON at all
                chunk = json.loads(data)
        except ValueError:
            text = data[:80].decode("utf-8", "replace")
            raise IncompleteStreamError(f"malformed event from the server: {text!r}",
                                        partial=response) from None
        if not isinstance(chunk, dict):
            return None
        text, reasoning, other = response._add_chunk(chunk)
        if text:
            return TEXT, text
        if reasoning:
            return REASONING, reasoning
        return (OTHER, "") if other else None

    async def _http_error(self, http_response: httpx.Response,
                          response: Response | None) -> OpenRouterError:
        raw = await http_response.aread()
        body = _loads(raw)
        if body is None:
            body = raw.decode("utf-8", "replace")
        retry_after = _retry_after(http_response.headers.get("retry-after"))
        error = error_from_body(body, http_response.status_code, retry_after=retry_after,
                                partial=response)
        if isinstance(error, AuthenticationError) and not self._key:
            error.message += " (no API key was sent)"
        return error

    def _transport_error(self, exc: httpx.TransportError,
                         response: Response | None) -> OpenRouterError:
        if isinstance(exc, httpx.TimeoutException):
            kind = type(exc).__name__.replace("Timeout", " timeout").lower()
            error: OpenRouterError = RequestTimeoutError(
                f"{kind} talking to {httpx.URL(self.base_url).host}", partial=response)
            error.status = None
        else:
            detail = str(exc) or type(exc).__name__
            error = APIConnectionError(
                f"{detail} ({httpx.URL(self.base_url).host})", partial=response)
        return self._scrub(error)

    # -- other endpoints -----------------------------------------------------------------

    async def _call(self, method: str, path: str, *, auth: bool = True, raw: bool = False,
                    **kwargs: Any) -> Any:
        """A JSON request with the same errors and retries as chat; returns ``data``."""
        headers = self._auth_headers() if auth else dict(self._headers)
        attempt = 0
        while True:
            try:
                http_response = await self._client().request(
                    method, f"{self.base_url}{path}", headers=headers, **kwargs)
                if http_response.status_code >= 400:
                    raise await self._http_error(http_response, None)
                body = _loads(http_response.content)
                if isinstance(body, dict) and "error" in body:
                    raise error_from_body(body, http_response.status_code)
                if raw or not (isinstance(body, dict) and "data" in body):
                    return body
                return body["data"]
            except OpenRouterError as exc:
                error = self._scrub(exc)
                wait = _backoff(attempt, error.retry_after) if error.retryable else None
            except httpx.TransportError as exc:
                error = self._transport_error(exc, None)
                wait = _backoff(attempt, None)
            if wait is None or attempt >= self.max_retries:
                raise error from None
            attempt += 1
            await asyncio.sleep(wait)

    async def _models(self, refresh: bool) -> list[Model]:
        cached = _models_cache.get(self.base_url)
        if refresh or cached is None or time.monotonic() - cached[0] > MODELS_TTL:
            data = await self._call("GET", "/models")
            models = [Model.from_dict(m) for m in data or () if isinstance(m, dict)]
            cached = _models_cache[self.base_url] = (time.monotonic(), models)
        return list(cached[1])

    def models(self, search: str | None = None, *, refresh: bool = False,
               **filters: Any) -> list[Model]:
        """The model catalogue, fetched once per session (``refresh=True`` fetches again).

        ``search`` words must all appear in a model's id, name or description; filters:
        ``author``, ``input_modalities``, ``supports``, ``min_context``, ``max_price`` (USD per
        million prompt tokens), ``free``.
        """
        return search_models(self._run(self._models(refresh)), search, **filters)

    async def amodels(self, search: str | None = None, *, refresh: bool = False,
                      **filters: Any) -> list[Model]:
        return search_models(await self._await(self._models(refresh)), search, **filters)

    def model_info(self, model_id: str) -> Model:
        """One model of the catalogue; `NotFoundError` names the closest ids."""
        base = model_id.split(":", 1)[0]
        models = self.models()
        for model in models:
            if model.id in (model_id, base):
                return model
        close = difflib.get_close_matches(base, [m.id for m in models], n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else " (see %openrouter models)"
        raise NotFoundError(f"no model {model_id!r} in the catalogue{hint}")

    def _endpoints(self, model_id: str) -> Any:
        self._ensure_key()
        path = f"/models/{quote(model_id.split(':', 1)[0], safe='/')}/endpoints"
        return self._call("GET", path)

    def endpoints(self, model_id: str) -> dict[str, Any]:
        """A model's providers, with their prices, latency, throughput and uptime."""
        return self._run(self._endpoints(model_id))  # type: ignore[no-any-return]

    async def aendpoints(self, model_id: str) -> dict[str, Any]:
        return await self._await(self._endpoints(model_id))  # type: ignore[no-any-return]

    async def _generation(self, generation_id: str, wait: float) -> dict[str, Any]:
        deadline = time.monotonic() + wait
        while True:
            try:
                return await self._call(  # type: ignore[no-any-return]
                    "GET", "/generation", params={"id": generation_id})
            except NotFoundError:
                if time.monotonic() >= deadline:
                    raise
                await asyncio.sleep(0.25)

    def generation(self, generation_id: str, *, wait: float = 3.0) -> dict[str, Any]:
        """Stats of one generation; waits up to ``wait`` s, as they appear a moment late."""
        self._ensure_key()
        return self._run(self._generation(generation_id, wait))  # type: ignore[no-any-return]

    def key_info(self) -> dict[str, Any]:
        """Limit, usage and tier of the key in use (OpenRouter masks its label)."""
        self._ensure_key()
        return self._run(self._call("GET", "/key"))  # type: ignore[no-any-return]

    def credits(self) -> dict[str, Any]:
        """``total_credits`` and ``total_usage`` in USD."""
        self._ensure_key()
        return self._run(self._call("GET", "/credits"))  # type: ignore[no-any-return]

    def providers(self) -> list[dict[str, Any]]:
        return self._run(self._call("GET", "/providers", auth=False))  # type: ignore[no-any-return]

    def embeddings(self, input: str | list[str], *, model: str, **params: Any) -> Embeddings:
        """Vectors for one text or many, in input order."""
        self._ensure_key()
        data = self._run(self._call("POST", "/embeddings",
                                    json={"model": model, "input": input, **params}, raw=True))
        rows = sorted(data.get("data") or [], key=lambda row: row.get("index", 0))
        return Embeddings(
            vectors=[row.get("embedding") for row in rows],
            model=data.get("model"),
            usage=Usage.from_dict(data.get("usage") or {}),
        )


class Stream:
    """Text deltas of one answer as they arrive, for a ``for`` loop in sync code.

    The request runs on the private loop from the moment the Stream is made; deltas cross to
    the caller's thread through a queue. Ctrl-C closes the connection; ``response`` keeps the
    partial answer, marked ``interrupted``.
    """

    def __init__(self, client: Client, body: dict[str, Any], response: Response) -> None:
        self.response = response
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._future = _loop.submit(_pump(client._events(body, response), self._queue.put))

    def events(self, idle: float | None = None) -> Iterator[tuple[str, str]]:
        """``("text" | "reasoning" | "update", delta)`` pairs; "update" means look again at
        ``response`` (a tool call, a citation, the finish). With ``idle``, an ``("idle", "")``
        pair comes after that many seconds without news, so a display can catch up."""
        get = self._queue.get
        try:
            while True:
                try:
                    item = get(timeout=idle)
                except queue.Empty:
                    yield "idle", ""
                    continue
                if item is _END:
                    return
                if isinstance(item, BaseException):
                    raise item
                yield _KINDS[item[0]], item[1]
        except (KeyboardInterrupt, GeneratorExit):
            self.close()
            raise

    def __iter__(self) -> Iterator[str]:
        for kind, text in self.events():
            if kind == "text":
                yield text

    def close(self) -> None:
        """Stop the answer here; what came so far stays in ``response``."""
        if not self._future.done():
            self.response.interrupted = True
            _loop.cancel_and_wait(self._future)

    def __enter__(self) -> Stream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class MultiStream:
    """Several answers at once, multiplexed into one queue, for one display loop.

    Every body streams concurrently on the private loop; the caller waits on a single queue
    (with an idle timeout) instead of polling N. A failed answer ends its own index only: its
    Response keeps the error, the others go on. Ctrl-C stops them all, partial answers kept.
    """

    def __init__(self, client: Client, bodies: Sequence[dict[str, Any]],
                 responses: Sequence[Response]) -> None:
        self.responses = list(responses)
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._future = _loop.submit(self._produce(client, list(bodies)))

    async def _produce(self, client: Client, bodies: list[dict[str, Any]]) -> None:
        put = self._queue.put

        def tagged(index: int) -> Callable[[Any], None]:
            return lambda item: put((index, item))

        await asyncio.gather(*(_pump(client._events(body, response), tagged(index))
                               for index, (body, response)
                               in enumerate(zip(bodies, self.responses, strict=True))))

    def events(self, idle: float | None = None) -> Iterator[tuple[int, str, str]]:
        """``(index, kind, delta)``: kinds as in `Stream.events`, plus "end" when answer
        ``index`` is complete and "error" (delta: the message) when it failed; with ``idle``,
        ``(-1, "idle", "")`` after that many seconds without news. Ends when all have ended.
        Exceptions that are not API errors (bugs) propagate."""
        get = self._queue.get
        running = len(self.responses)
        try:
            while running:
                try:
                    index, item = get(timeout=idle)
                except queue.Empty:
                    yield -1, "idle", ""
                    continue
                if item is _END:
                    running -= 1
                    yield index, "end", ""
                elif isinstance(item, OpenRouterError):
                    running -= 1
                    response = self.responses[index]
                    response.error = response.error or item
                    yield index, "error", str(item)
                elif isinstance(item, BaseException):
                    raise item
                else:
                    yield index, _KINDS[item[0]], item[1]
        except BaseException:  # Ctrl-C, generator closed, or a bug: stop every answer
            self.close()
            raise

    def close(self) -> None:
        """Stop every answer still running; what came so far stays in ``responses``."""
        if not self._future.done():
            for response in self.responses:
                if not response.done and response.error is None:
                    response.interrupted = True
            _loop.cancel_and_wait(self._future)

    def __enter__(self) -> MultiStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


async def _pump(events: AsyncIterator[tuple[int, str]], put: Callable[[Any], None]) -> None:
    """Move one answer's items into a queue for another thread: items, then ``_END`` or the
    exception (a cancel is re-raised after it is queued)."""
    try:
        async for item in events:  # the first delta: let the waiting reader run now
            put(item)
            time.sleep(0)  # releases the GIL; otherwise the reader waits for the next read
            break
        async for item in events:
            put(item)
        put(_END)
    except BaseException as exc:
        put(exc)
        if isinstance(exc, asyncio.CancelledError):
            raise


# -- helpers --------------------------------------------------------------------------------


def _loads(raw: bytes) -> Any:
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
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None


def _backoff(attempt: int, retry_after: float | None) -> float | None:
    """Seconds to wait before retry ``attempt + 1``; None when the server asks for too long."""
    if retry_after is not None:
        return retry_after if retry_after <= MAX_RETRY_WAIT else None
    return min(8.0, 0.5 * 2**attempt) * (0.75 + random.random() / 2)


def _ask_for_key() -> str:
    """A hidden prompt, in a notebook or terminal IPython only; otherwise a clear error."""
    message = ("no OpenRouter API key: set OPENROUTER_API_KEY, pass Client(api_key=...), "
               "or use offline=True for the simulator")
    try:
        from IPython import get_ipython
    except ImportError:
        raise AuthenticationError(message, status=None) from None
    shell = get_ipython() if _is_interactive() else None
    if shell is None:
        raise AuthenticationError(message, status=None)
    import getpass

    try:
        key = getpass.getpass("OpenRouter API key (hidden; https://openrouter.ai/keys): ")
    except Exception:  # no stdin (headless run): say what to do instead
        raise AuthenticationError(message, status=None) from None
    key = key.strip()
    if not key:
        raise AuthenticationError(message, status=None)
    return key


def _is_interactive() -> bool:
    import sys

    return "IPython" in sys.modules and not _loop.in_loop_thread()
