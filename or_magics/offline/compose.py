"""From a validated chat request and its chosen model to an answer plan (what to say).

The plan is wire-agnostic: `wire.py` turns it into SSE events or a JSON body.
"""

from __future__ import annotations

import base64
import json
import random
import string
import struct
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from . import answers
from .answers import AnswerContext
from .catalogue import Model
from .errors import provider_error
from .routing import Needs
from .schema_values import ValueMaker
from .text import (
    clip,
    content_parts,
    content_text,
    entities,
    estimate_tokens,
    stable_hash,
)

WEB_TOOL_TYPES = frozenset(
    {
        "openrouter:web_search",
        "web_search",
        "web_search_preview",
        "web_search_preview_2025_03_11",
        "web_search_2025_08_26",
    }
)
REASONING_FORMATS = {
    "openai": "openai-responses-v1",
    "anthropic": "anthropic-claude-v1",
    "google": "google-gemini-v1",
    "x-ai": "xai-responses-v1",
    "meta-llama": "meta-responses-v1",
}
IMAGE_TOKENS = 85
MESSAGE_OVERHEAD = 4
SEARCH_PRICE_PER_RESULT = Decimal("0.004")
SITES = (
    ("example.org", "Field notes"),
    ("example.com", "Reference guide"),
    ("example.net", "Community Q&A"),
    ("docs.example.org", "Documentation"),
    ("news.example.com", "News"),
    ("blog.example.net", "Engineering blog"),
)


@dataclass
class ToolCall:
    id: str
    name: str
    arguments: str


@dataclass
class Plan:
    """Everything the answer contains, plus the accounting."""

    content: str = ""
    pieces: list[str] | None = None
    """Pre-cut content deltas (stress answers); None = cut by chunk_chars."""
    reasoning: str = ""
    show_reasoning: bool = False
    reasoning_format: str = "unknown"
    tool_calls: list[ToolCall] = field(default_factory=list)
    annotations: list[dict[str, Any]] = field(default_factory=list)
    images: list[dict[str, Any]] = field(default_factory=list)
    finish_reason: str = "stop"
    native_finish_reason: str = "stop"
    prompt_tokens: int = 0
    completion_tokens: int = 0
    reasoning_tokens: int = 0
    image_tokens: int = 0
    web_searches: int = 0
    search_cost: Decimal = Decimal(0)
    media_in: int = 0


def analyse(body: Mapping[str, Any]) -> Needs:
    """What the request needs from an endpoint, before choosing one."""
    messages = body["messages"]
    needs = Needs(prompt_tokens=prompt_tokens(body))
    for msg in messages:
        for part in content_parts(msg.get("content")):
            if part.get("type") == "image_url":
                needs.images = True
            elif part.get("type") == "input_audio":
                needs.audio = True
    tools = [t for t in body.get("tools") or [] if t.get("type") == "function"]
    needs.tools = bool(tools) and body.get("tool_choice") != "none"
    needs.parameters = {k for k, v in body.items() if v is not None}
    if not needs.tools:
        needs.parameters -= {"tools", "tool_choice"}
    text = " ".join(content_text(m.get("content")) for m in messages).lower()
    if "```" in text or any(w in text for w in ("python", "code", "function", "bug")):
        needs.kind = "code"
    elif any(w in text for w in ("prove", "integral", "equation", "solve", "math")):
        needs.kind = "math"
    return needs


def prompt_tokens(body: Mapping[str, Any]) -> int:
    """≈ chars/4 per message + 4 per message + 85 per image + the tool definitions."""
    total = 3
    for msg in body["messages"]:
        total += MESSAGE_OVERHEAD + estimate_tokens(content_text(msg.get("content")))
        if msg.get("tool_calls"):
            total += estimate_tokens(json.dumps(msg["tool_calls"]))
        for part in content_parts(msg.get("content")):
            total += IMAGE_TOKENS if part.get("type") == "image_url" else 0
    if body.get("tools"):
        total += estimate_tokens(json.dumps(body["tools"]))
    return total


