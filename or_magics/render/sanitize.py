"""The last line of defence: an allow-list HTML sanitizer (nh3) for model-derived HTML.

Raw HTML in model output is already escaped before Markdown runs; this pass still assumes
the worst, because Markdown extensions, Pygments and our own restoring step all produce HTML.
"""

from __future__ import annotations

import re
import threading
from typing import Any

TAGS = frozenset(
    {"h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "span", "ul", "ol", "li", "blockquote", "hr"}
    | {"table", "thead", "tbody", "tr", "th", "td", "code", "pre", "a", "img", "br"}
    | {"em", "strong", "del", "s", "sup", "sub", "details", "summary"}
)
ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
    "div": {"class"},
    "span": {"class"},
    "code": {"class"},
    "pre": {"class"},
}
_DATA_IMAGE = re.compile(r"data:image/(?:png|jpeg|jpg|gif|webp)(?:;base64)?,", re.I)
_URL_NOISE = re.compile(r"[\t\n\r]|^[\x00-\x20]+")
_CLASS = re.compile(r"(?:highlight|language-[\w#+.-]+|[a-z]{1,3}[0-9]?|hll|orm(?:-[a-z]+)*)")
_lock = threading.Lock()
_cleaner: Any = None


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    """Refine what nh3 lets through: `data:` only for raster images, classes from a small set."""
    if attr in ("href", "src"):
        url = _URL_NOISE.sub("", value).lower()  # what a browser's URL parser would see
        if url.startswith("data:") and not (tag == "img" and _DATA_IMAGE.match(url)):
            return None
        return value
    if attr == "class":
        kept = [c for c in value.split() if _CLASS.fullmatch(c)]
        return " ".join(kept) or None
    return value


def _get_cleaner() -> Any:
    global _cleaner
    if _cleaner is None:
        import nh3

        with _lock:
            _cleaner = _cleaner or nh3.Cleaner(
                tags=set(TAGS),
                clean_content_tags={"script", "style"},
                attributes=ATTRIBUTES,
                attribute_filter=_attribute_filter,
                url_schemes={"http", "https", "mailto", "data"},
                url_relative="deny",
                link_rel="noopener noreferrer nofollow",
                set_tag_attribute_values={"a": {"target": "_blank"}},
                strip_comments=True,
            )
    return _cleaner


def sanitize(html: str) -> str:
    """Return `html` with everything outside the allow-list removed."""
    return str(_get_cleaner().clean(html))


_TAG_START = re.compile(r"<(?=[A-Za-z/!?])(?!https?://[^\s<>]*>)")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1(?!`)")


def markdown_safe(text: str) -> str:
    """Model Markdown with raw HTML tags escaped, for the text/markdown of an output.

    A frontend that picks text/markdown renders the outputs of a session it trusts without
    sanitizing them (JupyterLab does), so an `<img onerror>` there would run. Code fences
    and code spans are left alone: entities would show literally inside them, and nothing
    in them is HTML anyway. Autolinks (`<https://…>`) stay links.
    """
    from .lines import fence_open

    out: list[str] = []
    fence = None
    for line in text.splitlines(keepends=True):
        if fence is not None:
            if fence.closes(line):
                fence = None
            out.append(line)
            continue
        fence = fence_open(line)
        if fence is not None:
            out.append(line)
            continue
        out.append(_escape_line(line))
    return "".join(out)


def _escape_line(line: str) -> str:
    if "`" not in line:
        return _TAG_START.sub("&lt;", line)
    out, pos = [], 0
    for span in _CODE_SPAN.finditer(line):
        out += [_TAG_START.sub("&lt;", line[pos:span.start()]), span.group(0)]
        pos = span.end()
    out.append(_TAG_START.sub("&lt;", line[pos:]))
    return "".join(out)
