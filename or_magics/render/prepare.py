"""Make LLM Markdown safe to hand to Python-Markdown, and restore what it must not touch.

Python-Markdown is not CommonMark, and model output is written for CommonMark renderers:

- fences are only recognised at column 0 (not inside list items), so every fence is lifted
  out here, highlighted separately and put back as a block;
- math would be mangled (`_` and `*` become emphasis, `\\[` loses its backslash), so every
  math span is swapped for an opaque placeholder and restored, escaped, after rendering;
- a list or table right after a paragraph line is not recognised, so a blank line is added;
- nested list items need 4-space steps, so list indentation is rewritten to that grid.

Placeholders are letters and digits only, with a per-call nonce, so Markdown leaves them be.
"""

from __future__ import annotations

import html
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from .lines import (
    Fence,
    ListMarker,
    can_interrupt_paragraph,
    display_math_toggles,
    fence_open,
    html_raw_start,
    indent_of,
    is_atx,
    is_blank,
    is_quote,
    is_setext_underline,
    is_table_delimiter,
    is_thematic,
    list_marker,
)

RenderCode = Callable[[str, str], str]
"""(code, info string) -> HTML block."""

_MATH = re.compile(
    r"""
    (?P<code>`+)
    | (?P<esc>\\[\\$`])
    | \$\$(?P<dd>.+?)\$\$
    | \\\[(?P<db>.+?)\\\]
    | \\\((?P<ip>(?:(?!\n[ \t]*\n).)+?)\\\)
    | \$(?=[^\s$])(?:[^$\\\n`]|\\.|\n(?![ \t]*\n))+?(?<!\s)\$(?!\d)
    """,
    re.S | re.X,
)


@dataclass
class Prepared:
    """Text ready for Python-Markdown, plus what its placeholders stand for."""

    text: str
    nonce: str
    blocks: list[str] = field(default_factory=list)  # rendered code blocks (trusted HTML)
    spans: list[str] = field(default_factory=list)  # raw math source

    def restore(self, rendered: str) -> str:
        """Put code blocks and (escaped) math back into Python-Markdown's output."""
        if self.blocks:
            code = rf"<p>orm{self.nonce}c(\d+)z</p>|orm{self.nonce}c(\d+)z"
            rendered = re.sub(code, lambda m: self.blocks[int(m[1] or m[2])], rendered)
        if self.spans:
            math = rf"orm{self.nonce}m(\d+)z"
            rendered = re.sub(math, lambda m: html.escape(self.spans[int(m[1])]), rendered)
        return rendered


def prepare(text: str, render_code: RenderCode) -> Prepared:
    """Lift fences and math out of `text` and normalise it for Python-Markdown."""
    prepared = Prepared("", secrets.token_hex(4))
    lines = _Lines(prepared, render_code).run(text.replace("\r\n", "\n"))
    prepared.text = _protect_math(lines, prepared)
    return prepared


def _protect_math(text: str, prepared: Prepared) -> str:
    if "$" not in text and "\\" not in text:
        return text
    out: list[str] = []
    pos = 0
    while (m := _MATH.search(text, pos)) is not None:
        if m["code"]:  # a code span: copy it untouched, math inside is code
            ticks = m["code"]
            close = re.compile(rf"(?<!`){ticks}(?!`)").search(text, m.end())
            end = close.end() if close else m.end()
            out.append(text[pos:end])
            pos = end
            continue
        out.append(text[pos : m.start()])
        if m["esc"]:
            out.append(m["esc"])  # an escaped character, not a delimiter
        else:
            out.append(f"orm{prepared.nonce}m{len(prepared.spans)}z")
            prepared.spans.append(m.group(0))
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


