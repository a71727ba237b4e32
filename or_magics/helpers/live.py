"""`LiveAnswer`: one answer streamed into a display, then counted, whatever happens.

Request → stream → display → session. The display always gets its final update
(``finally``), so an interrupt or an error leaves the partial answer on screen, in the
`Response`, in the session's usage and in the conversation. A `%%openrouter` cell and the
panel's prompt box are both this, with different sinks; errors are raised as
`OpenRouterError` for the caller to show as one line.
"""

from __future__ import annotations

from typing import Any

from ..client import Client, OpenRouterError, Response
from ..state import Session, session
from .conversation import Conversation

__all__ = ["LiveAnswer"]


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
        self.response: Response | None = None

    def _messages(self) -> Any:
        return self.conversation.messages_for(self.prompt) if self.conversation else self.prompt

    def _client(self) -> Client:
        notice = self.session.offline_notice()
        if notice:
            print(notice)
        return self.session.client()

    def body(self) -> tuple[Client, dict[str, Any]]:
        """The validated request; a bad field raises `InvalidParameterError`, nothing sent."""
        client = self._client()
        return client, client.build_body(self._messages(), stream=self.stream, **self.params)

    def request_text(self) -> str:
        """Teaching: the exact request as HTTP, with the key masked; nothing is sent."""
        client, body = self.body()
        return client.describe(body)

    def _view(self, model: str | None, simulated: bool) -> Any:
        from ..render import AnswerInfo, MarkdownStreamer, open_streamer
        from ..render.sanitize import sanitize

        info = AnswerInfo(model=model, simulated=simulated)
        options: dict[str, Any] = {"interval": self.interval}
        if self.fmt == "html":  # the answer is HTML already: sanitize it, don't render Markdown
            options["render"] = sanitize
        if self.sink is not None:
            return MarkdownStreamer(self.sink, info, **options)
        plain = True if self.fmt in ("text", "json") else None
        return open_streamer(info, plain=plain, shell=self.shell, **options)

    def run(self) -> Response:
        __tracebackhide__ = True
        from ..render import AnswerInfo

        client, body = self.body()
        stream = client.send(body)
        response = self.response = stream.response
        view = self._view(body.get("model"), client.offline)
        interrupted = False
        error: OpenRouterError | None = None

        def facts() -> AnswerInfo:
            return AnswerInfo.from_response(response, model=response.model or body.get("model"))

        try:
            view.start()
            fresh = True
            for kind, text in stream.events(idle=self.interval):
                if fresh and kind not in ("idle", "status"):  # who answers, and "simulated"
                    view.info, fresh = facts(), False
                if kind == "text":
                    view.feed(text)
                elif kind == "reasoning":
                    view.feed_reasoning(text)
                elif kind == "update":
                    view.set_tool_calls(response.tool_calls)
                    view.set_citations(response.citations)
                elif kind == "status":  # waiting, retrying: the client says so, we show it
                    view.set_status(text)
                else:
                    view.tick()
        except KeyboardInterrupt:
            interrupted = True
        except OpenRouterError as exc:
            error = exc
        finally:
            view.finish(facts(), citations=response.citations, tool_calls=response.tool_calls,
                        interrupted=interrupted or response.interrupted)
            self.session.record(response)
            if self.conversation is not None:
                self.conversation.record(self.prompt, response)
        if interrupted:
            raise KeyboardInterrupt
        if error is not None:
            raise error
        return response
