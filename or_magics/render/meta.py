"""The slim header and footer lines around an answer, as HTML, Markdown and plain text.

One list of short facts per line, joined with " · ": cheap to build on every update,
grey and small in HTML so the answer stays the focus.
"""

from __future__ import annotations

from html import escape

from .info import AnswerInfo
from .mdsafe import md_text

INTERRUPTED = "⏹ interrupted"
_QUIET_FINISH = {None, "", "stop", "end_turn", "completed", "tool_calls", "STOP"}


def header_parts(info: AnswerInfo) -> list[str]:
    return [p for p in (info.model, info.provider) if p] + (["simulated"] if info.simulated else [])


def footer_parts(info: AnswerInfo, *, with_provider: bool = False) -> list[str]:
    """Footer facts; `with_provider` adds the provider when the header could not show it."""
    parts: list[str] = ["from the cache, nothing spent"] if info.cached else []
    if info.server_cached and not info.cached:
        parts.append("from OpenRouter's response cache, nothing spent")
    if with_provider and info.provider:
        parts.append(info.provider)
    if info.prompt_tokens is not None or info.completion_tokens is not None:
        tokens = (
            f"{info.prompt_tokens or 0:,} → {info.completion_tokens or 0:,} tokens"
            if info.prompt_tokens is not None
            else f"{info.completion_tokens:,} tokens"
        )
        details = [f"{n:,} {what}" for n, what in (
            (info.reasoning_tokens, "reasoning"), (info.cached_tokens, "cached"),
            (info.cache_write_tokens, "written to cache")) if n]
        if details:
            tokens += f" ({', '.join(details)})"
        parts.append(f"≈ {tokens}" if info.estimated else tokens)
    if info.cost is not None and not info.cached:  # "nothing spent" says it already
        parts.append(money(info.cost))
    if info.cache_saving:
        saving = info.cache_saving
        parts.append(f"cache saved {money(saving)}" if saving > 0 else
                     f"cache write cost {money(-saving)}")
    if not info.cached:  # from the cache nothing was generated: no timings to tell
        parts += _timings(info)
    if info.finish_reason not in _QUIET_FINISH:
        warn = "⚠ " if info.finish_reason in ("length", "content_filter", "error") else ""
        parts.append(f"{warn}finish: {info.finish_reason}")
    return parts


def _timings(info: AnswerInfo) -> list[str]:
    parts = [seconds(info.latency_s)] if info.latency_s is not None else []
    if info.ttft_s is not None:
        parts.append(f"first token {seconds(info.ttft_s)}")
    if info.tokens_per_s:
        rate = info.tokens_per_s
        parts.append(f"{rate:.1f} tok/s" if rate < 10 else f"{rate:,.0f} tok/s")
    return parts


def money(usd: float) -> str:
    """US dollars with enough digits to tell tiny per-call costs apart."""
    if usd == 0:
        return "$0"
    if usd >= 1:
        return f"${usd:,.2f}"
    if usd >= 0.01:
        return f"${usd:.3f}"
    return f"${usd:.6f}".rstrip("0")


def seconds(s: float) -> str:
    return f"{s * 1000:.0f} ms" if s < 1 else f"{s:.1f} s"


def header_html(info: AnswerInfo) -> str:
    parts = [escape(p) for p in header_parts(info)]
    if not parts:
        return ""
    if info.simulated:
        parts[-1] = '<span class="orm-sim">simulated</span>'
    return f'<div class="orm-meta orm-head">{" · ".join(parts)}</div>'


def footer_html(info: AnswerInfo, *, with_provider: bool = False) -> str:
    """Error line (if any) and footer line."""
    html = ""
    if info.error:
        html += f'<div class="orm-error">⚠ {escape(info.error)}</div>'
    parts = [escape(p) for p in footer_parts(info, with_provider=with_provider)]
    if info.interrupted:
        parts.insert(0, f'<span class="orm-stop">{INTERRUPTED}</span>')
    if parts:
        html += f'<div class="orm-meta orm-foot">{" · ".join(parts)}</div>'
    return html


def md_escape(text: str) -> str:
    """One line of plain text as Markdown that renders as exactly that text."""
    return md_text(" ".join(text.split()))


def header_markdown(info: AnswerInfo) -> str:
    parts = header_parts(info)
    return f"*{md_escape(' · '.join(parts))}*\n\n" if parts else ""


def footer_markdown(info: AnswerInfo, *, with_provider: bool = False) -> str:
    out = f"\n\n**⚠ {md_escape(info.error)}**" if info.error else ""
    parts = footer_parts(info, with_provider=with_provider)
    if info.interrupted:
        parts.insert(0, INTERRUPTED)
    if parts:
        out += f"\n\n*{md_escape(' · '.join(parts))}*\n"
    return out


def footer_text(info: AnswerInfo, *, with_provider: bool = True) -> str:
    """One plain line for terminals: interruption, facts, then the error on its own line."""
    parts = ([INTERRUPTED] if info.interrupted else []) + footer_parts(
        info, with_provider=with_provider
    )
    line = f"— {' · '.join(parts)}" if parts else ""
    if info.error:
        line = f"⚠ {info.error}" + (f"\n{line}" if line else "")
    return line
