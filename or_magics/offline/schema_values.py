"""Deterministic values that validate against a JSON Schema, for tool arguments and outputs.

Strings are drawn from the prompt's words so a tool call looks like it answers the question
(`get_weather(location="Paris")`). Covers what tool schemas use in practice: types, enum,
const, default, required/optional properties, nested objects and arrays, anyOf/oneOf/allOf,
local `$ref`s, numeric and length bounds, and common string formats.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from .text import people_and_organisations

NAME_HINTS = ("name", "full_name", "person", "author", "customer", "contact", "who")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"https?://[^\s<>\"')]+")
_PHONE = re.compile(r"\+?\d[\d ()-]{6,}\d")
_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _found(text: str, name: str, fmt: Any) -> str | None:
    """A value of this kind written in the prompt (an email for "email"...), or None."""
    if not text:
        return None
    for pattern, hints, formats in ((_EMAIL, ("email", "mail"), ("email",)),
                                    (_URL, ("url", "link", "website", "href"), ("uri", "url")),
                                    (_DATE, ("date", "day", "when"), ("date",)),
                                    (_PHONE, ("phone", "tel", "mobile"), ())):
        if fmt in formats or any(h in name for h in hints):
            match = pattern.search(text)
            if match:
                return match.group(0)
    return None


ORG_HINTS = ("company", "organisation", "organization", "employer", "org", "business",
             "firm", "workplace")
PLACE_HINTS = ("location", "city", "place", "country", "region", "destination", "town", "where")
FORMAT_VALUES = {
    "date": "2026-01-15",
    "date-time": "2026-01-15T09:30:00Z",
    "time": "09:30:00",
    "email": "ada@example.com",
    "uri": "https://example.org/resource",
    "url": "https://example.org/resource",
    "uuid": "123e4567-e89b-42d3-a456-426614174000",
    "ipv4": "192.0.2.10",
    "hostname": "example.org",
}


class ValueMaker:
    """Builds values for a schema, cycling through the prompt's words for strings."""

    def __init__(
        self,
        words: list[str],
        entities: list[str] | None = None,
        *,
        all_properties: bool = False,
        seed: int = 0,
        text: str = "",
    ) -> None:
        #: The prompt: a name, an email, a number or a sentiment in it is what an
        #: extraction would give back.
        self.text = text
        self.words = [w for w in words if w] or ["example"]
        self.entities = entities or []
        self.all_properties = all_properties
        self.seed = seed
        self._next_word = seed % len(self.words)
        self._root: Mapping[str, Any] = {}

    def make(self, schema: Any) -> Any:
        """A value valid for `schema` (an empty schema yields an object)."""
        self._root = schema if isinstance(schema, Mapping) else {}
        return self._value(schema, "value", 0)

    # -- dispatch ---------------------------------------------------------------------------
    def _value(self, schema: Any, name: str, depth: int) -> Any:
        if not isinstance(schema, Mapping):
            return {} if schema is not False else None
        schema = self._resolve(schema)
        if "const" in schema:
            return schema["const"]
        if schema.get("enum") and self._named(schema["enum"]) is not None:
            return self._named(schema["enum"])  # named in the prompt: over a default
        if "default" in schema and depth > 0:
            return schema["default"]
        if schema.get("enum"):
            return self._pick_enum(schema["enum"], name)
        for key in ("anyOf", "oneOf"):
            if schema.get(key):
                options = [self._resolve(o) for o in schema[key] if isinstance(o, Mapping)]
                usable = [o for o in options if o.get("type") != "null"] or options
                return self._value(usable[0], name, depth) if usable else None
        if schema.get("allOf"):
            return self._value(_merge_all(self, schema), name, depth)
        kind = _kind(schema)
        maker = {
            "object": self._object,
            "array": self._array,
            "string": self._string,
            "integer": self._integer,
            "number": self._number,
            "boolean": self._boolean,
        }.get(kind or "")
        return maker(schema, name, depth) if maker else None

    def _resolve(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        seen = 0
        while "$ref" in schema and seen < 20:
            ref = str(schema["$ref"])
            target: Any = self._root
            for part in ref.lstrip("#/").split("/") if ref.startswith("#") else []:
                target = target.get(part, {}) if isinstance(target, Mapping) else {}
            extra = {k: v for k, v in schema.items() if k != "$ref"}
            schema = {**(target if isinstance(target, Mapping) else {}), **extra}
            seen += 1
        return schema

    # -- types ------------------------------------------------------------------------------
    def _object(self, schema: Mapping[str, Any], name: str, depth: int) -> dict[str, Any]:
        props: Mapping[str, Any] = schema.get("properties") or {}
        required = [r for r in schema.get("required", []) if isinstance(r, str)]
        out: dict[str, Any] = {}
        for key, sub in props.items():
            optional_default = isinstance(sub, Mapping) and "default" in sub
            if key in required or self.all_properties or optional_default:
                out[key] = self._value(sub, key, depth + 1)
        for key in required:
            if key not in out:
                out[key] = self._value(_extra_schema(schema), key, depth + 1)
        min_props = int(schema.get("minProperties", 0))
        index = 0
        while len(out) < min_props:
            out[f"{name}_{index}"] = self._value(_extra_schema(schema), name, depth + 1)
            index += 1
        return out

    def _array(self, schema: Mapping[str, Any], name: str, depth: int) -> list[Any]:
        low = int(schema.get("minItems", 0))
        high = schema.get("maxItems")
        count = max(low, 1 if depth < 4 else 0, 2 if depth < 2 and low == 0 else 0)
        if high is not None:
            count = min(count, int(high))
        prefix = schema.get("prefixItems") or []
        items = schema.get("items", {})
        known = self._known_items(items, low, high) if depth < 2 and not prefix else None
        if known is not None:  # "three colours of the French flag": the list itself
            return known
        out: list[Any] = []
        for i in range(count):
            sub = prefix[i] if i < len(prefix) else (items if isinstance(items, Mapping) else {})
            out.append(self._value(sub, _singular(name), depth + 1))
        if schema.get("uniqueItems"):
            out = _unique(out)
        return out

    def _string(self, schema: Mapping[str, Any], name: str, depth: int) -> str:
        fmt = schema.get("format")
        lowered = name.lower()
        found = _found(self.text, lowered, fmt)
        if found is not None:
            return found
        if fmt in FORMAT_VALUES:
            return FORMAT_VALUES[fmt]
        people, orgs = people_and_organisations(self.text)
        if orgs and any(h in lowered for h in ORG_HINTS):
            text = orgs[0]
        elif people and lowered in NAME_HINTS:
            text = max(people, key=lambda e: (len(e.split()) > 1, -people.index(e)))
        elif self.entities and lowered in NAME_HINTS:
            text = max(self.entities, key=lambda e: (len(e.split()) > 1, -self.entities.index(e)))
        elif self.entities and any(h in lowered for h in PLACE_HINTS):
            text = self.entities[self.seed % len(self.entities)]
        elif lowered in ("name", "title") or lowered.endswith("_name"):
            text = " ".join(w.capitalize() for w in self._take(2))
        elif lowered in ("description", "summary", "text", "content", "body", "query", "prompt"):
            text = " ".join(self._take(5))
        else:
            text = self._take(1)[0]
        if "pattern" in schema and not _matches(schema["pattern"], text):
            text = _pattern_fallback(schema["pattern"], text)
        low = int(schema.get("minLength", 0))
        high = schema.get("maxLength")
        while len(text) < low:
            text = f"{text} {self._take(1)[0]}"
        if high is not None:
            text = text[: int(high)]
        return text

    def _integer(self, schema: Mapping[str, Any], name: str, depth: int) -> int:
        low, high = _bounds(schema, integer=True)
        numbers = [int(n) for n in re.findall(r"(?<![\w.])\d{1,9}(?![\w.])", self.text)]
        fitting = [n for n in numbers if (low is None or n >= low) and (high is None or n <= high)]
        guess = fitting[0] if fitting else 3 + self.seed % 5
        value = min(
            max(guess, low if low is not None else guess), high if high is not None else guess
        )
        if low is not None and high is not None and low > high:
            value = low
        step = schema.get("multipleOf")
        if isinstance(step, int) and step > 0:
            value = math.ceil(value / step) * step
            if high is not None and value > high:
                value -= step
        return int(value)

    def _number(self, schema: Mapping[str, Any], name: str, depth: int) -> float:
        low, high = _bounds(schema, integer=False)
        if name.lower() in ("confidence", "probability", "certainty"):
            return 0.85 if self.text else 0.5  # a model's usual "fairly sure"
        numbers = [float(n) for n in re.findall(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])",
                                                self.text)]
        fitting = [n for n in numbers if (low is None or n >= low) and (high is None or n <= high)]
        if fitting:
            return fitting[0]
        guess = 2.5 + (self.seed % 7) / 2
        if low is not None and high is not None:
            return round(low + (high - low) / 2, 6)
        if low is not None:
            return float(max(guess, low + 1 if schema.get("exclusiveMinimum") is not None else low))
        if high is not None:
            return float(
                min(guess, high - 1 if schema.get("exclusiveMaximum") is not None else high)
            )
        return guess

    def _boolean(self, schema: Mapping[str, Any], name: str, depth: int) -> bool:
        return (self.seed + len(name)) % 2 == 0

    # -- helpers ----------------------------------------------------------------------------
    def _known_items(self, items: Any, low: int, high: Any) -> list[Any] | None:
        """A list the prompt names (planets, the French flag's colours, primes), as many as
        it asks for, when the items are plain strings or integers."""
        from .knowledge import known_list
        from .shapes import count_in

        kind = _kind(self._resolve(items)) if isinstance(items, Mapping) else None
        found = known_list(self.text) if kind in ("string", "integer") and self.text else None
        if found is None:
            return None
        values: list[Any] = list(found[1])
        if kind == "integer":
            values = [int(v) for v in values if v.isdigit()]
        count = count_in(self.text) or len(values)
        count = max(low, min(count, int(high) if high is not None else count))
        return values[:count] if values and count <= len(values) else None

    def _take(self, count: int) -> list[str]:
        out = []
        for _ in range(count):
            out.append(self.words[self._next_word % len(self.words)])
            self._next_word += 1
        return out

    def _named(self, options: list[Any]) -> Any:
        """The option the prompt names as written ("sold best in the US"), if one."""
        for option in options:
            if isinstance(option, str) and option and re.search(
                    rf"(?<!\w){re.escape(option)}(?!\w)", self.text):
                return option
        return None

    def _pick_enum(self, options: list[Any], name: str) -> Any:
        named = self._named(options)
        if named is not None:
            return named
        lowered = [str(o).lower() for o in options]
        if {"positive", "negative"} <= set(lowered) and self.text:
            from .forms import sentiment

            return options[lowered.index(sentiment(self.text, lowered))]
        for word in self.words:
            if word.lower() in lowered:
                return options[lowered.index(word.lower())]
        return options[(self.seed + len(name)) % len(options)]


