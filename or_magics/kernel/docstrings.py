"""Parameter descriptions from a docstring, in the three styles people write.

Google (``Args:`` then ``name (type): text``), NumPy (``Parameters`` underlined, then
``name : type`` and indented text) and reST (``:param name: text``). A tool's schema gives
each parameter its description, so the model knows what to pass.
"""

from __future__ import annotations

import inspect
import re

__all__ = ["parse"]

_GOOGLE_HEAD = re.compile(r"^(Args|Arguments|Parameters|Params)\s*:\s*$", re.I)
_GOOGLE_ITEM = re.compile(r"^\*{0,2}(\w+)\s*(?:\([^)]*\))?\s*:\s*(.*)$")
_NUMPY_ITEM = re.compile(r"^(\w+)\s*(?::.*)?$")
_REST = re.compile(r"^:param\s+(?:[^:]*\s)?(\w+)\s*:\s*(.*)$")
_SECTION = re.compile(r"^(Returns?|Yields?|Raises?|Examples?|Notes?|See Also|References|"
                      r"Attributes|Warnings?)\s*:?\s*$", re.I)


def parse(doc: str | None) -> tuple[str, dict[str, str]]:
    """(summary, {parameter: description}) of a docstring."""
    lines = inspect.cleandoc(doc or "").splitlines()
    summary_lines: list[str] = []
    for line in lines:
        if not line.strip() or _GOOGLE_HEAD.match(line.strip()) or line.startswith(":"):
            break
        summary_lines.append(line.strip())
    params: dict[str, str] = {}
    _rest(lines, params)
    _google(lines, params)
    _numpy(lines, params)
    return " ".join(summary_lines), params


def _rest(lines: list[str], params: dict[str, str]) -> None:
    current = None
    for line in lines:
        match = _REST.match(line.strip())
        if match:
            current = match.group(1)
            params[current] = match.group(2).strip()
        elif current and line.startswith((" ", "\t")) and line.strip():
            params[current] += " " + line.strip()
        else:
            current = None


def _google(lines: list[str], params: dict[str, str]) -> None:
    inside, indent, current = False, 0, None
    for line in lines:
        stripped = line.strip()
        if _GOOGLE_HEAD.match(stripped) and not line.startswith(" "):
            inside, indent, current = True, 0, None
            continue
        if not inside:
            continue
        if stripped and not line.startswith((" ", "\t")):
            break  # the next section
        if not stripped:
            continue
        depth = len(line) - len(line.lstrip())
        indent = indent or depth
        match = _GOOGLE_ITEM.match(stripped)
        if depth == indent and match:
            current = match.group(1)
            params[current] = match.group(2).strip()
        elif current:
            params[current] = (params[current] + " " + stripped).strip()


def _numpy(lines: list[str], params: dict[str, str]) -> None:
    for i in range(len(lines) - 1):
        if lines[i].strip().lower() == "parameters" and set(lines[i + 1].strip()) == {"-"}:
            break
    else:
        return
    current = None
    for line in lines[i + 2:]:
        stripped = line.strip()
        if _SECTION.match(stripped) or (stripped and set(stripped) == {"-"}):
            break
        if stripped and not line.startswith((" ", "\t")):
            match = _NUMPY_ITEM.match(stripped)
            current = match.group(1) if match else None
            if current:
                params.setdefault(current, "")
        elif current and stripped:
            params[current] = (params[current] + " " + stripped).strip()
