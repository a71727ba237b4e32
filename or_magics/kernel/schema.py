"""Types as structured outputs: ``schema=`` → a strict ``response_format``, and the answer
back as an instance of that type.

A dataclass, a TypedDict, a pydantic model, a plain type (``list[str]``, ``Literal[...]``) or
a JSON-schema dict. Strict providers demand a named schema where every property is
required and no other property is allowed, so optional fields become nullable and a
non-object type is wrapped in ``{"value": ...}``; parsing undoes both.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import InvalidParameterError
from .adapt import adapter

__all__ = ["Schema", "schema_for"]

_FENCED = re.compile(r"^\s*```[a-zA-Z0-9_-]*\s*\n(.*?)\n\s*```\s*$", re.S)
_NAME = re.compile(r"[^a-zA-Z0-9_-]+")


@dataclass
class Schema:
    """What to ask for and how to read the answer."""

    name: str
    #: The strict JSON schema sent.
    json_schema: dict[str, Any]
    #: The schema as the type describes itself (which properties really are required).
    original: dict[str, Any]
    wrapped: bool
    strict: bool = True
    adapter: Any = None  # a pydantic TypeAdapter; None for a JSON-schema dict

    def response_format(self) -> dict[str, Any]:
        if not self.strict:
            return {"type": "json_object"}
        return {"type": "json_schema", "json_schema": {
            "name": self.name, "strict": True, "schema": self.json_schema}}

    def instructions(self) -> str:
        """For models without structured outputs (``strict=False``): the schema in words."""
        return ("Answer with one JSON value and nothing else, matching this JSON schema:\n"
                + json.dumps(self.json_schema, ensure_ascii=False))

    def parse(self, text: str) -> Any:
        """The answer as the requested type; ``ValueError`` says what did not fit."""
        match = _FENCED.match(text.strip())
        try:
            data = json.loads(match.group(1) if match else text)
        except ValueError as exc:
            raise ValueError(f"the answer is not JSON ({exc})") from None
        data = _drop_nulls(data, self.original, self.original.get("$defs", {}))
        if self.wrapped:
            if not isinstance(data, dict) or "value" not in data:
                raise ValueError("the answer has no 'value'")
            data = data["value"]
        if self.adapter is None:
            _validate_dict(data, self.original)
            return data
        from pydantic import ValidationError

        try:
            return self.adapter.validate_python(data)
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'the answer'}: {e['msg']}"
                                 for e in exc.errors()[:3])
            raise ValueError(problems) from None


def schema_for(spec: Any, *, strict: bool = True) -> Schema:
    """The schema for ``spec`` (a type or a JSON-schema dict); a type pydantic cannot
    describe is a one-line `InvalidParameterError`."""
    if isinstance(spec, Schema):
        return spec
    if isinstance(spec, Mapping):
        original = dict(spec)
        name = str(original.get("title") or "response")
        the_adapter = None
    else:
        the_adapter = _adapter(spec)
        original = the_adapter.json_schema()
        name = getattr(spec, "__name__", None) or "response"
    wrapped = original.get("type") != "object" or "properties" not in original
    if wrapped:
        defs = original.pop("$defs", None)
        original = {"type": "object", "properties": {"value": original},
                    "required": ["value"], **({"$defs": defs} if defs else {})}
    return Schema(name=_NAME.sub("_", name)[:64] or "response", json_schema=_strict(original),
                  original=original, wrapped=wrapped, strict=strict, adapter=the_adapter)


def _adapter(spec: Any) -> Any:
    from pydantic import PydanticSchemaGenerationError
    from pydantic.errors import PydanticInvalidForJsonSchema, PydanticUserError

    try:
        made = adapter(spec)
        made.json_schema()
    except (PydanticSchemaGenerationError, PydanticInvalidForJsonSchema, PydanticUserError,
            TypeError) as exc:
        shown = getattr(spec, "__name__", None) or repr(spec)
        raise InvalidParameterError(
            "schema", f"{shown} cannot be a schema; give a dataclass, a TypedDict, a pydantic "
                      "model, a type such as list[str], or a JSON-schema dict") from exc
    return made


def _strict(schema: dict[str, Any]) -> dict[str, Any]:
    """Every object closed, every property required, optional ones nullable; no titles or
    defaults (strict mode rejects them)."""

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        node = {k: walk(v) for k, v in node.items()
                if k not in ("default",) and not (k == "title" and isinstance(v, str))}
        if node.get("type") == "object" and isinstance(node.get("properties"), dict):
            required = set(node.get("required") or ())
            for key, value in node["properties"].items():
                if key not in required and not _nullable(value):
                    node["properties"][key] = {"anyOf": [value, {"type": "null"}]}
            node["required"] = list(node["properties"])
            node["additionalProperties"] = False
        return node

    strict: dict[str, Any] = walk(copy.deepcopy(schema))
    return strict


def _nullable(schema: Any) -> bool:
    if not isinstance(schema, dict):
        return False
    kind = schema.get("type")
    return kind == "null" or (isinstance(kind, list) and "null" in kind) or any(
        isinstance(option, dict) and option.get("type") == "null"
        for option in schema.get("anyOf", ()))


def _drop_nulls(data: Any, schema: Any, defs: Mapping[str, Any]) -> Any:
    """Undo "optional means nullable": a null for a property that was optional to begin
    with means "not given", so its default applies."""
    while isinstance(schema, dict) and "$ref" in schema:
        schema = defs.get(str(schema["$ref"]).rsplit("/", 1)[-1], {})
    if isinstance(data, list) and isinstance(schema, dict):
        return [_drop_nulls(item, schema.get("items", {}), defs) for item in data]
    if not isinstance(data, dict) or not isinstance(schema, dict):
        return data
    for option in schema.get("anyOf", ()):
        if isinstance(option, dict) and option.get("type") != "null":
            schema = option
            while isinstance(schema, dict) and "$ref" in schema:
                schema = defs.get(str(schema["$ref"]).rsplit("/", 1)[-1], {})
            break
    properties = schema.get("properties") or {}
    required = set(schema.get("required") or ())
    return {key: _drop_nulls(value, properties.get(key, {}), defs)
            for key, value in data.items()
            if not (value is None and key in properties and key not in required
                    and not _nullable(properties[key]))}


def _validate_dict(data: Any, schema: dict[str, Any]) -> None:
    """A JSON-schema dict is checked with jsonschema (every Jupyter install has it)."""
    try:
        import jsonschema
    except ImportError:  # pragma: no cover - nbformat depends on jsonschema
        return
    try:
        jsonschema.validate(data, schema)
    except jsonschema.ValidationError as exc:
        where = ".".join(map(str, exc.absolute_path)) or "the answer"
        raise ValueError(f"{where}: {exc.message}") from None


def is_schema_type(value: Any) -> bool:
    """Something ``schema=`` takes (for the magic's ``--schema NAME``)."""
    return isinstance(value, (type, Mapping)) or dataclasses.is_dataclass(value) or \
        type(value).__module__ == "typing" or hasattr(value, "__origin__")
