"""Untrusted Markdown -> sanitized HTML, with math left intact for the frontend's MathJax.

markdown-it-py parses CommonMark with GFM tables and strikethrough: what models write for
(fences inside list items, a list right after a paragraph line, 2-space nested lists all
work as they do on GitHub). Raw HTML is off, so it renders as text; math is kept verbatim
by `mathrule`; fences are highlighted by Pygments in a few colour classes; nh3 sanitizes
the result. The same parser finds the block boundaries the streamer cuts at (`blocks`), so
a frozen segment renders as it would inside the whole answer. Everything heavy is
imported on first use.
"""

from __future__ import annotations

import functools
import html
from typing import Any

from .sanitize import sanitize


def to_html(text: str, *, remote_images: bool | None = None) -> str:
    """Render model-written Markdown `text` to sanitized HTML (math passes through raw).

    Remote images become links unless `remote_images` (default: `sanitize.remote_images`).
    """
    if not text.strip():
        return ""
    return sanitize(parser().render(text), remote_images=remote_images)


@functools.lru_cache(maxsize=1)
def parser() -> Any:
    """The shared markdown-it instance: CommonMark, no raw HTML, tables, ~~, math."""
    from markdown_it import MarkdownIt

    from .mathrule import math_plugin

    md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    md.use(math_plugin)
    rules = md.add_render_rule
    rules("fence", lambda r, tokens, i, o, e: render_code(tokens[i].content, tokens[i].info))
    rules("code_block", lambda r, tokens, i, o, e: render_code(tokens[i].content, ""))
    rules("math_inline", lambda r, tokens, i, o, e: html.escape(tokens[i].content))
    rules("math_block", lambda r, tokens, i, o, e: f"<p>{html.escape(tokens[i].content)}</p>\n")
    for cell in ("th_open", "td_open"):
        rules(cell, _cell)
    return md


def _cell(renderer: Any, tokens: Any, i: int, options: Any, env: Any) -> str:
    """Table cells with `align=` (nh3 drops the `style=` markdown-it writes)."""
    token = tokens[i]
    style = token.attrGet("style") or ""
    align = style.rpartition(":")[2] if style.startswith("text-align:") else ""
    attr = f' align="{align}"' if align in ("left", "right", "center") else ""
    return f"<{token.tag}{attr}>"


@functools.lru_cache(maxsize=256)
def render_code(code: str, info: str) -> str:
    """Highlight one code block with Pygments, in three colour classes (`style.RULES`).

    Keywords, literals and comments get a one-letter class; everything
    else is bare text, which keeps saved outputs small. Cached: while an answer streams,
    the finished code blocks of the live tail are rendered again on every update.
    """
    lang = info.split()[0].strip("{}.").lower() if info.split() else ""
    runs: list[list[str]] = []  # [class, text] with adjacent same-class tokens merged
    for ttype, value in _lexer(lang).get_tokens(code.strip("\n") + "\n"):
        cls = _category(ttype)
        if runs and (runs[-1][0] == cls or not value.strip()):
            runs[-1][1] += value
        else:
            runs.append([cls, value])
    body = "".join(
        f'<span class="{cls}">{html.escape(text, quote=False)}</span>' if cls
        else html.escape(text, quote=False)
        for cls, text in runs
    )
    return f'<div class="highlight"><pre><code>{body}</code></pre></div>\n'


@functools.lru_cache(maxsize=512)
def _category(ttype: Any) -> str:
    from pygments import token as t

    for parent, cls in (
        (t.Comment, "c"), (t.String, "s"), (t.Number, "s"), (t.Keyword, "k"),
        (t.Operator.Word, "k"),
    ):
        if ttype in parent:
            return cls
    return ""


@functools.lru_cache(maxsize=64)
def _lexer(lang: str) -> Any:
    from pygments.lexers import TextLexer, get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(lang, stripnl=False) if lang else TextLexer()
    except ClassNotFound:
        return TextLexer()
