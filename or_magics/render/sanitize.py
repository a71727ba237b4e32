"""The last line of defence: an allow-list HTML sanitizer (nh3) for model-derived HTML.

Raw HTML in model output is already escaped before Markdown runs; this pass still assumes
the worst, because Markdown extensions, Pygments and our own restoring step all produce HTML.
"""

from __future__ import annotations

import re
import threading
from html import escape, unescape
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


def _attribute(tag: str, attr: str, value: str) -> str | None:
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


def _refine(clean: str) -> str:
    """The attribute pass after nh3, in Python: a Python callback *inside* nh3 is where a
    Ctrl-C got lost ("Exception ignored in …") and the cell ran on; out here it is honoured.
    nh3 writes every attribute as name="value" with `"` escaped, so the regex is exact."""
    if "data:" not in clean and "class=" not in clean:
        return clean

    def tag(m: re.Match[str]) -> str:
        name = m["tag"]
        kept = []
        for attr, raw in _ATTR.findall(m["attrs"]):
            value = _attribute(name, attr, unescape(raw))
            if value is not None:
                kept.append(f' {attr}="{escape(value)}"')
        return f"<{name}{''.join(kept)}{m['end']}>"

    return _TAG.sub(tag, clean)


def _get_cleaner() -> Any:
    global _cleaner
    if _cleaner is None:
        import nh3

        with _lock:
            _cleaner = _cleaner or nh3.Cleaner(
                tags=set(TAGS),
                clean_content_tags={"script", "style"},
                attributes=ATTRIBUTES,
                url_schemes={"http", "https", "mailto", "data"},
                url_relative="deny",
                link_rel="noopener noreferrer nofollow",
                set_tag_attribute_values={"a": {"target": "_blank"}},
                strip_comments=True,
            )
    return _cleaner


_remote_images = False  # off: showing an answer fetches nothing


def set_remote_images(allow: bool) -> None:
    """Let `<img>` load from http(s) URLs in outputs rendered from now on (default: no).

    Off, such images become links: an image URL can carry what the model read (a secret
    in the notebook, a document) to a server the model, or a prompt injection, names.
    """
    global _remote_images
    _remote_images = bool(allow)


def remote_images_allowed(override: bool | None = None) -> bool:
    return _remote_images if override is None else override


def sanitize(html: str, *, remote_images: bool | None = None) -> str:
    """Return `html` with everything outside the allow-list removed.

    Remote images become links (text and URL) unless allowed; `data:` raster images stay.
    """
    clean = _refine(str(_get_cleaner().clean(html)))
    if remote_images_allowed(remote_images) or "<img" not in clean:
        return clean
    return _IMG.sub(_image_as_link, clean)


# nh3 serializes every attribute as name="value" with `"` escaped, so this is exact.
_IMG = re.compile(r'<img((?:\s+[a-z-]+="[^"]*")*)\s*/?>')
_ATTR = re.compile(r'([a-z-]+)="([^"]*)"')
_TAG = re.compile(r'<(?P<tag>[a-z][a-z0-9]*)(?P<attrs>(?:\s+[a-z-]+="[^"]*")+)\s*(?P<end>/?)>')


def _image_as_link(m: re.Match[str]) -> str:
    attrs = {k: unescape(v) for k, v in _ATTR.findall(m[1])}
    src = attrs.get("src", "")
    if not src or src.lower().startswith("data:"):
        return m[0]
    alt = attrs.get("alt") or "image"
    return (
        f'<a href="{escape(src)}" target="_blank" rel="noopener noreferrer nofollow">'
        f"🖼 {escape(alt)} ({escape(src)})</a>"
    )
