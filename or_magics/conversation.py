"""`Conversation`: a message history that stays consistent whatever happens to a turn."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .request import normalize_messages
from .response import Response, Usage

if TYPE_CHECKING:
    from .client import Client

__all__ = ["Conversation"]


class Conversation:
    """Several turns with one model: each `send` sees the turns before it.

    A failed turn leaves no trace, so it can simply be sent again; an interrupted turn keeps
    its partial answer, so what the model is told matches what the person saw.
    ``max_turns`` keeps only the most recent turns (the system prompt always stays).
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
        self.max_turns = max_turns
        self.params = params
        self.messages: list[dict[str, Any]] = []
        self.responses: list[Response] = []
        self._client = client

    @property
    def client(self) -> Client:
        if self._client is None:
            from .session import session

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

    def record(self, prompt: Any, response: Response) -> None:
        """Add a turn once its answer is in (or partly in: interrupted, or failed mid-way)."""
        if response.error is not None and not response.text and not response.tool_calls:
            return
        self.messages.extend(normalize_messages(prompt))
        self.messages.append(response.to_message())
        self.responses.append(response)

    def _params(self, params: dict[str, Any]) -> dict[str, Any]:
        merged = {**self.params, **params}
        if self.model and "model" not in merged:
            merged["model"] = self.model
        return merged

    def send(self, prompt: Any, **params: Any) -> Response:
        messages = self.messages_for(prompt)
        try:
            response = self.client.chat(messages, **self._params(params))
        except BaseException:
            partial = self.client.last_response
            if partial is not None and partial.request.get("messages") == messages:
                self.record(prompt, partial)
            raise
        self.record(prompt, response)
        return response

    async def asend(self, prompt: Any, **params: Any) -> Response:
        messages = self.messages_for(prompt)
        try:
            response = await self.client.achat(messages, **self._params(params))
        except BaseException:
            partial = self.client.last_response
            if partial is not None and partial.request.get("messages") == messages:
                self.record(prompt, partial)
            raise
        self.record(prompt, response)
        return response

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
