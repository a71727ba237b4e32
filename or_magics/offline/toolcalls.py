"""Tool calls a simulated model makes, and the tool results it reads back."""

from __future__ import annotations

import json
import random
import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .answers import AnswerContext
from .catalogue import Model
from .schema_values import ValueMaker
from .text import content_text, entities


@dataclass
class ToolCall:
    """A function call the model asks for; `arguments` is JSON text, as on the wire."""

    id: str
    name: str
    arguments: str


def trailing_tool_results(messages: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The tool messages ending the conversation: results the model must now use."""
    out: list[Mapping[str, Any]] = []
    for msg in reversed(messages):
        if msg.get("role") != "tool":
            break
        out.insert(0, msg)
    return out


def named_results(
    messages: list[Mapping[str, Any]], results: list[Mapping[str, Any]]
) -> list[tuple[str, str]]:
    """(tool name, result text) pairs, the name found from the assistant call that asked."""
    names: dict[str, str] = {}
    for msg in messages:
        for call in msg.get("tool_calls") or []:
            if isinstance(call, Mapping):
                names[str(call.get("id"))] = str((call.get("function") or {}).get("name", "tool"))
    return [
        (
            names.get(str(r.get("tool_call_id")), r.get("name") or "tool"),
            content_text(r.get("content")),
        )
        for r in results
    ]


def tool_calls(
    tools: list[Mapping[str, Any]], body: Mapping[str, Any], ctx: AnswerContext, model: Model
) -> list[ToolCall]:
    """Calls to the named (or first) tool, one per place for a get_weather(location) tool."""
    choice = body.get("tool_choice")
    by_name = {t["function"]["name"]: t["function"] for t in tools}
    if isinstance(choice, Mapping) and choice.get("type") == "function":
        chosen = [by_name[choice["function"]["name"]]]
    else:
        prompt = ctx.prompt.lower()
        mentioned = [
            fn
            for name, fn in by_name.items()
            if name.lower() in prompt or name.replace("_", " ").lower() in prompt
        ]
        parallel = body.get("parallel_tool_calls") is not False
        chosen = (
            mentioned
            if parallel and len(mentioned) > 1
            else (mentioned or [tools[0]["function"]])[:1]
        )
    names = entities(ctx.prompt)
    rng = random.Random(ctx.seed)
    calls: list[ToolCall] = []
    for fn in chosen:
        schema = fn.get("parameters") or {"type": "object", "properties": {}}
        subjects = (
            names
            if _single_place_arg(schema) and body.get("parallel_tool_calls") is not False
            else []
        )
        for i, subject in enumerate(subjects[:3] or [None]):
            words = [subject] if subject else []
            maker = ValueMaker(
                words + ctx.words, [subject] if subject else names, seed=ctx.seed + i,
                text=ctx.prompt,
            )
            args = maker.make(schema)
            calls.append(
                ToolCall(_call_id(model, rng), fn["name"], json.dumps(args, ensure_ascii=False))
            )
    return calls


def _single_place_arg(schema: Mapping[str, Any]) -> bool:
    """A tool taking one place-like string (get_weather(location)) is called once per place."""
    required = schema.get("required") or []
    props = schema.get("properties") or {}
    strings = [k for k in required if (props.get(k) or {}).get("type") == "string"]
    return len(strings) == 1 and any(h in strings[0].lower() for h in ("location", "city", "place"))


def _call_id(model: Model, rng: random.Random) -> str:
    alnum = string.ascii_letters + string.digits
    if model.author == "anthropic":
        return "toolu_01" + "".join(rng.choice(alnum) for _ in range(22))
    if model.author == "mistralai":
        return "".join(rng.choice(alnum) for _ in range(9))
    return "call_" + "".join(rng.choice(alnum) for _ in range(24))
