"""What a request gives back: `Response`, with its `Usage`, `ToolCall`\\s and `Citation`\\s.

A Response is plain data. While a stream runs it grows, written only by its `Accumulator`
(``accumulate.py``); readers see a consistent object at any moment, and after the end
``done`` is true. The client never imports the display: how a Response shows itself in a
notebook is injected (`display_hook`) by the package.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .images import Image

if TYPE_CHECKING:
    from ..errors import OpenRouterError
    from ..kernel.schema import Schema

__all__ = ["Citation", "Image", "Response", "Step", "ToolCall", "Usage", "display_hook"]

#: Renders a Response as a notebook mimebundle; set by the package (render layer) on import.
display_hook: Callable[[Response], dict[str, str]] | None = None


def as_int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


@dataclass
class Usage:
    """Token counts and cost in USD (``cost`` is None when the endpoint does not report it)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    cost: float | None = None
    reasoning_tokens: int = 0
    cached_tokens: int = 0
    cache_write_tokens: int = 0
    is_byok: bool | None = None
    #: Counted from what arrived (an interrupted answer has no usage yet), not billed:
    #: shown with ≈ until the real figure replaces it (`Client.settle_usage`).
    estimated: bool = False
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Usage:
        prompt = data.get("prompt_tokens_details")
        prompt = prompt if isinstance(prompt, dict) else {}
        completion = data.get("completion_tokens_details")
        completion = completion if isinstance(completion, dict) else {}
        cost = data.get("cost")
        return cls(
            prompt_tokens=as_int(data.get("prompt_tokens")),
            completion_tokens=as_int(data.get("completion_tokens")),
            total_tokens=as_int(data.get("total_tokens"))
            or as_int(data.get("prompt_tokens")) + as_int(data.get("completion_tokens")),
            cost=float(cost) if isinstance(cost, (int, float)) and not isinstance(cost, bool)
            else None,
            reasoning_tokens=as_int(completion.get("reasoning_tokens")),
            cached_tokens=as_int(prompt.get("cached_tokens")),
            cache_write_tokens=as_int(prompt.get("cache_write_tokens")),
            is_byok=data.get("is_byok") if isinstance(data.get("is_byok"), bool) else None,
            raw=data,
        )

    def __add__(self, other: Usage) -> Usage:
        if not isinstance(other, Usage):
            return NotImplemented
        costs = [c for c in (self.cost, other.cost) if c is not None]
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            total_tokens=self.total_tokens + other.total_tokens,
            cost=sum(costs) if costs else None,
            reasoning_tokens=self.reasoning_tokens + other.reasoning_tokens,
            cached_tokens=self.cached_tokens + other.cached_tokens,
            cache_write_tokens=self.cache_write_tokens + other.cache_write_tokens,
            estimated=self.estimated or other.estimated,
        )

    def __sub__(self, other: Usage) -> Usage:
        """What is left when ``other`` is taken out (an estimate replaced by its bill)."""
        if not isinstance(other, Usage):
            return NotImplemented
        cost = None if self.cost is None and other.cost is None \
            else (self.cost or 0.0) - (other.cost or 0.0)
        return Usage(
            prompt_tokens=self.prompt_tokens - other.prompt_tokens,
            completion_tokens=self.completion_tokens - other.completion_tokens,
            total_tokens=self.total_tokens - other.total_tokens,
            cost=cost,
            reasoning_tokens=self.reasoning_tokens - other.reasoning_tokens,
            cached_tokens=self.cached_tokens - other.cached_tokens,
            cache_write_tokens=self.cache_write_tokens - other.cache_write_tokens,
        )


def embeddings_summary(rows: int, dims: int, model: str | None, usage: Usage | None) -> str:
    """The one line embeddings show as, whatever holds them (an array or lists)."""
    tokens = f" · {usage.total_tokens:,} tokens" if usage is not None else ""
    return f"<Embeddings {rows:,} × {dims:,} · {model or '?'}{tokens}>"


