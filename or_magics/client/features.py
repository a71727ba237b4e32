"""Checks for what a request asks beyond sampling: web search settings, output modalities.

`validate` has the rules every field shares; these are the shorthands ``web=`` and
``modalities=``, written as OpenRouter wants them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .validate import WEB_ENGINES, allowed, check_str_list, fail, suggest

__all__ = ["MODALITIES", "WEB_CONTEXT_SIZES", "check_modalities", "check_web"]

WEB_CONTEXT_SIZES = ("low", "medium", "high")
#: Output modalities a chat request may ask for.
MODALITIES = ("text", "image", "audio")
_WEB_INTS = ("max_results", "max_uses", "max_total_results", "max_characters")
_WEB_KEYS = (*_WEB_INTS, "engine", "search_context_size", "allowed_domains",
             "excluded_domains", "mode", "user_location")
_allowed = allowed


def check_modalities(value: Any) -> list[str]:
    """Output modalities, such as ``["image", "text"]`` for a model that draws."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)) or not items or any(
            m not in MODALITIES for m in items):
        raise fail("modalities", f"must be a list of {_allowed(MODALITIES)}, e.g. "
                                 "['image', 'text']")
    return list(dict.fromkeys(items))


def check_web(web: Any) -> dict[str, Any]:
    """``web=True`` or its settings -> the ``openrouter:web_search`` server tool."""
    if web is True:
        return {"type": "openrouter:web_search"}
    if not isinstance(web, Mapping):
        raise fail("web", "give True or settings such as {'max_results': 3, 'engine': 'exa', "
                          "'search_context_size': 'high'}")
    for key, value in web.items():
        field = f"web.{key}"
        if key not in _WEB_KEYS:
            raise fail(field, f"unknown web search setting{suggest(key, _WEB_KEYS)} "
                              f"(allowed: {_allowed(_WEB_KEYS)})")
        if key in _WEB_INTS and (isinstance(value, bool) or not isinstance(value, int)
                                 or value < 1):
            raise fail(field, "must be a whole number ≥ 1")
        if key == "engine" and value not in WEB_ENGINES:
            raise fail(field, f"{value!r} is not an engine; allowed: {_allowed(WEB_ENGINES)}")
        if key == "search_context_size" and value not in WEB_CONTEXT_SIZES:
            raise fail(field, f"allowed: {_allowed(WEB_CONTEXT_SIZES)}")
        if key in ("allowed_domains", "excluded_domains"):
            check_str_list(value, field, "'example.com'")
    if web.get("allowed_domains") and web.get("excluded_domains"):
        raise fail("web", "give allowed_domains or excluded_domains, not both")
    settings = dict(web)
    return {"type": "openrouter:web_search", **({"parameters": settings} if settings else {})}
