"""Fill ``{name}`` and ``{expression}`` in a prompt from the user's namespace, once.

Prompts are full of braces that are not placeholders: JSON, code, LaTeX. So a ``{...}`` is
filled only when it is a Python expression whose first name exists in the namespace;
everything else stays as written. ``{{`` and ``}}`` always give literal braces. The result is
never expanded again (jupyter-ai expands twice, so a value containing braces changes).
"""

from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Mapping
from typing import Any

__all__ = ["TemplateError", "interpolate"]

_FIELD = re.compile(r"\{\{|\}\}|\{([^{}\n]+)\}")


class TemplateError(ValueError):
    """A placeholder named a variable that exists, but evaluating it failed."""


def _first_name(expression: str) -> str | None:
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError:
        return None
    node: ast.AST = tree.body
    while True:
        if isinstance(node, ast.Name):
            return node.id
        if isinstance(node, (ast.Attribute, ast.Subscript)):
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        else:
            return None


def _split_format(field: str) -> tuple[str, str, str]:
    """``"x!r:>10"`` -> ``("x", "r", ">10")``; a ``:`` inside brackets is not a spec."""
    depth = 0
    for i, char in enumerate(field):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif depth == 0 and char in "!:":
            expression, rest = field[:i], field[i:]
            conversion = spec = ""
            if rest.startswith("!") and len(rest) >= 2 and rest[1] in "rsa":
                conversion, rest = rest[1], rest[2:]
            if rest.startswith(":"):
                spec = rest[1:]
            elif rest:
                return field, "", ""
            return expression, conversion, spec
    return field, "", ""


def interpolate(template: str, namespace: Mapping[str, Any]) -> str:
    """Fill placeholders whose expressions start with a name in ``namespace``."""

    def fill(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        expression, conversion, spec = _split_format(match.group(1))
        name = _first_name(expression)
        if name is None or name not in namespace:
            return token
        try:
            value = eval(expression, {"__builtins__": builtins}, namespace)
        except Exception as exc:
            raise TemplateError(
                f"could not fill {token}: {type(exc).__name__}: {exc} "
                "(write {{ and }} for literal braces, or turn interpolation off)"
            ) from None
        if conversion == "r":
            value = repr(value)
        elif conversion == "a":
            value = ascii(value)
        return format(value, spec) if spec else str(value)

    return _FIELD.sub(fill, template)
