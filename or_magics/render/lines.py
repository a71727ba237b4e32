"""Line classifiers shared by the block scanner and the Markdown preparer.

Both must agree on what opens a fence, a list item or a display-math region, otherwise a
segment frozen by the scanner could render differently from the same text rendered whole.
Rules follow CommonMark where it matters for LLM output and stay deliberately simple.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_ATX = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
_THEMATIC = re.compile(r"^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_SETEXT = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
_BULLET = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[-+*])(?P<space>[ \t]+|$)")
_ORDERED = re.compile(r"^(?P<indent>[ \t]*)(?P<num>\d{1,9})(?P<delim>[.)])(?P<space>[ \t]+|$)")
_QUOTE = re.compile(r"^ {0,3}>")
_TABLE_DELIM = re.compile(r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_HTML_RAW = re.compile(
    r"^ {0,3}<(?:(script|pre|style|textarea)(?:[\s>]|$)|(!--)|(\?)|(![A-Za-z])|(!\[CDATA\[))", re.I
)
_HTML_RAW_END = {
    1: re.compile(r"</(?:script|pre|style|textarea)>", re.I),
    2: re.compile("-->"),
    3: re.compile(r"\?>"),
    4: re.compile(">"),
    5: re.compile(r"\]\]>"),
}
_HTML_BLOCK = re.compile(r"^ {0,3}</?[A-Za-z][A-Za-z0-9-]*(?:[\s/>]|$)")
_CODE_SPAN = re.compile(r"(`+)(?:.*?[^`])?\1(?!`)")


def indent_of(line: str) -> int:
    """Columns of leading whitespace, tabs advancing to the next multiple of 4."""
    col = 0
    for ch in line:
        if ch == " ":
            col += 1
        elif ch == "\t":
            col += 4 - col % 4
        else:
            break
    return col


def is_blank(line: str) -> bool:
    return not line.strip()


@dataclass(frozen=True, slots=True)
class Fence:
    """An opening code fence: the closing line must use `char` at least `length` times."""

    indent: int
    char: str
    length: int
    info: str

    def closes(self, line: str) -> bool:
        """True if `line` closes this fence (CommonMark: same char, at least as long)."""
        stripped = line.strip()
        return (
            len(stripped) >= self.length
            and stripped == self.char * len(stripped)
            and indent_of(line) < self.indent + 4
        )

    def closing_line(self) -> str:
        return " " * self.indent + self.char * self.length + "\n"


def fence_open(line: str) -> Fence | None:
    """Return the fence `line` opens, if any (indentation is checked by the caller)."""
    m = _FENCE_OPEN.match(line.rstrip("\r\n"))
    if not m:
        return None
    fence, info = m["fence"], m["info"].strip()
    if fence[0] == "`" and "`" in info:
        return None
    return Fence(indent_of(m["indent"]), fence[0], len(fence), info)


def is_atx(line: str) -> bool:
    return bool(_ATX.match(line))


def is_thematic(line: str) -> bool:
    return bool(_THEMATIC.match(line.rstrip("\r\n")))


def is_setext_underline(line: str) -> bool:
    return bool(_SETEXT.match(line.rstrip("\r\n")))


def is_quote(line: str) -> bool:
    return bool(_QUOTE.match(line))


def is_table_delimiter(line: str) -> bool:
    """A GFM delimiter row (`|---|:--:|`); it must contain a pipe to differ from a setext line."""
    text = line.rstrip("\r\n")
    return "|" in text and bool(_TABLE_DELIM.match(text))


@dataclass(frozen=True, slots=True)
class ListMarker:
    """A list item start: `indent` is the marker column, `content` the column its text starts."""

    indent: int
    content: int
    ordered: bool
    number: int


def list_marker(line: str) -> ListMarker | None:
    """Return the list item `line` starts, if any (thematic breaks are not items)."""
    text = line.rstrip("\r\n")
    if is_thematic(text):
        return None
    m = _BULLET.match(text) or _ORDERED.match(text)
    if not m:
        return None
    indent = indent_of(m["indent"])
    ordered = "num" in m.re.groupindex
    width = len(m["num"]) + 1 if ordered else 1
    space = indent_of(m["space"]) if m["space"] else 0
    content = indent + width + (space if 1 <= space <= 4 else 1)
    return ListMarker(indent, content, ordered, int(m["num"]) if ordered else 0)


def can_interrupt_paragraph(marker: ListMarker, line: str) -> bool:
    """CommonMark: an item interrupts a paragraph only if non-empty, and if ordered, numbered 1."""
    rest = line.rstrip("\r\n")[marker.content :] if len(line) > marker.content else ""
    return bool(rest.strip()) and (not marker.ordered or marker.number == 1)


def html_raw_start(line: str) -> int:
    """HTML block kinds 1-5 (script/pre/style/textarea, comment, PI, declaration, CDATA).

    These run until their end marker even across blank lines; returns the kind or 0.
    """
    m = _HTML_RAW.match(line)
    if not m:
        return 0
    return next(i for i in range(1, 6) if m.group(i))


def html_raw_ends(kind: int, line: str) -> bool:
    return bool(_HTML_RAW_END[kind].search(line))


def is_html_block(line: str) -> bool:
    """Any line that starts like an HTML tag (kinds 6 and 7, ended by a blank line)."""
    return bool(_HTML_BLOCK.match(line))


def display_math_toggles(line: str, open_delim: str | None) -> str | None:
    """Track display math (`$$` … `$$`, `\\[` … `\\]`) across a line.

    `open_delim` is the delimiter left open by earlier lines (None if closed); returns the
    delimiter still open after this line. Code spans are skipped. Same pairing as the math
    protector in `prepare`, so a region the renderer treats as one span is never cut.
    """
    text = _CODE_SPAN.sub("", line)
    i, n = 0, len(text)
    while i < n:
        if open_delim is None:
            if text.startswith("$$", i):
                open_delim, i = "$$", i + 2
                continue
            if text.startswith("\\[", i):
                open_delim, i = "\\]", i + 2
                continue
            if text[i] == "\\":
                i += 2
                continue
        elif text.startswith(open_delim, i):
            i += len(open_delim)
            open_delim = None
            continue
        elif text[i] == "\\":
            i += 2
            continue
        i += 1
    return open_delim
