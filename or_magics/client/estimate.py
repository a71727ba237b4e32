"""Usage counted from what arrived, and the billed figure that replaces it.

An interrupted stream never gets its usage chunk (it comes last), so its footer read
"0 → 0 tokens" after hundreds of characters and the session's totals drifted from the key's.
Here the prompt and the text that arrived are counted (4 characters a token, as the
estimate of a prompt's size is), marked `Usage.estimated`; OpenRouter's
``/generation?id=…`` tells the billed figure a moment later, and it replaces the estimate.
"""

from __future__ import annotations

import json
import math
from typing import Any

from .response import Response, Usage, as_int

__all__ = ["arrived", "estimate_usage", "needs_settling", "usage_from_generation"]


def _tokens(text: str) -> int:
    return math.ceil(len(text) / 4) if text else 0


def _prompt_tokens(body: dict[str, Any]) -> int:
    """About as many tokens as a model counts for the messages (4 per message besides, 3
    to prime the answer) and the tool definitions."""
    total = 3
    for message in body.get("messages") or ():
        if not isinstance(message, dict):
            continue
        content = message.get("content")
        if isinstance(content, list):
            content = " ".join(str(part.get("text", "")) for part in content
                               if isinstance(part, dict))
        total += _tokens(content if isinstance(content, str) else "") + 4
    if body.get("tools"):
        total += _tokens(json.dumps(body["tools"], default=str))
    return total


def arrived(response: Response) -> bool:
    """Something of the answer came: text, reasoning or a tool call."""
    return bool(response.chunks or response.reasoning_chunks or response.tool_calls)


def estimate_usage(response: Response) -> Usage:
    """The tokens of the prompt sent and of what arrived, marked estimated (no cost)."""
    prompt = _prompt_tokens(response.request)
    reasoning = _tokens(response.reasoning)
    tools = sum(_tokens(call.name + call.raw_arguments) for call in response.tool_calls)
    completion = _tokens(response.text) + reasoning + tools
    return Usage(prompt_tokens=prompt, completion_tokens=completion,
                 total_tokens=prompt + completion, reasoning_tokens=reasoning, estimated=True)


def needs_settling(response: Response, openrouter: bool) -> bool:
    """An answer whose usage OpenRouter's /generation can still tell: stopped or failed
    before its usage came, with a generation id (``gen-…``: OpenRouter, or its simulator)."""
    if response.usage.total_tokens and not response.usage.estimated:
        return False
    if not (response.interrupted or response.error is not None):
        return False
    gen_id = response.id or ""
    return bool(gen_id) and (openrouter or gen_id.startswith("gen-"))


def usage_from_generation(data: Any) -> Usage | None:
    """The billed usage in a /generation record, or None when it has no token counts."""
    if not isinstance(data, dict) or "tokens_prompt" not in data:
        return None
    prompt = as_int(data.get("tokens_prompt"))
    completion = as_int(data.get("tokens_completion"))
    cost = data.get("total_cost")
    return Usage(
        prompt_tokens=prompt,
        completion_tokens=completion,
        total_tokens=prompt + completion,
        cost=float(cost) if isinstance(cost, (int, float)) and not isinstance(cost, bool)
        else None,
        reasoning_tokens=as_int(data.get("native_tokens_reasoning")),
        cached_tokens=as_int(data.get("native_tokens_cached")),
        is_byok=data.get("is_byok") if isinstance(data.get("is_byok"), bool) else None,
        raw=data,
    )
