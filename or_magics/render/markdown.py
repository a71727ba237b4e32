"""Untrusted Markdown -> sanitized HTML, with math left intact for the frontend's MathJax.

Pipeline: `prepare` lifts fences and math out and normalises list syntax; Python-Markdown
renders the rest with raw HTML *escaped* (its HTML block and inline HTML parsers are
removed); code and math go back in; nh3 sanitizes the result with an allow-list. Python-
Markdown, Pygments and nh3 are imported on first use only.
"""

from __future__ import annotations

import functools
import threading
from typing import Any

from .prepare import prepare
from .sanitize import sanitize

_lock = threading.Lock()
_md: Any = None


def to_html(text: str) -> str:
    """Render model-written Markdown `text` to sanitized HTML (math passes through raw)."""
    if not text.strip():
        return ""
    prepared = prepare(text, render_code)
    with _lock:
        md = _markdown()
        md.reset()
        rendered = md.convert(prepared.text)
    return sanitize(prepared.restore(rendered))


@functools.lru_cache(maxsize=256)
def render_code(code: str, info: str) -> str:
    """Highlight one fenced block with Pygments (CSS classes, styled by `style.CODE_CSS`).

    Same markup as Python-Markdown's codehilite. Cached: while an answer streams, the
    finished code blocks of the live tail are rendered again on every update.
    """
    from pygments import highlight

    lang = info.split()[0].strip("{}.").lower() if info.split() else ""
    return str(highlight(code.strip("\n") + "\n", _lexer(lang), _formatter()))


@functools.lru_cache(maxsize=64)
def _lexer(lang: str) -> Any:
    from pygments.lexers import TextLexer, get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(lang) if lang else TextLexer()
    except ClassNotFound:
        return TextLexer()


@functools.lru_cache(maxsize=1)
def _formatter() -> Any:
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(cssclass="highlight", wrapcode=True)


def _markdown() -> Any:
    """The shared Python-Markdown instance (building one costs ~10 ms; reset per call)."""
    global _md
    if _md is None:
        import markdown

        md = markdown.Markdown(
            extensions=["tables", "sane_lists", "codehilite", _escape_html_extension()],
            extension_configs={
                "tables": {"use_align_attribute": True},
                "codehilite": {"guess_lang": False, "css_class": "highlight"},
            },
            output_format="html",
        )
        _md = md
    return _md


def _escape_html_extension() -> Any:
    """An extension that makes raw HTML literal text and adds `~~strikethrough~~`."""
    from markdown.extensions import Extension
    from markdown.inlinepatterns import SimpleTagInlineProcessor

    class EscapeHtml(Extension):  # type: ignore[misc]
        def extendMarkdown(self, md: Any) -> None:
            md.preprocessors.deregister("html_block")
            md.inlinePatterns.deregister("html")
            md.inlinePatterns.register(
                SimpleTagInlineProcessor(r"()~~(?=\S)(.+?)(?<=\S)~~", "del"), "del", 45
            )

    return EscapeHtml()
