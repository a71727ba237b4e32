"""What a chunk or a body may look like, and the one line when it looks like nothing we know.

Valid JSON in an odd shape (``choices`` a string, ``content`` a number) used to end in an
AttributeError deep in the accumulator. The fields that carry the answer are checked here:
content as a list of parts (some OpenAI-compatible servers) becomes text, tool arguments as
an object become their JSON; anything else is an `UnexpectedResponseError` naming the
field, raised where the answer so far is kept. Descriptive fields (id, model, usage
details) in an odd shape are left out instead: they never cost the answer.
"""

from __future__ import annotations

import json
from typing import Any

import httpx2

from ..errors import IncompleteStreamError, OpenRouterError, UnexpectedResponseError

__all__ = ["arguments_text", "as_dict", "as_list", "as_text", "not_an_api_response", "odd",
           "redirected", "text_of"]


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean",
            type(None): "null"}.get(type(value), "a number")


def odd(field: str, value: Any, expected: str) -> UnexpectedResponseError:
    return UnexpectedResponseError(f"the server sent {field} as {_kind(value)}, not "
                                   f"{expected}; is this an OpenAI-compatible API?")


def as_dict(value: Any, field: str) -> dict[str, Any]:
    """``value`` if it is an object; {} for null; else the one-line error."""
    if value is None:
        return {}
    if value.__class__ is not dict:
        raise odd(field, value, "an object")
    return value


def as_list(value: Any, field: str) -> list[Any]:
    if value is None:
        return []
    if value.__class__ is not list:
        raise odd(field, value, "a list")
    return value


def as_text(value: Any, field: str) -> str | None:
    """Text, or None; a list of content parts joins their text (other parts carry none)."""
    if value is None or value.__class__ is str:
        return value
    if value.__class__ is list:
        return "".join(text_of(part, f"{field}[{i}]") for i, part in enumerate(value))
    raise odd(field, value, "a string or a list of content parts")


def text_of(part: Any, field: str) -> str:
    if part.__class__ is str:
        return part
    if part.__class__ is not dict:
        raise odd(field, part, "a content part")
    text = part.get("text")
    if part.get("type", "text") in ("text", "output_text") and text is not None:
        if text.__class__ is not str:
            raise odd(f"{field}.text", text, "a string")
        return text
    return ""


def arguments_text(value: Any, field: str) -> str:
    """Tool arguments as the JSON text they are on the wire (some servers send an object)."""
    if value is None or value.__class__ is str:
        return value or ""
    if value.__class__ in (dict, list):
        return json.dumps(value, ensure_ascii=False)
    raise odd(field, value, "a JSON string")


def redirected(response: httpx2.Response, shown_url: str) -> OpenRouterError:
    """A 3xx: the base URL is probably not the API's; following it could drop the key."""
    where = response.headers.get("location") or "nowhere (no Location header)"
    return UnexpectedResponseError(
        f"HTTP {response.status_code} redirect to {where}: the API is not at {shown_url}; "
        "set base_url to where it points (redirects are not followed with your key)")


def not_an_api_response(response: httpx2.Response, raw: bytes, shown_url: str) -> OpenRouterError:
    """A 2xx body that is not an API answer: a web page, text, or JSON cut short."""
    kind = response.headers.get("content-type", "no content type").split(";")[0].strip()
    head = raw.lstrip()[:1]
    if "json" in kind or head in (b"{", b"["):
        try:
            value = json.loads(raw)
        except ValueError:
            cut = IncompleteStreamError(
                f"the body ended after {len(raw):,} bytes, before its JSON did (not "
                "retried: the answer may already be paid for)")
            cut.retry = False
            return cut
        return UnexpectedResponseError(f"the body is JSON ({_kind(value)}), not an answer "
                                       "object; is this an OpenAI-compatible API?")
    if not raw.strip():
        return UnexpectedResponseError(f"HTTP {response.status_code} with an empty body, "
                                       f"not an API response (from {shown_url})")
    what = "an HTML page" if "html" in kind or head == b"<" else f"{kind} text"
    return UnexpectedResponseError(
        f"HTTP {response.status_code} with {what}, not an API response: is base_url "
        f"{shown_url} right? (a proxy or a login page answers like this)")
