"""Every request field checked before anything is sent.

A typo or an out-of-range value should cost the user one clear line naming the field and the
allowed values, not a round trip and a provider's error. Everything here is pure.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..errors import InvalidParameterError
from ..protocol import VARIANTS
from .payload import shown

__all__ = [
    "EFFORTS",
    "PARAMETERS",
    "PDF_ENGINES",
    "QUANTIZATIONS",
    "RANGES",
    "ROUTING_SORTS",
    "VARIANTS",
    "WEB_ENGINES",
    "allowed",
    "check_cache_control",
    "check_model",
    "check_param",
    "check_plugins",
    "check_provider",
    "check_reasoning",
    "check_response_format",
    "check_str_list",
    "check_tool_choice",
    "check_tools",
    "fail",
    "normalize_messages",
    "split_model",
    "suggest",
]

ROUTING_SORTS = ("price", "throughput", "latency", "exacto")
EFFORTS = ("max", "xhigh", "high", "medium", "low", "minimal", "none")
ROLES = ("system", "developer", "user", "assistant", "tool")
PART_TYPES = ("text", "image_url", "input_audio", "file", "video_url", "input_video")
QUANTIZATIONS = (
    "int4", "int8", "fp4", "mxfp4", "nvfp4", "fp6", "fp8", "mxfp8", "fp16", "bf16", "fp32",
    "unknown",
)
PLUGINS = (
    "web", "web-fetch", "file-parser", "response-healing", "context-compression",
    "auto-router", "auto-beta-router", "moderation", "pareto-router", "fusion",
)
PDF_ENGINES = ("mistral-ocr", "cloudflare-ai", "native", "pdf-text")
WEB_ENGINES = ("native", "exa", "firecrawl", "parallel", "perplexity")

# name -> (low, high, integer?) for numeric sampling parameters
RANGES: dict[str, tuple[float | None, float | None, bool]] = {
    "temperature": (0, 2, False),
    "top_p": (0, 1, False),
    "top_k": (0, None, True),
    "frequency_penalty": (-2, 2, False),
    "presence_penalty": (-2, 2, False),
    "repetition_penalty": (0, 2, False),
    "min_p": (0, 1, False),
    "top_a": (0, 1, False),
    "seed": (None, None, True),
    "max_tokens": (1, None, True),
    "max_completion_tokens": (1, None, True),
    "top_logprobs": (0, 20, True),
}
_CHOICES: dict[str, tuple[str, ...]] = {
    "verbosity": ("low", "medium", "high", "xhigh", "max"),
    "service_tier": ("auto", "default", "fast", "flex", "priority", "scale"),
    "reasoning_effort": EFFORTS,
}
_BOOLS = ("logprobs", "parallel_tool_calls", "include_reasoning", "structured_outputs")
_PASSTHROUGH = (
    "logit_bias", "stop", "user", "session_id", "metadata", "trace", "prediction",
    "image_config", "audio", "web_search_options", "debug", "preset", "prompt_cache_key",
    "prompt_cache_options", "stop_server_tools_when", "route", "usage", "stream_options",
)
PARAMETERS = tuple(sorted((*RANGES, *_CHOICES, *_BOOLS, *_PASSTHROUGH)))

_PROVIDER_LISTS = ("order", "only", "ignore")
_PROVIDER_BOOLS = ("allow_fallbacks", "require_parameters", "zdr", "enforce_distillable_text")
_PROVIDER_KEYS = (
    *_PROVIDER_LISTS, *_PROVIDER_BOOLS, "sort", "data_collection", "quantizations", "max_price",
    "preferred_min_throughput", "preferred_max_latency",
)
_PRICE_KEYS = ("prompt", "completion", "request", "image", "audio")
_PERCENTILES = ("p50", "p75", "p90", "p99")
_TOOL_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


def fail(field: str, message: str) -> InvalidParameterError:
    return InvalidParameterError(field, message)


def allowed(values: Iterable[str], prefix: str = "") -> str:
    return ", ".join(f"{prefix}{v}" for v in values)


_allowed = allowed


def suggest(name: str, known: Iterable[str]) -> str:
    import difflib  # only on the error path: keeps import time down

    close = difflib.get_close_matches(name, list(known), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# -- model ----------------------------------------------------------------------------------


def split_model(model: str) -> tuple[str, list[str]]:
    """``"author/slug:free:online"`` -> ``("author/slug", ["free", "online"])``."""
    base, *variants = model.split(":")
    return base, variants


def check_model(model: Any, field: str = "model", *, openrouter: bool = True) -> str:
    """Check a model id; variant suffixes are checked only for OpenRouter itself.

    Other OpenAI-compatible servers (Ollama: ``llama3:8b``) use ``:`` for their own tags.
    """
    if not isinstance(model, str) or not model.strip():
        raise fail(field, "give a model id such as 'openai/gpt-4o-mini'")
    name = model.strip()
    if not openrouter or name.startswith("@"):
        return name
    base, variants = split_model(name)
    if "/" not in base or base.startswith("/") or base.endswith("/"):
        raise fail(field, f"{name!r} is not a model id; ids look like 'author/slug', "
                           "e.g. 'openai/gpt-4o-mini' (see %openrouter models)")
    for variant in variants:
        if variant not in VARIANTS:
            raise fail(field, f"unknown variant ':{variant}' in {name!r}; "
                               f"allowed: {_allowed(VARIANTS, ':')}")
    if len(set(variants)) != len(variants):
        raise fail(field, f"variant repeated in {name!r}")
    return name


# -- messages -------------------------------------------------------------------------------


def check_part(part: Any, where: str) -> dict[str, Any]:
    """One content part (text, image_url, file, input_audio...), checked."""
    return _check_part(part, where)


def _check_part(part: Any, where: str) -> dict[str, Any]:
    if isinstance(part, str):
        return {"type": "text", "text": part}
    if not isinstance(part, Mapping) or part.get("type") not in PART_TYPES:
        kind = part.get("type") if isinstance(part, Mapping) else type(part).__name__
        raise fail(where, f"content part of type {kind!r} is not one of: {_allowed(PART_TYPES)}")
    kind = part["type"]
    payload = part.get(kind)
    if kind == "text":
        if not isinstance(part.get("text"), str):
            raise fail(where, "a text part needs a string 'text'")
    elif kind in ("image_url", "video_url"):
        url = payload.get("url") if isinstance(payload, Mapping) else payload
        if not isinstance(url, str) or not url:
            raise fail(where, f"an {kind} part needs {{'url': 'https://… or data:…'}}")
    elif kind == "file":
        if not isinstance(payload, Mapping) or not (
            payload.get("file_data") or payload.get("file_id")
        ):
            raise fail(where, "a file part needs {'filename': …, 'file_data': 'data:…'}")
    elif kind == "input_audio" and not (isinstance(payload, Mapping) and payload.get("data")):
        raise fail(where, "an input_audio part needs {'data': '<base64>', 'format': 'wav'}")
    if part.get("cache_control") is not None:
        check_cache_control(part["cache_control"], f"{where}.cache_control")
    return dict(part)


def normalize_messages(prompt: Any, system: str | None = None) -> list[dict[str, Any]]:
    """A prompt string, a list of content parts, or a list of message dicts -> messages."""
    if isinstance(prompt, str):
        messages: list[dict[str, Any]] = [{"role": "user", "content": prompt}]
    elif isinstance(prompt, Mapping) and "role" in prompt:
        messages = [dict(prompt)]
    elif isinstance(prompt, Sequence) and prompt and all(
        isinstance(m, Mapping) and "role" in m for m in prompt
    ):
        messages = [dict(m) for m in prompt]
    elif isinstance(prompt, Sequence) and prompt:
        parts = [_check_part(p, f"prompt[{i}]") for i, p in enumerate(prompt)]
        messages = [{"role": "user", "content": parts}]
    else:
        raise fail("prompt", "give a string, a list of content parts, or a list of "
                              "{'role': …, 'content': …} messages")
    for i, message in enumerate(messages):
        where = f"messages[{i}]"
        role = message.get("role")
        if role not in ROLES:
            raise fail(where, f"role {role!r} is not one of: {_allowed(ROLES)}")
        content = message.get("content")
        if isinstance(content, list):
            message["content"] = [_check_part(p, f"{where}.content[{j}]")
                                  for j, p in enumerate(content)]
        elif content is None:
            if role != "assistant":
                raise fail(where, f"a {role} message needs content")
        elif not isinstance(content, str):
            raise fail(where, "content must be a string or a list of content parts")
        if role == "tool" and not message.get("tool_call_id"):
            raise fail(where, "a tool message needs the 'tool_call_id' it answers")
    if system:
        if messages[0].get("role") == "system":
            messages[0] = {**messages[0], "content": system}
        else:
            messages.insert(0, {"role": "system", "content": system})
    return messages


# -- routing, reasoning, tools, formats, plugins ----------------------------------------------


def check_str_list(value: Any, field: str, example: str) -> list[str]:
    if isinstance(value, str) or not isinstance(value, (list, tuple)) or not all(
        isinstance(v, str) and v for v in value
    ):
        raise fail(field, f"must be a list of strings, e.g. [{example}]")
    return list(value)


def check_provider(provider: Any) -> dict[str, Any]:
    if not isinstance(provider, Mapping):
        raise fail("provider", "must be a dict such as {'sort': 'price', 'order': ['openai']}")
    out: dict[str, Any] = {}
    for key, value in provider.items():
        field = f"provider.{key}"
        if key not in _PROVIDER_KEYS:
            raise fail(field, f"unknown routing option{suggest(key, _PROVIDER_KEYS)} "
                               f"(allowed: {_allowed(_PROVIDER_KEYS)})")
        if key in _PROVIDER_LISTS:
            value = check_str_list(value, field, "'openai', 'together'")
        elif key in _PROVIDER_BOOLS:
            if not isinstance(value, bool):
                raise fail(field, "must be True or False")
        elif key == "sort":
            by = value.get("by") if isinstance(value, Mapping) else value
            if by not in ROUTING_SORTS:
                raise fail(field, f"{by!r} is not a sort; allowed: {_allowed(ROUTING_SORTS)}")
            if isinstance(value, Mapping) and value.get("partition", "model") not in (
                "model", "none"
            ):
                raise fail(field, "partition must be 'model' or 'none'")
        elif key == "data_collection":
            if value not in ("allow", "deny"):
                raise fail(field, "must be 'allow' or 'deny'")
        elif key == "quantizations":
            value = check_str_list(value, field, "'fp8', 'bf16'")
            bad = [q for q in value if q not in QUANTIZATIONS]
            if bad:
                raise fail(field, f"{bad[0]!r} is not a quantization; allowed: "
                                   f"{_allowed(QUANTIZATIONS)}")
        elif key == "max_price":
            if not isinstance(value, Mapping):
                raise fail(field, "must be a dict of USD per million tokens, e.g. "
                                   "{'prompt': 1, 'completion': 2}")
            for name, price in value.items():
                if name not in _PRICE_KEYS:
                    raise fail(f"{field}.{name}", f"allowed keys: {_allowed(_PRICE_KEYS)}")
                try:
                    ok = float(price) >= 0 and not isinstance(price, bool)
                except (TypeError, ValueError):
                    ok = False
                if not ok:
                    raise fail(f"{field}.{name}", "must be a number ≥ 0 (USD per million)")
        elif key in ("preferred_min_throughput", "preferred_max_latency"):
            ok = (_is_number(value) and value >= 0) or (
                isinstance(value, Mapping)
                and all(k in _PERCENTILES and _is_number(v) for k, v in value.items())
            )
            if not ok:
                raise fail(field, f"must be a number or a dict of {_allowed(_PERCENTILES)}")
        out[key] = value
    return out


def check_reasoning(reasoning: Any) -> dict[str, Any]:
    """Accept the full object or the shorthands ``"high"``, ``True`` and a token budget."""
    if reasoning is True:
        return {"enabled": True}
    if reasoning is False:
        return {"enabled": False}
    if isinstance(reasoning, str):
        reasoning = {"effort": reasoning}
    elif _is_number(reasoning):
        reasoning = {"max_tokens": reasoning}
    if not isinstance(reasoning, Mapping):
        raise fail("reasoning", "give an effort ('high'), True, a token budget, or a dict")
    allowed = ("effort", "max_tokens", "exclude", "enabled", "summary", "context", "mode")
    for key, value in reasoning.items():
        field = f"reasoning.{key}"
        if key not in allowed:
            raise fail(field, f"unknown option{suggest(key, allowed)} (allowed: "
                               f"{_allowed(allowed)})")
        if key == "effort" and value not in EFFORTS:
            raise fail(field, f"{value!r} is not an effort; allowed: {_allowed(EFFORTS)}")
        if key == "max_tokens" and not (isinstance(value, int) and value > 0):
            raise fail(field, "must be a whole number of tokens > 0")
        if key in ("exclude", "enabled") and not isinstance(value, bool):
            raise fail(field, "must be True or False")
        if key == "summary" and value not in ("auto", "concise", "detailed"):
            raise fail(field, "must be 'auto', 'concise' or 'detailed'")
    if "effort" in reasoning and "max_tokens" in reasoning:
        raise fail("reasoning", "give either effort or max_tokens, not both")
    return dict(reasoning)


def check_tools(tools: Any) -> list[dict[str, Any]]:
    if not isinstance(tools, (list, tuple)):
        raise fail("tools", "must be a list of tool definitions")
    out = []
    for i, tool in enumerate(tools):
        field = f"tools[{i}]"
        if not isinstance(tool, Mapping):
            raise fail(field, "must be a dict {'type': 'function', 'function': {...}}")
        kind = tool.get("type")
        if kind == "function":
            function = tool.get("function")
            if not isinstance(function, Mapping) or not _TOOL_NAME.match(
                str(function.get("name", ""))
            ):
                raise fail(field, "function.name must be 1-64 characters of a-z A-Z 0-9 _ -")
            params = function.get("parameters")
            if params is not None and not (
                isinstance(params, Mapping) and params.get("type", "object") == "object"
            ):
                raise fail(f"{field}.function.parameters", "must be a JSON schema object")
        elif not (isinstance(kind, str) and (kind.startswith(("openrouter:", "web_search")))):
            raise fail(field, f"type {kind!r} must be 'function' or a server tool "
                               "such as 'openrouter:web_search'")
        out.append(dict(tool))
    return out


def check_tool_choice(choice: Any, tools: list[dict[str, Any]] | None) -> Any:
    if choice in ("none", "auto", "required"):
        return choice
    names = [t["function"]["name"] for t in tools or () if t.get("type") == "function"]
    if isinstance(choice, str):
        if choice not in names:
            raise fail("tool_choice", f"{choice!r} is not 'none', 'auto', 'required' or the "
                                       f"name of a given tool ({_allowed(names) or 'none given'})")
        return {"type": "function", "function": {"name": choice}}
    if isinstance(choice, Mapping):
        return dict(choice)
    raise fail("tool_choice", "must be 'none', 'auto', 'required' or a tool name")


def check_response_format(fmt: Any) -> dict[str, Any]:
    kinds = ("text", "json_object", "json_schema", "grammar", "python")
    if not isinstance(fmt, Mapping) or fmt.get("type") not in kinds:
        raise fail("response_format", f"type must be one of: {_allowed(kinds)}")
    if fmt["type"] == "json_schema":
        spec = fmt.get("json_schema")
        if not isinstance(spec, Mapping) or not _TOOL_NAME.match(str(spec.get("name", ""))):
            raise fail("response_format.json_schema",
                        "needs {'name': 'a-z0-9_-', 'schema': {...}}")
        if not isinstance(spec.get("schema"), Mapping):
            raise fail("response_format.json_schema.schema", "must be a JSON schema dict")
    return dict(fmt)


def check_plugins(plugins: Any) -> list[dict[str, Any]]:
    if not isinstance(plugins, (list, tuple)):
        raise fail("plugins", "must be a list such as [{'id': 'web'}]")
    out = []
    for i, plugin in enumerate(plugins):
        field = f"plugins[{i}]"
        pid = plugin.get("id") if isinstance(plugin, Mapping) else None
        if pid not in PLUGINS:
            raise fail(field, f"id {pid!r} is not one of: {_allowed(PLUGINS)}")
        if pid == "web" and plugin.get("engine", "native") not in WEB_ENGINES:
            raise fail(f"{field}.engine", f"allowed: {_allowed(WEB_ENGINES)}")
        if pid == "file-parser":
            engine = (plugin.get("pdf") or {}).get("engine", "native")
            if engine not in PDF_ENGINES:
                raise fail(f"{field}.pdf.engine", f"allowed: {_allowed(PDF_ENGINES)}")
        out.append(dict(plugin))
    return out


def check_cache_control(value: Any, field: str = "cache_control") -> dict[str, Any]:
    if not isinstance(value, Mapping) or value.get("type") != "ephemeral" \
            or value.get("ttl", "5m") not in ("5m", "1h") or set(value) - {"type", "ttl"}:
        raise fail(field, "must be {'type': 'ephemeral'} or {'type': 'ephemeral', 'ttl': '1h'}")
    return dict(value)


def check_param(name: str, value: Any) -> Any:
    if name in RANGES:
        low, high, integer = RANGES[name]
        ok = isinstance(value, int) if integer else _is_number(value)
        if isinstance(value, bool) or not ok or (isinstance(value, float)
                                                   and not math.isfinite(value)):
            kind = "a whole number" if integer else "a finite number"
            raise fail(name, f"must be {kind}, not {shown(value)}")
        if (low is not None and value < low) or (high is not None and value > high):
            span = f"between {low} and {high}" if high is not None else f"at least {low}"
            raise fail(name, f"{value} is out of range; it must be {span}")
    elif name in _CHOICES and value not in _CHOICES[name]:
        raise fail(name, f"{value!r} is not allowed; use one of: {_allowed(_CHOICES[name])}")
    elif name in _BOOLS and not isinstance(value, bool):
        raise fail(name, "must be True or False")
    elif name == "stop" and not (
        isinstance(value, str)
        or (isinstance(value, (list, tuple)) and len(value) <= 4
            and all(isinstance(s, str) for s in value))
    ):
        raise fail(name, "must be a string or a list of up to 4 strings")
    return value
