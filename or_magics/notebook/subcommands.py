"""``%openrouter SUBCOMMAND``: everything around a prompt (models, key, config, usage...).

Each subcommand is a small function; its options are parsed with IPython's argument parser,
so a bad one is a one-line ``UsageError``. A line that is not a subcommand is a prompt.
"""

from __future__ import annotations

import html
import json
import sys
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from IPython.core.error import UsageError
from IPython.core.magic_arguments import MagicArgumentParser

from ..client import OpenRouterError, mask_key
from ..client.catalogue import MODEL_SORTS, format_price, sort_models
from ..client.request import check_model
from ..session import session

if TYPE_CHECKING:
    from .magics import OpenRouterMagics

__all__ = ["run_line"]

Command = Callable[["OpenRouterMagics", str], Any]
COMMANDS: dict[str, Command] = {}


def command(name: str) -> Callable[[Command], Command]:
    def register(fn: Command) -> Command:
        COMMANDS[name] = fn
        return fn

    return register


def run_line(magics: OpenRouterMagics, line: str) -> Any:
    __tracebackhide__ = True
    name, _, rest = line.strip().partition(" ")
    if not name:
        return show_help(magics, "")
    if name in COMMANDS:
        return COMMANDS[name](magics, rest.strip())
    return ask_line(magics, line)


def _parser(prog: str, description: str) -> MagicArgumentParser:
    return MagicArgumentParser(prog=f"%openrouter {prog}", description=description,
                               add_help=False)


def _parse(parser: MagicArgumentParser, rest: str) -> Any:
    import shlex

    try:
        return parser.parse_args(shlex.split(rest))
    except ValueError as exc:
        raise UsageError(f"{parser.prog}: {exc}") from None


def _show(plain: str, markdown: str | None = None, html_text: str | None = None) -> None:
    from IPython.display import display

    bundle = {"text/plain": plain}
    if markdown is not None:
        bundle["text/markdown"] = markdown
    if html_text is not None:
        bundle["text/html"] = html_text
    display(bundle, raw=True)


def _table(headers: list[str], rows: list[list[str]], align: str) -> tuple[str, str]:
    """(plain, html) renderings of one small table; ``align`` is "l"/"r" per column."""
    escaped = [[html.escape(c) for c in r] for r in rows]
    return _plain_table(headers, rows, align), _html_table(headers, escaped, align)


def _plain_table(headers: list[str], rows: list[list[str]], align: str) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.rjust(w) if a == "r" else c.ljust(w)
                         for c, w, a in zip(cells, widths, align, strict=True)).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]),
                      *(line(r) for r in rows)])


def _html_table(headers: list[str], cells: list[list[str]], align: str) -> str:
    """An HTML table of cells that are HTML already."""
    style = ["text-align:right" if a == "r" else "text-align:left" for a in align]
    head = "".join(f"<th style='{s}'>{html.escape(h)}</th>"
                   for h, s in zip(headers, style, strict=True))
    body = "".join("<tr>" + "".join(f"<td style='{s}'>{c}</td>"
                                    for c, s in zip(r, style, strict=True)) + "</tr>"
                   for r in cells)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


# -- subcommands ------------------------------------------------------------------------------

HELP = """\
%%openrouter [MODEL] [options]   the cell body is the prompt; the answer streams in
%%openrouter --compare A B [C]   the same prompt to several models at once, side by side
                                 (-o VAR gets the list of Responses)
%openrouter ask PROMPT           a quick one-line question (also: %openrouter PROMPT)
%openrouter models [WORDS]       the model catalogue: --sort price|context|name|newest,
                                 --free, --supports tools, --author openai, --limit N
%openrouter panel                explore models, choose variant, routing and parameters
%openrouter use MODEL            the session's default model (variants: :free :nitro :floor
                                 :thinking :online :extended :exacto)
%openrouter config [KEY=VALUE]   show settings, or set a default request field
                                 (temperature=0.2); --reset clears them
%openrouter key [--clear]        set the API key with a hidden prompt (shown masked)
%openrouter offline | online     answer from the built-in simulator / from OpenRouter
%openrouter usage                tokens and cost of this session, by model
%openrouter history [NAME]       the turns of a conversation (-c NAME in %%openrouter)
%openrouter reset [NAME]         forget one conversation, or all of them
%openrouter explain [QUESTION]   send the last error and its cell to the model
%openrouter last                 the last Response (also or_magics.session.last)

Options of %%openrouter: %%openrouter?   Settings: %config OpenRouterMagics"""