def request_seed(body: Mapping[str, Any], model_id: str) -> int:
    """Same request → same answer; `seed` lets a caller ask for a different one."""
    return stable_hash(
        model_id,
        body.get("messages"),
        body.get("tools"),
        body.get("response_format"),
        body.get("seed"),
    )


def compose(
    body: Mapping[str, Any],
    model: Model,
    variants: frozenset[str],
    knobs: Any,
    seed: int,
) -> Plan:
    """Decide what the simulated model answers."""
    messages = list(body["messages"])
    ctx = _context(messages, model, seed)
    plan = Plan(prompt_tokens=prompt_tokens(body))
    plan.media_in = sum(len(content_parts(m.get("content"))) for m in messages)
    _reasoning(plan, body, model, variants, ctx)
    fn_tools = [t for t in body.get("tools") or [] if t.get("type") == "function"]
    trailing = _trailing_tool_results(messages)
    choice = body.get("tool_choice")
    fmt = body.get("response_format") or {}
    web = _wants_web(body, model, variants)
    if knobs.chunks is not None:
        chunk = knobs.chunk_chars or 12
        plan.pieces = list(answers.stress_pieces(knobs.chunks, chunk))
        plan.content = "".join(plan.pieces)
    elif fn_tools and choice != "none" and not trailing:
        plan.tool_calls = _tool_calls(fn_tools, body, ctx, model)
        plan.finish_reason = plan.native_finish_reason = "tool_calls"
    elif fmt.get("type") == "json_schema":
        schema = (fmt.get("json_schema") or {}).get("schema") or {}
        value = ValueMaker(ctx.words, entities(ctx.prompt), all_properties=True, seed=seed).make(
            schema
        )
        plan.content = json.dumps(value, ensure_ascii=False)
    elif fmt.get("type") == "json_object":
        plan.content = json.dumps(answers.json_object_answer(ctx), ensure_ascii=False)
    elif trailing:
        plan.content = answers.tool_result_answer(ctx, _named_results(messages, trailing))
    elif web:
        sources = _sources(ctx, body)
        plan.annotations = [_citation(t, u, ctx) for t, u in sources]
        plan.content = answers.cited_answer(ctx, sources)
        plan.web_searches = 1
        plan.search_cost = _search_cost(model, body)
    elif knobs.answer_bytes is not None:
        plan.content = answers.sized_answer(ctx, knobs.answer_bytes)
    else:
        plan.content = answers.rich_answer(ctx)
    if "image" in model.output_modalities and "image" in (body.get("modalities") or []):
        plan.images = [_image(seed)]
        plan.image_tokens = 1290
        plan.content = (
            f"{answers.banner(ctx)}\n\nHere is a generated image for “{clip(ctx.prompt, 60)}”.\n"
        )
    _stop_sequences(plan, body.get("stop"))
    _limit(plan, body)
    plan.completion_tokens = (
        estimate_tokens(plan.content)
        + sum(estimate_tokens(t.name + t.arguments) for t in plan.tool_calls)
        + plan.reasoning_tokens
        + plan.image_tokens
    )
    if plan.tool_calls or plan.content or plan.reasoning:
        plan.completion_tokens = max(plan.completion_tokens, 1)
    return plan


# -- context ----------------------------------------------------------------------------------
def _context(messages: list[Mapping[str, Any]], model: Model, seed: int) -> AnswerContext:
    user_msgs = [m for m in messages if m.get("role") == "user"]
    texts = [content_text(m.get("content")) for m in user_msgs]
    prompt = texts[-1] if texts else content_text(messages[-1].get("content"))
    system = " ".join(
        content_text(m.get("content")) for m in messages if m.get("role") in ("system", "developer")
    )
    attachments = _attachments(user_msgs[-1].get("content")) if user_msgs else []
    return AnswerContext(
        model_name=model.name,
        prompt=prompt or "(empty prompt)",
        seed=seed,
        earlier_questions=[t for t in texts[:-1] if t],
        attachments=attachments,
        system=system,
    )


