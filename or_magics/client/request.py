"""A request before it is sent: the validated body, and what the body cannot say.

`Request` carries the ``/chat/completions`` body plus the Python side of it: the kernel
functions behind ``tools=``, the type behind ``schema=``, the tool loop's limits, the parts
``images=`` and ``files=`` became. Every field is checked here, before anything is sent
(`validate` has the rules).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..kernel.attach import attach
from ..kernel.schema import Schema, schema_for
from ..kernel.tools import Toolset, toolset
from .features import check_modalities, check_web
from .payload import check_kinds, encode_body
from .validate import (
    PARAMETERS,
    PDF_ENGINES,
    check_cache_control,
    check_model,
    check_param,
    check_part,
    check_plugins,
    check_provider,
    check_reasoning,
    check_response_format,
    check_str_list,
    check_tool_choice,
    check_tools,
    fail,
    normalize_messages,
    suggest,
)

__all__ = ["Request", "attach_parts", "build_body", "cacheable", "once", "prepare",
           "shortened"]

#: Asked before each tool call when ``confirm`` is set: (name, arguments) -> run it?
Confirm = Callable[[str, Mapping[str, Any]], bool]


@dataclass
class Request:
    body: dict[str, Any]
    toolset: Toolset | None = None
    schema: Schema | None = None
    #: Tool-calling rounds before the loop stops with `ToolLoopError`.
    max_steps: int = 10
    #: Ask before each tool call (True: a prompt on the caller's thread; or a callable).
    confirm: bool | Confirm = False
    #: The content parts ``images=`` and ``files=`` became (in the last user message).
    attachments: list[dict[str, Any]] = field(default_factory=list)
    #: What a person should be told before it is sent ("chart.png: downscaled to ...").
    notes: list[str] = field(default_factory=list)

    @property
    def runs_tools(self) -> bool:
        return self.toolset is not None and self.toolset.runnable

    @property
    def model(self) -> str | None:
        model = self.body.get("model")
        return model if isinstance(model, str) else None

    @property
    def estimated_tokens(self) -> int:
        """About how many tokens the prompt is (4 characters a token; no tokenizer)."""
        chars = 0
        for message in self.body.get("messages", ()):
            content = message.get("content")
            if isinstance(content, str):
                chars += len(content)
            elif isinstance(content, list):
                chars += sum(len(str(part.get("text", ""))) for part in content)
                chars += 4 * 255 * sum(part.get("type") != "text" for part in content)
        chars += len(str(self.body.get("tools") or ""))
        return chars // 4 + 1


def prepare(prompt: Any, *, model: str | None, stream: bool, openrouter: bool = True,
            tools: Sequence[Any] | None = None, schema: Any = None, strict: bool = True,
            max_steps: int = 10, confirm: bool | Confirm = False, images: Any = None,
            files: Any = None, **params: Any) -> Request:
    """The `Request` for a prompt and keyword arguments (request fields, ``tools``,
    ``schema``, ``strict``, ``max_steps``, ``confirm``, ``images``, ``files``); a bad one
    raises `InvalidParameterError` and nothing is sent.

    ``images``: paths, URLs, bytes, PIL images, matplotlib Figures, NumPy arrays;
    ``files``: PDFs and audio (paths, bytes, open files). They join the last user message.
    """
    if isinstance(max_steps, bool) or not isinstance(max_steps, int) or max_steps < 1:
        raise fail("max_steps", f"must be a whole number ≥ 1, not {max_steps!r}")
    if not (isinstance(confirm, bool) or callable(confirm)):
        raise fail("confirm", "must be True, False, or a function (name, arguments) -> bool")
    found = toolset(tools) if tools else None
    shape = schema_for(schema, strict=strict) if schema is not None else None
    if shape is not None:
        if params.get("response_format") is not None:
            raise fail("schema", "give schema= or response_format=, not both")
        params["response_format"] = shape.response_format()
        if not strict:
            system = params.get("system")
            params["system"] = f"{system}\n\n{shape.instructions()}" if system \
                else shape.instructions()
    attached = attach(images, files)
    body = build_body(prompt, model=model, stream=stream, openrouter=openrouter,
                      tools=found.definitions if found else None, **params)
    if attached.parts:
        attach_parts(body["messages"], [check_part(part, "images")
                                        for part in attached.parts])
    return Request(body, found, shape, max_steps, confirm, attached.parts, attached.notes)


def once(params: dict[str, Any]) -> dict[str, Any]:
    """``params`` with ``images=`` and ``files=`` already turned into content parts, for
    many requests with the same attachments (a batch): a figure is rendered once."""
    if params.get("images") is None and params.get("files") is None:
        return params
    rest = dict(params)
    attached = attach(rest.pop("images", None), rest.pop("files", None))
    for note in attached.notes:
        warnings.warn(note, stacklevel=3)
    return {**rest, "images": attached.parts}


def attach_parts(messages: list[dict[str, Any]], parts: Sequence[dict[str, Any]]) -> None:
    """Add content parts to the last user message (a new one if there is none)."""
    for message in reversed(messages):
        if message.get("role") == "user":
            content = message.get("content")
            text = [{"type": "text", "text": content}] if isinstance(content, str) else \
                list(content or ())
            message["content"] = [*text, *parts]
            return
    messages.append({"role": "user", "content": list(parts)})


def shortened(value: Any) -> Any:
    """A copy of a body with base64 payloads cut to their start and size, for showing it
    (a dry run): a photo is megabytes of text nobody reads."""
    if isinstance(value, Mapping):
        out = {k: shortened(v) for k, v in value.items()}
        audio = out.get("data")
        if "format" in out and isinstance(audio, str) and len(audio) > 64:
            out["data"] = f"{audio[:16]}…({len(audio) * 3 // 4:,} bytes)"
        return out
    if isinstance(value, list):
        return [shortened(v) for v in value]
    if isinstance(value, str) and value.startswith("data:") and len(value) > 96:
        head, _, payload = value.partition(",")
        return f"{head},{payload[:16]}…({len(payload) * 3 // 4:,} bytes)"
    return value


def cacheable(text: str, ttl: str | None = None) -> dict[str, Any]:
    """A text part marked as a cache breakpoint: providers that need ``cache_control``
    (Anthropic) keep the prompt up to here, and a repeat reads it at a fraction of the price.

    ``ask([cacheable(manual), "What does rule 3 say?"])``; ``ttl="1h"`` keeps it an hour.
    """
    if not isinstance(text, str) or not text:
        raise fail("cacheable", "give the text to cache (a long document, instructions)")
    control = {"type": "ephemeral", **({"ttl": ttl} if ttl is not None else {})}
    return {"type": "text", "text": text,
            "cache_control": check_cache_control(control, "cacheable.ttl")}


def build_body(
    prompt: Any,
    *,
    model: str | None,
    stream: bool,
    system: str | None = None,
    models: Sequence[str] | None = None,
    provider: Mapping[str, Any] | None = None,
    reasoning: Any = None,
    tools: Sequence[Any] | None = None,
    tool_choice: Any = None,
    response_format: Mapping[str, Any] | None = None,
    plugins: Sequence[Mapping[str, Any]] | None = None,
    web: bool | Mapping[str, Any] = False,
    transforms: Sequence[str] | None = None,
    cache_control: Mapping[str, Any] | None = None,
    cache_system: bool = False,
    modalities: Sequence[str] | None = None,
    images_out: bool = False,
    pdf_engine: str | None = None,
    extra_body: Mapping[str, Any] | None = None,
    openrouter: bool = True,
    **params: Any,
) -> dict[str, Any]:
    """A validated ``/chat/completions`` body; unknown keyword arguments are an error.

    Shorthands: ``web=True`` (or its settings) adds the ``openrouter:web_search`` server
    tool; ``images_out=True`` asks for ``modalities=["image", "text"]``; ``pdf_engine``
    picks the file-parser plugin's engine; ``cache_system=True`` marks the system prompt
    as a cache breakpoint. ``extra_body`` passes provider-specific fields through
    unchecked (``safe_prompt``...).
    """
    body: dict[str, Any] = {}
    check_kinds(stream=stream, system=system, models=models, web=web, extra_body=extra_body)
    if model is not None:
        body["model"] = check_model(model, openrouter=openrouter)
    body["messages"] = normalize_messages(prompt, system)
    if models:
        body["models"] = [check_model(m, f"models[{i}]", openrouter=openrouter)
                          for i, m in enumerate(models)]
    if provider:
        body["provider"] = check_provider(provider)
    if cache_system:
        _cache_system(body["messages"])
    if reasoning is not None:
        body["reasoning"] = check_reasoning(reasoning)
    if tools:
        body["tools"] = check_tools(tools)
    if tool_choice is not None:
        body["tool_choice"] = check_tool_choice(tool_choice, body.get("tools"))
    if response_format is not None:
        body["response_format"] = check_response_format(response_format)
    plugin_list = check_plugins(plugins) if plugins else []
    if web:
        _add_web_search(body, web, plugin_list)
    if pdf_engine is not None:
        if pdf_engine not in PDF_ENGINES:
            raise fail("pdf_engine", f"{pdf_engine!r} is not an engine; allowed: "
                                     f"{', '.join(PDF_ENGINES)}")
        if any(p["id"] == "file-parser" for p in plugin_list):
            raise fail("pdf_engine", "give pdf_engine= or a file-parser plugin, not both")
        plugin_list.append({"id": "file-parser", "pdf": {"engine": pdf_engine}})
    if plugin_list:
        body["plugins"] = plugin_list
    if images_out and modalities is None:
        modalities = ["image", "text"]
    if modalities is not None:
        body["modalities"] = check_modalities(modalities)
    if transforms is not None:
        body["transforms"] = check_str_list(transforms, "transforms", "'middle-out'")
    if cache_control is not None:
        body["cache_control"] = check_cache_control(cache_control)
    for name, value in params.items():
        if value is None:
            continue
        if name not in PARAMETERS:
            raise fail(name, f"unknown parameter{suggest(name, PARAMETERS)} (pass "
                             "provider-specific fields with extra_body={...})")
        body[name] = check_param(name, value)
    body["stream"] = stream
    if extra_body:
        body.update(extra_body)
    encode_body(body)  # NaN, a lone surrogate, an object: one line now, not a failed send
    return body


def _add_web_search(body: dict[str, Any], web: bool | Mapping[str, Any],
                    plugins: list[dict[str, Any]]) -> None:
    """``web=`` as the ``openrouter:web_search`` server tool, unless the request already
    searches (the tool given in ``tools``, or the deprecated ``web`` plugin)."""
    tool = check_web(web)
    tools = body.setdefault("tools", [])
    if any(p["id"] == "web" for p in plugins) or any(
            str(t.get("type", "")).startswith(("openrouter:web_search", "web_search"))
            for t in tools):
        if not tools:
            del body["tools"]
        return
    tools.append(tool)


def _cache_system(messages: list[dict[str, Any]]) -> None:
    """The system prompt as a text part with a cache breakpoint."""
    for message in messages:
        if message.get("role") == "system":
            content = message["content"]
            parts: list[dict[str, Any]] = [{"type": "text", "text": content}] \
                if isinstance(content, str) else [dict(p) for p in content]
            if parts:
                parts[-1]["cache_control"] = {"type": "ephemeral"}
            message["content"] = parts
            return
    raise fail("cache_system", "there is no system prompt to cache; give system=...")
