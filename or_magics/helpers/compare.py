"""`compare`: one prompt, several models at once, answers side by side.

Every body is validated before anything is sent, then all answers stream concurrently
(`MultiStream`: one queue, so the display loop waits in one place). A failed model keeps its
error in its own Response and column while the others go on; Ctrl-C stops them all, keeps
the partial answers on screen and in the session, then interrupts the cell as usual.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..client import Client, InvalidParameterError, Response
from ..client.request import Request
from ..errors import Interrupted
from ..state import session

__all__ = ["Comparison", "compare", "model_list"]


def compare(prompt: Any, models: Sequence[str] | str, **params: Any) -> list[Response]:
    """Ask every model in ``models`` the same ``prompt`` at once; Responses in that order.

    In a notebook the answers stream side by side in one table, with latency, tokens and
    cost under each; elsewhere each answer is printed as it completes. Keyword arguments are
    request fields for every model (``temperature``, ``provider``...). A model that fails
    has its ``.error`` set and shows it in its column; the others are not stopped.
    """
    session.announce()
    return Comparison(prompt, models, params).run()


def model_list(models: Sequence[Any] | str) -> list[str]:
    """Model ids from a list, a comma-separated string, or a list of such strings."""
    if not isinstance(models, (str, list, tuple)):
        raise InvalidParameterError("models", "give a list of model ids or a comma-separated "
                                              f"string, not {type(models).__name__}")
    items = [models] if isinstance(models, str) else list(models)
    found: list[Any] = []
    for item in items:
        if isinstance(item, str):
            found.extend(part.strip() for part in item.split(",") if part.strip())
        else:
            found.append(item)  # not an id: the body check says so, naming the field
    if not found:
        raise InvalidParameterError("models", "give the model ids to compare, e.g. "
                                    "['openai/gpt-4o-mini', 'anthropic/claude-haiku-4.5']")
    return found


class Comparison:
    """One comparison run: plan (validate every body), stream them all, show, record."""

    def __init__(
        self,
        prompt: Any,
        models: Sequence[str] | str,
        params: dict[str, Any],
        *,
        interval: float = 0.1,
        plain: bool | None = None,
        render: Callable[[str], str] | None = None,
        notify: Callable[[str], None] | None = None,
    ) -> None:
        if params.get("model") is not None:
            raise InvalidParameterError("model", "give every model in models=[...] instead")
        self.prompt = prompt
        self.models = model_list(models)
        self.params = {k: v for k, v in params.items() if k != "model"}
        self.interval = interval
        self.plain = plain
        self.render = render
        #: Where notes go (an image downscaled), once for all models; None: a warning.
        self.notify = notify
        self.responses: list[Response] = []

    def plan(self, key: bool = True) -> tuple[Client, list[Request]]:
        """Every request body, validated: a bad field or model id raises, nothing is sent
        (``key=False``: a missing key is not asked for, as for a dry run)."""
        client = session.client()
        params = dict(self.params)
        stream = params.pop("stream", True)
        notes: list[str] = []
        requests = [client.build_request(self.prompt, stream=stream, key=key,
                                         notify=notes.append,
                                         **session.request_params({**params, "model": model}))
                    for model in self.models]
        for note in dict.fromkeys(notes):  # the same images go to every model
            if self.notify is not None:
                self.notify(note)
            else:
                print(note)  # a plain line, as every notice
        return client, requests

    def run(self) -> list[Response]:
        """Stream every answer into the view; returns the Responses in the models' order."""
        from ..render import AnswerInfo
        from ..render.grid import open_grid

        client, requests = self.plan()
        session.guard(client, *requests)
        stream = client.send_all(requests)
        responses = self.responses = stream.responses

        def info(index: int) -> Any:
            response = responses[index]
            facts = AnswerInfo.from_response(
                response, model=response.model or response.request.get("model"))
            if response.error is not None:
                facts.error = str(response.error)
                if not response.usage.total_tokens:  # nothing was generated: no "0 → 0"
                    facts.prompt_tokens = facts.completion_tokens = None
            return facts

        options: dict[str, Any] = {"interval": self.interval}
        if self.render is not None:
            options["render"] = self.render
        view = open_grid([info(i) for i in range(len(responses))], plain=self.plain,
                         **options)
        seen: set[int] = set()
        completed = interrupted = False
        try:
            view.start()
            for index, kind, delta in stream.events(idle=self.interval):
                if kind in ("text", "reasoning") and index not in seen:
                    seen.add(index)
                    view.set_info(index, info(index))  # the provider is known by now
                if kind == "text":
                    view.feed(index, delta)
                elif kind == "reasoning":
                    view.feed_reasoning(index, delta)
                elif kind in ("end", "error"):
                    view.end(index, info(index))
                elif kind == "update":
                    view.set_info(index, info(index))
                elif kind == "status":
                    view.set_status(index, delta)
                else:
                    view.tick()
            completed = True
        except KeyboardInterrupt:
            interrupted = True
        finally:
            stream.close()
            view.finish([info(i) for i in range(len(responses))], interrupted=not completed)
            for response in responses:
                session.record(response, client)
        if interrupted:
            raise Interrupted()
        return responses
