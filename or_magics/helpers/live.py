"""`LiveAnswer`: one answer streamed into a display, then counted, whatever happens.

Request → stream → display → session. The display always gets its final update
(``finally``), so an interrupt or an error leaves the partial answer on screen, in the
`Response`, in the session's usage and in the conversation. A `%%openrouter` cell and the
panel's prompt box are both this, with different sinks; errors are raised as
`OpenRouterError` for the caller to show as one line.
"""

from __future__ import annotations

import concurrent.futures
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
        self.response: Response | None = None

    def _messages(self) -> Any:
        return self.conversation.messages_for(self.prompt) if self.conversation else self.prompt

    def _client(self) -> Client:
        self.session.announce()
        return self.session.client()

    def request(self) -> tuple[Client, Request]:
        """The validated request; a bad field, or a prompt too long for the model, raises
        `InvalidParameterError` and nothing is sent."""
        client = self._client()
        request = client.build_request(self._messages(), stream=self.stream, **self.params)
        if self.warn_tokens is not None:
            warning = client.size_warning(request, self.warn_tokens)
            if warning:
                print(warning)
        return client, request

    def request_text(self) -> str:
        """Teaching: the exact request as HTTP, with the key masked; nothing is sent."""
        client, request = self.request()
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

        def facts() -> AnswerInfo:
            response = stream.response
            return AnswerInfo.from_response(response, model=response.model or request.model)

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
            error = exc
        finally:
            response = self.response = stream.response
            view.finish(facts(), citations=response.citations,
                        tool_calls=_calls(stream, response),
                        interrupted=interrupted or response.interrupted)
            correction = self.session.record(response, client)
            if self.conversation is not None:
                self.conversation.record(self.prompt, response)
            if correction is not None and _settled(correction):
                view.revise(facts())  # the billed figure in place of the estimate
        if interrupted:
            raise Interrupted()
        if error is not None:
            raise error
        return response


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
