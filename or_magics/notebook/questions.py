"""Prompts that end in "?" reach the model, not IPython's help.

IPython reads a line ending in ``?`` as a help request for its last word:
``%openrouter What is the capital of France?`` would print "Object `France` not found." and
ask nothing. A cleanup input transformer (they run before IPython's help transform) turns
such a line into the plain magic call, so the question is sent as written. ``%openrouter?``
alone still shows the magic's help.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["install", "protect_questions", "uninstall"]

_LINE = re.compile(r"^(?P<indent>[ \t]*)%openrouter(?P<rest>[ \t]+\S.*?\?+)[ \t]*$")


def protect_questions(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        body, newline = (line[:-1], "\n") if line.endswith("\n") else (line, "")
        match = _LINE.match(body)
        if match is None:
            out.append(line)
            continue
        rest = match.group("rest").strip()
        out.append(f"{match.group('indent')}get_ipython().run_line_magic('openrouter', "
                   f"{rest!r}){newline}")
    return out


def install(ipython: Any) -> None:
    cleanup = ipython.input_transformers_cleanup
    if protect_questions not in cleanup:
        cleanup.append(protect_questions)


def uninstall(ipython: Any) -> None:
    cleanup = ipython.input_transformers_cleanup
    if protect_questions in cleanup:
        cleanup.remove(protect_questions)
