"""One answer into the notebook: request → stream → display → session, whatever happens.

The display always gets its final update (``finally``), so an interrupt or an error leaves
the partial answer on screen, in the `Response`, in the session's usage and in the
conversation. Errors then surface as one line, never a traceback.
"""

from __future__ import annotations

import json
from typing import Any

from IPython.core.error import UsageError

from .client import Client, Stream, mask_key
from .conversation import Conversation
from .errors import OpenRouterError
from .response import Response
from .session import session

__all__ = ["Answer", "answer_info"]


def answer_info(response: Response, model: str | None = None) -> Any:
    """Header and footer facts for the renderer, from a (possibly partial) Response."""
    from .render import AnswerInfo

    return AnswerInfo.from_response(response, model=response.model or model)


class Answer:
    def __init__(
        self,
        shell: Any,
        prompt: str,
        params: dict[str, Any],
        *,
        fmt: str = "markdown",
        conversation: Conversation | None = None,
        stream: bool = True,
        interval: float = 0.1,
        sink: Any = None,
    ) -> None:
        self.shell = shell
        self.prompt = prompt
        self.params = dict(params)
        self.fmt = fmt
        self.conversation = conversation
        self.stream = stream
        self.interval = interval
        #: Where the outputs go (a `render.Sink`): the notebook's cell output by default.
        self.sink = sink
        self.response: Response | None = None

    @property
    def in_kernel(self) -> bool:
        return getattr(self.shell, "kernel", None) is not None

    def _messages(self) -> Any:
        return self.conversation.messages_for(self.prompt) if self.conversation else self.prompt

    def _client(self) -> Client:
        notice = session.offline_notice()
        if notice:
            print(notice)
        return session.client()

    def show_request(self) -> None:
        """Teaching: the exact request, validated, with the key masked; nothing is sent."""
        client = self._client()
        body = client._body(self._messages(), self.stream, dict(self.params))
        headers = client._auth_headers()
        if "Authorization" in headers:
            headers["Authorization"] = f"Bearer {mask_key(client._key)}"
        text = (f"POST {client.base_url}/chat/completions\n"
                + "".join(f"{k}: {v}\n" for k, v in headers.items())
                + "\n" + json.dumps(body, indent=2, ensure_ascii=False))
        from IPython.display import display

        markdown = f"**Request (not sent)**\n\n```http\n{text}\n```"
        display({"text/plain": text, "text/markdown": markdown}, raw=True)

    def _view(self, model: str | None, simulated: bool) -> Any:
        from .render import AnswerInfo, IPythonSink, MarkdownStreamer, PlainStreamer

        info = AnswerInfo(model=model, simulated=simulated)
        if self.sink is not None:
            return MarkdownStreamer(self.sink, info, interval=self.interval)
        if not self.in_kernel or self.fmt in ("text", "json"):
            return PlainStreamer(info)
        if self.fmt == "html":
            from .render.sanitize import sanitize

            return MarkdownStreamer(IPythonSink(), info, interval=self.interval,
                                    render=sanitize)
        return MarkdownStreamer(IPythonSink(), info, interval=self.interval)

    def run(self) -> Response:
        __tracebackhide__ = True
        client = self._client()
        body = client._body(self._messages(), self.stream, dict(self.params))
        stream = Stream(client, body, client._new_response(body))
        response = self.response = stream.response
        view = self._view(body.get("model"), client.offline)
        interrupted = False
        error: OpenRouterError | None = None
        try:
            view.start()
            for kind, text in stream.events(idle=self.interval):
                if kind == "text":
                    view.feed(text)
                elif kind == "reasoning":
                    view.feed_reasoning(text)
                elif kind == "update":
                    view.set_tool_calls(response.tool_calls)
                    view.set_citations(response.citations)
                else:
                    view.tick()
        except KeyboardInterrupt:
            interrupted = True
        except OpenRouterError as exc:
            error = exc
        finally:
            view.finish(answer_info(response, body.get("model")),
                        citations=response.citations, tool_calls=response.tool_calls,
                        interrupted=interrupted or response.interrupted)
            session.record(response)
            if self.conversation is not None:
                self.conversation.record(self.prompt, response)
        if interrupted:
            raise KeyboardInterrupt
        if error is not None:
            raise UsageError(str(error))
        return response
