"""`Client`: OpenRouter (or any OpenAI-compatible server) with sync and async faces.

Every call, sync or async, streamed or not, single or batched, runs the same coroutine
(`chat.chat_events`) on the private loop (`loop`); the faces only differ in how they wait
for it. The client knows neither IPython nor the display nor the simulator: it turns bytes
into a growing `Response` and raises typed errors whose messages never carry the API key.
"""

from __future__ import annotations

import asyncio
import queue
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import aclosing
from os import PathLike
from typing import Any

import httpx2

from ..errors import BadRequestError, InvalidParameterError, OpenRouterError
from ..kernel.rows import items_of
from ..kernel.schema import schema_for
from ..protocol import DEFAULT_MODEL
from . import loop, server_cache
from .batch import BatchResult, BatchRun, check_options
from .bridge import END, Bridge, Drained
from .budget import Budget, worst_case
from .cache import ResponseCache
from .capabilities import check, needs_of
from .catalogue import Model
from .chat import TEXT, chat_events
from .config import KeyProvider, Settings, hooks
from .endpoints import Endpoints
from .limits import DEFAULT_FIRST_TOKEN, ChatRequest
from .pacer import Pacer
from .request import Request, once, prepare, shortened
from .response import Response
from .send import Sender
from .streams import MultiStream, Stream
from .toolloop import ToolRun, ToolStream

__all__ = ["Client"]


