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
from .response import Citation, Image, Response, ToolCall, Usage

__all__ = ["Accumulator"]

_NATIVE_FAILURES = frozenset({"error", "network_error"})


class Accumulator:
    """Grows one `Response`; ``chunk`` returns what a display should show of each chunk."""

    __slots__ = ("_tools", "response")

    def __init__(self, response: Response) -> None:
        self.response = response
        self._tools: dict[int, ToolCall] = {}

    # -- lifecycle ---------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget a failed attempt before a retry; the clock keeps running."""
        old = self.response
        fresh = Response(old.request, simulated=old.simulated, schema=old.schema)
        fresh.started = old.started
        vars(old).update(vars(fresh))
        self._tools = {}

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
        self.close()

    def fail(self, error: OpenRouterError) -> OpenRouterError:
        """End with ``error`` (the answer so far stays, as the error's ``partial``)."""
        if error.partial is None:
            error.partial = self.response
        self.response.error = error
        self.close()
        return error

    # -- growing -----------------------------------------------------------------------------

    def chunk(self, chunk: dict[str, Any]) -> tuple[str | None, str | None, bool]:
        """Absorb one stream chunk; return its text and reasoning deltas, and whether
        anything else a display shows changed (a tool call, a citation, the finish)."""
        response = self.response
        if response.id is None:
            self._meta(chunk)
        text = reasoning = None
        other = False
        choices = chunk.get("choices")
        if choices:
            choice = choices[0]
            delta = choice.get("delta") or {}
            text = delta.get("content")
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
            if "error" in choice:
                self._fail(choice)
        if "usage" in chunk and isinstance(chunk["usage"], dict):
            response.usage = Usage.from_dict(chunk["usage"])
            self._meta(chunk)
        if "error" in chunk:
            self._fail(chunk)
        return text or None, reasoning, other

    def message(self, body: dict[str, Any]) -> None:
        """Absorb a whole non-streaming ``chat.completion`` body."""
        response = self.response
        self._meta(body)
        choices = body.get("choices") or []
        if choices:
            choice = choices[0]
            message = choice.get("message") or {}
            if message.get("content"):
                response.chunks.append(message["content"])
            for index, call in enumerate(message.get("tool_calls") or ()):
                self._tool_fragment({"index": call.get("index", index), **call})
            self._extras({k: v for k, v in message.items() if k not in ("content", "tool_calls")})
            self._finish(choice)
            if "error" in choice:
                self._fail(choice)
        if isinstance(body.get("usage"), dict):
            response.usage = Usage.from_dict(body["usage"])
        if "error" in body:
            self._fail(body)

    def _meta(self, chunk: dict[str, Any]) -> None:
        response = self.response
        response.id = chunk.get("id") or response.id
        response.model = chunk.get("model") or response.model
        response.provider = chunk.get("provider") or response.provider
        response.created = chunk.get("created") or response.created

    def _extras(self, delta: dict[str, Any]) -> str | None:
        response = self.response
        reasoning = delta.get("reasoning") or delta.get("reasoning_content")
        if reasoning:
            if response.ttft is None:
                response.ttft = time.perf_counter() - response.started
            response.reasoning_chunks.append(reasoning)
        if delta.get("reasoning_details"):
            _merge_details(response.reasoning_details, delta["reasoning_details"])
        for fragment in delta.get("tool_calls") or ():
            self._tool_fragment(fragment)
        for note in delta.get("annotations") or ():
            self._annotation(note)
        images = delta.get("images")
        for image in images if isinstance(images, list) else ():
            spec = image.get("image_url") if isinstance(image, dict) else None
            url = spec.get("url") if isinstance(spec, dict) else spec  # (model output: any shape)
            if isinstance(url, str) and url:
                response.images.append(Image(url))
        if delta.get("refusal"):
            response.refusal = (response.refusal or "") + delta["refusal"]
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
        function = fragment.get("function") or {}
        if fragment.get("id"):
            call.id = fragment["id"]
        if function.get("name"):
            call.name = function["name"]
        if function.get("arguments"):
            call.raw_arguments += function["arguments"]
        if response.ttft is None:
            response.ttft = time.perf_counter() - response.started

    def _annotation(self, note: dict[str, Any]) -> None:
        if note.get("type") == "file" and isinstance(note.get("file"), dict):
            self.response.file_annotations.append(note)  # a parsed PDF, to send back
            return
        if note.get("type") != "url_citation":
            return
        cite = note.get("url_citation") or {}
        url = cite.get("url")
        citations = self.response.citations
        if url and all(c.url != url for c in citations):
            citations.append(Citation(
                url=url,
                title=cite.get("title") or "",
                content=cite.get("content") or "",
                start_index=cite.get("start_index"),
                end_index=cite.get("end_index"),
            ))

    def _finish(self, choice: dict[str, Any]) -> None:
        response = self.response
        response.finish_reason = choice.get("finish_reason") or response.finish_reason
        native = choice.get("native_finish_reason")
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
