"""Kernel values as text for a model: bounded, and saying when they were cut.

A DataFrame in a prompt should cost a table of its first and last rows with its shape and
dtypes, not 10,000 rows; a long string or list is cut with a note; an exception is its type
and message. Pandas and NumPy are recognised by their types' modules, never imported to
find out (NumPy formats an array it already made).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

__all__ = ["LIMITS", "Limits", "Rendered", "for_model", "is_image", "render", "usd"]


@dataclass(frozen=True)
class Limits:
    """How much of a value goes to the model."""

    rows: int = 10  # of a DataFrame or Series: first and last
    chars: int = 4000  # of any text
    items: int = 50  # of a list, tuple, set or dict
    cell: int = 60  # characters of one table cell


#: The default bounds.
LIMITS = Limits()


@dataclass(frozen=True)
class Rendered:
    text: str
    #: What was left out, for a person ("showing 10 of 10,000 rows"); None when all is there.
    cut: str | None = None


def usd(amount: float) -> str:
    """Dollars precise enough to see small amounts move: answers cost fractions of a cent,
    and "$100.00 left" after spending looks as if nothing was charged."""
    whole, _, cents = f"{amount:,.6f}".rstrip("0").partition(".")
    return f"${whole}.{cents.ljust(2, '0')}"


def _kind(value: Any) -> str:
    module = type(value).__module__.split(".")[0]
    return f"{module}.{type(value).__name__}"


def is_image(value: Any) -> bool:
    """A matplotlib Figure or a PIL image: attached as a picture, not written as text."""
    kind = _kind(value)
    return kind == "matplotlib.Figure" or (kind.startswith("PIL.") and hasattr(value, "save"))


def render(value: Any, limits: Limits = LIMITS) -> Rendered:
    """``value`` as text for a prompt."""
    kind = _kind(value)
    if isinstance(value, str):
        return _cut_text(value, limits.chars, "characters")
    if kind == "pandas.DataFrame":
        return _frame(value, limits)
    if kind == "pandas.Series":
        return _series(value, limits)
    if kind == "numpy.ndarray":
        return _array(value, limits)
    if isinstance(value, BaseException):
        return Rendered(f"{type(value).__name__}: {value}")
    if isinstance(value, (list, tuple, set, frozenset, dict)) and len(value) > limits.items:
        shown = list(value.items() if isinstance(value, dict) else value)[: limits.items]
        head = dict(shown) if isinstance(value, dict) else shown
        text = _cut_text(repr(head), limits.chars, "characters").text
        note = f"showing {limits.items:,} of {len(value):,} items"
        return Rendered(f"{text}\n({note})", note)
    return _cut_text(str(value), limits.chars, "characters")


def for_model(value: Any, limits: Limits = LIMITS) -> str:
    """A tool's result as the tool message: strings as they are, JSON for plain data,
    bounded text for tables, arrays and anything else."""
    if isinstance(value, str):
        return render(value, limits).text
    kind = _kind(value)
    if kind.startswith(("pandas.", "numpy.")) or isinstance(value, BaseException):
        return render(value, limits).text
    if hasattr(value, "model_dump") and callable(value.model_dump):  # pydantic
        value = value.model_dump(mode="json")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = str(value)
    return _cut_text(text, limits.chars, "characters").text


def _cut_text(text: str, limit: int, unit: str) -> Rendered:
    if len(text) <= limit:
        return Rendered(text)
    note = f"showing {limit:,} of {len(text):,} {unit}"
    return Rendered(f"{text[:limit]}… ({note})", note)


def _cell(value: Any, limits: Limits) -> str:
    text = " ".join(str(value).split()).replace("|", "\\|")
    return text if len(text) <= limits.cell else text[: limits.cell - 1] + "…"


def _rows(frame: Any, limits: Limits) -> tuple[list[tuple[Any, list[Any]]], bool]:
    """(index, values) of the first and last rows; whether rows were left out."""
    total = len(frame)
    if total <= limits.rows:
        picked = frame
    else:
        first = (limits.rows + 1) // 2
        picked = frame.iloc[list(range(first)) + list(range(total - (limits.rows - first),
                                                             total))]
    rows = [(index, list(values)) for index, values in zip(picked.index,
                                                          picked.itertuples(index=False),
                                                          strict=True)]
    return rows, total > limits.rows


def _table(header: list[str], rows: list[tuple[Any, list[Any]]], gap_after: int | None,
           limits: Limits) -> str:
    lines = ["| " + " | ".join(_cell(h, limits) for h in header) + " |",
             "|" + "---|" * len(header)]
    for i, (index, values) in enumerate(rows):
        lines.append("| " + " | ".join(_cell(v, limits) for v in [index, *values]) + " |")
        if gap_after is not None and i == gap_after:
            lines.append("| " + " | ".join("…" for _ in header) + " |")
    return "\n".join(lines)


def _frame(frame: Any, limits: Limits) -> Rendered:
    rows, cut = _rows(frame, limits)
    total, width = frame.shape
    header = [str(frame.index.name or ""), *map(str, frame.columns)]
    gap = (limits.rows + 1) // 2 - 1 if cut else None
    dtypes = ", ".join(f"{name}: {dtype}" for name, dtype in frame.dtypes.items())
    note = f"showing {len(rows):,} of {total:,} rows" if cut else None
    head = f"DataFrame, {total:,} rows × {width:,} columns" + (f" ({note})" if note else "")
    return Rendered(f"{head}; dtypes: {dtypes}\n\n{_table(header, rows, gap, limits)}", note)


def _series(series: Any, limits: Limits) -> Rendered:
    frame = series.to_frame(name=series.name if series.name is not None else "value")
    rows, cut = _rows(frame, limits)
    total = len(series)
    gap = (limits.rows + 1) // 2 - 1 if cut else None
    header = [str(series.index.name or ""), str(frame.columns[0])]
    note = f"showing {len(rows):,} of {total:,} rows" if cut else None
    head = f"Series {series.name!r}, {total:,} values, dtype {series.dtype}" + (
        f" ({note})" if note else "")
    return Rendered(f"{head}\n\n{_table(header, rows, gap, limits)}", note)


def _array(array: Any, limits: Limits) -> Rendered:
    import numpy

    text = numpy.array2string(array, threshold=limits.items, edgeitems=3,
                              max_line_width=100)
    note = f"showing some of {array.size:,} values" if array.size > limits.items else None
    shape = " × ".join(f"{n:,}" for n in array.shape) or "scalar"
    head = f"array, shape {shape}, dtype {array.dtype}" + (f" ({note})" if note else "")
    return Rendered(f"{head}\n{_cut_text(text, limits.chars, 'characters').text}", note)