def _attachments(content: Any) -> list[str]:
    out = []
    for part in content_parts(content):
        kind = part.get("type")
        if kind == "image_url":
            url = str((part.get("image_url") or {}).get("url", ""))
            if url.startswith("data:"):
                mime = url[5:].split(";", 1)[0] or "image"
                out.append(f"an image ({mime}, {_size(url)})")
            else:
                out.append(f"an image from {clip(url, 60)}")
        elif kind == "file":
            info = part.get("file") or {}
            name = info.get("filename") or "an unnamed file"
            data = str(info.get("file_data", ""))
            size = f", {_size(data)}" if data.startswith("data:") else ""
            out.append(f"the file **{name}**{size}")
        elif kind == "input_audio":
            fmt = (part.get("input_audio") or {}).get("format", "audio")
            out.append(f"an audio clip ({fmt})")
        elif kind in ("video_url", "input_video"):
            out.append("a video")
    return out


def _size(data_url: str) -> str:
    payload = data_url.split(",", 1)[-1]
    n = len(payload) * 3 // 4
    return f"{n / 1024:.1f} KB" if n >= 1024 else f"{n} bytes"


# -- reasoning --------------------------------------------------------------------------------
def _reasoning(
    plan: Plan, body: Mapping[str, Any], model: Model, variants: frozenset[str], ctx: AnswerContext
) -> None:
    info = model.reasoning
    if info is None:
        return
    raw = body.get("reasoning")
    cfg: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
    effort = cfg.get("effort") or body.get("reasoning_effort")
    include = body.get("include_reasoning")
    turned_off = effort == "none" or cfg.get("enabled") is False
    if turned_off and info.get("mandatory"):
        raise provider_error(
            400,
            _provider_for(model),
            f"Reasoning is mandatory for {model.id} and cannot be disabled "
            "(reasoning.effort 'none' / enabled false is not supported).",
        )
    asked = (
        isinstance(raw, Mapping) or effort is not None or include is True or "thinking" in variants
    )
    if turned_off or not (asked or info.get("mandatory")):
        return
    budget = cfg.get("max_tokens") if isinstance(cfg.get("max_tokens"), int) else None
    plan.reasoning = answers.reasoning_text(
        ctx, str(effort or info.get("default") or "medium"), budget
    )
    plan.reasoning_tokens = estimate_tokens(plan.reasoning)
    plan.show_reasoning = not (cfg.get("exclude") is True or include is False)
    plan.reasoning_format = REASONING_FORMATS.get(model.author, "unknown")


def _provider_for(model: Model) -> str:
    return model.endpoints[0].provider_name if model.endpoints else "OpenRouter"


