"""Plan → bytes: SSE events in OpenRouter's framing and key order, or a JSON body.

Content chunks are pre-serialised around a template so that long stress answers cost one
`json.dumps` of a short string per event.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .accounting import Generated
from .compose import Plan
from .errors import ERROR_TYPES, status_error
from .faults import Knobs
from .response import ConnectionDropped, Piece
from .settings import SimConfig

KEEPALIVE = ": OPENROUTER PROCESSING"
_MARK = "\u0000content\u0000"
_PROVIDER_STATUSES = (429, 502, 503, 529)


def dumps(obj: Any) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True)
class Meta:
    """What every chunk of one generation repeats."""

    gen_id: str
    created: int
    model: str
    provider: str
    style: str = "mid2026"


class ChunkWriter:
    """Builds chunk JSON in the key order of the configured period."""

    def __init__(self, meta: Meta, line_ending: str = "\n") -> None:
        self.meta = meta
        self.old = meta.style == "2025"
        self._end = (line_ending * 2).encode()
        self._comment = KEEPALIVE.encode() + self._end
        prefix, suffix = self.chunk({"content": _MARK}).split(dumps(_MARK))
        self._prefix = b"data: " + prefix.encode()
        self._suffix = suffix.encode() + self._end

    # -- framing ----------------------------------------------------------------------------
    def event(self, payload: str) -> bytes:
        return b"data: " + payload.encode() + self._end

    def comment(self) -> bytes:
        return self._comment

    def done(self) -> bytes:
        return b"data: [DONE]" + self._end

    def content(self, piece: str) -> bytes:
        """The hot path: one content delta event."""
        return self._prefix + dumps(piece).encode() + self._suffix

    # -- JSON -------------------------------------------------------------------------------
    def delta(self, **fields: Any) -> dict[str, Any]:
        content = fields.pop("content", "")
        base = (
            {"role": "assistant", "content": content}
            if self.old
            else {"content": content, "role": "assistant"}
        )
        base.update(fields)
        return base

    def choice(
        self,
        delta: dict[str, Any],
        finish: str | None = None,
        native: str | None = None,
        error: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        out: dict[str, Any] = {
            "index": 0,
            "delta": delta,
            "finish_reason": finish,
            "native_finish_reason": native,
        }
        if self.old:
            out["logprobs"] = None
        if error is not None:
            out["error"] = error
        return out

    def top(self, **extra: Any) -> dict[str, Any]:
        m = self.meta
        if self.old:
            head: dict[str, Any] = {"id": m.gen_id, "provider": m.provider}
            if "error" in extra:
                head["error"] = extra.pop("error")
            head.update(model=m.model, object="chat.completion.chunk", created=m.created)
        else:
            head = {
                "id": m.gen_id,
                "object": "chat.completion.chunk",
                "created": m.created,
                "model": m.model,
                "provider": m.provider,
            }
        head.update(extra)
        return head

    def chunk(
        self, delta_fields: dict[str, Any], finish: str | None = None, native: str | None = None
    ) -> str:
        delta = self.delta(**delta_fields)
        return dumps(self.top(choices=[self.choice(delta, finish, native)]))

    def usage_chunk(self, usage: dict[str, Any], finish: str, native: str) -> str:
        if self.meta.style == "mar2026":
            return dumps(self.top(choices=[], usage=usage))
        if self.meta.style == "2025":
            return dumps(self.top(choices=[self.choice(self.delta())], usage=usage))
        return dumps(
            self.top(
                service_tier=None, choices=[self.choice(self.delta(), finish, native)], usage=usage
            )
        )


def huge_text(size: int) -> str:
    """``size`` characters of plain words (one event's worth for the huge_event fault)."""
    words = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor "
    return (words * (size // len(words) + 1))[:size]


def cut(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or []


def stream_error_object(knobs: Knobs, provider: str, default_code: int = 502) -> dict[str, Any]:
    """The `error` object an in-stream failure carries."""
    code = knobs.code if knobs.code is not None else default_code
    status = code if isinstance(code, int) and 400 <= code <= 599 else 500
    as_provider = bool(knobs.provider_error) or (
        knobs.message is None and status in _PROVIDER_STATUSES
    )
    name = knobs.provider_error if isinstance(knobs.provider_error, str) else provider
    err = status_error(
        status, message=knobs.message, provider=name if as_provider else None, code=code
    )
    if not as_provider:
        err.metadata = {**(err.metadata or {}), "error_type": ERROR_TYPES.get(status, "server")}
    return err.error_object()


# -- streaming ----------------------------------------------------------------------------------
def stream(
    plan: Plan,
    meta: Meta,
    cfg: SimConfig,
    knobs: Knobs,
    usage: dict[str, Any],
    made: Generated | None = None,
) -> Iterator[Piece]:
    """Every SSE event of one answer, with the delay before each, faults included; ``made``
    counts what was generated, so a cancelled stream is billed for that."""
    w = ChunkWriter(meta, cfg.line_ending)
    for i in range(cfg.keepalives):
        yield (cfg.keepalive_interval if i else 0.0), w.comment()
    gap = cfg.keepalive_interval if cfg.keepalives else 0.0
    if knobs.http200_error:
        shape = knobs.mid_stream_error or "choices_empty"
        yield gap, _error_event(w, shape, stream_error_object(knobs, meta.provider, 429), usage)
        if knobs.done is not False:
            yield 0.0, w.done()
        return
    pending = _pending_fault(knobs)
    after = knobs.after_chunks if knobs.after_chunks is not None else 3
    counted = 0
    first = True
    for counts, delay, data in _body(plan, w, cfg, made or Generated()):
        if first:
            delay, first = delay + gap, False
        if counts and pending and counted >= after:
            yield from _inject(pending, w, knobs, meta, usage)
            if pending not in _GOES_ON:
                return
            pending = None
        yield delay, data
        counted += counts
    if pending:
        yield from _inject(pending, w, knobs, meta, usage)
        if pending not in _GOES_ON:
            return
    yield (
        0.0,
        w.event(w.chunk(_finish_delta(plan), plan.finish_reason, plan.native_finish_reason)),
    )
    yield 0.0, w.event(w.usage_chunk(usage, plan.finish_reason, plan.native_finish_reason))
    if not knobs.no_done:
        yield 0.0, w.done()


#: Faults after which the stream goes on as planned (the others end it).
_GOES_ON = ("malformed", "stall", "huge", "event")


def _pending_fault(knobs: Knobs) -> str | None:
    if knobs.drop == "during":
        return "drop"
    if knobs.mid_stream_error:
        return knobs.mid_stream_error
    if knobs.malformed:
        return "malformed"
    if knobs.stall is not None:
        return "stall"
    if knobs.huge_event is not None:
        return "huge"
    if knobs.event is not None:
        return "event"
    return None


def _inject(
    kind: str, w: ChunkWriter, knobs: Knobs, meta: Meta, usage: dict[str, Any]
) -> Iterator[Piece]:
    if kind == "drop":
        raise ConnectionDropped("simulated connection drop mid-stream")
    if kind == "malformed":
        broken = w.top(choices=[w.choice(w.delta(content="unterminated"))])
        yield 0.0, w.event(dumps(broken)[:-23])
        return
    if kind == "stall":  # silence: no byte, not even a keep-alive, then the stream goes on
        yield float(knobs.stall or 0.0), b""
        return
    if kind == "huge":  # one content delta of exactly huge_event characters
        yield 0.0, w.content(huge_text(knobs.huge_event or 0))
        return
    if kind == "event":  # any JSON value as one data event, as an odd server would send it
        yield 0.0, w.event(dumps(knobs.event))
        return
    if kind == "network_error":
        yield 0.0, w.event(w.chunk({}, "stop", "network_error"))
    else:
        yield 0.0, _error_event(w, kind, stream_error_object(knobs, meta.provider), usage)
    if knobs.done is not False:
        yield 0.0, w.done()


def _error_event(w: ChunkWriter, shape: str, error: dict[str, Any], usage: dict[str, Any]) -> bytes:
    if shape == "bare":
        return w.event(dumps({"error": error}))
    if shape == "choices_empty":
        return w.event(dumps(w.top(choices=[], error=error)))
    if shape == "usage_chunk":
        return w.event(dumps(w.top(error=error, choices=[w.choice(w.delta())], usage=usage)))
    if shape == "choice":
        choice = w.choice(w.delta(), "error", "error", error=error)
        return w.event(dumps(w.top(choices=[choice])))
    # "documented": top-level error and a choice finishing with "error"
    choice = w.choice({"content": ""}, "error")
    choice.pop("native_finish_reason")
    return w.event(dumps(w.top(error=error, choices=[choice])))


def _finish_delta(plan: Plan) -> dict[str, Any]:
    return {"images": plan.images} if plan.images else {}


def _pace(chars: int, cfg: SimConfig) -> float:
    return (chars / 4) / cfg.token_rate if cfg.token_rate > 0 else 0.0


def _body(
    plan: Plan, w: ChunkWriter, cfg: SimConfig, made: Generated
) -> Iterator[tuple[int, float, bytes]]:
    """(counts as a content chunk, delay, event) for everything between keep-alives and finish;
    each piece is counted in ``made`` as it is handed out (generated)."""
    for note in plan.annotations:
        yield 0, 0.0, w.event(w.chunk({"annotations": [note]}))
    size = cfg.chunk_chars
    if plan.reasoning and plan.show_reasoning:
        yield from _reasoning(plan, w, cfg, made)
    elif not plan.annotations and not plan.tool_calls:
        yield 0, 0.0, w.event(w.chunk({}))
    for index, call in enumerate(plan.tool_calls):
        head = {
            "index": index,
            "id": call.id,
            "type": "function",
            "function": {"name": call.name, "arguments": ""},
        }
        made.tools += len(call.name)
        yield (
            1,
            _pace(len(call.name), cfg),
            w.event(w.chunk({"content": None, "tool_calls": [head]})),
        )
        for piece in cut(call.arguments, size):
            frag = {"index": index, "function": {"arguments": piece}}
            made.tools += len(piece)
            yield (
                1,
                _pace(len(piece), cfg),
                w.event(w.chunk({"content": None, "tool_calls": [frag]})),
            )
    pieces = plan.pieces if plan.pieces is not None else cut(plan.content, size)
    if cfg.token_rate > 0:
        for piece in pieces:
            made.content += len(piece)
            yield 1, _pace(len(piece), cfg), w.content(piece)
    else:
        for piece in pieces:
            made.content += len(piece)
            yield 1, 0.0, w.content(piece)


def _reasoning(
    plan: Plan, w: ChunkWriter, cfg: SimConfig, made: Generated
) -> Iterator[tuple[int, float, bytes]]:
    fmt = plan.reasoning_format
    yield 0, 0.0, w.event(w.chunk({"reasoning": None, "reasoning_details": []}))
    yield 0, _pace(40, cfg), w.comment()
    if fmt == "anthropic-claude-v1":
        detail = {"type": "reasoning.text", "text": "", "signature": "", "format": fmt, "index": 0}
        yield 0, 0.0, w.event(w.chunk({"reasoning": None, "reasoning_details": [detail]}))
    for n, piece in enumerate(cut(plan.reasoning, max(cfg.chunk_chars, 8))):
        detail = {"type": "reasoning.text", "text": piece, "format": fmt, "index": 0}
        made.reasoning += len(piece)
        yield (
            1,
            _pace(len(piece), cfg),
            w.event(w.chunk({"reasoning": piece, "reasoning_details": [detail]})),
        )
        if n % 6 == 5:
            yield 0, 0.0, w.comment()
    if fmt == "anthropic-claude-v1":
        detail = {
            "type": "reasoning.text",
            "signature": "EoSimulatedSignature0",
            "format": fmt,
            "index": 0,
        }
        yield 0, 0.0, w.event(w.chunk({"reasoning": None, "reasoning_details": [detail]}))


# -- non-streaming ------------------------------------------------------------------------------
def message(plan: Plan, content: str | None = None) -> dict[str, Any]:
    """The assistant message of a non-streaming answer."""
    msg: dict[str, Any] = {
        "role": "assistant",
        "content": plan.content if content is None else content,
        "refusal": None,
        "reasoning": plan.reasoning if plan.show_reasoning and plan.reasoning else None,
    }
    if plan.show_reasoning and plan.reasoning:
        msg["reasoning_details"] = [
            {
                "type": "reasoning.text",
                "text": plan.reasoning,
                "format": plan.reasoning_format,
                "index": 0,
            }
        ]
    if plan.tool_calls:
        msg["content"] = ""
        msg["tool_calls"] = [
            {
                "id": c.id,
                "type": "function",
                "function": {"name": c.name, "arguments": c.arguments},
                "index": i,
            }
            for i, c in enumerate(plan.tool_calls)
        ]
    if plan.annotations:
        msg["annotations"] = plan.annotations
    if plan.images:
        msg["images"] = plan.images
    return msg


def completion_body(
    plan: Plan, meta: Meta, usage: dict[str, Any] | None, knobs: Knobs, cfg: SimConfig
) -> dict[str, Any]:
    """The whole non-streaming JSON answer, faults included."""
    finish, native = plan.finish_reason, plan.native_finish_reason
    msg = message(plan)
    choice: dict[str, Any] = {
        "index": 0,
        "logprobs": None,
        "finish_reason": finish,
        "native_finish_reason": native,
        "message": msg,
    }
    shape = knobs.mid_stream_error
    if shape == "network_error":
        choice.update(finish_reason="stop", native_finish_reason="network_error")
        msg["content"] = ""
        usage = None
    elif shape:
        after = knobs.after_chunks if knobs.after_chunks is not None else 3
        msg["content"] = plan.content[: after * cfg.chunk_chars]
        choice.update(
            finish_reason="error",
            native_finish_reason="error",
            error=stream_error_object(knobs, meta.provider),
        )
    if meta.style == "2025":
        body: dict[str, Any] = {
            "id": meta.gen_id,
            "provider": meta.provider,
            "model": meta.model,
            "object": "chat.completion",
            "created": meta.created,
        }
    else:
        body = {
            "id": meta.gen_id,
            "object": "chat.completion",
            "created": meta.created,
            "model": meta.model,
            "provider": meta.provider,
        }
    body.update(system_fingerprint=None, service_tier=None, choices=[choice])
    if usage is not None:
        body["usage"] = usage
    return body
