"""Fill ``{name}`` and ``{expression}`` in a prompt from the user's namespace, once.

Prompts are full of braces that are not placeholders: JSON, code, LaTeX. So a ``{...}`` is
filled only when it is a Python expression that reads at least one of the user's variables
and nothing undefined; everything else stays as written. ``{{`` and ``}}`` always give
literal braces. The result is never expanded again (jupyter-ai expands twice, so a value
containing braces changes).
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


def _fillable(expression: str, namespace: Mapping[str, Any]) -> bool:
    """Every name the expression reads exists, and at least one is the user's."""
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError:
        return False
    bound = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)
             and isinstance(n.ctx, ast.Store)}
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)
             and isinstance(n.ctx, ast.Load)} - bound
    return (any(name in namespace for name in names)
            and all(name in namespace or hasattr(builtins, name) for name in names))


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
        if not _fillable(expression, namespace):
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
