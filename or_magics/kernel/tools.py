"""Kernel functions as tools: a JSON schema from the signature, type hints and docstring,
and a call that validates the model's arguments before running the function.

pydantic v2 is the one engine: it describes str, int, float, bool, Literal, Enum, lists,
dicts, Optional, dataclasses, TypedDicts and models, and turns the model's JSON back into
those types (a nested dataclass argument arrives as a dataclass). It is imported on first
use, so ``%load_ext`` stays light.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import InvalidParameterError
from . import docstrings
from .adapt import adapter, compatible

__all__ = ["Tool", "Toolset", "tool_from_function", "toolset"]

_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


@dataclass
class Tool:
    """One tool: its wire definition, and for a Python function, how to call it."""

    name: str
    definition: dict[str, Any]
    function: Callable[..., Any] | None = None
    arguments: Any = field(default=None, repr=False)  # the pydantic model of the arguments

    @property
    def runnable(self) -> bool:
        return self.function is not None

    def prepare(self, arguments: Mapping[str, Any]) -> dict[str, Any]:
        """The keyword arguments, validated and converted; raises ``ValueError``."""
        from pydantic import ValidationError

        try:
            checked = self.arguments.model_validate(dict(arguments))
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc'])) or 'arguments'}: {e['msg']}"
                for e in exc.errors())
            raise ValueError(f"invalid arguments for {self.name}: {problems}") from None
        return {name: getattr(checked, name) for name in type(checked).model_fields}

    def is_async(self) -> bool:
        return inspect.iscoroutinefunction(self.function)


@dataclass
class Toolset:
    """The tools of one request: their definitions for the body, by name for the loop."""

    tools: list[Tool]

    @property
    def definitions(self) -> list[dict[str, Any]]:
        return [tool.definition for tool in self.tools]

    @property
    def runnable(self) -> bool:
        return any(tool.runnable for tool in self.tools)

    def get(self, name: str) -> Tool | None:
        return next((tool for tool in self.tools if tool.name == name), None)


def toolset(tools: Sequence[Any]) -> Toolset:
    """Functions become tools; dict definitions (and server tools) pass through unchanged."""
    if isinstance(tools, (str, bytes, Mapping)) or not isinstance(tools, Sequence):
        raise InvalidParameterError("tools", "give a list of functions or tool definitions, "
                                             "e.g. tools=[lookup]")
    made: list[Tool] = []
    for i, item in enumerate(tools):
        if isinstance(item, Mapping):
            inner = item.get("function")
            function: Mapping[str, Any] = inner if isinstance(inner, Mapping) else {}
            made.append(Tool(str(function.get("name") or item.get("type") or f"tool{i}"),
                             dict(item)))
        elif callable(item):
            made.append(tool_from_function(item))
        else:
            raise InvalidParameterError(f"tools[{i}]", f"{type(item).__name__} is neither a "
                                                       "function nor a tool definition")
    names = [tool.name for tool in made if tool.runnable]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise InvalidParameterError("tools", f"two tools are called {twice[0]!r}; tool names "
                                             "must differ")
    return Toolset(made)


def tool_from_function(function: Callable[..., Any]) -> Tool:
    """The tool for a function; a parameter that cannot be described is a one-line error
    naming it."""
    from pydantic import Field, create_model

    name = getattr(function, "__name__", "") or type(function).__name__
    if not _NAME.match(name):
        raise InvalidParameterError("tools", f"{name!r} cannot be a tool name (1-64 of "
                                             "a-z A-Z 0-9 _ -); wrap it in a def")
    summary, described = docstrings.parse(inspect.getdoc(function))
    try:
        signature = inspect.signature(function)
        hints = _hints(function)
    except (TypeError, ValueError, NameError) as exc:
        raise InvalidParameterError("tools", f"cannot read the signature of {name}: {exc}") \
            from None
    fields: dict[str, Any] = {}
    for parameter in signature.parameters.values():
        where = f"{name}({parameter.name})"
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            raise InvalidParameterError("tools", f"{where}: *args and **kwargs cannot be "
                                                 "described to a model; name each parameter")
        if parameter.kind is parameter.POSITIONAL_ONLY:
            raise InvalidParameterError("tools", f"{where}: positional-only parameters "
                                                 "cannot be passed by name")
        annotation = compatible(hints.get(parameter.name, Any))
        _describable(annotation, where)
        default = ... if parameter.default is parameter.empty else parameter.default
        fields[parameter.name] = (annotation, Field(default,
                                                    description=described.get(parameter.name)))
    model = create_model(f"{name}_arguments", **fields)
    parameters = _tidy(model.model_json_schema())
    definition = {"type": "function", "function": {
        "name": name, "description": summary or f"The Python function {name}.",
        "parameters": parameters}}
    return Tool(name, definition, function, model)


def _hints(function: Callable[..., Any]) -> dict[str, Any]:
    """The parameters' annotations, evaluated; the return annotation is never needed, so a
    name it uses that is not importable here does not matter."""
    import typing

    target = function if inspect.isfunction(function) or inspect.ismethod(function) \
        else type(function).__call__
    try:
        return typing.get_type_hints(target, include_extras=True)
    except NameError:
        pass
    hints = {}
    scope = getattr(inspect.unwrap(target), "__globals__", {})
    for name, annotation in getattr(target, "__annotations__", {}).items():
        if name == "return":
            continue
        try:
            hints[name] = eval(annotation, scope) if isinstance(annotation, str) else annotation
        except Exception as exc:
            raise InvalidParameterError(
                "tools", f"{function.__name__}({name}): its type {annotation!r} cannot be "
                         f"read here ({exc}); import it where the function is defined") \
                from None
    return hints


def _describable(annotation: Any, where: str) -> None:
    from pydantic import PydanticSchemaGenerationError
    from pydantic.errors import PydanticInvalidForJsonSchema, PydanticUserError

    try:
        adapter(annotation).json_schema()
    except (PydanticSchemaGenerationError, PydanticInvalidForJsonSchema, PydanticUserError,
            TypeError) as exc:
        shown = getattr(annotation, "__name__", None) or repr(annotation)
        raise InvalidParameterError(
            "tools", f"{where}: a {shown} cannot be described to a model; use str, int, "
                     "float, bool, a Literal or Enum, a list or dict of those, a dataclass, "
                     "a TypedDict or a pydantic model") from exc


def _tidy(schema: Any) -> Any:
    """Drop pydantic's titles: they repeat the names and cost tokens on every request."""
    if isinstance(schema, dict):
        return {k: _tidy(v) for k, v in schema.items()
                if not (k == "title" and isinstance(v, str))}
    if isinstance(schema, list):
        return [_tidy(v) for v in schema]
    return schema
