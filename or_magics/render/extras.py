"""Reasoning, citations and tool calls: what surrounds the answer, kept compact.

Reasoning is collapsed. While it streams, only a one-line preview of its tail is sent: the
frontend re-creates the DOM on every update (collapsing any open `<details>`), so sending
the whole text each time would cost bytes nobody can read. The full, rendered reasoning
goes out once, in the final update of its output.
"""

from __future__ import annotations

from html import escape
from urllib.parse import urlsplit

from .info import Citation, ToolCallView
from .markdown import to_html
from .mdsafe import markdown_safe, md_code, md_link
from .meta import md_escape

PREVIEW_CHARS = 100
_INLINE_ARGS = 120


def reasoning_html(text: str, *, final: bool) -> str:
    if not text.strip():
        return ""
    if not final:
        tail = " ".join(text[-PREVIEW_CHARS * 2 :].split())
        if len(tail) > PREVIEW_CHARS:
            tail = "…" + tail[-PREVIEW_CHARS:].split(" ", 1)[-1]
        return (
            '<details class="orm-reasoning"><summary>Reasoning… '
            f'<span class="orm-preview">{escape(tail)}</span></summary></details>'
        )
    return (
        '<details class="orm-reasoning"><summary>Reasoning</summary>'
        f"<div>{to_html(text)}</div></details>"
    )


def reasoning_markdown(text: str) -> str:
    if not text.strip():
        return ""
    return (f"<details><summary>Reasoning</summary>\n\n{markdown_safe(text.strip())}\n\n"
            "</details>\n\n")


def _host(url: str) -> str:
    return urlsplit(url).hostname or url


def _linkable(url: str) -> bool:
    return urlsplit(url.strip()).scheme.lower() in ("http", "https")


def citations_html(cites: list[Citation]) -> str:
    if not cites:
        return ""
    items = []
    for cite in cites:
        label = escape(cite.title or _host(cite.url))
        if _linkable(cite.url):
            link = (
                f'<a href="{escape(cite.url.strip())}" target="_blank" '
                f'rel="noopener noreferrer nofollow">{label}</a>'
            )
            items.append(f'<li>{link} <span class="orm-meta">{escape(_host(cite.url))}</span></li>')
        else:
            items.append(f"<li>{label}</li>")
    return (
        f'<div class="orm-cites"><div class="orm-meta">Sources</div><ol>{"".join(items)}</ol></div>'
    )


def citations_markdown(cites: list[Citation]) -> str:
    if not cites:
        return ""
    lines = [
        f"{i}. {md_link(md_escape(c.title or _host(c.url)), c.url.strip())}"
        if _linkable(c.url)
        else f"{i}. {md_escape(c.title or c.url)}"
        for i, c in enumerate(cites, 1)
    ]
    return "\n\n**Sources**\n\n" + "\n".join(lines) + "\n"


def citations_text(cites: list[Citation]) -> str:
    return "\n".join(
        f"[{i}] {c.title + ' — ' if c.title else ''}{c.url}" for i, c in enumerate(cites, 1)
    )


def tool_calls_html(calls: list[ToolCallView]) -> str:
    if not calls:
        return ""
    rows = []
    for call in calls:
        compact = call.arguments_json()
        name = f"→ <code>{escape(call.name)}</code>"
        if len(compact) <= _INLINE_ARGS:
            rows.append(f"<div>{name} <code>{escape(compact)}</code></div>")
        else:
            pretty = call.arguments_json(indent=2)
            rows.append(f"<div>{name}</div><pre><code>{escape(pretty)}</code></pre>")
    return f'<div class="orm-tools">{"".join(rows)}</div>'


def tool_calls_markdown(calls: list[ToolCallView]) -> str:
    if not calls:
        return ""
    lines = [f"- → {md_code(call.name)} {md_code(call.arguments_json())}" for call in calls]
    return "\n\n" + "\n".join(lines) + "\n"


def tool_calls_text(calls: list[ToolCallView]) -> str:
    return "\n".join(f"→ {call.name}({call.arguments_json()})" for call in calls)