@command("help")
def show_help(magics: OpenRouterMagics, rest: str) -> None:
    _show(HELP, f"```text\n{HELP}\n```")


@command("ask")
def ask_line(magics: OpenRouterMagics, line: str) -> Any:
    """``%openrouter [options --] PROMPT``: the prompt is taken as written, quotes and all."""
    __tracebackhide__ = True
    options, sep, prompt = line.partition(" -- ")
    if not sep:
        options, prompt = ("", line) if not line.lstrip().startswith("-") else (line, "")
    args = magics._parse(options)
    if not sep and args.words:
        prompt = " ".join(args.words)
    elif args.words or args.model_id:
        extra = " ".join(filter(None, [args.model_id, *args.words]))
        raise UsageError(f"unexpected {extra!r} before --: put options first, then -- and "
                         "the prompt")
    return magics.ask(prompt, args)


@command("models")
def models(magics: OpenRouterMagics, rest: str) -> None:
    parser = _parser("models", "Search the model catalogue.")
    parser.add_argument("words", nargs="*")
    parser.add_argument("--sort", choices=tuple(MODEL_SORTS), default="name")
    parser.add_argument("--free", action="store_true")
    parser.add_argument("--supports", action="append", default=[])
    parser.add_argument("--author")
    parser.add_argument("--limit", type=int, default=50)
    args = _parse(parser, rest)
    try:
        found = session.client().models(" ".join(args.words) or None, supports=args.supports,
                                         author=args.author, free=True if args.free else None)
    except OpenRouterError as exc:
        raise UsageError(str(exc)) from None
    found = sort_models(found, args.sort)
    shown = found[: max(args.limit, 1)]
    rows = [[m.id, f"{m.context_length:,}" if m.context_length else "?",
             format_price(m.prompt_price), format_price(m.completion_price),
             "+".join(m.input_modalities) + "→" + "+".join(m.output_modalities)]
            for m in shown]
    plain, table = _table(["model", "context", "$/M in", "$/M out", "modalities"], rows,
                          "lrrrl")
    more = f" (showing {len(shown)}; --limit N for more)" if len(found) > len(shown) else ""
    title = f"{len(found)} models{more}, sorted by {args.sort}; prices per million tokens"
    if session.is_offline:
        title += " — simulated catalogue"
    _show(f"{title}\n{plain}", None, f"<p>{html.escape(title)}</p>{table}")


@command("use")
def use(magics: OpenRouterMagics, rest: str) -> None:
    if not rest or " " in rest:
        raise UsageError("%openrouter use MODEL, e.g. %openrouter use openai/gpt-4o-mini")
    client = session.client()
    try:
        model = check_model(rest, openrouter=client.openrouter)
        if client.openrouter:
            client.model_info(model)
    except OpenRouterError as exc:
        raise UsageError(str(exc)) from None
    magics.model = model
    print(f"Default model: {model}")


@command("panel")
def panel(magics: OpenRouterMagics, rest: str) -> None:
    if rest:
        raise UsageError("%openrouter panel takes no arguments")
    from IPython.display import display

    from ..explorer import Panel

    try:
        display(Panel(shell=magics.shell))
    except OpenRouterError as exc:
        raise UsageError(f"cannot load the model catalogue: {exc}") from None


