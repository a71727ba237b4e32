"""What a batch is asked: prompts from a list, a list of dicts, a Series or a DataFrame.

With ``template="Classify: {review}"`` each row's fields fill the template. A bare string
or a DataFrame without a template is an error, not a guess (a string would be five
one-letter prompts; a DataFrame's iteration is its column names). pandas is recognised by
its types' modules and never imported here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import InvalidParameterError

__all__ = ["Items", "fill", "items_of", "placeholders"]

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)(?::([^{}]*))?\}")


@dataclass
class Items:
    """The prompts of a batch, and the index their results belong to."""

    prompts: list[Any]
    #: The input's index (a DataFrame's or Series'), so results join back onto it.
    index: Any = None


def _kind(value: Any) -> str:
    return f"{type(value).__module__.split('.')[0]}.{type(value).__name__}"


def placeholders(template: str) -> list[str]:
    """The ``{name}`` fields a template reads (``{{``/``}}`` are literal braces)."""
    return [m.group(1) for m in _PLACEHOLDER.finditer(template) if m.group(1)]


def fill(template: str, row: Mapping[str, Any]) -> str:
    """The template with this row's fields; other braces (JSON examples) stay as written."""

    def one(match: re.Match[str]) -> str:
        token, name, spec = match.group(0), match.group(1), match.group(2)
        if token in ("{{", "}}"):
            return token[0]
        if name not in row:
            return token
        value = row[name]
        return format(value, spec) if spec else str(value)

    return _PLACEHOLDER.sub(one, template)


def items_of(items: Any, template: str | None) -> Items:
    """Normalise a batch's input; a mistake is a one-line `InvalidParameterError`."""
    kind = _kind(items)
    if isinstance(items, (str, bytes)):
        raise InvalidParameterError(
            "items", "a single string is one prompt: use ask() for it, or batch([prompt]) "
                     "(batch() takes a list of prompts)")
    if kind == "pandas.DataFrame":
        if template is None:
            raise InvalidParameterError(
                "template", "a DataFrame needs template=, e.g. template='Classify: {review}' "
                            f"(its columns: {', '.join(map(str, items.columns))})")
        rows = items.to_dict("records")
        return Items(_filled(template, rows, [str(c) for c in items.columns]), items.index)
    if kind == "pandas.Series":
        values = list(items)
        if template is not None:
            name = str(items.name) if items.name is not None else "value"
            return Items(_filled(template, [{name: v, "value": v} for v in values],
                                 [name]), items.index)
        return Items([_prompt(v, i) for i, v in enumerate(values)], items.index)
    if not isinstance(items, Sequence) and not hasattr(items, "__iter__"):
        raise InvalidParameterError("items", f"give a list of prompts, a list of dicts, a "
                                             f"Series or a DataFrame, not a {type(items).__name__}")
    values = list(items)
    if template is not None:
        if not all(isinstance(v, Mapping) for v in values):
            values = [{"value": v} for v in values]
        columns = sorted({key for v in values for key in v})
        return Items(_filled(template, values, columns))
    if any(isinstance(v, Mapping) and "role" not in v for v in values):
        raise InvalidParameterError("template", "a list of dicts needs template=, e.g. "
                                                "template='Summarise: {text}'")
    return Items([_prompt(v, i) for i, v in enumerate(values)])


def _prompt(value: Any, position: int) -> Any:
    if isinstance(value, (str, list)) or (isinstance(value, Mapping) and "role" in value):
        return value
    raise InvalidParameterError(f"items[{position}]", f"a {type(value).__name__} is not a "
                                                     "prompt; give strings or message lists, "
                                                     "or a template= for the values")


def _filled(template: str, rows: list[Any], columns: list[str]) -> list[str]:
    if not isinstance(template, str):
        raise InvalidParameterError("template", "must be a string such as 'Classify: {review}'")
    wanted = placeholders(template)
    if not wanted:
        raise InvalidParameterError("template", f"{template!r} names no column; write "
                                                "{column} where each row's value goes")
    for row_number, row in enumerate(rows):
        missing = [name for name in wanted if name not in row]
        if missing:
            where = "" if row_number == 0 else f" (row {row_number})"
            raise InvalidParameterError(
                "template", f"no column {missing[0]!r}{where}; the columns are: "
                            f"{', '.join(columns) or 'none'}")
    return [fill(template, row) for row in rows]
