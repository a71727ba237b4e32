"""Fill ``{name}`` and ``{expression}`` in a prompt from the user's namespace, once.

Prompts are full of braces that are not placeholders: JSON, code, LaTeX, dict and set
literals. So a ``{...}`` is filled only when it is an expression (with an optional
conversion and format spec) that reads a variable, outside math (``$…$``, ``$$…$$``,
``\\(…\\)``, ``\\[…\\]``), code fences and code spans, and not a LaTeX argument
(``\\frac{x}{2}``). Anything else stays exactly as written. A placeholder naming something
undefined stays too, and is reported, so a typo shows. ``{{`` and ``}}`` give literal
braces. Values are rendered for a model (a DataFrame as a bounded table); figures and
images are handed back as attachments. The result is never expanded again.
"""

from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..kernel.values import LIMITS, Limits, is_image, render

__all__ = ["Filled", "TemplateError", "interpolate"]

_FIELD = re.compile(r"\{\{|\}\}|\{([^{}\n]+)\}")
#: Regions never filled: fences, code spans, display and inline math.
_LITERAL = re.compile(
    r"""
    ^[ \t]*(`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]*\1[ \t]*$|\Z)   # a fenced block
    | (`+)(?:(?!\2).)+?\2                                    # a code span
    | \$\$.+?\$\$ | \\\[.+?\\\] | \\\(.+?\\\)                  # display and inline math
    | (?<![\\$\w])\$(?=\S)[^$\n]+?(?<=\S)\$(?!\d)              # $inline$, not $5 and $10
    """,
    re.S | re.M | re.X,
)
#: A brace group right after these is a LaTeX argument, not a placeholder.
_LATEX_BEFORE = re.compile(r"(?:\\[A-Za-z]+\*?|[\^_}])$")


class TemplateError(ValueError):
    """A placeholder named a variable that exists, but evaluating it failed."""


@dataclass
class Filled:
    """The prompt as sent, and what a person should be told about it."""

    text: str
    #: Placeholders left as written, each with why ("{tpoic} (tpoic is not defined)").
    unfilled: list[str] = field(default_factory=list)
    #: Values too long to send whole ("{df}: showing 10 of 10,000 rows").
    cut: list[str] = field(default_factory=list)
    #: Figures and images named in the prompt, to attach as pictures.
    attachments: list[Any] = field(default_factory=list)

    def note(self) -> str | None:
        """One line for under the cell, or None when there is nothing to say."""
        parts = []
        if self.unfilled:
            parts.append("left as written: " + ", ".join(self.unfilled))
        if self.cut:
            parts.append("; ".join(self.cut))
        return " — ".join(parts) or None


def _names(tree: ast.AST) -> tuple[set[str], set[str]]:
    bound = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)
             and isinstance(n.ctx, ast.Store)}
    read = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)
            and isinstance(n.ctx, ast.Load)} - bound
    return read, bound


def _is_code(content: str) -> bool:
    """``{a: 1}``, ``{x for x in y}``, ``{1, 2}``: a dict or set written in the prompt."""
    try:
        tree = ast.parse("{" + content + "}", mode="eval").body
    except SyntaxError:
        return False
    return isinstance(tree, (ast.Dict, ast.DictComp, ast.SetComp)) or (
        isinstance(tree, ast.Set) and len(tree.elts) > 1)


def _split_format(content: str) -> tuple[str, str, str] | None:
    """``"x!r:>10"`` -> ``("x", "r", ">10")``; a ``:`` or ``!`` inside brackets, strings or
    a comparison (``!=``) is not a separator. None when it cannot be a placeholder."""
    depth, quote = 0, ""
    for i, char in enumerate(content):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif depth == 0 and char == "!" and content[i + 1:i + 2] != "=":
            conversion, rest = content[i + 1:i + 2], content[i + 2:]
            if conversion not in ("r", "s", "a") or (rest and not rest.startswith(":")):
                return None
            return content[:i], conversion, rest[1:]
        elif depth == 0 and char == ":":
            return content[:i], "", content[i + 1:]
    return content, "", ""


def interpolate(template: str, namespace: Mapping[str, Any],
                limits: Limits = LIMITS) -> Filled:
    """Fill the placeholders of ``template`` that read variables of ``namespace``."""
    filled = Filled("")
    literal = [(m.start(), m.end()) for m in _LITERAL.finditer(template)]

    def inside_literal(pos: int) -> bool:
        return any(start <= pos < end for start, end in literal)

    def fill(match: re.Match[str]) -> str:
        token = match.group(0)
        start = match.start()
        if inside_literal(start):
            return token  # code and math are sent as written, {{ included
        if token in ("{{", "}}"):
            return token[0]
        if _LATEX_BEFORE.search(template[max(0, start - 40):start]):
            return token
        content = match.group(1)
        if _is_code(content):
            return token
        parts = _split_format(content)
        if parts is None:
            return token
        expression, conversion, spec = parts
        try:
            tree = ast.parse(expression.strip(), mode="eval")
        except SyntaxError:
            return token
        read, _ = _names(tree)
        if not read:
            return token  # a literal in braces: nothing to fill
        missing = sorted(n for n in read if n not in namespace and not hasattr(builtins, n))
        if missing:
            filled.unfilled.append(f"{token} ({', '.join(missing)} "
                                   f"{'is' if len(missing) == 1 else 'are'} not defined)")
            return token
        if not any(name in namespace for name in read):
            return token  # only builtins: {len}, {print} are not placeholders
        try:
            value = eval(compile(tree, "<prompt>", "eval"), {"__builtins__": builtins},
                         namespace)
        except Exception as exc:
            raise TemplateError(
                f"could not fill {token}: {type(exc).__name__}: {exc} (write {{{{ and }}}} "
                "for literal braces, or --no-interpolate)") from None
        return _show(token, value, conversion, spec, filled, limits)

    filled.text = _FIELD.sub(fill, template)
    return filled


def _show(token: str, value: Any, conversion: str, spec: str, filled: Filled,
          limits: Limits) -> str:
    if conversion == "r":
        value = repr(value)
    elif conversion == "a":
        value = ascii(value)
    if spec:
        try:
            return format(value, spec)
        except (ValueError, TypeError):
            filled.unfilled.append(f"{token} (format spec {spec!r} does not fit a "
                                   f"{type(value).__name__})")
            return token
    if is_image(value):
        filled.attachments.append(value)
        return f"[{token[1:-1]}: the image attached below]"
    if conversion == "s":
        value = str(value)
    shown = render(value, limits)
    if shown.cut:
        filled.cut.append(f"{token}: {shown.cut}")
    return shown.text