# -- tools ------------------------------------------------------------------------------------
def _trailing_tool_results(messages: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    out: list[Mapping[str, Any]] = []
    for msg in reversed(messages):
        if msg.get("role") != "tool":
            break
        out.insert(0, msg)
    return out


def _named_results(
    messages: list[Mapping[str, Any]], results: list[Mapping[str, Any]]
) -> list[tuple[str, str]]:
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


def _tool_calls(
    tools: list[Mapping[str, Any]], body: Mapping[str, Any], ctx: AnswerContext, model: Model
) -> list[ToolCall]:
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
                words + ctx.words, [subject] if subject else names, seed=ctx.seed + i
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


# -- web search -------------------------------------------------------------------------------
def _wants_web(body: Mapping[str, Any], model: Model, variants: frozenset[str]) -> bool:
    if "online" in variants or model.searches:
        return True
    if any(
        isinstance(p, Mapping) and p.get("id") == "web" and p.get("enabled", True) is not False
        for p in body.get("plugins") or []
    ):
        return True
    return any(
        isinstance(t, Mapping) and t.get("type") in WEB_TOOL_TYPES for t in body.get("tools") or []
    )


def _max_results(body: Mapping[str, Any]) -> int:
    for plugin in body.get("plugins") or []:
        if isinstance(plugin, Mapping) and plugin.get("id") == "web":
            value = plugin.get("max_results")
            if isinstance(value, int) and value > 0:
                return min(value, 10)
    return 5


def _sources(ctx: AnswerContext, body: Mapping[str, Any]) -> list[tuple[str, str]]:
    count = min(_max_results(body), 5) if ctx.words else 3
    slug = "-".join(w.lower() for w in ctx.words[:3])
    out: list[tuple[str, str]] = []
    for i in range(max(count, 1)):
        host, kind = SITES[(ctx.seed + i) % len(SITES)]
        title = f"{kind}: {' '.join(ctx.words[:2]).title()} ({2024 + (ctx.seed + i) % 3})"
        out.append((title, f"https://{host}/{slug}/{i + 1}"))
    return out


def _citation(title: str, url: str, ctx: AnswerContext) -> dict[str, Any]:
    return {
        "type": "url_citation",
        "url_citation": {
            "url": url,
            "title": title,
            "start_index": 0,
            "end_index": 0,
            "content": f"# {title}\n\nA simulated page about {' '.join(ctx.words[:3])}.",
        },
    }


def _search_cost(model: Model, body: Mapping[str, Any]) -> Decimal:
    """Native search models bill per search; the web plugin bills $4 per 1000 results."""
    price = model.endpoints[0].pricing.get("web_search") if model.endpoints else None
    if price is not None:
        return Decimal(price)
    return SEARCH_PRICE_PER_RESULT * _max_results(body)


# -- limits -----------------------------------------------------------------------------------
def _stop_sequences(plan: Plan, stop: Any) -> None:
    seqs = [stop] if isinstance(stop, str) else [s for s in stop or [] if isinstance(s, str)]
    cuts = [plan.content.find(s) for s in seqs if s and s in plan.content]
    if cuts and plan.pieces is None:
        plan.content = plan.content[: min(cuts)]


def _limit(plan: Plan, body: Mapping[str, Any]) -> None:
    """max_tokens covers reasoning then content; hitting it ends with finish_reason length."""
    limit = body.get("max_completion_tokens") or body.get("max_tokens")
    if not isinstance(limit, int) or plan.tool_calls:
        return
    if plan.reasoning_tokens > limit:
        plan.reasoning = plan.reasoning[: limit * 4]
        plan.reasoning_tokens = limit
    room = limit - plan.reasoning_tokens
    if estimate_tokens(plan.content) > room:
        plan.content = plan.content[: room * 4]
        if plan.pieces is not None:
            plan.pieces = _recut(plan.pieces, len(plan.content))
        plan.finish_reason = plan.native_finish_reason = "length"


def _recut(pieces: list[str], total: int) -> list[str]:
    out, used = [], 0
    for piece in pieces:
        if used >= total:
            break
        out.append(piece[: total - used])
        used += len(out[-1])
    return out


# -- images -----------------------------------------------------------------------------------
def _image(seed: int) -> dict[str, Any]:
    """A small deterministic PNG (a two-colour gradient), as a data URL."""
    size = 32
    r0, g0, b0 = (seed >> 8) & 255, (seed >> 16) & 255, (seed >> 24) & 255
    rows = b"".join(
        b"\x00"
        + bytes(v for x in range(size) for v in ((r0 + 4 * x) & 255, (g0 + 4 * y) & 255, b0))
        for y in range(size)
    )

    def chunk(tag: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + tag
            + data
            + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
        )

    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
    url = "data:image/png;base64," + base64.b64encode(png).decode()
    return {"type": "image_url", "image_url": {"url": url}, "index": 0}
