"""The tables subcommands show: the catalogue, the settings, the session's usage and the
key's credits. Each output reads well as HTML, and as plain text in a terminal or a saved
notebook."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..client import Client, Model, OpenRouterError, Usage, mask_key
from ..client.catalogue import format_price, sort_models
from ..kernel.values import usd
from ..protocol import DEFAULT_MODEL
from ..render.meta import money
from ..state import Session
from .show import html_table, plain_table, show, table

if TYPE_CHECKING:
    from .magics import OpenRouterMagics

__all__ = ["account_lines", "config_table", "models_table", "usage_table"]

BAR = "█"


def models_table(found: Sequence[Model], sort: str, limit: int, *, simulated: bool,
                 output: str = "text") -> None:
    found = sort_models(found, sort)
    shown = found[: max(limit, 1)]

    def out_price(model: Model) -> str:  # an embedding model makes no tokens to price
        return "–" if "text" not in model.output_modalities else \
            format_price(model.completion_price)

    rows = [[m.id, f"{m.context_length:,}" if m.context_length else "?",
             format_price(m.prompt_price), out_price(m),
             "+".join(m.input_modalities) + "→" + "+".join(m.output_modalities)]
            for m in shown]
    plain, html_rows = table(["model", "context", "$/M in", "$/M out", "modalities"], rows,
                             "lrrrl")
    more = f" (showing {len(shown)}; --limit N for more)" if len(found) > len(shown) else ""
    one = len(found) == 1
    kind = ("embedding model" if output == "embeddings" else "model") + ("" if one else "s")
    if output not in ("text", "embeddings", "all"):
        kind += f" that make{'s' if one else ''} {output}"
    title = f"{len(found)} {kind}{more}, sorted by {sort}; prices per million tokens"
    if simulated:
        title += " — simulated catalogue"
    show(f"{title}\n{plain}", None, f"<p>{html.escape(title)}</p>{html_rows}")


def config_table(magics: OpenRouterMagics) -> None:
    state = magics.session
    client = state.client()
    rows = [
        ("model", state.model or magics.model or f"{DEFAULT_MODEL} (default)"),
        ("answers from", "built-in simulator" if client.offline else client.base_url),
        ("API key", _key_line(state, client)),
        ("format", magics.format), ("stream", str(magics.stream)),
        ("system prompt", magics.system or "(none)"),
        ("request defaults", json.dumps(magics.params) if magics.params else "(none)"),
    ]
    plain = "\n".join(f"{k:>16}: {v}" for k, v in rows)
    show(plain, None, "<table>" + "".join(
        f"<tr><th style='text-align:right'>{html.escape(k)}</th>"
        f"<td style='text-align:left'>{html.escape(v)}</td></tr>" for k, v in rows) + "</table>")


def _key_line(state: Session, client: Client) -> str:
    """The key as the client in use sees it; the simulator needs none (one story with
    ``--dry-run``), and a key set meanwhile waits for ``%openrouter online``."""
    status = client.settings.key_status()
    if client.offline and state.api_key:
        status += f"; yours ({mask_key(state.api_key)}) is used after %openrouter online"
    return status


def _saving(state: Session, model: str, usage: Usage) -> float | None:
    """What the prompt cache saved on a model's answers, at its listed prices."""
    try:
        info = state.client().model_info(model)
    except OpenRouterError:
        return None
    return info.cache_saving(usage.cached_tokens, usage.cache_write_tokens)


