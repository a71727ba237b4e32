"""Request-body checks with the real API's 400 messages for obviously bad requests."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from .errors import SimError

ROLES = ("system", "user", "assistant", "tool", "developer")
RANGES: dict[str, tuple[float, float]] = {
    "temperature": (0, 2),
    "top_p": (0, 1),
    "top_k": (0, 1e9),
    "min_p": (0, 1),
    "top_a": (0, 1),
    "frequency_penalty": (-2, 2),
    "presence_penalty": (-2, 2),
    "repetition_penalty": (0, 2),
    "top_logprobs": (0, 20),
}
TOOL_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
FUNCTION_TOOL = "function"


def parse_body(raw: bytes) -> dict[str, Any]:
    """Decode a JSON object body or answer 400 like the API does."""
    if not raw.strip():
        raise SimError(400, "Invalid request: request body is empty; expected a JSON object")
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        detail = exc.msg if isinstance(exc, json.JSONDecodeError) else "invalid encoding"
        raise SimError(400, f"Invalid JSON in request body: {detail}") from exc
    if not isinstance(body, dict):
        raise SimError(400, "Invalid request: expected a JSON object body")
    return body


def chat_request(body: dict[str, Any]) -> dict[str, Any]:
    """Validate a chat completion body; returns it with `prompt` turned into messages."""
    messages = body.get("messages")
    if messages is None and isinstance(body.get("prompt"), str):
        body = {**body, "messages": [{"role": "user", "content": body["prompt"]}]}
        messages = body["messages"]
    if messages is None or messages == []:
        raise SimError(400, 'Input required: specify "prompt" or "messages"')
    if not isinstance(messages, list):
        raise SimError(400, f"messages: Expected array, received {_kind(messages)}")
    for i, msg in enumerate(messages):
        _message(i, msg)
    for name, (low, high) in RANGES.items():
        _number(body, name, low, high)
    for name in ("max_tokens", "max_completion_tokens"):
        value = body.get(name)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise SimError(400, f"{name}: Expected integer, received {_kind(value)}")
        if value is not None and value < 1:
            raise SimError(400, f"{name}: Number must be greater than or equal to 1")
    if "stream" in body and not isinstance(body["stream"], bool) and body["stream"] is not None:
        raise SimError(400, f"stream: Expected boolean, received {_kind(body['stream'])}")
    stop = body.get("stop")
    if isinstance(stop, list) and len(stop) > 4:
        raise SimError(400, "stop: Array must contain at most 4 element(s)")
    _tools(body)
    _response_format(body.get("response_format"))
    return body


def _message(i: int, msg: Any) -> None:
    if not isinstance(msg, Mapping):
        raise SimError(400, f"messages[{i}]: Expected object, received {_kind(msg)}")
    role = msg.get("role")
    if role not in ROLES:
        expected = " | ".join(f"'{r}'" for r in ROLES)
        raise SimError(
            400,
            f"messages[{i}].role: Invalid discriminator value. Expected {expected}",
        )
    content = msg.get("content")
    if role in ("user", "system", "developer", "tool") and content is None:
        raise SimError(400, f"messages[{i}].content: Required")
    if content is not None and not isinstance(content, (str, list)):
        raise SimError(400, f"messages[{i}].content: Expected string or array of parts")
    if isinstance(content, list):
        for j, part in enumerate(content):
            if not isinstance(part, Mapping) or not isinstance(part.get("type"), str):
                raise SimError(400, f"messages[{i}].content[{j}].type: Required")
    if role == "tool" and not msg.get("tool_call_id"):
        raise SimError(400, f"messages[{i}].tool_call_id: Required")


def _number(body: Mapping[str, Any], name: str, low: float, high: float) -> None:
    value = body.get(name)
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SimError(400, f"{name}: Expected number, received {_kind(value)}")
    if value < low:
        raise SimError(400, f"{name}: Number must be greater than or equal to {_n(low)}")
    if value > high:
        raise SimError(400, f"{name}: Number must be less than or equal to {_n(high)}")


def _tools(body: Mapping[str, Any]) -> None:
    tools = body.get("tools")
    if tools is None:
        return
    if not isinstance(tools, list):
        raise SimError(400, f"tools: Expected array, received {_kind(tools)}")
    names = []
    for i, tool in enumerate(tools):
        if not isinstance(tool, Mapping) or not isinstance(tool.get("type"), str):
            raise SimError(400, f"tools[{i}].type: Required")
        if tool["type"] != FUNCTION_TOOL:
            continue
        fn = tool.get("function")
        if not isinstance(fn, Mapping) or not isinstance(fn.get("name"), str):
            raise SimError(400, f"tools[{i}].function.name: Required")
        if not TOOL_NAME.match(fn["name"]):
            raise SimError(
                400,
                f"tools[{i}].function.name: String must match pattern ^[a-zA-Z0-9_-]{{1,64}}$",
            )
        names.append(fn["name"])
    choice = body.get("tool_choice")
    if isinstance(choice, Mapping) and choice.get("type") == FUNCTION_TOOL:
        wanted = (choice.get("function") or {}).get("name")
        if wanted not in names:
            raise SimError(400, f"tool_choice: function {wanted!r} is not among the provided tools")
    elif isinstance(choice, str) and choice not in ("none", "auto", "required"):
        raise SimError(
            400, "tool_choice: Invalid input: expected 'none' | 'auto' | 'required' or an object"
        )


def _response_format(fmt: Any) -> None:
    if fmt is None:
        return
    if not isinstance(fmt, Mapping):
        raise SimError(400, f"response_format: Expected object, received {_kind(fmt)}")
    kind = fmt.get("type")
    if kind not in ("text", "json_object", "json_schema", "grammar", "python"):
        raise SimError(
            400,
            "response_format.type: Invalid discriminator value. Expected 'text' | "
            "'json_object' | 'json_schema' | 'grammar' | 'python'",
        )
    if kind == "json_schema":
        spec = fmt.get("json_schema")
        if not isinstance(spec, Mapping):
            raise SimError(400, "response_format.json_schema: Required")
        name = spec.get("name")
        if not isinstance(name, str) or not TOOL_NAME.match(name):
            raise SimError(400, "response_format.json_schema.name: Required")


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _n(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
