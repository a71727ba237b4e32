"""`Conversation`: a message history that stays consistent whatever happens to a turn."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from ..client import Client, InvalidParameterError, Response, Usage
from ..client.request import Request, attach_parts
from ..client.validate import normalize_messages
from ..errors import Interrupted

if TYPE_CHECKING:
    from ..state import Session

__all__ = ["Conversation", "exchange", "named"]


class Conversation:
    """Several turns with one model: each `send` sees the turns before it.

    A failed turn leaves no trace, so it can simply be sent again; an interrupted turn keeps
    its partial answer, so what the model is told matches what the person saw (a turn
    interrupted before its first word leaves none). ``max_turns`` keeps only the most recent
    turns (the system prompt always stays). Images and files sent with a turn stay in it.

    Every turn carries the conversation's ``session_id`` (OpenRouter routes a session to
    the same provider, so its prompt cache is hit); ``cache_system=True`` also marks the
    system prompt as a cache breakpoint for providers that need one (Anthropic).
    """

    def __init__(
        self,
        model: str | None = None,
        *,
        system: str | None = None,
        client: Client | None = None,
        max_turns: int | None = None,
        **params: Any,
    ) -> None:
        self.model = model
        self.system = system
        self.max_turns = check_turns(max_turns)
        self.params = params
        self.messages: list[dict[str, Any]] = []
        self.responses: list[Response] = []
        self._client = client
        #: Sent with every turn (to OpenRouter), so the turns share a provider and its cache.
        self.session_id = f"or-magics-{uuid.uuid4().hex[:20]}"

    @property
    def client(self) -> Client:
        if self._client is None:
            from ..state import session

            return session.client()
        return self._client

    def messages_for(self, prompt: Any) -> list[dict[str, Any]]:
        """The messages to send for ``prompt`` as the next turn."""
        history = self.messages
        if self.max_turns is not None:
            starts = [i for i, m in enumerate(history) if m["role"] == "user"]
            if len(starts) > self.max_turns:
                history = history[starts[len(starts) - self.max_turns]:] if self.max_turns else []
        turn = normalize_messages(prompt)
        return normalize_messages([*history, *turn], self.system)

    def record(self, prompt: Any, response: Response,
               attachments: Sequence[dict[str, Any]] = ()) -> None:
        """Add a turn once its answer is in (or partly in: interrupted, or failed mid-way),
        with its attachments, the tool calls a loop ran on the way and their results.

        An answer with nothing in it is not a turn: some providers reject an empty
        assistant message, and the person saw nothing either."""
        if not response.text and not response.tool_calls and not response.steps:
            return
        turn = normalize_messages(prompt)
        if attachments:
            attach_parts(turn, attachments)
        self.messages.extend(turn)
        self.messages.extend(exchange(response))
        self.responses.append(response)

    def fields(self, client: Client, params: dict[str, Any]) -> dict[str, Any]:
        """The request fields of a turn: the conversation's, the call's, the session id."""
        merged = {**self.params, **params}
        if self.model and "model" not in merged:
            merged["model"] = self.model
        if client.openrouter:
            merged.setdefault("session_id", self.session_id)
        return merged

    def _start(self, prompt: Any, params: dict[str, Any]) -> tuple[Client, Request]:
        from ..state import session

        client = self.client
        client.last_response = None
        request = client.build_request(self.messages_for(prompt),
                                       **self.fields(client, params))
        session.guard(client, request)
        return client, request

    @contextmanager
    def _turn(self, prompt: Any, client: Client, request: Request) -> Iterator[None]:
        try:
            yield
        except KeyboardInterrupt:
            raise Interrupted("in the conversation and in or_magics.session.last") from None
        finally:
            if client.last_response is not None:
                self.record(prompt, client.last_response, request.attachments)

    def send(self, prompt: Any, **params: Any) -> Response:
        """The next turn; takes what `Client.chat` takes (``tools=``, ``schema=``,
        ``images=``, ``files=``...)."""
        client, request = self._start(prompt, params)
        with self._turn(prompt, client, request):
            return client.run(request)

    async def asend(self, prompt: Any, **params: Any) -> Response:
        client, request = self._start(prompt, params)
        with self._turn(prompt, client, request):
            return await client.arun(request)

    def reset(self) -> None:
        self.messages.clear()
        self.responses.clear()

    @property
    def usage(self) -> Usage:
        total = Usage()
        for response in self.responses:
            total = total + response.usage
        return total

    def __len__(self) -> int:
        return sum(1 for m in self.messages if m["role"] == "user")

    def __repr__(self) -> str:
        model = self.model or "default model"
        return f"<Conversation {len(self)} turns with {model}>"


def exchange(response: Response) -> list[dict[str, Any]]:
    """The assistant and tool messages of an answer, tool loop included, as they must go
    back: every call the loop ran is followed by its result; a call nobody answered (the
    loop stopped) is left out."""
    answered = {step.call_id: step for step in response.steps}
    out: list[dict[str, Any]] = []
    for turn in [*response.turns, response]:
        message = turn.to_message()
        if response.steps and message.get("tool_calls"):
            calls = [c for c in message["tool_calls"] if c["id"] in answered]
            if calls:
                message["tool_calls"] = calls
            else:
                del message["tool_calls"]
        if not message.get("content") and not message.get("tool_calls"):
            continue
        out.append(message)
        for call in message.get("tool_calls") or ():
            out.append({"role": "tool", "tool_call_id": call["id"],
                        "content": answered[call["id"]].content})
    return out


def named(name: str, *, max_turns: int | None = None,
          session: Session | None = None) -> Conversation:
    """The session's conversation called ``name``, started on first use (``-c NAME``).

    ``max_turns`` changes the kept history only when given."""
    if session is None:
        from ..state import session as default

        session = default
    chat = session.conversations.get(name)
    if chat is None:
        chat = session.conversations[name] = Conversation(max_turns=max_turns)
    elif max_turns is not None:
        chat.max_turns = check_turns(max_turns)
    return chat


def check_turns(value: Any) -> int | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= 0):
        return value
    raise InvalidParameterError("max_turns", f"must be a whole number ≥ 0 or None, not {value!r}")
