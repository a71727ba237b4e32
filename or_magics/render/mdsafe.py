"""Model Markdown written out again so that any CommonMark renderer shows it harmlessly.

This is the text/markdown of an output. JupyterLab renders a trusted output's Markdown with
`marked` and no sanitizer, so escaping tags in the model's source is not enough: wherever
a renderer reads a backtick, an escape or a link differently from us, a tag comes alive.
So the answer is parsed (by the parser that makes the HTML) and written from the tree in
one canonical form: text with Markdown and HTML characters escaped, code spans and fences
with delimiters their content cannot close, links only to http(s) and mailto, remote
images as links, math as `$…$` / `$$…$$` with `<` and `>` spelled `\\lt`, `\\gt`. Outside
code there is then no `<` at all, and no link a renderer could build from the text.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from .sanitize import remote_images_allowed

_PUNCT = re.compile(r"([\\`*_\[\]!#|~$>{}])")
_LINE_START = re.compile(r"^([ \t]*)([-+=]|\d{1,9}(?=[.)]))", re.M)
_TICKS = re.compile(r"`+")
_DATA_IMAGE = re.compile(r"data:image/(?:png|jpeg|jpg|gif|webp)[;,]", re.I)
_SAFE_SCHEMES = ("http:", "https:", "mailto:")


def markdown_safe(text: str, *, remote_images: bool | None = None) -> str:
    """`text` as Markdown that neither runs, fetches nor links anywhere unsafe."""
    if not text.strip():
        return ""
    from markdown_it.tree import SyntaxTreeNode

    from .markdown import parser

    tree = SyntaxTreeNode(parser().parse(text))
    out = _Writer(remote_images_allowed(remote_images)).blocks(tree.children)
    return out + "\n" if text.endswith("\n") else out


def md_text(text: str) -> str:
    """Plain text as Markdown inline content: every special character escaped."""
    out = _PUNCT.sub(r"\\\1", text.replace("&", "&amp;").replace("<", "&lt;"))
    return _LINE_START.sub(lambda m: m[1] + ("\\" + m[2] if not m[2][0].isdigit() else
                                             m[2] + "\\"), out)


def md_code(code: str, *, in_table: bool = False) -> str:
    """A code span its content cannot end early, whatever backticks it holds."""
    code = code.replace("\n", " ")
    if in_table:
        code = code.replace("|", "\\|")
    fence = "`" * (max((len(t) for t in _TICKS.findall(code)), default=0) + 1)
    pad = " " if code.startswith(("`", " ")) or code.endswith(("`", " ")) else ""
    return f"{fence}{pad}{code}{pad}{fence}"


def md_link(label: str, url: str) -> str:
    """`[label](url)` for a safe URL (http, https, mailto); otherwise just the label."""
    dest = safe_url(url)
    return f"[{label}]({dest})" if dest and label else label


def safe_url(url: str) -> str:
    """The URL percent-encoded for a link destination, or "" for other schemes."""
    url = re.sub(r"[\x00-\x20]", "", url) if url.strip() != url else url
    if not url.lower().startswith(_SAFE_SCHEMES):
        return ""
    return quote(url, safe="/:?#=&%@+,;!*'~.-_")


def _tex(body: str) -> str:
    """Math source that no Markdown or HTML parser can act on, with the same meaning in TeX."""
    body = body.replace("<", "\\lt ").replace(">", "\\gt ")
    return body.replace("](", "]{}(").replace("![", "!{}[")


class _Writer:
    def __init__(self, remote_images: bool) -> None:
        self.remote_images = remote_images

    # -- blocks -----------------------------------------------------------------------------

    def blocks(self, nodes: Any, *, tight: bool = False) -> str:
        parts: list[str] = []
        previous = ""
        for node in nodes:
            alt = node.type == previous and node.type.endswith("_list")
            parts.append(self.block(node, alt=alt))
            previous = node.type
        return ("\n" if tight else "\n\n").join(p for p in parts if p)

    def block(self, node: Any, *, alt: bool = False) -> str:
        kind = node.type
        if kind == "paragraph":
            return self.inline(node.children[0]) if node.children else ""
        if kind == "heading":
            level = int(node.tag[1])
            return "#" * level + " " + self.inline(node.children[0]).replace("\n", " ")
        if kind == "blockquote":
            body = self.blocks(node.children)
            return "\n".join(("> " + line).rstrip() for line in body.split("\n"))
        if kind in ("bullet_list", "ordered_list"):
            return self.list(node, alt=alt)
        if kind in ("fence", "code_block"):
            return self.fence(node.content, node.info if kind == "fence" else "")
        if kind == "hr":
            return "***"
        if kind == "table":
            return self.table(node)
        if kind == "math_block":
            return "$$\n" + _tex(_strip_delimiters(node.content.strip()).strip("\n")) + "\n$$"
        return md_text(node.content)

    def list(self, node: Any, *, alt: bool) -> str:
        ordered = node.type == "ordered_list"
        number = int(node.attrs.get("start", 1)) if ordered else 0
        tight = all(p.hidden for item in node.children for p in item.children
                    if p.type == "paragraph")
        items = []
        for item in node.children:
            marker = f"{number}{')' if alt else '.'}" if ordered else ("*" if alt else "-")
            number += 1
            body = self.blocks(item.children, tight=tight)
            pad = " " * (len(marker) + 1)
            lines = body.split("\n") if body else [""]
            out = [f"{marker} {lines[0]}".rstrip()]
            out += [pad + line if line else "" for line in lines[1:]]
            items.append("\n".join(out))
        return ("\n" if tight else "\n\n").join(items)

    @staticmethod
    def fence(code: str, info: str) -> str:
        fence = "`" * max(3, max((len(t) for t in _TICKS.findall(code)), default=0) + 1)
        lang = re.sub(r"[^\w#+.-]", "", info.split()[0]) if info.split() else ""
        if code and not code.endswith("\n"):
            code += "\n"
        return f"{fence}{lang}\n{code}{fence}"

    def table(self, node: Any) -> str:
        rows: list[list[str]] = []
        aligns: list[str] = []
        for section in node.children:
            for row in section.children:
                cells = []
                for cell in row.children:
                    if section.type == "thead":
                        style = cell.attrs.get("style", "")
                        aligns.append(str(style).rpartition(":")[2])
                    inline = cell.children[0] if cell.children else None
                    cells.append(self.inline(inline, in_table=True) if inline else "")
                rows.append(cells)
        delim = {"left": ":---", "right": "---:", "center": ":---:"}
        lines = ["| " + " | ".join(cells) + " |" for cells in rows]
        lines.insert(1, "|" + "|".join(delim.get(a, "---") for a in aligns) + "|")
        return "\n".join(lines)

    # -- inline -----------------------------------------------------------------------------

    def inline(self, node: Any, *, in_table: bool = False) -> str:
        return "".join(self.span(child, in_table) for child in node.children).strip()

    def span(self, node: Any, in_table: bool) -> str:
        kind = node.type
        inner = "".join(self.span(c, in_table) for c in node.children)
        if kind == "text":
            return md_text(node.content)
        if kind == "softbreak":
            return " " if in_table else "\n"
        if kind == "hardbreak":
            return " " if in_table else "\\\n"
        if kind == "code_inline":
            return md_code(node.content, in_table=in_table)
        if kind == "em":
            return f"*{inner}*"
        if kind == "strong":
            return f"**{inner}**"
        if kind == "s":
            return f"~~{inner}~~"
        if kind == "link":
            return md_link(inner, str(node.attrs.get("href", "")))
        if kind == "image":
            return self.image(inner, str(node.attrs.get("src", "")))
        if kind == "math_inline":
            return _inline_math(node.content)
        return md_text(node.content)

    def image(self, alt: str, src: str) -> str:
        if _DATA_IMAGE.match(src):
            return f"![{alt}]({quote(src, safe='/:;,=+')})"
        dest = safe_url(src)
        if not dest or dest.startswith("mailto:"):
            return alt
        if self.remote_images:
            return f"![{alt}]({dest})"
        return f"[🖼 {alt or 'image'}]({dest})"


def _strip_delimiters(math: str) -> str:
    for opener, closer in (("$$", "$$"), ("\\[", "\\]"), ("\\(", "\\)"), ("$", "$")):
        if math.startswith(opener):
            math = math[len(opener) :]
            return math[: -len(closer)] if math.endswith(closer) else math
    return math


def _inline_math(source: str) -> str:
    display = source.startswith(("$$", "\\["))
    body = re.sub(r"(?<!\\)\$", r"\\$", _strip_delimiters(source)).strip().replace("\n", " ")
    return f"$${_tex(body)}$$" if display else f"${_tex(body)}$"
