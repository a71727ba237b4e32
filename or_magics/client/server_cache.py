"""OpenRouter's own response cache as a call option: ``server_cache=True``.

OpenRouter (beta) keeps a complete answer when a request says ``X-OpenRouter-Cache: true``
and answers an identical request (same key, endpoint, streaming mode and body) from it
for ``X-OpenRouter-Cache-TTL`` seconds (300 by default, 1 to 86400): at once, with a new
generation id, usage 0 and nothing billed. Unlike ``cache=True`` (the answers on this
machine's disk), it works across machines and processes that share a key, a cluster's
workers included, and it costs nothing to keep; it forgets after the TTL.

``server_cache=True`` asks for it, a number asks with that TTL in seconds, ``False`` says
``X-OpenRouter-Cache: false`` (off even where a preset turns it on). The headers travel
with the request (`ChatRequest.headers`), never in its body; the answer's
``X-OpenRouter-Cache-Status`` becomes ``Response.server_cache`` ("HIT" or "MISS").
"""

from __future__ import annotations

from typing import Any

from ..errors import InvalidParameterError
from .payload import shown

__all__ = ["NAME", "cache_headers", "take"]

#: The keyword argument (and ``%openrouter config`` field) that asks for it.
NAME = "server_cache"
MAX_TTL = 86400


def cache_headers(value: Any) -> dict[str, str] | None:
    """The request headers ``server_cache=value`` stands for; None when not asked."""
    if value is None:
        return None
    if value is True or value is False:
        return {"X-OpenRouter-Cache": "true" if value else "false"}
    if isinstance(value, int) and 1 <= value <= MAX_TTL:
        return {"X-OpenRouter-Cache": "true", "X-OpenRouter-Cache-TTL": str(value)}
    raise InvalidParameterError(NAME, "must be True, False, or how long OpenRouter keeps the "
                                      f"answer, in whole seconds from 1 to {MAX_TTL}; not "
                                      f"{shown(value)}")


def take(params: dict[str, Any]) -> dict[str, str] | None:
    """Pop ``server_cache`` from a call's keyword arguments: the headers it asks for."""
    return cache_headers(params.pop(NAME, None))
