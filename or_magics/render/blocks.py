"""Find where Markdown can be cut into independently renderable segments.

The streamer freezes everything before the *last* top-level block: only the last block can
still change meaning as text arrives (a setext underline, a table delimiter row, a closing
fence). markdown-it-py would do this, but it is not a dependency, so this is a small
line-based CommonMark-ish scanner. It is incremental: each complete line is classified once.

Approximations (all err on the side of a *longer* last block, which is always safe):

- Only complete lines count; a trailing partial line always stays in the tail.
- Lists are generous: after a blank line any line indented past the first marker, or any
  list marker, continues the list (CommonMark would start a new list on a marker-type
  change). Fences and display math inside list items are tracked; other nesting is not.
- Blockquotes separated by blank lines are one block, as Python-Markdown merges them.
- `$$ … $$` and `\\[ … \\]` are tracked in paragraphs, lists, quotes and tables, like fences.
- HTML blocks: kinds 1-5 (`<pre>`, `<script>`, comments, …) run to their end marker, then
  go on like a paragraph; other tags are paragraphs (the renderer escapes raw HTML).
- Tables end at a blank line or at a line that starts another block.
- Reference-link definitions and footnotes are not modelled.
"""

from __future__ import annotations

from dataclasses import dataclass

from .lines import (
    Fence,
    can_interrupt_paragraph,
    display_math_toggles,
    fence_open,
    html_raw_ends,
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

_NONE, _PARA, _TABLE, _FENCE, _HTML, _CODE, _QUOTE, _LIST = range(8)
_KINDS = ("none", "paragraph", "table", "fence", "html", "code", "quote", "list")


@dataclass(frozen=True, slots=True)
class Scan:
    """Where the scanned text may be cut.

    `stable` is the offset where the last top-level block starts: everything before it is
    final. `split`, when set, is a point *inside* the last block where it may be cut anyway
    (an outer list item, or a line of an open fence); the part before the cut must then be
    rendered with `close` appended, and the rest with `reopen` prepended.
    """

    stable: int
    kind: str  # what the last block is while still open ("paragraph", "fence", …) or "none"
    split: int | None = None
    close: str = ""
    reopen: str = ""


class BlockScanner:
    """Incremental scanner over a text that only grows (call `scan` with the whole text)."""

    def __init__(self) -> None:
        self._pos = 0  # offset of the first line not yet classified
        self._state = _NONE
        self._start = 0  # offset where the last top-level block starts
        self._blank = True  # previous line was blank
        self._fence: Fence | None = None  # open top-level fence, or one nested in a list
        self._fence_line = ""
        self._math: str | None = None  # open display-math delimiter
        self._html = 0
        self._list_indent = 0
        self._split: int | None = None
        self._prev_pipe = False

    def scan(self, text: str) -> Scan:
        """Classify the complete lines added since the last call and report the cut points."""
        pos = self._pos
        while (nl := text.find("\n", pos)) >= 0:
            self._line(text[pos : nl + 1], pos)
            pos = nl + 1
        self._pos = pos
        if self._state == _FENCE and self._fence is not None and self._split is not None:
            return Scan(
                self._start, "fence", self._split, self._fence.closing_line(), self._fence_line
            )
        return Scan(self._start, _KINDS[self._state], self._split)

    # -- one line ---------------------------------------------------------------------------

    def _line(self, line: str, offset: int) -> None:
        state = self._state
        if state == _FENCE:
            if self._fence is not None and self._fence.closes(line):
                self._state, self._split = _NONE, None
            else:
                self._split = offset
            return
        if state == _HTML:
            if html_raw_ends(self._html, line):
                self._state = _PARA  # escaped, it renders as text: the next line continues it
            return
        if state == _LIST and self._fence is not None:  # fence nested in a list item
            if self._fence.closes(line):
                self._fence = None
            return
        if self._math is not None and state in (_PARA, _TABLE, _QUOTE, _LIST):
            self._math = display_math_toggles(line, self._math)
            self._blank = False
            return
        if is_blank(line):
            self._blank = True
            if state in (_PARA, _TABLE):
                self._state = _NONE
            return
        blank_before, self._blank = self._blank, False
        if state == _NONE:
            self._open(line, offset)
        elif state == _PARA:
            self._paragraph(line, offset)
        elif state == _TABLE:
            self._continue_or_open(not self._interrupts(line), line, offset)
        elif state == _CODE:
            self._continue_or_open(indent_of(line) >= 4, line, offset)
        elif state == _QUOTE:
            lazy = not blank_before and not self._interrupts(line)
            self._continue_or_open(is_quote(line) or lazy, line, offset)
        else:
            self._list_line(line, offset, blank_before)
        self._prev_pipe = "|" in line

    def _continue_or_open(self, continues: bool, line: str, offset: int) -> None:
        if continues:
            self._math = display_math_toggles(line, None)
        else:
            self._open(line, offset)

    def _open(self, line: str, offset: int) -> None:
        """Start a new top-level block with `line`."""
        self._start, self._split, self._fence, self._math = offset, None, None, None
        indent = indent_of(line)
        fence = fence_open(line) if indent < 4 else None
        if indent >= 4:
            self._state = _CODE
        elif fence is not None:
            self._state, self._fence, self._fence_line = _FENCE, fence, line
        elif kind := html_raw_start(line):
            ended = html_raw_ends(kind, line.lstrip()[2:])
            self._state, self._html = (_PARA if ended else _HTML), kind
        else:
            if is_atx(line) or is_thematic(line):
                self._state = _NONE
            elif is_quote(line):
                self._state = _QUOTE
            elif (marker := list_marker(line)) is not None:
                self._state, self._list_indent = _LIST, marker.indent
            else:
                self._state = _PARA
            self._math = display_math_toggles(line, None)
            if self._math is not None and self._state == _NONE:
                self._state = _PARA  # e.g. a heading that opens `$$`: runs until it closes

    def _interrupts(self, line: str) -> bool:
        """Does `line` end a paragraph-like block without a blank line before it?"""
        if indent_of(line) >= 4:
            return False
        if is_atx(line) or is_thematic(line) or is_quote(line) or html_raw_start(line):
            return True
        fence = fence_open(line)
        if fence is not None:
            return True
        marker = list_marker(line)
        return marker is not None and can_interrupt_paragraph(marker, line)

    def _paragraph(self, line: str, offset: int) -> None:
        if is_setext_underline(line) and indent_of(line) < 4:
            self._state = _NONE  # the underline ends a heading; it belongs to this block
        elif self._prev_pipe and is_table_delimiter(line):
            self._state = _TABLE
        else:
            self._continue_or_open(not self._interrupts(line), line, offset)

    def _list_line(self, line: str, offset: int, blank_before: bool) -> None:
        indent = indent_of(line)
        marker = list_marker(line)
        if marker is not None:
            if marker.indent <= self._list_indent + 1:
                self._split = offset  # an outer item: the list may be cut before it
            self._math = display_math_toggles(line, None)
            return
        inside = indent > self._list_indent
        fence = fence_open(line)
        if fence is not None and inside:
            self._fence = fence
            return
        if blank_before:
            continues = inside
        else:
            continues = inside or not (
                is_atx(line)
                or is_thematic(line)
                or is_quote(line)
                or html_raw_start(line)
                or fence is not None
            )
        self._continue_or_open(continues, line, offset)


def stable_prefix_len(text: str) -> int:
    """Length of the prefix of `text` made of complete top-level blocks (all but the last)."""
    return BlockScanner().scan(text).stable