@command("config")
def config(magics: OpenRouterMagics, rest: str) -> None:
    if rest.strip() == "--reset":
        magics.params = {}
    elif rest:
        import shlex

        from ..client.request import build_body
        from .magics import _param

        updates = dict(_param(item) for item in shlex.split(rest))
        try:
            build_body("x", model=None, stream=True, **updates)  # same checks as a request
        except OpenRouterError as exc:
            raise UsageError(str(exc)) from None
        magics.params = {**magics.params, **updates}
    client = session.client()
    rows = [
        ("model", session.model or magics.model or "openai/gpt-4o-mini (default)"),
        ("answers from", "built-in simulator" if client.offline else client.base_url),
        ("API key", mask_key(session.api_key)),
        ("format", magics.format), ("stream", str(magics.stream)),
        ("system prompt", magics.system or "(none)"),
        ("request defaults", json.dumps(magics.params) if magics.params else "(none)"),
    ]
    plain = "\n".join(f"{k:>16}: {v}" for k, v in rows)
    _show(plain, None, "<table>" + "".join(
        f"<tr><th style='text-align:right'>{html.escape(k)}</th>"
        f"<td style='text-align:left'>{html.escape(v)}</td></tr>" for k, v in rows) + "</table>")


@command("key")
def key(magics: OpenRouterMagics, rest: str) -> None:
    if rest == "--clear":
        session.set_key(None)
        print("API key cleared for this session.")
        return
    if rest:
        raise UsageError("%openrouter key takes no value (it would be saved in the notebook): "
                         "run it alone for a hidden prompt")
    import getpass

    try:
        value = getpass.getpass("OpenRouter API key (hidden; https://openrouter.ai/keys): ")
    except Exception as exc:  # no stdin, e.g. a headless run
        raise UsageError(f"cannot ask for a key here ({type(exc).__name__}); set "
                         "OPENROUTER_API_KEY instead") from None
    if not value.strip():
        raise UsageError("no key entered; nothing changed")
    session.set_key(value)
    if magics.offline is None and session.offline is None:
        session.reset_client()
    print(f"API key set for this session: {mask_key(session.api_key)}")


@command("offline")
def offline(magics: OpenRouterMagics, rest: str) -> None:
    parser = _parser("offline", "Answer from the built-in simulator.")
    parser.add_argument("--token-rate", type=float, help="tokens per second (0: instant)")
    parser.add_argument("--latency", type=float, help="seconds before the first token")
    args = _parse(parser, rest)
    for name in ("token_rate", "latency"):
        value = getattr(args, name)
        if value is not None:
            if value < 0:
                raise UsageError(f"--{name.replace('_', '-')} must be ≥ 0")
            session.simulator[name] = value
    magics.offline = True
    session.reset_client()
    print("Answers now come from the built-in simulator (labelled “simulated”).")


@command("online")
def online(magics: OpenRouterMagics, rest: str) -> None:
    magics.offline = False
    if not session.api_key and not session.base_url:
        print("Answers now come from OpenRouter, but there is no API key yet: run "
              "%openrouter key or set OPENROUTER_API_KEY.")
    else:
        print(f"Answers now come from {session.client().base_url}.")


@command("usage")
def usage(magics: OpenRouterMagics, rest: str) -> None:
    """Tokens and cost by model, a bar for each, and the key's limit and credits."""
    from ..render.meta import money

    entries = sorted(session.usage.items(),
                     key=lambda kv: (-(kv[1].usage.cost or 0), -kv[1].usage.total_tokens))
    by_cost = any(e.usage.cost for _, e in entries)
    measure = [(e.usage.cost or 0) if by_cost else e.usage.total_tokens for _, e in entries]
    top = max(measure, default=0) or 1
    rows = [[model, str(e.calls), f"{e.usage.prompt_tokens:,}",
             f"{e.usage.completion_tokens:,}", money(e.usage.cost or 0)]
            for model, e in entries]
    total = session.total_usage()
    rows.append(["total", str(sum(e.calls for _, e in entries)), f"{total.prompt_tokens:,}",
                 f"{total.completion_tokens:,}", money(total.cost or 0)])
    headers = ["model", "calls", "prompt tokens", "completion tokens", "cost",
               "share of " + ("cost" if by_cost else "tokens")]
    shares = [*measure, 0]  # no bar for the total

    def bar(m: float) -> str:
        return _BAR * max(1, round(12 * m / top)) if m else ""

    def bar_html(m: float) -> str:
        return (f"<div style='width:120px'><div style='height:9px;min-width:2px;width:"
                f"{100 * m / top:.0f}%;background:var(--jp-brand-color1,#1976d2)'></div></div>"
                if m else "")

    plain = _plain_table(headers, [[*r, bar(m)] for r, m in zip(rows, shares, strict=True)],
                         "lrrrrl")
    table = _html_table(headers, [[*map(html.escape, r), bar_html(m)]
                                  for r, m in zip(rows, shares, strict=True)], "lrrrrl")
    title = "Usage this session" + (" (simulated)" if session.is_offline else "")
    if not entries:
        title, plain, table = title + ": no answers yet", "", ""
    account = _account()
    text = "\n".join(filter(None, [title, plain, *account]))
    notes = "".join(f"<p style='margin:4px 0'>{html.escape(line)}</p>" for line in account)
    _show(text, None, f"<p>{html.escape(title)}</p>{table}{notes}")


