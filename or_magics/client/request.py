"""A request before it is sent: the validated body, and what the body cannot say.

`Request` carries the ``/chat/completions`` body plus the Python side of it: the kernel
functions behind ``tools=``, the type behind ``schema=``, the tool loop's limits. Every
field is checked here, before anything is sent (`validate` has the rules).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..kernel.schema import Schema, schema_for
from ..kernel.tools import Toolset, toolset
from .payload import check_kinds, encode_body
from .validate import (
    PARAMETERS,
    check_model,
    check_param,
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

__all__ = ["Request", "build_body", "prepare"]

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
        chars += len(str(self.body.get("tools") or ""))
        return chars // 4 + 1


def prepare(prompt: Any, *, model: str | None, stream: bool, openrouter: bool = True,
            tools: Sequence[Any] | None = None, schema: Any = None, strict: bool = True,
            max_steps: int = 10, confirm: bool | Confirm = False, **params: Any) -> Request:
    """The `Request` for a prompt and keyword arguments (request fields, ``tools``,
    ``schema``, ``strict``, ``max_steps``, ``confirm``); a bad one raises
    `InvalidParameterError` and nothing is sent."""
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
    body = build_body(prompt, model=model, stream=stream, openrouter=openrouter,
                      tools=found.definitions if found else None, **params)
    return Request(body, found, shape, max_steps, confirm)


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
    extra_body: Mapping[str, Any] | None = None,
    openrouter: bool = True,
    **params: Any,
) -> dict[str, Any]:
    """A validated ``/chat/completions`` body; unknown keyword arguments are an error.

    ``extra_body`` passes provider-specific fields through unchecked (``safe_prompt``...).
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
        options = dict(web) if isinstance(web, Mapping) else {}
        if not any(p["id"] == "web" for p in plugin_list):
            plugin_list.append(check_plugins([{"id": "web", **options}])[0])
    if plugin_list:
        body["plugins"] = plugin_list
    if transforms is not None:
        body["transforms"] = check_str_list(transforms, "transforms", "'middle-out'")
    if cache_control is not None:
        if not isinstance(cache_control, Mapping) or cache_control.get("type") != "ephemeral" \
                or cache_control.get("ttl", "5m") not in ("5m", "1h"):
            raise fail("cache_control", "must be {'type': 'ephemeral', 'ttl': '5m' or '1h'}")
        body["cache_control"] = dict(cache_control)
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
