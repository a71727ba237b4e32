"""TeX math as markdown-it rules: `$…$`, `$$…$$`, `\\(…\\)` and `\\[…\\]`, kept verbatim.

The frontend's MathJax typesets math, so the renderer only has to keep it away from
Markdown (`_` and `*` would become emphasis, `\\[` would lose its backslash). Each span
becomes one token whose content is the source with its delimiters. A display block
(`$$` or `\\[` at the start of a line) may hold blank lines and, like a fence, runs to
the end of its container until it is closed, so a streamed answer never freezes half of it.

mdit-py-plugins' dollarmath does not fit: it misses `$a_b$` next to a `$5` and `$$` right
after a paragraph line, and texmath's bracket forms clash with it.
"""

from __future__ import annotations

import re
from typing import Any

_CLOSE = {"$$": "$$", "\\[": "\\]", "\\(": "\\)"}
_SINGLE = re.compile(r"\$(?=[^\s$])(?:[^$\\\n`]|\\.|\n)+?(?<!\s)\$(?!\d)", re.S)


def math_plugin(md: Any) -> None:
    """Add the inline and block math rules (before escapes, fences and paragraphs)."""
    md.inline.ruler.before("escape", "math_inline", _inline)
    md.block.ruler.before(
        "fence", "math_block", _block, {"alt": ["paragraph", "reference", "blockquote", "list"]}
    )


def _inline(state: Any, silent: bool) -> bool:
    src, pos = state.src, state.pos
    opener = src[pos : pos + 2]
    if opener in _CLOSE:
        end = src.find(_CLOSE[opener], pos + 3)
        if end < 0:
            return False
        end += 2
    elif src[pos] == "$":
        m = _SINGLE.match(src, pos)
        if m is None:
            return False
        end = m.end()
    else:
        return False
    if not silent:
        token = state.push("math_inline", "math", 0)
        token.content = src[pos:end]
    state.pos = end
    return True


def _block(state: Any, start: int, end_line: int, silent: bool) -> bool:
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    first = state.bMarks[start] + state.tShift[start]
    line = state.src[first : state.eMarks[start]]
    opener = line[:2]
    if opener not in ("$$", "\\["):
        return False
    close = _CLOSE[opener]
    rest = line[2:]
    if close in rest:
        if rest[rest.index(close) + 2 :].strip() or not rest[: rest.index(close)].strip():
            return False  # `$$x$$ more text` is inline math in a paragraph
        last = start
    else:
        last = start + 1
        while last < end_line:
            if not state.isEmpty(last) and state.sCount[last] < state.blkIndent:
                last -= 1  # a line outside the container ends the (unclosed) block
                break
            text = state.src[state.bMarks[last] + state.tShift[last] : state.eMarks[last]]
            if close in text:
                break
            last += 1
        else:
            last = end_line - 1  # unclosed: it runs to the end, like a fence
    if silent:
        return True
    state.line = last + 1
    token = state.push("math_block", "math", 0)
    token.block = True
    token.content = state.getLines(start, last + 1, state.sCount[start], False)
    token.map = [start, state.line]
    token.markup = opener
    return True
