"""From a validated chat request and its chosen model to an answer plan (what to say).

The plan is wire-agnostic: `wire.py` turns it into SSE events or a JSON body.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from . import answers, document, fileparser, media, toolcalls, websearch
from .answers import AnswerContext
from .catalogue import Model
from .errors import provider_error
from .faults import Knobs
from .routing import Needs
from .schema_values import ValueMaker
from .text import (
    clip,
    content_parts,
    content_text,
    entities,
    estimate_tokens,
    keywords,
    stable_hash,
)
from .toolcalls import ToolCall

REASONING_FORMATS = {
    "openai": "openai-responses-v1",
    "anthropic": "anthropic-claude-v1",
    "google": "google-gemini-v1",
    "x-ai": "xai-responses-v1",
    "meta-llama": "meta-responses-v1",
}
MESSAGE_OVERHEAD = 4
IMAGE_OUTPUT_TOKENS = 1290
"""What one generated image counts as, in completion tokens."""


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
    search_engine: str | None = None
    parse_cost: Decimal = Decimal(0)
    """The file-parser plugin's fee (mistral-ocr: $2 per 1000 pages)."""
    media_in: int = 0
    audio_in: int = 0
    cached_tokens: int = 0
    """Prompt tokens read from the provider's prompt cache (`caching.py` fills these in)."""
    cache_write_tokens: int = 0
    cache_write_price: str = "input_cache_write"
    """Which price the written tokens pay: the 5-minute or the 1-hour cache write."""
    session_id: str | None = None


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
    outputs = body.get("modalities")
    if isinstance(outputs, list):
        needs.outputs = [str(m) for m in outputs]
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
    """≈ chars/4 per message + 4 per message + each attachment's tokens (images by OpenAI's
    tile rule, PDF pages, audio seconds) + the tool definitions."""
    total = 3
    for msg in body["messages"]:
        total += MESSAGE_OVERHEAD + estimate_tokens(content_text(msg.get("content")))
        if msg.get("tool_calls"):
            total += estimate_tokens(json.dumps(msg["tool_calls"]))
        total += sum(a.tokens for a in media.attachments(msg.get("content")))
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
    knobs: Knobs,
    seed: int,
) -> Plan:
    """Decide what the simulated model answers."""
    messages = list(body["messages"])
    ctx = _context(messages, model, seed)
    plan = Plan(prompt_tokens=prompt_tokens(body))
    plan.media_in = sum(len(content_parts(m.get("content"))) for m in messages)
    plan.audio_in = sum(
        p.get("type") == "input_audio" for m in messages for p in content_parts(m.get("content"))
    )
    fileparser.apply(plan, body, model, ctx.attachments)
    _reasoning(plan, body, model, variants, ctx)
    fn_tools = [t for t in body.get("tools") or [] if t.get("type") == "function"]
    trailing = toolcalls.trailing_tool_results(messages)
    choice = body.get("tool_choice")
    fmt = body.get("response_format") or {}
    instructed = None if fmt.get("type") == "json_schema" else _instructed_schema(messages)
    web = websearch.settings(body, model, variants)
    if knobs.chunks is not None:
        chunk = knobs.chunk_chars or 12
        plan.pieces = list(document.stress_pieces(knobs.chunks, chunk))
        plan.content = "".join(plan.pieces)
    elif fn_tools and choice != "none" and (not trailing or choice == "required"
                                            or isinstance(choice, Mapping)):
        # a forced tool is called on every turn, as real providers do
        plan.tool_calls = toolcalls.tool_calls(fn_tools, body, ctx, model)
        plan.finish_reason = plan.native_finish_reason = "tool_calls"
    elif fmt.get("type") == "json_schema" or instructed is not None:
        schema = (fmt.get("json_schema") or {}).get("schema") or instructed or {}
        maker = ValueMaker(ctx.words, entities(ctx.prompt), all_properties=True, seed=seed,
                           text=ctx.prompt)
        plan.content = json.dumps(maker.make(schema), ensure_ascii=False)
    elif fmt.get("type") == "json_object":
        plan.content = json.dumps(answers.json_object_answer(ctx), ensure_ascii=False)
    elif knobs.answer_bytes is not None:
        plan.content = document.sized_answer(ctx, knobs.answer_bytes)
    elif trailing:
        plan.content = answers.tool_result_answer(ctx, toolcalls.named_results(messages, trailing))
    elif web is not None:
        sources = websearch.sources(ctx, web)
        plan.annotations += [websearch.citation(t, u, ctx, web) for t, u in sources]
        plan.content = answers.cited_answer(ctx, sources)
        plan.web_searches = 1
        plan.search_cost = websearch.search_cost(model, web, len(sources))
        plan.search_engine = web.engine
    else:
        plan.content = answers.answer(ctx)
    if "image" in model.output_modalities and "image" in (body.get("modalities") or []):
        config = body.get("image_config") or {}
        ratio = config.get("aspect_ratio") if isinstance(config, Mapping) else None
        plan.images = [media.generated_image(seed, _initial(ctx), ratio)]
        plan.image_tokens = IMAGE_OUTPUT_TOKENS
        plan.content = f"Here is an image of {_subject(ctx)}.\n"
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


def _subject(ctx: AnswerContext) -> str:
    """What an image request depicts ("A lighthouse at dusk" -> "a lighthouse at dusk")."""
    text = re.sub(
        r"^\s*(?:please\s+)?(?:draw|paint|generate|create|make|show|render|design)\s+"
        r"(?:me\s+)?(?:an?\s+)?(?:image|picture|drawing|illustration|photo|logo)?\s*(?:of\s+)?",
        "",
        ctx.prompt,
        flags=re.I,
    )
    subject = clip(text.strip().rstrip(".!?"), 80) or "your prompt"
    first, _, rest = subject.partition(" ")
    if first in ("A", "An", "The", "Some", "My", "Our", "Two", "Three"):
        subject = f"{first.lower()} {rest}".strip()
    return subject


def _initial(ctx: AnswerContext) -> str:
    """The letter drawn on the generated image: the subject's first keyword's initial."""
    words = keywords(_subject(ctx)) or ctx.words
    return words[0][0] if words and words[0] else "?"


# -- context ----------------------------------------------------------------------------------
_SCHEMA_WORDS = re.compile(r"JSON schema:\s*", re.I)


def _instructed_schema(messages: list[Mapping[str, Any]]) -> dict[str, Any] | None:
    """A schema given in words ("… matching this JSON schema: {...}"): a model that follows
    instructions answers with JSON for it, structured outputs or not."""
    for message in messages:
        content = message.get("content")
        if not isinstance(content, str):
            continue
        match = _SCHEMA_WORDS.search(content)
        if match is None:
            continue
        try:
            schema, _ = json.JSONDecoder().raw_decode(content[match.end():])
        except ValueError:
            continue
        if isinstance(schema, dict):
            return schema
    return None


def _context(messages: list[Mapping[str, Any]], model: Model, seed: int) -> AnswerContext:
    user_msgs = [m for m in messages if m.get("role") == "user"]
    texts = [content_text(m.get("content")) for m in user_msgs]
    prompt = texts[-1] if texts else content_text(messages[-1].get("content"))
    system = " ".join(
        content_text(m.get("content")) for m in messages if m.get("role") in ("system", "developer")
    )
    attachments = media.attachments(user_msgs[-1].get("content")) if user_msgs else []
    return AnswerContext(
        model_name=model.name,
        prompt=prompt or "(empty prompt)",
        seed=seed,
        earlier_questions=[t for t in texts[:-1] if t],
        attachments=attachments,
        system=system,
    )


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