@dataclass
class ToolCall:
    """A function the model asked to call; ``arguments`` is parsed when the answer ends."""

    id: str
    name: str
    arguments: dict[str, Any]
    raw_arguments: str = ""
    #: Why ``raw_arguments`` could not be parsed, when it could not.
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The OpenAI wire shape, for sending the call back in a conversation."""
        return {
            "id": self.id,
            "type": "function",
            "function": {"name": self.name, "arguments": self.raw_arguments or "{}"},
        }


@dataclass
class Citation:
    """A source the answer cites (an OpenRouter ``url_citation`` annotation)."""

    url: str
    title: str = ""
    content: str = ""
    start_index: int | None = None
    end_index: int | None = None


@dataclass
class Step:
    """One tool call the loop ran in the kernel: what the model asked, what came back."""

    name: str
    arguments: dict[str, Any]
    #: The function's return value (None when it failed or was declined).
    result: Any = None
    #: ``"ValueError: ..."`` when the call failed (the model is told and goes on).
    error: str | None = None
    seconds: float = 0.0
    #: What the model was sent back: the result as text (bounded) or the error.
    content: str = ""
    call_id: str = ""

    @property
    def ok(self) -> bool:
        return self.error is None


_FENCED_JSON = re.compile(r"^\s*```[a-zA-Z0-9_-]*\s*\n(.*?)\n\s*```\s*$", re.S)


class Response:
    """One answer: text, reasoning, tool calls, citations, usage and cost.

    While a stream runs this object grows; after it ends, ``done`` is true. If the stream was
    interrupted or failed, what arrived so far stays here (``interrupted`` / ``error``).
    """

    def __init__(self, request: dict[str, Any] | None = None, *, simulated: bool = False,
                 schema: Schema | None = None) -> None:
        #: The body that was sent (never holds the API key).
        self.request: dict[str, Any] = request or {}
        #: What the answer is parsed into when it ends (``schema=``); the result is `parsed`.
        self.schema = schema
        #: The answer as the requested type (``schema=``), once it ended and fitted.
        self.parsed: Any = None
        #: Tool calls the loop ran in the kernel before this answer (``tools=[fn]``).
        self.steps: list[Step] = []
        #: The earlier model turns of a tool loop (each asked for tools); this is the last.
        self.turns: list[Response] = []
        self.id: str | None = None
        self.model: str | None = None
        self.provider: str | None = None
        self.created: int | None = None
        self.finish_reason: str | None = None
        self.native_finish_reason: str | None = None
        self.usage = Usage()
        self.citations: list[Citation] = []
        self.tool_calls: list[ToolCall] = []
        self._images: list[Image] = []
        self.refusal: str | None = None
        self.reasoning_details: list[dict[str, Any]] = []
        #: OpenRouter's parse of each PDF (file-parser ``file`` annotations): sent back with
        #: this answer in a conversation, so the next turn does not pay to parse it again.
        self.file_annotations: list[dict[str, Any]] = []
        #: The text deltas, as they arrived (``text`` joins them).
        self.chunks: list[str] = []
        self.reasoning_chunks: list[str] = []
        self.simulated = simulated
        #: Answered from the on-disk cache (``cache=True``): no request was sent, no cost.
        self.cached = False
        #: OpenRouter's response cache (``server_cache=True``): "HIT" (answered from it:
        #: usage 0, nothing billed), "MISS" (answered and kept), None when not asked.
        self.server_cache: str | None = None
        self.interrupted = False
        self.done = False
        self.error: OpenRouterError | None = None
        self.started = time.perf_counter()
        #: Seconds from sending the request to the first text or reasoning.
        self.ttft: float | None = None
        #: Seconds from sending the request to the end of the answer.
        self.latency: float | None = None
        self._text = ""
        self._joined = 0

    @property
    def text(self) -> str:
        if self._joined != len(self.chunks):
            self._text = "".join(self.chunks)
            self._joined = len(self.chunks)
        return self._text

    @property
    def reasoning(self) -> str:
        return "".join(self.reasoning_chunks)

    @property
    def server_cached(self) -> bool:
        """Answered from OpenRouter's response cache: nothing was generated or billed."""
        return self.server_cache == "HIT"

    @property
    def images(self) -> list[Image]:
        """Generated images (``modalities=["image", "text"]``): each is its data URL as a
        string, with ``.data`` (bytes), ``.mime``, ``.size``, ``.save(path)`` and a picture
        in a notebook."""
        return self._images

    @images.setter
    def images(self, value: Iterable[str]) -> None:
        self._images = [v if isinstance(v, Image) else Image(v) for v in value]

    @property
    def tokens_per_second(self) -> float | None:
        """Completion tokens per second after the first token, when both are known."""
        if not self.usage.completion_tokens or self.latency is None:
            return None
        seconds = self.latency - (self.ttft or 0.0)
        return self.usage.completion_tokens / seconds if seconds > 0 else None

    def json(self) -> Any:
        """The answer parsed as JSON (a Markdown code fence around it is allowed)."""
        text = self.text.strip()
        match = _FENCED_JSON.match(text)
        try:
            return json.loads(match.group(1) if match else text)
        except ValueError as exc:
            raise ValueError(f"the answer is not valid JSON ({exc}); see .text") from None

    def to_message(self) -> dict[str, Any]:
        """This answer as an assistant message, to continue a conversation with."""
        message: dict[str, Any] = {"role": "assistant", "content": self.text}
        if self.tool_calls:
            message["tool_calls"] = [call.to_dict() for call in self.tool_calls]
        if self.reasoning_details:
            message["reasoning_details"] = self.reasoning_details
        if self.file_annotations:
            message["annotations"] = self.file_annotations
        return message

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "model": self.model,
            "provider": self.provider,
            "text": self.text,
            "reasoning": self.reasoning or None,
            "tool_calls": [
                {"id": c.id, "name": c.name, "arguments": c.arguments} for c in self.tool_calls
            ],
            "citations": [vars(c) for c in self.citations],
            "images": [str(image) for image in self.images],
            "finish_reason": self.finish_reason,
            "native_finish_reason": self.native_finish_reason,
            "usage": {k: v for k, v in vars(self.usage).items() if k != "raw"},
            "latency": self.latency,
            "ttft": self.ttft,
            "simulated": self.simulated,
            "cached": self.cached,
            "server_cache": self.server_cache,
            "interrupted": self.interrupted,
            "error": str(self.error) if self.error else None,
        }

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        text = self.text
        preview = text[:60] + "…" if len(text) > 60 else text
        state = " interrupted" if self.interrupted else " failed" if self.error else ""
        if not self.done and not state:
            state = " streaming"
        return f"<Response{state} {self.model or '?'} {preview!r}>"

    def summary(self) -> str:
        """One line: model, provider, tokens, cost, time, and what went wrong if anything."""
        parts = [self.model or str(self.request.get("model") or "?")]
        if self.provider:
            parts[0] += f" via {self.provider}"
        if self.usage.total_tokens:
            about = "≈ " if self.usage.estimated else ""
            parts.append(f"{about}{self.usage.prompt_tokens}→{self.usage.completion_tokens} "
                         "tokens")
        if self.usage.cost is not None:
            parts.append(f"${self.usage.cost:.6f}")
        if self.latency is not None:
            parts.append(f"{self.latency:.2f} s")
        if self.simulated:
            parts.append("simulated")
        if self.cached or self.server_cached:
            parts.append("from OpenRouter's response cache" if self.server_cached
                         else "from the cache")
        if self.interrupted:
            parts.append("interrupted")
        if self.error is not None:
            parts.append(f"failed: {self.error}")
        return " · ".join(parts)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        """The answer as a streamed cell shows it (sanitized HTML, safe Markdown, raw text)."""
        if display_hook is None:
            return {"text/plain": self.text or "(no text)"}
        return display_hook(self)
