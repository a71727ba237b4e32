"""What a request gives back: `Response`, grown chunk by chunk from a stream or built at once.

Streaming and non-streaming answers go through the same accumulator, so both give the same
`Response`. The per-chunk path reads plain dicts straight from ``json.loads``; no object is
built per chunk (see reference/client-baselines.md: model building is where SDKs lose 10x).
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

from .errors import OpenRouterError, ProviderError, error_from_body

__all__ = ["Citation", "Response", "ToolCall", "Usage"]


def _int(value: Any) -> int:
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
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Usage:
        prompt = data.get("prompt_tokens_details") or {}
        completion = data.get("completion_tokens_details") or {}
        cost = data.get("cost")
        return cls(
            prompt_tokens=_int(data.get("prompt_tokens")),
            completion_tokens=_int(data.get("completion_tokens")),
            total_tokens=_int(data.get("total_tokens"))
            or _int(data.get("prompt_tokens")) + _int(data.get("completion_tokens")),
            cost=float(cost) if isinstance(cost, (int, float)) and not isinstance(cost, bool)
            else None,
            reasoning_tokens=_int(completion.get("reasoning_tokens")),
            cached_tokens=_int(prompt.get("cached_tokens")),
            cache_write_tokens=_int(prompt.get("cache_write_tokens")),
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
        )


@dataclass
class ToolCall:
    """A function the model asked to call; ``arguments`` is already parsed."""

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
    url: str
    title: str = ""
    content: str = ""
    start_index: int | None = None
    end_index: int | None = None


_FENCED_JSON = re.compile(r"^\s*```[a-zA-Z0-9_-]*\s*\n(.*?)\n\s*```\s*$", re.S)
_NATIVE_FAILURES = frozenset({"error", "network_error"})


class Response:
    """One answer: text, reasoning, tool calls, citations, usage and cost.

    While a stream runs this object grows; after it ends, ``done`` is true. If the stream was
    interrupted or failed, what arrived so far stays here (``interrupted`` / ``error``).
    """

    def __init__(self, request: dict[str, Any] | None = None, *, simulated: bool = False) -> None:
        #: The body that was sent (never holds the API key).
        self.request: dict[str, Any] = request or {}
        self.id: str | None = None
        self.model: str | None = None
        self.provider: str | None = None
        self.created: int | None = None
        self.finish_reason: str | None = None
        self.native_finish_reason: str | None = None
        self.usage = Usage()
        self.citations: list[Citation] = []
        self.images: list[str] = []
        self.refusal: str | None = None
        self.reasoning_details: list[dict[str, Any]] = []
        self.simulated = simulated
        self.interrupted = False
        self.done = False
        self.error: OpenRouterError | None = None
        self.started = time.perf_counter()
        #: Seconds from sending the request to the first text or reasoning.
        self.ttft: float | None = None
        #: Seconds from sending the request to the end of the answer.
        self.latency: float | None = None
        self._parts: list[str] = []
        self._reasoning: list[str] = []
        self._tools: dict[int, list[Any]] = {}
        self._tool_calls: list[ToolCall] | None = None
        self._text = ""
        self._joined = 0

    # -- reading -------------------------------------------------------------------------

    @property
    def text(self) -> str:
        if self._joined != len(self._parts):
            self._text = "".join(self._parts)
            self._joined = len(self._parts)
        return self._text

    @property
    def reasoning(self) -> str:
        return "".join(self._reasoning)

    @property
    def tool_calls(self) -> list[ToolCall]:
        if self._tool_calls is None:
            calls = [_tool_call(*self._tools[i]) for i in sorted(self._tools)]
            if not self.done:
                return calls
            self._tool_calls = calls
        return self._tool_calls

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
            "finish_reason": self.finish_reason,
            "native_finish_reason": self.native_finish_reason,
            "usage": {k: v for k, v in vars(self.usage).items() if k != "raw"},
            "latency": self.latency,
            "ttft": self.ttft,
            "simulated": self.simulated,
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
            parts.append(f"{self.usage.prompt_tokens}→{self.usage.completion_tokens} tokens")
        if self.usage.cost is not None:
            parts.append(f"${self.usage.cost:.6f}")
        if self.latency is not None:
            parts.append(f"{self.latency:.2f} s")
        if self.simulated:
            parts.append("simulated")
        if self.interrupted:
            parts.append("interrupted")
        if self.error is not None:
            parts.append(f"failed: {self.error}")
        return " · ".join(parts)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        """The answer as a streamed cell shows it: sanitized HTML, Markdown with raw HTML
        escaped (a trusting frontend would run it), and the raw text as text/plain."""
        from .render import AnswerInfo, render_answer

        info = AnswerInfo.from_response(self, error=str(self.error) if self.error else None)
        bundle = render_answer(self.text or "(no text)", info, reasoning=self.reasoning or "",
                               citations=self.citations, tool_calls=self.tool_calls)
        return {**bundle, "text/plain": self.text or "(no text)"}

    # -- growing -------------------------------------------------------------------------

    def _meta(self, chunk: dict[str, Any]) -> None:
        self.id = chunk.get("id") or self.id
        self.model = chunk.get("model") or self.model
        self.provider = chunk.get("provider") or self.provider
        self.created = chunk.get("created") or self.created

    def _add_chunk(self, chunk: dict[str, Any]) -> tuple[str | None, str | None, bool]:
        """Absorb one stream chunk; return its text and reasoning deltas, and whether
        anything else a display shows changed (a tool call, a citation, the finish)."""
        if self.id is None:
            self._meta(chunk)
        text = reasoning = None
        other = False
        choices = chunk.get("choices")
        if choices:
            choice = choices[0]
            delta = choice.get("delta") or {}
            text = delta.get("content")
            if text:
                if self.ttft is None:
                    self.ttft = time.perf_counter() - self.started
                self._parts.append(text)
            if len(delta) != 2 or "content" not in delta or "role" not in delta:
                reasoning = self._add_extras(delta)
                other = any(delta.get(k) for k in ("tool_calls", "annotations", "images"))
            if choice.get("finish_reason") or choice.get("native_finish_reason"):
                self._finish(choice)
                other = True
            if "error" in choice:
                self._fail(choice)
        if "usage" in chunk and isinstance(chunk["usage"], dict):
            self.usage = Usage.from_dict(chunk["usage"])
            self._meta(chunk)
        if "error" in chunk:
            self._fail(chunk)
        return text or None, reasoning, other

    def _add_extras(self, delta: dict[str, Any]) -> str | None:
        reasoning = delta.get("reasoning") or delta.get("reasoning_content")
        if reasoning:
            if self.ttft is None:
                self.ttft = time.perf_counter() - self.started
            self._reasoning.append(reasoning)
        if delta.get("reasoning_details"):
            self.reasoning_details = _merge_details(
                self.reasoning_details, delta["reasoning_details"]
            )
        for fragment in delta.get("tool_calls") or ():
            self._add_tool_fragment(fragment)
        for note in delta.get("annotations") or ():
            self._add_annotation(note)
        for image in delta.get("images") or ():
            url = (image.get("image_url") or {}).get("url") if isinstance(image, dict) else None
            if url:
                self.images.append(url)
        if delta.get("refusal"):
            self.refusal = (self.refusal or "") + delta["refusal"]
        return reasoning or None

    def _add_tool_fragment(self, fragment: dict[str, Any]) -> None:
        index = fragment.get("index")
        if not isinstance(index, int):
            index = len(self._tools) if fragment.get("id") else max(self._tools, default=0)
        slot = self._tools.setdefault(index, ["", "", []])
        function = fragment.get("function") or {}
        if fragment.get("id"):
            slot[0] = fragment["id"]
        if function.get("name"):
            slot[1] = function["name"]
        if function.get("arguments"):
            slot[2].append(function["arguments"])
        self._tool_calls = None
        if self.ttft is None:
            self.ttft = time.perf_counter() - self.started

    def _add_annotation(self, note: dict[str, Any]) -> None:
        if note.get("type") != "url_citation":
            return
        cite = note.get("url_citation") or {}
        url = cite.get("url")
        if url and all(c.url != url for c in self.citations):
            self.citations.append(
                Citation(
                    url=url,
                    title=cite.get("title") or "",
                    content=cite.get("content") or "",
                    start_index=cite.get("start_index"),
                    end_index=cite.get("end_index"),
                )
            )

    def _finish(self, choice: dict[str, Any]) -> None:
        self.finish_reason = choice.get("finish_reason") or self.finish_reason
        native = choice.get("native_finish_reason")
        self.native_finish_reason = native or self.native_finish_reason
        if (self.finish_reason == "error" or native in _NATIVE_FAILURES) and self.error is None:
            self.error = ProviderError(
                f"the provider failed mid-answer (finish reason {native or 'error'})",
                metadata={"native_finish_reason": native},
                partial=self,
            )

    def _fail(self, holder: dict[str, Any]) -> None:
        error = error_from_body(holder, partial=self)
        if self.error is None or "native_finish_reason" in self.error.metadata:  # a real cause wins
            self.error = error

    def _add_message(self, body: dict[str, Any]) -> None:
        """Absorb a whole non-streaming ``chat.completion`` body."""
        self._meta(body)
        choices = body.get("choices") or []
        if choices:
            choice = choices[0]
            message = choice.get("message") or {}
            if message.get("content"):
                self._parts.append(message["content"])
            for index, call in enumerate(message.get("tool_calls") or ()):
                call = {"index": call.get("index", index), **call}
                self._add_tool_fragment(call)
            extras = {k: v for k, v in message.items() if k not in ("content", "tool_calls")}
            self._add_extras(extras)
            self._finish(choice)
            if "error" in choice:
                self._fail(choice)
        if isinstance(body.get("usage"), dict):
            self.usage = Usage.from_dict(body["usage"])
        if "error" in body:
            self._fail(body)

    def _reset(self) -> None:
        """Forget a failed attempt before a retry; the clock keeps running."""
        started, request, simulated = self.started, self.request, self.simulated
        self.__init__(request, simulated=simulated)  # type: ignore[misc]
        self.started = started

    def _close(self) -> None:
        self.latency = time.perf_counter() - self.started
        self.done = True
        self._tool_calls = None


def _tool_call(call_id: str, name: str, parts: list[str]) -> ToolCall:
    raw = "".join(parts)
    if not raw.strip():
        return ToolCall(id=call_id, name=name, arguments={}, raw_arguments=raw)
    try:
        arguments = json.loads(raw)
    except ValueError as exc:
        return ToolCall(call_id, name, {}, raw, error=f"arguments are not valid JSON: {exc}")
    if not isinstance(arguments, dict):
        return ToolCall(call_id, name, {}, raw, error="arguments are not a JSON object")
    return ToolCall(id=call_id, name=name, arguments=arguments, raw_arguments=raw)


def _merge_details(
    merged: list[dict[str, Any]], fragments: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Join streamed ``reasoning_details`` fragments into whole entries, as they must go back."""
    for fragment in fragments:
        if not isinstance(fragment, dict):
            continue
        last = merged[-1] if merged else None
        same = (
            last is not None
            and last.get("type") == fragment.get("type")
            and last.get("index") == fragment.get("index")
            and fragment.get("type") in ("reasoning.text", "reasoning.summary")
        )
        if not same:
            merged.append(dict(fragment))
            continue
        assert last is not None
        for key in ("text", "summary"):
            if fragment.get(key):
                last[key] = (last.get(key) or "") + fragment[key]
        for key, value in fragment.items():
            if key not in ("text", "summary") and value not in (None, ""):
                last[key] = value
    return merged