def usage_table(state: Session) -> None:
    """Tokens and cost by model, a bar for each, what the prompt cache saved (when it was
    used), and the key's limit and credits."""
    total = state.total_usage()  # first: stopped answers' bills replace their estimates
    entries = sorted(state.usage.items(),
                     key=lambda kv: (-(kv[1].usage.cost or 0), -kv[1].usage.total_tokens))
    by_cost = any(e.usage.cost for _, e in entries)
    measure = [(e.usage.cost or 0) if by_cost else e.usage.total_tokens for _, e in entries]
    top = max(measure, default=0) or 1
    cached = any(e.usage.cached_tokens or e.usage.cache_write_tokens for _, e in entries)
    savings = [_saving(state, model, e.usage) if e.usage.cached_tokens or
               e.usage.cache_write_tokens else None for model, e in entries] if cached else []

    def about(usage: Usage) -> str:
        return "≈ " if usage.estimated else ""

    def cache_cells(usage: Usage, saving: float | None) -> list[str]:
        if not cached:
            return []
        written = f" (+{usage.cache_write_tokens:,} written)" if usage.cache_write_tokens \
            else ""
        shown = "–" if saving is None else money(saving) if saving >= 0 else \
            f"−{money(-saving)}"
        return [f"{usage.cached_tokens:,}{written}", shown]

    rows = [[model, str(e.calls), f"{about(e.usage)}{e.usage.prompt_tokens:,}",
             f"{about(e.usage)}{e.usage.completion_tokens:,}",
             *cache_cells(e.usage, savings[i] if cached else None), money(e.usage.cost or 0)]
            for i, (model, e) in enumerate(entries)]
    known = [s for s in savings if s is not None]
    rows.append(["total", str(sum(e.calls for _, e in entries)),
                 f"{about(total)}{total.prompt_tokens:,}",
                 f"{about(total)}{total.completion_tokens:,}",
                 *cache_cells(total, sum(known) if known else None), money(total.cost or 0)])
    headers = ["model", "calls", "prompt tokens", "completion tokens",
               *(["cached tokens", "cache saved"] if cached else []), "cost",
               "share of " + ("cost" if by_cost else "tokens")]
    align = "lrrr" + ("rr" if cached else "") + "rl"
    shares = [*measure, 0]  # no bar for the total

    def bar(m: float) -> str:
        return BAR * max(1, round(12 * m / top)) if m else ""

    def bar_html(m: float) -> str:
        return (f"<div style='width:120px'><div style='height:9px;min-width:2px;width:"
                f"{100 * m / top:.0f}%;background:var(--jp-brand-color1,#1976d2)'></div></div>"
                if m else "")

    plain = plain_table(headers, [[*r, bar(m)] for r, m in zip(rows, shares, strict=True)],
                        align)
    cells = html_table(headers, [[*map(html.escape, r), bar_html(m)]
                                 for r, m in zip(rows, shares, strict=True)], align)
    title = "Usage this session" + (" (simulated)" if state.is_offline else "")
    if not entries:
        title, plain, cells = title + ": no answers yet", "", ""
    account = account_lines(state)
    if total.estimated:
        account.insert(0, "≈ counted from what arrived of stopped answers; OpenRouter has "
                          "not told what they were billed yet")
    text = "\n".join(filter(None, [title, plain, *account]))
    notes = "".join(f"<p style='margin:4px 0'>{html.escape(line)}</p>" for line in account)
    show(text, None, f"<p>{html.escape(title)}</p>{cells}{notes}")


def _usd(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) \
        else None


def account_lines(state: Session) -> list[str]:
    """The key's limit and the account's credits, where the server and the key tell them."""
    client = state.client()
    if not client.openrouter or not (client.offline or state.api_key):
        return []  # another server has no /key; without a key we would have to ask for one
    lines = []
    try:
        key = client.key_info()
        limit, left, spent = (_usd(key.get(k)) for k in ("limit", "limit_remaining", "usage"))
        if limit is None:
            line = "Key: no spending limit"
        elif left is None:
            line = f"Key: limit {money(limit)}"
        else:
            line = f"Key: limit {money(limit)}, {usd(left)} left"
        if spent is not None:
            line += f"; {money(spent)} used in all"
        if key.get("is_free_tier"):
            line += " (free tier)"
        lines.append(line)
    except OpenRouterError as exc:
        lines.append(f"Key: not available ({exc.status or 'error'})")
    try:
        credits = client.credits()
        bought, used = _usd(credits.get("total_credits")), _usd(credits.get("total_usage"))
        if bought is not None and used is not None:
            lines.append(f"Credits: {money(bought)} bought, {money(used)} used, "
                         f"{usd(bought - used)} left")
    except OpenRouterError:
        pass  # /credits needs a management key on some accounts; the key line says enough
    return lines
