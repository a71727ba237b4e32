"""`LiveAnswer`: one answer streamed into a display, then counted, whatever happens.

Request → stream → display → session. The display always gets its final update
(``finally``), so an interrupt or an error leaves the partial answer on screen, in the
`Response`, in the session's usage and in the conversation. A `%%openrouter` cell and the
panel's prompt box are both this, with different sinks; errors are raised as
`OpenRouterError` for the caller to show as one line.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from typing import Any

from ..client import Client, OpenRouterError, Response
from ..client.request import Request
from ..errors import Interrupted
from ..state import Session, session
from .conversation import Conversation

__all__ = ["LiveAnswer"]

#: Seconds a stopped cell waits for OpenRouter to tell what the answer was billed (it does
#: a moment after the stream ends), to show that in place of the count of what arrived.
REVISE_WAIT = 2.0


class LiveAnswer:
    def __init__(
        self,
        prompt: str,
        params: dict[str, Any],
        *,
        fmt: str = "markdown",
        conversation: Conversation | None = None,
        stream: bool = True,
        interval: float = 0.1,
        sink: Any = None,
        shell: Any = None,
        session: Session = session,
        warn_tokens: int | None = None,
        notify: Callable[[str], None] = print,
    ) -> None:
        self.prompt = prompt
        self.params = dict(params)
        self.fmt = fmt
        self.conversation = conversation
        self.stream = stream
        self.interval = interval
        #: Where the outputs go (a `render.Sink`): the notebook's cell output by default.
        self.sink = sink
        self.shell = shell
        self.session = session
        #: Say so before sending a prompt of more tokens than this (None: never).
        self.warn_tokens = warn_tokens
        #: Where notes go before sending (an image downscaled).
        self.notify = notify
        self.response: Response | None = None

    def _messages(self) -> Any:
        if self.conversation is None:
            return self.prompt
        return self.conversation.messages_for(self.prompt)

    def _client(self) -> Client:
        self.session.announce()
        return self.session.client()

    def request(self, key: bool = True) -> tuple[Client, Request]:
        """The validated request; a bad field, or a prompt too long for the model, raises
        `InvalidParameterError` and nothing is sent. Notes (an image downscaled) are
        printed. ``key=False``: a missing key is not asked for (a dry run sends nothing)."""
        client = self._client()
        params = self.params if self.conversation is None else \
            self.conversation.fields(client, self.params)  # (an empty one is falsy)
        request = client.build_request(self._messages(), stream=self.stream, key=key,
                                       notify=self.notify, **params)
        if self.warn_tokens is not None:
            warning = client.size_warning(request, self.warn_tokens)
            if warning:
                print(warning)
        return client, request

    def request_text(self) -> str:
        """Teaching: the exact request as HTTP, with the key masked; nothing is sent."""
        client, request = self.request(key=False)
        return client.describe(request)

    def _view(self, model: str | None, simulated: bool) -> Any:
        from ..render import AnswerInfo, open_streamer
        from ..render.sanitize import sanitize

        info = AnswerInfo(model=model, simulated=simulated)
        options: dict[str, Any] = {"interval": self.interval}
        if self.fmt == "html":  # the answer is HTML already: sanitize it, don't render Markdown
            options["render"] = sanitize
        plain = True if self.fmt in ("text", "json") else None
        return open_streamer(info, plain=plain, shell=self.shell, sink=self.sink, **options)

    def run(self) -> Response:
        __tracebackhide__ = True
        from ..render import AnswerInfo

        client, request = self.request()
        self.session.guard(client, request)
        stream = client.send(request)
        self.response = stream.response
        view = self._view(request.model, client.offline)
        interrupted = False
        error: OpenRouterError | None = None

        def facts(final: bool = False) -> AnswerInfo:
            response = stream.response
            saving = cache_saving(client, response) if final else None
            return AnswerInfo.from_response(response, model=response.model or request.model,
                                            cache_saving=saving)

        try:
            view.start()
            fresh = True
            for kind, text in stream.events(idle=self.interval):
                response = self.response = stream.response
                if fresh and kind not in ("idle", "status"):  # who answers, and "simulated"
                    view.info, fresh = facts(), False
                if kind == "text":
                    view.feed(text)
                elif kind == "reasoning":
                    view.feed_reasoning(text)
                elif kind == "update":
                    view.set_tool_calls(_calls(stream, response))
                    view.set_citations(response.citations)
                elif kind == "step":
                    view.set_tool_calls(_calls(stream, response))
                    view.tick()
                elif kind == "status":  # waiting, retrying: the client says so, we show it
                    view.set_status(text)
                else:
                    view.tick()
        except KeyboardInterrupt:
            interrupted = True
        except OpenRouterError as exc:
            error = client.with_model_hint(exc, request.model)
        finally:
            response = self.response = stream.response
            view.finish(facts(final=True), citations=response.citations,
                        tool_calls=_calls(stream, response), images=response.images,
                        interrupted=interrupted or response.interrupted)
            correction = self.session.record(response, client)
            if self.conversation is not None:
                self.conversation.record(self.prompt, response, request.attachments)
            if correction is not None and _settled(correction):
                view.revise(facts(final=True))  # the billed figure in place of the estimate
        if interrupted:
            raise Interrupted()
        if error is not None:
            raise error
        return response


def cache_saving(client: Client, response: Response) -> float | None:
    """What the prompt cache saved on this answer, at its model's listed prices (the
    catalogue is only looked up when the answer read or wrote the cache)."""
    usage = response.usage
    if not (usage.cached_tokens or usage.cache_write_tokens) or not client.openrouter:
        return None
    for name in (response.request.get("model"), response.model):
        try:
            model = client.model_info(str(name or ""))
        except OpenRouterError:
            continue
        return model.cache_saving(usage.cached_tokens, usage.cache_write_tokens)
    return None


def _calls(stream: Any, response: Response) -> list[Any]:
    """What the display lists: the calls the loop ran so far, then this turn's."""
    run = getattr(stream, "run", None)
    steps = list(run.steps) if run else []
    done = {step.call_id for step in steps}
    return [*steps, *(c for c in response.tool_calls if c.id not in done)]


def _settled(correction: concurrent.futures.Future[bool], wait: float = REVISE_WAIT) -> bool:
    """The billed usage arrived within ``wait`` s (a Ctrl-C stops waiting: it stays ≈ on
    screen, and is corrected in the session when it comes)."""
    try:
        return correction.result(timeout=wait)
    except (KeyboardInterrupt, concurrent.futures.TimeoutError, Exception):
        return False
