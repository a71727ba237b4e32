"""Find where Markdown can be cut into independently renderable segments.

The streamer freezes everything before the *last* top-level block: only the last block can
still change meaning as text arrives (a setext underline, a table delimiter row, a closing
fence). The blocks come from the very parser that renders them (`markdown.parser`, block
rules only), so a segment cut here renders as the same text does inside the whole answer.

Only complete lines count: a trailing partial line always stays in the tail. An unclosed
fence or display-math block runs to the end of the text, so it stays in the tail too.
Over-long blocks may still be cut inside (`Scan.split`): between the outer items of a
list, or between two lines of a top-level fence, which is then closed and reopened.
Reference-link definitions and footnotes later in the answer are not modelled.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

_KINDS = {
    "paragraph_open": "paragraph",
    "table_open": "table",
    "fence": "fence",
    "code_block": "code",
    "blockquote_open": "quote",
    "bullet_list_open": "list",
    "ordered_list_open": "list",
    "math_block": "math",
}


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
    """Scanner over a text that only grows: call `scan` with the whole text so far.

    Blocks before the last one are final, so each call parses only from where the last
    block started: the cost of a call is the size of that block plus the new lines.
    """

    def __init__(self) -> None:
        self._base = 0  # where the last top-level block started at the previous call
        self._seen = -1
        self._last = Scan(0, "none")

    def scan(self, text: str) -> Scan:
        """Report the cut points of the complete lines of `text`."""
        end = text.rfind("\n") + 1
        if end != self._seen:
            local = scan(text[self._base : end])
            base = self._base
            self._seen, self._base = end, base + local.stable
            self._last = Scan(
                base + local.stable,
                local.kind,
                None if local.split is None else base + local.split,
                local.close,
                local.reopen,
            )
        return self._last


def scan(text: str) -> Scan:
    """Cut points of `text`, made of complete lines only."""
    if not text:
        return Scan(0, "none")
    tokens = _block_tokens(text)
    tops = [t for t in tokens if t.level == 0 and t.nesting >= 0 and t.map]
    if not tops:
        return Scan(0, "none")
    last = tops[-1]
    starts = _line_starts(text)
    stable = starts[last.map[0]]
    kind = _KINDS.get(last.type, "none")
    if last.type == "fence":
        return _fence(text, starts, last, stable)
    if kind == "list":
        index = tokens.index(last)
        items = [t.map[0] for t in tokens[index:] if t.type == "list_item_open" and t.level == 1]
        split = starts[items[-1]] if len(items) > 1 else None
        return Scan(stable, kind, split)
    return Scan(stable, kind)


def _fence(text: str, starts: list[int], token: Any, stable: int) -> Scan:
    first, end = token.map
    lines = text[stable:].splitlines(keepends=True)
    closed = end - first > 1 and _closes(lines[end - first - 1], token.markup)
    if closed:
        return Scan(stable, "none")
    opening = lines[0]
    if end - first < 3:  # the opening line and one content line: nothing to split
        return Scan(stable, "fence")
    indent = len(opening) - len(opening.lstrip(" "))
    close = " " * indent + token.markup + "\n"
    return Scan(stable, "fence", starts[end - 1], close, opening)


def _closes(line: str, markup: str) -> bool:
    stripped = line.strip()
    return len(stripped) >= len(markup) and stripped == markup[0] * len(stripped)


def _line_starts(text: str) -> list[int]:
    starts = [0]
    pos = text.find("\n")
    while pos >= 0:
        starts.append(pos + 1)
        pos = text.find("\n", pos + 1)
    return starts


def _block_tokens(text: str) -> list[Any]:
    """The renderer's block rules only: inline parsing would cost more than all of this."""
    from .markdown import parser

    md = parser()
    tokens: list[Any] = []
    md.block.parse(text.replace("\r\n", "\n").replace("\0", "\ufffd"), md, {}, tokens)
    return tokens


def stable_prefix_len(text: str) -> int:
    """Length of the prefix of `text` made of complete top-level blocks (all but the last)."""
    return BlockScanner().scan(text).stable
