"""Exact answers about numbers: arithmetic, primes, parity, comparisons, small statistics.

`knowledge.lookup` tries these first; each finder takes the prompt (and its lower-case form)
and returns a `Fact` or None.
"""

from __future__ import annotations

import ast
import math
import operator
import re
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

NUMBER = r"-?\d+(?:\.\d+)?"
_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
_COUNTS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "a dozen": 12,
    "twelve": 12,
}
_PRIME_LIMIT = 10_000_000


@dataclass(frozen=True)
class Fact:
    """A short direct answer, and the working behind it (for "why" and for reasoning)."""

    answer: str
    why: str = ""
    value: str = ""
    """The bare result ("11", "Paris"), for one-word labels."""
    definition: bool = False
    """A definition, which an explanation builds on rather than replaces."""


# -- arithmetic -------------------------------------------------------------------------------
_WORD_OPS = (
    (r"\bto the power of\b", "**"),
    (r"\bsquared\b", "**2"),
    (r"\bcubed\b", "**3"),
    (r"\bmultiplied by\b", "*"),
    (r"\btimes\b", "*"),
    (r"\bdivided by\b", "/"),
    (r"\bover\b", "/"),
    (r"\bplus\b", "+"),
    (r"\bminus\b", "-"),
    (r"\bmod(?:ulo)?\b", "%"),
    (r"(?<=\d)\s*[x×]\s*(?=\d)", "*"),
    ("÷", "/"),
    (r"\^", "**"),
    ("−", "-"),
)
_BINOPS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
    ast.Mod: operator.mod,
    ast.FloorDiv: operator.floordiv,
}
_SHOWN = {"^": "^", "*": " × ", "/": " ÷ ", "+": " + ", "-": " − ", "%": " mod "}


def arithmetic(prompt: str, low: str) -> Fact | None:
    """ "What is 12*7?", "12 times 7", "2^10", "15% of 80", "square root of 144"."""
    if (root := re.search(r"(?:square root of|sqrt\s*\(?)\s*(\d+(?:\.\d+)?)", low)) is not None:
        x = float(root.group(1))
        value = _number(math.sqrt(x))
        return Fact(f"The square root of {_number(x)} is **{value}**.", "", value)
    if (pct := re.search(rf"({NUMBER})\s*%\s*of\s*({NUMBER})", low)) is not None:
        p, whole = float(pct.group(1)), float(pct.group(2))
        value = _number(p / 100 * whole)
        why = f"{_number(p)}% of {_number(whole)} = {_number(p)}/100 × {_number(whole)}"
        return Fact(f"{_number(p)}% of {_number(whole)} is **{value}**.", why, value)
    text = low
    for pattern, repl in _WORD_OPS:
        text = re.sub(pattern, repl, text)
    candidates = re.findall(r"[\d.\s()+\-*/%]+", text)
    expr = max((c.strip() for c in candidates), key=len, default="")
    if not re.search(r"\d\s*(?:\*\*|[+\-*/%])\s*[(\d-]", expr):
        return None
    try:
        result = _evaluate(ast.parse(expr, mode="eval").body)
    except ZeroDivisionError:
        return Fact(f"{_show(expr)} is undefined: you cannot divide by zero.", "", "undefined")
    except (SyntaxError, ValueError, TypeError, OverflowError):
        return None
    shown = _number(result)
    return Fact(f"{_show(expr)} = **{shown}**.", "", shown)


def _evaluate(node: ast.AST) -> float | int:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value = _evaluate(node.operand)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        left, right = _evaluate(node.left), _evaluate(node.right)
        if isinstance(node.op, ast.Pow) and (abs(right) > 300 or abs(left) > 1e6):
            raise ValueError("too large to show")
        return _BINOPS[type(node.op)](left, right)  # type: ignore[no-any-return]
    raise ValueError("not arithmetic")


def _show(expr: str) -> str:
    out = re.sub(r"\s+", "", expr).replace("**", "^")
    for op in ("^", "*", "/", "+", "%"):
        out = out.replace(op, "\0" + op + "\0")
    out = re.sub(r"(?<=[\d)])-", "\0-\0", out)
    parts = out.split("\0")
    return "".join(_SHOWN.get(p, p) for p in parts).strip()