class _Lines:
    """The line pass: fences out, list indentation to 4-space steps, blank lines added."""

    def __init__(self, prepared: Prepared, render_code: RenderCode) -> None:
        self.prepared = prepared
        self.render_code = render_code
        self.out: list[str] = []
        self.stack: list[ListMarker] = []  # open list items, outermost first
        self.blank = True  # previous line was blank
        self.para = False  # previous line was top-level paragraph text
        self.para_start = 0  # where that paragraph starts in `out`
        self.para_math = False  # that paragraph holds display math
        self.quote = False  # previous line was in a blockquote
        self.table = False  # the current paragraph is a table
        self.math: str | None = None

    def run(self, text: str) -> str:
        lines = [line + "\n" for line in text.split("\n")]
        lines[-1] = lines[-1][:-1]
        if not lines[-1]:
            lines.pop()
        i = 0
        while i < len(lines):
            i = self._line(lines, i)
        return "".join(self.out)

    def _line(self, lines: list[str], i: int) -> int:
        line = lines[i]
        if self.math is not None:  # inside display math: leave every character alone
            self.out.append(line)
            self.math = display_math_toggles(line, self.math)
            return i + 1
        if is_blank(line):
            self.out.append("\n")
            self.blank = True
            self.para = self.quote = self.table = False
            return i + 1
        indent = indent_of(line)
        setext = self.para and not (self.quote or self.table)
        if setext and indent < 4 and is_setext_underline(line):
            self._setext(line)
            return i + 1
        if is_thematic(line) and not self.blank:
            self.out.append("\n")  # or Python-Markdown reads `---` as a setext underline
        marker = list_marker(line)
        ends_list = self.blank or _interrupts(line)
        if self.stack and marker is None and indent <= self.stack[0].indent and ends_list:
            self.stack = []  # a line back at the margin ends the list (after a blank or not)
            if not self.blank:
                self.out.append("\n")
                self.blank = True
        if marker is None and (self.blank or fence_open(line)):
            while len(self.stack) > 1 and indent <= self.stack[-1].indent:
                self.stack.pop()  # back to the item this line is indented under
        limit = (self.stack[-1].content if self.stack else 0) + 3
        fence = fence_open(line) if indent <= limit and marker is None else None
        if fence is not None:
            return self._fence(lines, i, fence)
        starts_block = is_atx(line) or html_raw_start(line) or (self.para and is_quote(line))
        if starts_block and not self.stack and not self.blank:
            self.out.append("\n")  # Python-Markdown's tables would swallow the line
        if marker is not None and (self.stack or marker.indent <= 3):
            line = self._item(line, marker)
        elif self.stack:
            extra = max(0, indent - self.stack[-1].content)
            line = " " * (4 * len(self.stack) + extra) + line.lstrip(" \t")
        elif self.para and "|" in line and i + 1 < len(lines) and is_table_delimiter(lines[i + 1]):
            self.out.append("\n")
        was_para = self.para
        self.out.append(line if line.endswith("\n") else line + "\n")
        self.math = display_math_toggles(line, None)
        single = is_atx(line) or is_thematic(line) or is_quote(line)
        self.para = not self.stack and (not single or self.math is not None)
        self.quote = is_quote(line) or (self.quote and self.para)
        self.table = self.para and (self.table or (was_para and is_table_delimiter(line)))
        if self.para and not was_para:
            self.para_start, self.para_math = len(self.out) - 1, False
        self.blank = False
        self.para_math = self.para_math or self.math is not None
        return i + 1

    def _setext(self, line: str) -> None:
        """A setext heading, the CommonMark way: all the paragraph's lines are its text.

        Python-Markdown only takes a one-line paragraph, and without a blank line after the
        underline it runs the next line into the heading; the block scanner ends it there.
        """
        if not self.para_math:
            text = " ".join(part.strip() for part in self.out[self.para_start :] if part.strip())
            del self.out[self.para_start :]
            line = ("# " if line.strip()[0] == "=" else "## ") + text + "\n"
        self.out.append(line if line.endswith("\n") else line + "\n")
        self.out.append("\n")
        self.blank, self.para = True, False

    def _item(self, line: str, marker: ListMarker) -> str:
        if not self.stack:
            if (self.para or self.quote) and not can_interrupt_paragraph(marker, line):
                return line  # "2019. was a year" continues a paragraph
            if self.para or self.quote:
                self.out.append("\n")
        while self.stack and self.stack[-1].indent >= marker.indent:
            self.stack.pop()
        depth = len(self.stack)
        self.stack.append(marker)
        return " " * (4 * depth) + line.lstrip(" \t")

    def _fence(self, lines: list[str], i: int, fence: Fence) -> int:
        """Swap the fence starting at line `i` for a block placeholder; return the next line."""
        body: list[str] = []
        j = i + 1
        while j < len(lines) and not fence.closes(lines[j]):
            body.append(_dedent(lines[j], fence.indent))
            j += 1
        code = "".join(body)
        prepared = self.prepared
        token = f"orm{prepared.nonce}c{len(prepared.blocks)}z"
        prepared.blocks.append(self.render_code(code, fence.info))
        pad = " " * (4 * len(self.stack))
        if not self.blank:
            self.out.append("\n")
        self.out.append(f"{pad}{token}\n\n")
        self.blank, self.para = True, False
        return j + 1


def _interrupts(line: str) -> bool:
    return bool(
        is_atx(line)
        or is_thematic(line)
        or is_quote(line)
        or html_raw_start(line)
        or fence_open(line)
    )


def _dedent(line: str, columns: int) -> str:
    """Remove up to `columns` columns of indentation (CommonMark rule for fence content)."""
    i = col = 0
    while i < len(line) and col < columns and line[i] in " \t":
        col += 1 if line[i] == " " else 4 - col % 4
        i += 1
    return line[i:]
