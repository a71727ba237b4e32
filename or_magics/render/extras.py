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
from .meta import md_escape, seconds

PREVIEW_CHARS = 100
_INLINE_ARGS = 120
_RESULT_CHARS = 2000  # of a step's result, folded under its line


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


def _outcome(call: ToolCallView) -> str:
    """One short line: "✓ 12 ms: 21 °C" or "✗ KeyError: …" (empty when it did not run)."""
    if not call.ran:
        return ""
    took = f" {seconds(call.seconds)}" if call.seconds is not None else ""
    if call.error is not None:
        return f"✗{took}: {_short(call.error)}"
    return f"✓{took}: {_short(call.result or '')}"


def _short(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= _INLINE_ARGS else line[: _INLINE_ARGS - 1] + "…"


def tool_calls_html(calls: list[ToolCallView]) -> str:
    """Each call on one line; a call the kernel ran folds its full result under it."""
    if not calls:
        return ""
    rows = []
    for call in calls:
        compact = call.arguments_json()
        name = f"→ <code>{escape(call.name)}</code>"
        args = f" <code>{escape(_short(compact))}</code>"
        outcome = _outcome(call)
        if outcome:
            mark = ' class="orm-error"' if call.error is not None else ""
            body = escape((call.error or call.result or "")[:_RESULT_CHARS])
            rows.append(f"<details><summary>{name}{args} "
                        f'<span{mark}>{escape(outcome)}</span></summary>'
                        f"<pre><code>{body}</code></pre></details>")
        elif len(compact) <= _INLINE_ARGS:
            rows.append(f"<div>{name}{args}</div>")
        else:
            pretty = call.arguments_json(indent=2)
            rows.append(f"<div>{name}</div><pre><code>{escape(pretty)}</code></pre>")
    return f'<div class="orm-tools">{"".join(rows)}</div>'


def tool_calls_markdown(calls: list[ToolCallView]) -> str:
    if not calls:
        return ""
    lines = []
    for call in calls:
        line = f"- → {md_code(call.name)} {md_code(_short(call.arguments_json()))}"
        outcome = _outcome(call)
        lines.append(f"{line} {md_code(outcome)}" if outcome else line)
    return "\n\n" + "\n".join(lines) + "\n"


def tool_calls_text(calls: list[ToolCallView]) -> str:
    lines = []
    for call in calls:
        outcome = _outcome(call)
        lines.append(f"→ {call.name}({_short(call.arguments_json())})"
                     + (f" {outcome}" if outcome else ""))
    return "\n".join(lines)