def _kind(schema: Mapping[str, Any]) -> str | None:
    kind = schema.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        kind = kinds[0] if kinds else "null"
    if kind is None:
        if "properties" in schema or "required" in schema:
            return "object"
        if "items" in schema:
            return "array"
        return "object" if not schema else "string"
    return str(kind)


def _bounds(schema: Mapping[str, Any], *, integer: bool) -> tuple[float | None, float | None]:
    low = schema.get("minimum")
    high = schema.get("maximum")
    ex_low = schema.get("exclusiveMinimum")
    ex_high = schema.get("exclusiveMaximum")
    step = 1 if integer else 0.5
    if isinstance(ex_low, (int, float)) and not isinstance(ex_low, bool):
        low = ex_low + step if low is None else max(low, ex_low + step)
    if isinstance(ex_high, (int, float)) and not isinstance(ex_high, bool):
        high = ex_high - step if high is None else min(high, ex_high - step)
    if integer:
        low = math.ceil(low) if low is not None else None
        high = math.floor(high) if high is not None else None
    return low, high


def _extra_schema(schema: Mapping[str, Any]) -> Any:
    extra = schema.get("additionalProperties")
    return extra if isinstance(extra, Mapping) else {"type": "string"}


def _merge_all(maker: ValueMaker, schema: Mapping[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    for part in schema["allOf"]:
        if not isinstance(part, Mapping):
            continue
        part = maker._resolve(part)
        for key, value in part.items():
            if key == "properties":
                merged["properties"] = {**merged.get("properties", {}), **value}
            elif key == "required":
                merged["required"] = [*merged.get("required", []), *value]
            else:
                merged.setdefault(key, value)
    return merged


def _singular(name: str) -> str:
    return name[:-1] if name.endswith("s") and len(name) > 3 else name


def _unique(values: list[Any]) -> list[Any]:
    out: list[Any] = []
    for value in values:
        if value not in out:
            out.append(value)
    return out


def _matches(pattern: str, text: str) -> bool:
    try:
        return re.search(pattern, text) is not None
    except re.error:
        return True


def _pattern_fallback(pattern: str, text: str) -> str:
    """A string matching a simple regex (literals, classes, repeats, groups, alternation)."""
    try:
        from re import _parser  # type: ignore[attr-defined]  # stdlib's own regex parser

        built = _from_parsed(_parser.parse(pattern), _parser)
    except Exception:
        built = None
    if built is not None and _matches(pattern, built):
        return built
    candidates = [text.lower(), re.sub(r"[^A-Za-z]", "", text) or "abc", "abc123", "ABC", "123"]
    return next((c for c in candidates if _matches(pattern, c)), text)


def _from_parsed(parsed: Any, sre: Any) -> str:
    out = []
    for op, arg in parsed:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(arg))
        elif name == "ANY":
            out.append("x")
        elif name == "IN":
            out.append(_from_class(arg))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = arg
            count = max(low, min(1, high)) if high is not sre.MAXREPEAT else max(low, 1)
            out.append(_from_parsed(sub, sre) * count)
        elif name == "SUBPATTERN":
            out.append(_from_parsed(arg[-1], sre))
        elif name == "BRANCH":
            out.append(_from_parsed(arg[1][0], sre))
        elif name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue
        else:
            raise ValueError(name)
    return "".join(out)


def _from_class(items: Any) -> str:
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            return chr(arg)
        if name == "RANGE":
            return chr(arg[0])
        if name == "CATEGORY":
            return {"CATEGORY_DIGIT": "7", "CATEGORY_SPACE": " "}.get(str(arg), "a")
        if name == "NEGATE":
            return "a" if len(items) > 1 and str(items[1][1]) != "97" else "b"
    return "a"