class Client(Endpoints):
    """OpenRouter (or any OpenAI-compatible server) from Python, a notebook or a script.

    ``api_key`` defaults to ``$OPENROUTER_API_KEY``; with none, ``key_provider`` (in a
    notebook: a hidden prompt) is asked on first use. ``base_url`` defaults to
    ``$OPENROUTER_BASE_URL`` or OpenRouter; vLLM, Ollama or llama.cpp servers work too.
    ``offline=True`` answers from the built-in simulator, with no key and no network.
    ``transport`` is any httpx2 async transport. With no key, OpenRouter itself (and, with
    ``require_key=True``, any server) gets nothing: a `MissingKeyError` says what to do.

    ``timeout`` (seconds) bounds each whole answer and ``first_token_timeout`` (default
    300) the wait for its first token; every call takes both as keyword arguments too. An
    ``httpx2.Timeout`` sets the transport's own timeouts instead (its read timeout, reset by
    OpenRouter's keep-alive comments, is 120 s by default).
    """

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        model: str | None = None,
        offline: bool = False,
        transport: httpx2.AsyncBaseTransport | None = None,
        timeout: float | httpx2.Timeout | None = None,
        first_token_timeout: float | None = DEFAULT_FIRST_TOKEN,
        max_retries: int = 2,
        app_url: str | None = None,
        app_title: str | None = "or_magics",
        headers: dict[str, str] | None = None,
        key_provider: KeyProvider | None = None,
        cache: bool | str | PathLike[str] | ResponseCache | None = None,
        require_key: bool = False,
    ) -> None:
        if offline and transport is None:
            if hooks.offline_transport is None:
                raise RuntimeError("offline=True needs the simulator: import or_magics")
            transport = hooks.offline_transport()
        self.settings = Settings.resolve(
            api_key, base_url, offline=offline, timeout=timeout, max_retries=max_retries,
            app_url=app_url, app_title=app_title, headers=headers, key_provider=key_provider,
            first_token_timeout=first_token_timeout, require_key=require_key)
        self.sender = Sender(self.settings, transport)
        self.model = model
        #: The most recent Response, also when a call was interrupted or failed mid-stream.
        self.last_response: Response | None = None
        #: The most recent batch's results, also after Ctrl-C (completed items kept).
        self.last_batch: BatchResult | None = None
        #: Answers kept on disk: an identical request is answered from here, at no cost.
        self.cache = ResponseCache.of(cache) if cache is not None else None
        #: While a batch is planned: the catalogue's answer for each model, asked once.
        self._planning: dict[str | None, Model | None] | None = None

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
        return f"<or_magics.Client {where} key={self.settings.key_status()}>"

    # -- requests ---------------------------------------------------------------------------

    def build_request(self, prompt: Any, *, stream: bool = True, key: bool = True,
                      notify: Callable[[str], None] | None = None, **params: Any) -> Request:
        """The validated request for ``prompt`` (nothing is sent): a bad field costs no
        request; a model that lacks what the request needs (tools, structured outputs,
        image or audio input, image output, reasoning) is told before sending; then the
        key is made sure of (``key=False``, for a dry run, leaves a missing one missing),
        so asking for it comes first. What a person should know
        (an image downscaled) goes to ``notify``, printed as a line by default.
        ``timeout`` / ``first_token_timeout`` are kept with the body, not in it."""
        limits = self.settings.limits.taking(params)
        headers = server_cache.take(params)
        model = params.pop("model", None) or self.model
        if model is None and self.openrouter:
            model = DEFAULT_MODEL
        request = prepare(prompt, model=model, stream=stream, openrouter=self.openrouter,
                          **params)
        if self.openrouter:
            self._check_model(request)
        self.settings.ensure_key(ask=key)
        for note in request.notes:
            if notify is not None:
                notify(note)
            else:
                print(note)  # a plain line, not a warning with a file and a line number
        request.body = ChatRequest.of(request.body, limits, headers)
        return request

    def _check_model(self, request: Request) -> None:
        """The one check of a request against its model's catalogue entry; the catalogue
        is only fetched when the request needs something (`capabilities`), and a batch
        being planned asks it once per model, not once per row."""
        needs = needs_of(request)
        if not needs:
            return
        memo = self._planning
        try:
            if memo is not None and request.model in memo:
                info = memo[request.model]
            else:
                info = self.model_info(request.model or "")
        except OpenRouterError:
            info = None
        if memo is not None:
            memo[request.model] = info
        if info is None:
            return  # a router or a model the catalogue does not list: the server decides

        def able(*, output: Any = None, **filters: Any) -> list[str]:
            return [m.id for m in self.models(output=output or "text", **filters)]

        check(request, info, needs, able)

    def size_warning(self, request: Request, warn_tokens: int) -> str | None:
        """Before sending: a prompt over the model's context is an `InvalidParameterError`
        naming both sizes; one over ``warn_tokens`` gets a line with its estimated cost."""
        tokens = request.estimated_tokens
        if tokens <= min(warn_tokens, 8000) or not self.openrouter:
            return None  # short prompts never cost a catalogue lookup
        try:
            info = self.model_info(request.model or "")
        except OpenRouterError:
            return None
        if info.context_length and tokens > info.context_length:
            raise InvalidParameterError(
                "prompt", f"about {tokens:,} tokens, but {info.id} takes at most "
                          f"{info.context_length:,}; shorten it (smaller tables: %config "
                          "OpenRouterMagics.max_rows) or choose a model with a longer context")
        if tokens <= warn_tokens:
            return None
        cost = f", about ${tokens * info.prompt_price / 1e6:.4f} to send" \
            if info.prompt_price else ""
        return f"This prompt is about {tokens:,} tokens{cost} ({info.id})."

    def describe(self, request: Request | dict[str, Any]) -> str:
        """The request (or a body) as HTTP, with the key masked and attachments shortened
        to their type and size (``--dry-run``)."""
        body = request.body if isinstance(request, Request) else request
        shown = shortened(body)
        if isinstance(body, ChatRequest):  # its headers (X-OpenRouter-Cache) are shown too
            shown = body.like(shown)
        return self.settings.describe("POST", "/chat/completions", shown)

    def response_for(self, request: Request, body: dict[str, Any] | None = None) -> Response:
        """A new, empty Response for ``request`` (or one turn of its tool loop, ``body``);
        it becomes ``last_response``."""
        response = Response(body or request.body, simulated=self.offline,
                            schema=request.schema)
        self.last_response = response
        return response

    def events(self, body: dict[str, Any], response: Response, *,
               cache: ResponseCache | None = None,
               pacer: Pacer | None = None) -> AsyncIterator[tuple[int, str]]:
        """The one implementation: the display items of ``body``'s answer, filling
        ``response``; run it on the private loop (`send` and `send_all` do)."""
        return chat_events(self.sender, body, response, cache or self.cache, pacer)

    def open(self, body: dict[str, Any], response: Response) -> Stream:
        """Start one model turn on the private loop."""
        return Stream(self.events(body, response), response)

    def send(self, request: Request) -> Stream | ToolStream:
        """Start answering a request from `build_request`; iterate it for the deltas (a tool
        loop runs the kernel functions between turns, on this thread)."""
        if request.runs_tools:
            return ToolStream(self, request)
        return self.open(request.body, self.response_for(request))

    def send_all(self, requests: Sequence[Request]) -> MultiStream:
        """Start answering every request at once; one queue of ``(index, kind, delta)``."""
        for request in requests:
            if request.runs_tools:
                raise InvalidParameterError("tools", "answers side by side run each model "
                                                     "once: Python functions as tools need "
                                                     "one model at a time")
        responses = [Response(r.body, simulated=self.offline, schema=r.schema)
                     for r in requests]
        return MultiStream([self.events(r.body, resp) for r, resp in
                            zip(requests, responses, strict=True)], responses)

    async def complete(self, body: dict[str, Any], response: Response, *,
                       cache: ResponseCache | None = None,
                       pacer: Pacer | None = None) -> Response:
        """Run one turn to its end on the private loop (batch and helpers build on this)."""
        async for _ in self.events(body, response, cache=cache, pacer=pacer):
            pass
        return response

    def run(self, request: Request) -> Response:
        """Answer a request and wait, running its tool loop (if any) on this thread; a
        model id OpenRouter does not know gets the catalogue's closest ids."""
        try:
            return self._run(request)
        except BadRequestError as exc:
            raise self.with_model_hint(exc, request.model) from None

    def _run(self, request: Request) -> Response:
        if not request.runs_tools:
            return loop.run_sync(self.complete(request.body, self.response_for(request)))
        tools = ToolRun(request)
        response = self.response_for(request)
        try:
            while True:
                loop.run_sync(self.complete(tools.body(), response))
                calls = tools.calls(response)
                if not calls:
                    return tools.finish(response)
                for call in calls:
                    tools.run(call)
                response = self.response_for(request, tools.body())
        finally:
            tools.finish(response)

    async def arun(self, request: Request) -> Response:
        """`run` for ``await``: an async tool is awaited on the caller's loop."""
        if not request.runs_tools:
            return await loop.run_async(self.complete(request.body,
                                                      self.response_for(request)))
        tools = ToolRun(request)
        response = self.response_for(request)
        try:
            while True:
                await loop.run_async(self.complete(tools.body(), response))
                calls = tools.calls(response)
                if not calls:
                    return tools.finish(response)
                for call in calls:
                    await tools.arun(call)
                response = self.response_for(request, tools.body())
        finally:
            tools.finish(response)

    # -- chat -------------------------------------------------------------------------------

    def chat(self, prompt: Any, *, stream: bool = True, **params: Any) -> Response:
        """Ask once and wait for the whole answer. ``prompt``: text, content parts or messages.

        Keyword arguments are request fields (``model``, ``temperature``, ``provider``...),
        checked before sending, and ``tools=[fn, ...]`` (kernel functions the model may
        call: the loop runs them here, at most ``max_steps`` rounds, asking first with
        ``confirm=True``), ``schema=T`` (the answer comes back in ``.parsed`` as a ``T``).
        Ctrl-C stops the answer; it stays in ``last_response``.
        """
        return self.run(self.build_request(prompt, stream=stream, **params))

    async def achat(self, prompt: Any, *, stream: bool = True, **params: Any) -> Response:
        """`chat` for ``await``, from any event loop."""
        return await self.arun(self.build_request(prompt, stream=stream, **params))

    def stream(self, prompt: Any, **params: Any) -> Stream | ToolStream:
        """Iterate text deltas as they arrive; ``.response`` has everything after."""
        return self.send(self.build_request(prompt, **params))

    async def astream(self, prompt: Any, **params: Any) -> AsyncIterator[str]:
        """Async iterator of text deltas (the Response is in ``last_response``)."""
        request = self.build_request(prompt, **params)
        if request.runs_tools:
            raise InvalidParameterError("tools", "astream does not run tools; use achat, or "
                                                 "stream in sync code")
        bridge = Bridge([self.events(request.body, self.response_for(request))],
                        caller=asyncio.get_running_loop())
        async with aclosing(bridge.items()) as items:  # a consumer that stops early cancels
            async for kind, text in items:
                if kind == TEXT:
                    yield text

    def batch(self, items: Any, model: str | None = None, *, template: str | None = None,
              schema: Any = None, concurrency: int = 8, max_cost: float | None = None,
              cache: bool | str | PathLike[str] | ResponseCache = False, progress: bool = True,
              **params: Any) -> BatchResult:
        """Ask many prompts at once; results in input order, a failed item is its error.

        ``items``: prompts, message lists, dicts or a Series (with ``template=``), or a
        DataFrame (``template="Classify: {review}"``). ``max_cost`` (USD) is never passed:
        items that would pass it hold `BudgetExceededError`. ``cache=True`` answers repeats
        from disk at no cost. Ctrl-C stops at once; ``last_batch`` keeps what finished.
        """
        run, index = self.plan_batch(items, model, template=template, schema=schema,
                                     concurrency=concurrency, max_cost=max_cost,
                                     cache=cache, params=params)
        return self.run_batch(run, index, progress=progress)

    def run_batch(self, run: BatchRun, index: Any = None, *,
                  progress: bool = True) -> BatchResult:
        """Run a planned batch, showing progress on this thread; Ctrl-C stops it at once
        and ``last_batch`` keeps every item that finished."""
        bar = hooks.progress(len(run.requests), "batch") if progress and hooks.progress \
            else None
        # with no bar, nothing here needs each item: waking this thread 400 times (and
        # handing the GIL back and forth) cost more than a tenth of the batch's CPU
        bridge = Bridge([run.events() if bar is not None else Drained(run.events())])
        try:
            if bar is not None:
                for result in run.results:
                    if result is not None:
                        bar.update(result)
            while True:
                if bar is not None and hasattr(bar, "status"):
                    bar.status(run.waiting())  # "waiting for the rate limit… 12 s"
                try:
                    _, item = bridge.get(timeout=0.25)
                except queue.Empty:
                    if bar is not None:
                        bar.tick()
                    continue
                if item is END:
                    break
                if isinstance(item, BaseException):
                    raise item
                if bar is not None:
                    bar.update(item[1])
        except BaseException:
            bridge.close()
            raise
        finally:
            self.last_batch = run.result(index=index)
            if bar is not None:
                bar.close()
        return self.last_batch

    async def abatch(self, items: Any, model: str | None = None, *,
                     template: str | None = None, schema: Any = None, concurrency: int = 8,
                     max_cost: float | None = None,
                     cache: bool | str | PathLike[str] | ResponseCache = False,
                     progress: bool = False, **params: Any) -> BatchResult:
        """`batch` for ``await`` (no progress bar by default: the caller's loop is busy)."""
        run, index = self.plan_batch(items, model, template=template, schema=schema,
                                     concurrency=concurrency, max_cost=max_cost,
                                     cache=cache, params=params)
        bar = hooks.progress(len(run.requests), "batch") if progress and hooks.progress \
            else None
        bridge = Bridge([run.events()], caller=asyncio.get_running_loop())
        try:
            async with aclosing(bridge.items()) as items:
                async for item in items:
                    if bar is not None:
                        bar.update(item[1])
        finally:
            self.last_batch = run.result(index=index)
            if bar is not None:
                bar.close()
        return self.last_batch

    def plan_batch(self, items: Any, model: str | None, *, template: str | None,
                   schema: Any, concurrency: int, max_cost: float | None,
                   cache: bool | str | PathLike[str] | ResponseCache, params: dict[str, Any],
                   budget: Budget | None = None,
                   done: Sequence[Any] | None = None) -> tuple[BatchRun, Any]:
        """Every request of a batch, checked before anything is sent, and how to run it."""
        check_options(concurrency, max_cost)
        found = items_of(items, template)
        if schema is not None:  # one schema (a pydantic adapter) for every row, built once
            schema = schema_for(schema, strict=params.get("strict", True))
        params = once(params)  # the same images for every item: converted once
        self._planning = {}
        try:
            requests = [self.build_request(prompt, model=model, schema=schema, **params)
                        for prompt in found.prompts]
        finally:
            self._planning = None
        if any(request.runs_tools for request in requests):
            raise InvalidParameterError("tools", "batch sends each prompt once: Python "
                                                 "functions as tools need chat()")
        if max_cost is not None:
            budget = Budget(float(max_cost)) if budget is None else Budget(
                min(budget.limit, budget.spent + float(max_cost)), spent=budget.spent)
        run = BatchRun(self, requests, concurrency=concurrency, budget=budget,
                       cache=ResponseCache.of(cache),
                       estimate=self.worst_case if budget is not None else None, done=done)
        return run, found.index

    def worst_case(self, request: Request) -> float | None:
        """The most ``request`` can cost (USD), from the catalogue; None when unknown."""
        if not self.openrouter:
            return None
        try:
            model = self.model_info(request.model or "") if not loop.in_loop_thread() \
                else self._known_model(request.model or "")
        except OpenRouterError:
            return None
        return worst_case(request, model)

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