def _number(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    if isinstance(value, int) and abs(value) >= 10**21:
        return f"{Decimal(value):.6E}"  # a number too long to read is shown in scientific form
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    return format(value, ".10g")


# -- units ------------------------------------------------------------------------------------
# fmt: off
UNITS: dict[str, tuple[str, float]] = {
    "km": ("length", 1000.0), "kilometre": ("length", 1000.0), "kilometer": ("length", 1000.0),
    "m": ("length", 1.0), "metre": ("length", 1.0), "meter": ("length", 1.0),
    "cm": ("length", 0.01), "mile": ("length", 1609.344), "miles": ("length", 1609.344),
    "foot": ("length", 0.3048), "feet": ("length", 0.3048), "ft": ("length", 0.3048),
    "inch": ("length", 0.0254), "inches": ("length", 0.0254),
    "kg": ("mass", 1.0), "kilogram": ("mass", 1.0), "g": ("mass", 0.001),
    "gram": ("mass", 0.001), "pound": ("mass", 0.45359237), "lb": ("mass", 0.45359237),
    "lbs": ("mass", 0.45359237), "ounce": ("mass", 0.028349523125),
    "litre": ("volume", 1.0), "liter": ("volume", 1.0), "l": ("volume", 1.0),
    "ml": ("volume", 0.001), "gallon": ("volume", 3.785411784),
}
# fmt: on
_TEMPERATURES = {"c": "C", "celsius": "C", "f": "F", "fahrenheit": "F", "k": "K", "kelvin": "K"}


def _to_kelvin_and_back(value: float, here: str, there: str) -> float:
    kelvin = {"C": value + 273.15, "F": (value - 32) * 5 / 9 + 273.15, "K": value}[here]
    return {"C": kelvin - 273.15, "F": (kelvin - 273.15) * 9 / 5 + 32, "K": kelvin}[there]


def _unit(word: str) -> tuple[str, float] | None:
    return UNITS.get(word) or UNITS.get(word.rstrip("s")) if word else None


def _degrees(unit: str) -> str:
    return "K" if unit == "K" else f"°{unit}"


def conversion(prompt: str, low: str) -> Fact | None:
    """ "Convert 100 celsius to fahrenheit", "5 km in miles"."""
    match = re.search(
        rf"({NUMBER})\s*°?\s*([a-z]+)\s+(?:to|in|into)\s+(?:degrees\s+)?°?([a-z]+)\b", low
    )
    asked = re.search(rf"how many ([a-z]+) (?:is|are|in|make) ({NUMBER})\s*([a-z]+)", low)
    if asked:
        return conversion(prompt, f"{asked.group(2)} {asked.group(3)} in {asked.group(1)}")
    if not match:
        return None
    value, source, target = float(match.group(1)), match.group(2), match.group(3)
    source = source if source in _TEMPERATURES else source.rstrip("s")
    target = target if target in _TEMPERATURES else target.rstrip("s")
    if source in _TEMPERATURES and target in _TEMPERATURES:
        here, there = _TEMPERATURES[source], _TEMPERATURES[target]
        shown = _number(round(_to_kelvin_and_back(value, here, there), 2))
        return Fact(
            f"{_number(value)} {_degrees(here)} is **{shown} {_degrees(there)}**.", "", shown
        )
    one, other = (
        UNITS.get(source) or UNITS.get(source + "s"),
        UNITS.get(target) or UNITS.get(target + "s"),
    )
    if not one or not other or one[0] != other[0]:
        return None
    shown = _number(round(value * one[1] / other[1], 4))
    return Fact(f"{_number(value)} {match.group(2)} is **{shown} {match.group(3)}**.", "", shown)


# -- primes -----------------------------------------------------------------------------------
def is_prime(n: int) -> bool:
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    return all(n % d for d in range(3, math.isqrt(n) + 1, 2))


def smallest_factor(n: int) -> int:
    return next(d for d in range(2, math.isqrt(n) + 1) if n % d == 0)


def _composite_why(n: int) -> str:
    d = smallest_factor(n)
    return f"{n} = {d} × {n // d}"


def primes(prompt: str, low: str) -> Fact | None:
    """Next / previous prime, "is N prime", the N-th prime, the first N primes."""
    if "prime" not in low:
        return None
    after = re.search(
        r"(?:after|following|greater than|bigger than|larger than|above)\s+"
        r"(?:the number\s+)?(\d+)",
        low,
    )
    if after and int(after.group(1)) < _PRIME_LIMIT:
        n = int(after.group(1))
        nxt = n + 1
        while not is_prime(nxt):
            nxt += 1
        skipped = [_composite_why(m) for m in range(n + 1, nxt)]
        why = (
            f"{_join(skipped)} {'is' if len(skipped) == 1 else 'are'} not prime, and {nxt} "
            "has no divisors other than 1 and itself"
            if skipped
            else f"{nxt} comes straight after {n} and has no divisors other than 1 and itself"
        )
        return Fact(f"The next prime after {n} is **{nxt}**.", why, str(nxt))
    below = re.search(r"primes\s+(?:below|under|less than|up to|smaller than)\s+(\d+)", low)
    if below and int(below.group(1)) <= 1000:
        n = int(below.group(1))
        found = [p for p in range(2, n + (1 if "up to" in low else 0)) if is_prime(p)]
        return Fact(f"The primes below {n} are {_join(map(str, found))}.", "", str(len(found)))
    before = re.search(
        r"prime\s+(?:\w+\s+)?(?:before|below|less than|smaller than|under)\s+"
        r"(\d+)",
        low,
    )
    if before:
        n = int(before.group(1))
        prev = n - 1
        while prev >= 2 and not is_prime(prev):
            prev -= 1
        if prev < 2:
            return Fact(f"There is no prime below {n}: 2 is the smallest prime.", "", "none")
        return Fact(f"The largest prime below {n} is **{prev}**.", "", str(prev))
    first = re.search(r"first\s+(\d+|" + "|".join(_COUNTS) + r")\s+primes?", low)
    if first:
        count = min(_count(first.group(1)), 100)
        found = _first_primes(count)
        return Fact(f"The first {count} primes are {_join(map(str, found))}.", "", "")
    nth = re.search(r"(\d+)(?:st|nd|rd|th)\s+prime|(" + "|".join(_ORDINALS) + r")\s+prime", low)
    if nth:
        k = int(nth.group(1)) if nth.group(1) else _ORDINALS[nth.group(2)]
        if 1 <= k <= 10_000:
            value = _first_primes(k)[-1]
            return Fact(f"The {_ordinal(k)} prime is **{value}**.", "", str(value))
    check = re.search(r"\bis\s+(\d+)\s+(?:a\s+)?prime", low) or re.search(
        r"\b(\d+)\s+(?:a\s+)?prime\s*\?", low
    )
    if check and int(check.group(1)) < 10**12:
        n = int(check.group(1))
        if is_prime(n):
            return Fact(
                f"Yes — {n} is prime.",
                f"no whole number from 2 to {math.isqrt(n)} divides {n}",
                "yes",
            )
        if n < 2:
            return Fact(f"No — {n} is not prime: primes start at 2.", "", "no")
        return Fact(f"No — {n} is not prime: {_composite_why(n)}.", _composite_why(n), "no")
    return None


def _first_primes(count: int) -> list[int]:
    out: list[int] = []
    n = 2
    while len(out) < count:
        if is_prime(n):
            out.append(n)
        n += 1
    return out


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _COUNTS.get(word, 5)


def _ordinal(k: int) -> str:
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"


def _join(items: Iterable[str]) -> str:
    listed = list(items)
    if len(listed) <= 1:
        return "".join(listed)
    return ", ".join(listed[:-1]) + " and " + listed[-1]


def parity(prompt: str, low: str) -> Fact | None:
    match = re.search(r"\bis\s+(-?\d+)\s+(?:an?\s+)?(even|odd)\b", low)
    if not match:
        return None
    n, asked = int(match.group(1)), match.group(2)
    actual = "even" if n % 2 == 0 else "odd"
    word = "Yes" if asked == actual else "No"
    return Fact(f"{word} — {n} is {actual}.", f"{n} mod 2 = {n % 2}", word.lower())


# -- statistics ------------------------------------------------------------------------------
_STATS: dict[str, tuple[str, Callable[[list[float]], float]]] = {
    "median": ("the median", statistics.median),
    "mean": ("the mean", statistics.fmean),
    "average": ("the average", statistics.fmean),
    "sum": ("the sum", math.fsum),
    "total": ("the total", math.fsum),
    "max": ("the largest value", max),
    "largest": ("the largest value", max),
    "min": ("the smallest value", min),
    "smallest": ("the smallest value", min),
}


def numbers_stats(prompt: str, low: str) -> Fact | None:
    """Median, mean, sum, min, max and count of a list of numbers in the prompt."""
    listed = re.search(r"[\[({]\s*(" + NUMBER + r"(?:\s*,\s*" + NUMBER + r")+)\s*[\])}]", low)
    found = listed.group(1) if listed else None
    if found is None:
        tail = re.search(r"\bof\s+(" + NUMBER + r"(?:\s*,\s*(?:and\s+)?" + NUMBER + r")+)", low)
        found = tail.group(1).replace("and", "") if tail else None
    if found is None:
        return None
    values = [float(v) for v in re.findall(NUMBER, found)]
    clauses, seen = [], set()
    for word, (name, fn) in _STATS.items():
        if re.search(rf"\b{word}(?:imum)?\b", low) and name not in seen:
            seen.add(name)
            clauses.append(f"{name} is **{_number(fn(values))}**")
    if re.search(r"how many|count|number of values|number of items", low):
        clauses.append(f"there are **{len(values)}** values")
    if not clauses:
        return None
    sentence = _join(clauses)
    why = ""
    if "the median" in seen:
        ordered = sorted(values)
        why = "sorted: " + ", ".join(_number(v) for v in ordered)
    return Fact(sentence[0].upper() + sentence[1:] + ".", why, clauses[0].split("**")[1])


def comparison(prompt: str, low: str) -> Fact | None:
    match = re.search(
        rf"is\s+({NUMBER})\s+(greater|bigger|larger|more|less|smaller|fewer)"
        rf"\s+than\s+({NUMBER})",
        low,
    )
    if not match:
        return None
    a, word, b = float(match.group(1)), match.group(2), float(match.group(3))
    bigger = word in ("greater", "bigger", "larger", "more")
    holds = a > b if bigger else a < b
    rel = ">" if a > b else "<" if a < b else "="
    answer = "Yes" if holds else "No"
    return Fact(f"{answer} — {_number(a)} {rel} {_number(b)}.", "", answer.lower())
