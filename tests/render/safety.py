"""An independent check of rendered HTML: parse it and list every unsafe thing in it."""

from __future__ import annotations

import re
from html.parser import HTMLParser

SAFE_TAGS = {
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "div",
    "span",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "code",
    "pre",
    "a",
    "img",
    "blockquote",
    "hr",
    "em",
    "strong",
    "del",
    "s",
    "sup",
    "sub",
    "br",
    "details",
    "summary",
}
_DATA_IMAGE = re.compile(r"data:image/(png|jpeg|jpg|gif|webp)[;,]", re.I)


class _Audit(HTMLParser):
    def __init__(self, *, allow_style_tag: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.allow_style_tag = allow_style_tag
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in SAFE_TAGS and not (tag == "style" and self.allow_style_tag):
            self.problems.append(f"tag <{tag}>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") or name in ("style", "srcdoc", "formaction"):
                self.problems.append(f"attribute {name} on <{tag}>")
            if name in ("href", "src"):
                url = re.sub(r"[\x00-\x20]", "", value).lower()
                scheme = url.split(":", 1)[0] if ":" in url.split("/", 1)[0] else ""
                if scheme not in ("http", "https", "mailto", "data"):
                    self.problems.append(f"{name}={value!r} on <{tag}>")
                if scheme == "data" and not (tag == "img" and _DATA_IMAGE.match(url)):
                    self.problems.append(f"{name}={value!r} on <{tag}>")

    handle_startendtag = handle_starttag


def unsafe(html: str, *, allow_style_tag: bool = False) -> list[str]:
    """Everything in `html` outside the allow-list (empty list = safe)."""
    audit = _Audit(allow_style_tag=allow_style_tag)
    audit.feed(html)
    audit.close()
    return audit.problems
