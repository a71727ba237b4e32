"""`Accumulator`: the one writer of a `Response`, from stream chunks or a whole body.

Streaming and non-streaming answers go through the same code, so both give the same
Response. The per-chunk path reads plain dicts straight from ``json.loads``; no object is
built per chunk (model building is where the official SDKs lose 10x per chunk).
"""

from __future__ import annotations

import json
import time
from typing import Any

from ..errors import OpenRouterError, ProviderError, SchemaError, error_from_body
from .estimate import arrived, estimate_usage
from .response import Citation, Image, Response, ToolCall, Usage
from .shapes import arguments_text, as_dict, as_list, as_text, odd

__all__ = ["Accumulator"]

_NATIVE_FAILURES = frozenset({"error", "network_error"})


class Accumulator:
    """Grows one `Response`; ``chunk`` returns what a display should show of each chunk."""

    __slots__ = ("_met", "_tools", "response", "started")

    def __init__(self, response: Response) -> None:
        self.response = response
        self._tools: dict[int, ToolCall] = {}
        self._met = False  # who answers (id, model, provider) was read from a chunk
        #: Something of the answer arrived (so a failure now is not tried again).
        self.started = False

    @property
    def failed(self) -> bool:
        return self.response.error is not None

    # -- lifecycle ---------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget a failed attempt before a retry; the clock keeps running."""
        old = self.response
        fresh = Response(old.request, simulated=old.simulated, schema=old.schema)
        fresh.started = old.started
        vars(old).update(vars(fresh))
        self._tools = {}
        self._met = False
        self.started = False

    def close(self) -> None:
        """The answer is over (complete, failed or interrupted): parse tool arguments, and
        a complete answer into its schema (a misfit is a `SchemaError`, the text kept)."""
        response = self.response
        response.latency = time.perf_counter() - response.started
        response.done = True
        for call in response.tool_calls:
            _parse_arguments(call)
        if response.schema is None or response.tool_calls or response.error is not None \
                or response.interrupted:
            return
        try:
            response.parsed = response.schema.parse(response.text)
        except ValueError as exc:
            name = response.schema.name
            raise self.fail(SchemaError(f"the answer does not fit {name}: {exc}")) from None

    def interrupt(self) -> None:
        self.response.interrupted = True
        self._count_what_arrived()
        self.close()

    def fail(self, error: OpenRouterError) -> OpenRouterError:
        """End with ``error`` (the answer so far stays, as the error's ``partial``)."""
        if error.partial is None:
            error.partial = self.response
        self.response.error = error
        self._count_what_arrived()
        self.close()
        return error

    def _count_what_arrived(self) -> None:
        """No usage came (it comes last): count the prompt and what arrived, estimated."""
        response = self.response
        if not response.usage.total_tokens and arrived(response):
            response.usage = estimate_usage(response)

    # -- growing -----------------------------------------------------------------------------

    def chunk(self, chunk: dict[str, Any]) -> tuple[str | None, str | None, bool]:
        """Absorb one stream chunk; return its text and reasoning deltas, and whether
        anything else a display shows changed (a tool call, a citation, the finish)."""
        response = self.response
        if not self._met:  # until a chunk names its generation (not only the header)
            self._meta(chunk)
            self._met = chunk.get("id") is not None
        text = reasoning = None
        other = False
        choices = chunk.get("choices")
        if choices:
            if choices.__class__ is not list:
                raise odd("choices", choices, "a list")
            choice = as_dict(choices[0], "choices[0]")
            delta = as_dict(choice.get("delta"), "delta")
            text = delta.get("content")
            if text is not None and text.__class__ is not str:
                text = as_text(text, "delta.content")
            if text:
                if response.ttft is None:
                    response.ttft = time.perf_counter() - response.started
                response.chunks.append(text)
            if len(delta) != 2 or "content" not in delta or "role" not in delta:
                reasoning = self._extras(delta)
                other = any(delta.get(k) for k in ("tool_calls", "annotations", "images"))
            if choice.get("finish_reason") or choice.get("native_finish_reason"):
                self._finish(choice)
                other = True
            if choice.get("error") is not None:
                self._fail(choice)
        if "usage" in chunk and isinstance(chunk["usage"], dict):
            response.usage = Usage.from_dict(chunk["usage"])
            self._meta(chunk)
        if chunk.get("error") is not None:  # some servers send "error": null throughout
            self._fail(chunk)
        return text or None, reasoning, other

    def message(self, body: dict[str, Any]) -> None:
        """Absorb a whole non-streaming ``chat.completion`` body."""
        response = self.response
        self._meta(body)
        choices = as_list(body.get("choices"), "choices")
        if choices:
            choice = as_dict(choices[0], "choices[0]")
            message = as_dict(choice.get("message"), "message")
            content = as_text(message.get("content"), "message.content")
            if content:
                response.chunks.append(content)
            for index, call in enumerate(as_list(message.get("tool_calls"), "tool_calls")):
                call = as_dict(call, f"tool_calls[{index}]")
                self._tool_fragment({"index": call.get("index", index), **call})
            self._extras({k: v for k, v in message.items() if k not in ("content", "tool_calls")})
            self._finish(choice)
            if choice.get("error") is not None:
                self._fail(choice)
        if isinstance(body.get("usage"), dict):
            response.usage = Usage.from_dict(body["usage"])
        if body.get("error") is not None:
            self._fail(body)

    def _meta(self, chunk: dict[str, Any]) -> None:
        """Who answered; a value of the wrong type is left out (it never costs the answer)."""
        response = self.response
        for name in ("id", "model", "provider"):
            value = chunk.get(name)
            if value and value.__class__ is str:
                setattr(response, name, value)
        created = chunk.get("created")
        if created.__class__ is int:
            response.created = created

    def _extras(self, delta: dict[str, Any]) -> str | None:
        response = self.response
        reasoning = delta.get("reasoning") or delta.get("reasoning_content")
        if reasoning and reasoning.__class__ is not str:
            reasoning = as_text(reasoning, "reasoning")
        if reasoning:
            if response.ttft is None:
                response.ttft = time.perf_counter() - response.started
            response.reasoning_chunks.append(reasoning)
        details = delta.get("reasoning_details")
        if details and details.__class__ is list:
            _merge_details(response.reasoning_details, details)
        for index, fragment in enumerate(as_list(delta.get("tool_calls"), "tool_calls")):
            self._tool_fragment(as_dict(fragment, f"tool_calls[{index}]"))
        notes = delta.get("annotations")
        for note in notes if notes.__class__ is list else ():
            if note.__class__ is dict:
                self._annotation(note)
        images = delta.get("images")
        for image in images if images.__class__ is list else ():
            spec = image.get("image_url") if isinstance(image, dict) else None
            url = spec.get("url") if isinstance(spec, dict) else spec  # (model output: any shape)
            if isinstance(url, str) and url:
                response.images.append(Image(url))
        refusal = delta.get("refusal")
        if refusal and refusal.__class__ is str:
            response.refusal = (response.refusal or "") + refusal
        return reasoning or None

    def _tool_fragment(self, fragment: dict[str, Any]) -> None:
        """Tool calls arrive in pieces, keyed by ``index``; id and name only on the first."""
        response = self.response
        index = fragment.get("index")
        if not isinstance(index, int):
            index = len(self._tools) if fragment.get("id") else max(self._tools, default=0)
        call = self._tools.get(index)
        if call is None:
            call = self._tools[index] = ToolCall(id="", name="", arguments={})
            response.tool_calls = [self._tools[i] for i in sorted(self._tools)]
        function = as_dict(fragment.get("function"), "tool_calls.function")
        for holder, key, name in ((fragment, "id", "id"), (function, "name", "name")):
            value = holder.get(key)
            if value is not None and value.__class__ is not str:
                raise odd(f"tool_calls.{'function.' if holder is function else ''}{key}",
                          value, "a string")
            if value:
                setattr(call, name, value)
        arguments = function.get("arguments")
        if arguments:
            call.raw_arguments += arguments_text(arguments, "tool_calls.function.arguments")
        if response.ttft is None:
            response.ttft = time.perf_counter() - response.started

    def _annotation(self, note: dict[str, Any]) -> None:
        if note.get("type") == "file" and isinstance(note.get("file"), dict):
            self.response.file_annotations.append(note)  # a parsed PDF, to send back
            return
        if note.get("type") != "url_citation":
            return
        cite = note.get("url_citation")
        url = cite.get("url") if isinstance(cite, dict) else None
        citations = self.response.citations
        if url and url.__class__ is str and all(c.url != url for c in citations):
            assert isinstance(cite, dict)
            start, end = cite.get("start_index"), cite.get("end_index")
            citations.append(Citation(
                url=url,
                title=_str(cite.get("title")),
                content=_str(cite.get("content")),
                start_index=start if start.__class__ is int else None,
                end_index=end if end.__class__ is int else None,
            ))

    def _finish(self, choice: dict[str, Any]) -> None:
        response = self.response
        reason, native = choice.get("finish_reason"), choice.get("native_finish_reason")
        if reason and reason.__class__ is not str:
            raise odd("finish_reason", reason, "a string")
        native = native if native.__class__ is str else None
        response.finish_reason = reason or response.finish_reason
        response.native_finish_reason = native or response.native_finish_reason
        failed = response.finish_reason == "error" or native in _NATIVE_FAILURES
        if failed and response.error is None:
            response.error = ProviderError(
                f"the provider failed mid-answer (finish reason {native or 'error'})",
                metadata={"native_finish_reason": native},
                partial=response,
            )

    def _fail(self, holder: dict[str, Any]) -> None:
        response = self.response
        error = error_from_body(holder, partial=response)
        # a real cause wins over the bare "finish reason error"
        if response.error is None or "native_finish_reason" in response.error.metadata:
            response.error = error


def _str(value: Any) -> str:
    return value if value.__class__ is str else ""


def _parse_arguments(call: ToolCall) -> None:
    raw = call.raw_arguments
    call.arguments, call.error = {}, None
    if not raw.strip():
        return
    try:
        arguments = json.loads(raw)
    except ValueError as exc:
        call.error = f"arguments are not valid JSON: {exc}"
        return
    if isinstance(arguments, dict):
        call.arguments = arguments
    else:
        call.error = "arguments are not a JSON object"


def _merge_details(merged: list[dict[str, Any]], fragments: list[Any]) -> None:
    """Join streamed ``reasoning_details`` fragments into whole entries, as they must go back."""
    for fragment in fragments:
        if not isinstance(fragment, dict):
            continue
        last = merged[-1] if merged else None
        if (last is None or last.get("type") != fragment.get("type")
                or last.get("index") != fragment.get("index")
                or fragment.get("type") not in ("reasoning.text", "reasoning.summary")):
            merged.append(dict(fragment))
            continue
        for key in ("text", "summary"):
            if fragment.get(key):
                last[key] = (last.get(key) or "") + fragment[key]
        for key, value in fragment.items():
            if key not in ("text", "summary") and value not in (None, ""):
                last[key] = value
