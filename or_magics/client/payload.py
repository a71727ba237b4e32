"""A request body as the bytes that go on the wire, or one line naming what cannot go.

``json.dumps`` writes ``NaN`` (not JSON: servers reject it, some silently) and a lone
surrogate (from ``surrogateescape`` decoding or a slice through an emoji) fails only when
encoded, deep inside the send. Both are found here, before anything is sent, with the path
of the offending value.
"""

from __future__ import annotations

import json
import math
import reprlib
from collections.abc import Mapping
from typing import Any

from ..errors import InvalidParameterError

__all__ = ["check_kinds", "encode_body", "shown"]

_repr = reprlib.Repr()
_repr.maxstring = _repr.maxother = 40


def shown(value: Any) -> str:
    """A value as an error line quotes it: its repr, cut short."""
    return _repr.repr(value)


def encode_body(body: Mapping[str, Any]) -> bytes:
    """The UTF-8 JSON of ``body``; `InvalidParameterError` names a value that has none."""
    try:
        return json.dumps(body, ensure_ascii=False, allow_nan=False).encode()
    except (TypeError, ValueError) as exc:  # UnicodeEncodeError is a ValueError
        where, why = _first_bad(body, "") or ("request", str(exc))
        raise InvalidParameterError(where or "request", why) from None


def _first_bad(value: Any, path: str) -> tuple[str, str] | None:
    """(path, why) of the first value JSON cannot carry, depth first."""
    if isinstance(value, str):
        return _bad_text(value, path)
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return None
    if isinstance(value, float):
        if math.isfinite(value):
            return None
        return path, f"{value!r} is not a number JSON can carry; give a finite number"
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                return path, f"key {key!r} is not a string"
            found = _first_bad(item, f"{path}.{key}" if path else str(key))
            if found is None and isinstance(key, str):
                found = _bad_text(key, path)
            if found is not None:
                return found
        return None
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            found = _first_bad(item, f"{path}[{index}]")
            if found is not None:
                return found
        return None
    kind = type(value).__name__
    return path, f"a {kind} cannot be sent as JSON; give a str, number, bool, list or dict"


def _bad_text(text: str, path: str) -> tuple[str, str] | None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        char = text[exc.start]
        return path, (f"contains a lone surrogate {char!r} at position {exc.start}, which is "
                      "not text (it often comes from bytes decoded with errors="
                      "'surrogateescape'); remove it or decode the source properly")
    return None


def check_kinds(*, stream: Any, system: Any, models: Any, web: Any, extra_body: Any) -> None:
    """The arguments `build_body` would otherwise send as given, or fail on deep inside."""
    if not isinstance(stream, bool):
        raise InvalidParameterError("stream", f"must be True or False, not {shown(stream)}")
    if system is not None and not isinstance(system, str):
        raise InvalidParameterError("system", f"must be a string, not {type(system).__name__}")
    if models and not isinstance(models, (list, tuple)):
        raise InvalidParameterError("models", "must be a list of model ids, e.g. "
                                    "['openai/gpt-4o-mini']")
    if not isinstance(web, (bool, Mapping)):
        raise InvalidParameterError("web", "must be True, False or a dict of web plugin options")
    if extra_body is not None and not isinstance(extra_body, Mapping):
        raise InvalidParameterError("extra_body", "must be a dict of extra request fields, "
                                    "e.g. {'safe_prompt': True}")