_BAR = "█"


def _account() -> list[str]:
    """The key's limit and the account's credits, where the server and the key tell them."""
    client = session.client()
    if not client.openrouter or not (client.offline or session.api_key):
        return []  # another server has no /key; without a key we would have to ask for one
    from ..render.meta import money

    lines = []
    try:
        key = client.key_info()
        limit, left = key.get("limit"), key.get("limit_remaining")
        spent = key.get("usage")
        line = "Key: " + (f"limit {money(limit)}, {money(left)} left" if limit is not None
                          else "no spending limit")
        if spent is not None:
            line += f"; {money(spent)} used in all"
        if key.get("is_free_tier"):
            line += " (free tier)"
        lines.append(line)
    except OpenRouterError as exc:
        lines.append(f"Key: not available ({exc.status or 'error'})")
    try:
        credits = client.credits()
        bought, used = credits.get("total_credits"), credits.get("total_usage")
        if bought is not None and used is not None:
            lines.append(f"Credits: {money(bought)} bought, {money(used)} used, "
                         f"{money(bought - used)} left")
    except OpenRouterError:
        pass  # /credits needs a management key on some accounts; the key line says enough
    return lines


@command("history")
def history(magics: OpenRouterMagics, rest: str) -> None:
    if not session.conversations:
        print("No conversations yet: use %%openrouter -c NAME to start one.")
        return
    names = [rest] if rest else list(session.conversations)
    lines = []
    for name in names:
        chat = session.conversations.get(name)
        if chat is None:
            known = ", ".join(session.conversations)
            raise UsageError(f"no conversation {name!r} (known: {known})")
        lines.append(f"## {name}: {len(chat)} turns")
        for message in chat.messages:
            content = message.get("content") or ""
            text = content if isinstance(content, str) else "[content parts]"
            text = text if len(text) <= 300 else text[:300] + "…"
            lines.append(f"**{message['role']}**: {text}")
    markdown = "\n\n".join(lines)
    _show(markdown, markdown)


@command("reset")
def reset(magics: OpenRouterMagics, rest: str) -> None:
    if rest:
        if rest not in session.conversations:
            raise UsageError(f"no conversation {rest!r}")
        del session.conversations[rest]
        print(f"Conversation {rest!r} forgotten.")
    else:
        count = len(session.conversations)
        session.conversations.clear()
        print(f"{count} conversation(s) forgotten.")


@command("last")
def last(magics: OpenRouterMagics, rest: str) -> Any:
    if session.last is None:
        raise UsageError("no answer yet in this session")
    return session.last


@command("explain")
def explain(magics: OpenRouterMagics, rest: str) -> Any:
    """Send the last error, with the cell that raised it, and ask what went wrong."""
    __tracebackhide__ = True
    error = getattr(sys, "last_value", None)
    if error is None:
        raise UsageError("no error to explain yet: run a cell that fails, then "
                         "%openrouter explain")
    lines = traceback.format_exception(type(error), error, error.__traceback__)
    trace = "".join(lines)[-6000:]
    inputs = magics.shell.user_ns.get("In") or []
    code = next((cell for cell in reversed(inputs[:-1])
                 if cell.strip() and "%openrouter explain" not in cell), "")
    prompt = ("This code, run in a Jupyter notebook:\n\n```python\n" + code + "\n```\n\n"
              "failed with:\n\n```\n" + trace + "\n```\n\n"
              + (rest or "Explain the cause in a few sentences and show the fix."))
    args = magics._parse("--no-interpolate")
    return magics.ask(prompt, args)
