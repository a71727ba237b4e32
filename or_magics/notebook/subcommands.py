"""``%openrouter SUBCOMMAND``: everything around a prompt (models, key, config, usage...).

Each is a small function registered with `command` (commands.py) with its arguments.
"""

from __future__ import annotations

import argparse
import re
import sys
import traceback
from typing import TYPE_CHECKING, Any

from IPython.core.error import UsageError

from .. import options
from ..client import OpenRouterError, mask_key, server_cache
from ..client.catalogue import MODEL_SORTS
from ..client.limits import Limits
from ..client.request import build_body
from ..client.validate import check_model
from ..protocol import VARIANTS
from .arguments import HelpShown
from .commands import COMMANDS, arg, command, help_text, run_line

if TYPE_CHECKING:
    from .magics import OpenRouterMagics

__all__ = ["COMMANDS", "help_text", "run_line"]  # registered here, dispatched there

# -- subcommands ----------------------------------------------------------------------------


@command("help", "this overview, or the help of one subcommand",
         arg("command", nargs="?", help="a subcommand"))
def show_help(magics: OpenRouterMagics, args: argparse.Namespace) -> None:
    from .show import show

    if args.command:
        found = COMMANDS.get(args.command)
        if found is None:
            raise UsageError(f"no subcommand {args.command!r}; %openrouter help lists them")
        text = found.parser.format_help()
    else:
        text = help_text()
    show(text, f"```text\n{text}\n```")


@command("ask", "a quick question; the prompt is taken as written (also: %openrouter PROMPT)",
         raw=True, usage="[%%%%openrouter options --] PROMPT")
def ask_line(magics: OpenRouterMagics, line: str) -> Any:
    """``%openrouter [options --] PROMPT``: the prompt is taken as written, quotes and all."""
    __tracebackhide__ = True
    head, sep, prompt = line.partition(" -- ")
    if not sep:
        head, prompt = ("", line) if not line.lstrip().startswith("-") else (line, "")
    try:
        args = magics.parse(head)
    except HelpShown:
        return None
    if not sep and args.model_id and args.model_id.isalpha():
        # options, then a prompt: a plain word ("What") is no model id (author/slug), while
        # "gpt-4o" is one mistyped and gets the model error
        args.words, args.model_id = [args.model_id, *args.words], None
    if not sep and args.words:
        prompt = " ".join(args.words)
    elif args.words or args.model_id:
        extra = " ".join(filter(None, [args.model_id, *args.words]))
        raise UsageError(f"unexpected {extra!r} before --: put options first, then -- and "
                         "the prompt")
    return magics.ask(prompt, args)


@command("models", "the model catalogue: search it, filter it, sort it",
         arg("words", nargs="*", metavar="WORDS",
             help="words that must all appear in a model's id, name or description"),
         arg("--sort", choices=tuple(MODEL_SORTS), default="name", help="order of the list"),
         arg("--free", action="store_true", help="free models only"),
         arg("--supports", action="append", default=[], metavar="PARAMETER",
             help="only models supporting this parameter (tools, reasoning, ...; repeatable)"),
         arg("--author", help="only this author's models (openai, anthropic, ...)"),
         arg("--input", action="append", default=[], metavar="MODALITY",
             choices=("image", "file", "audio", "video"),
             help="only models that take this input (image, file, audio, video; repeatable)"),
         arg("--output", choices=("text", "image", "audio", "embeddings", "all"),
             default="text", help="what the models make (default text: chat models)"),
         arg("--embeddings", action="store_true", help="embedding models (--output embeddings)"),
         arg("--limit", type=int, default=50, help="show at most this many (default 50)"))
def models(magics: OpenRouterMagics, args: argparse.Namespace) -> None:
    from .reports import models_table

    output = "embeddings" if args.embeddings else args.output
    try:
        found = magics.session.client().models(
            " ".join(args.words) or None, supports=args.supports, author=args.author,
            free=True if args.free else None, input_modalities=args.input, output=output)
    except OpenRouterError as exc:
        raise UsageError(str(exc)) from None
    if not found and len(args.words) > 1:
        words = " ".join(args.words)
        raise UsageError(f"no model matches {words!r}; to ask a model instead, write "
                         f"%openrouter ask models {words}")
    models_table(found, args.sort, args.limit, simulated=magics.session.is_offline,
                 output=output)


@command("panel", "explore models; choose variant, routing and parameters (ipywidgets)")
def panel(magics: OpenRouterMagics, args: argparse.Namespace) -> None:
    from IPython.display import display

    from ..render import in_kernel

    if not in_kernel(magics.shell):
        raise UsageError("the panel is made of widgets and needs Jupyter (JupyterLab, "
                         "Notebook 7 or VS Code); here, %openrouter models lists the catalogue")
    from ..explorer import Panel

    try:
        display(Panel(shell=magics.shell))  # type: ignore[no-untyped-call]
    except OpenRouterError as exc:
        raise UsageError(f"cannot load the model catalogue: {exc}") from None


@command("use", "the default model of the session (variants: "
         + " ".join(f":{v}" for v in VARIANTS) + ")",
         arg("model", metavar="MODEL", help="a model id, e.g. openai/gpt-4o-mini:nitro"))
def use(magics: OpenRouterMagics, args: argparse.Namespace) -> None:
    client = magics.session.client()
    try:
        model = check_model(args.model, openrouter=client.openrouter)
        if client.openrouter:
            client.model_info(model)
    except OpenRouterError as exc:
        raise UsageError(str(exc)) from None
    magics.model = model
    print(f"Default model: {model}")


@command("config", "show the settings, or set default request fields",
         arg("fields", nargs="*", metavar="KEY=VALUE",
             help="request fields for every call (VALUE is JSON, spaces and all), e.g. "
                  "temperature=0.2 provider={\"sort\": \"price\"}; also timeout=SECONDS, "
                  "first_token_timeout=SECONDS, server_cache=true|SECONDS"),
         arg("--reset", action="store_true", help="clear the default request fields"),
         raw=True)
def config(magics: OpenRouterMagics, line: str) -> None:
    """Raw, so a JSON value keeps its quotes and spaces: each field starts at a KEY=."""
    from .reports import config_table

    items = _fields(line.strip())
    if "--reset" in items:
        items.remove("--reset")
        magics.params = {}
    if items:
        try:
            updates = dict(_config_field(item) for item in items)
            fields = dict(updates)
            Limits().taking(fields)  # timeout, first_token_timeout: checked, not sent
            server_cache.take(fields)  # checked, sent as headers (X-OpenRouter-Cache)
            build_body("x", model=None, stream=True, **fields)  # same checks as a request
        except (ValueError, OpenRouterError) as exc:
            raise UsageError(str(exc)) from None
        magics.params = {**magics.params, **updates}
    config_table(magics)


_FIELD_START = re.compile(r"--reset\b|[A-Za-z_][\w-]*=")


def _fields(line: str) -> list[str]:
    """``KEY=VALUE`` items, split at the spaces before a ``KEY=`` that stand outside any
    JSON string, list or object (``stop=["a b=c"]`` is one field)."""
    items, start, depth, quote, escaped = [], 0, 0, "", False
    for i, char in enumerate(line):
        if quote:
            escaped, quote = (not escaped and char == "\\"), (
                "" if char == quote and not escaped else quote)
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        elif char.isspace() and depth <= 0 and _FIELD_START.match(line, i + 1):
            items.append(line[start:i])
            start = i + 1
    items.append(line[start:])
    return [item.strip() for item in items if item.strip()]


def _config_field(item: str) -> tuple[str, Any]:
    if "=" not in item:
        raise ValueError(f"%openrouter config takes KEY=VALUE fields (e.g. temperature=0.2), "
                         f"not {item!r}")
    return options.param(item)


@command("key", "set the API key for this session with a hidden prompt (shown masked)",
         arg("--clear", action="store_true", help="forget the key set here"),
         arg("value", nargs="?", help=argparse.SUPPRESS))
def key(magics: OpenRouterMagics, args: argparse.Namespace) -> None:
    from .keyprompt import ask_for_key

    if args.value is not None:
        raise UsageError("%openrouter key takes no value (it would be saved in the notebook): "
                         "run it alone for a hidden prompt")
    if args.clear:
        magics.session.set_key(None)
        print("API key cleared for this session.")
        return
    value = ask_for_key()
    if not value:
        raise UsageError("no key entered (or no way to ask for one here); nothing changed. "
                         "Set OPENROUTER_API_KEY instead")
    try:
        magics.session.set_key(value)
    except OpenRouterError as exc:
        raise UsageError(f"{exc}; nothing changed") from None
    print(f"API key set for this session: {mask_key(magics.session.api_key)}")


@command("offline", "answer from the built-in simulator (labelled “simulated”)",
         arg("--token-rate", type=float, help="tokens per second (0: instant)"),
         arg("--latency", type=float, help="seconds before the first token"))
def offline(magics: OpenRouterMagics, args: argparse.Namespace) -> None:
    for name in ("token_rate", "latency"):
        value = getattr(args, name)
        if value is not None:
            if value < 0:
                raise UsageError(f"--{name.replace('_', '-')} must be ≥ 0")
            magics.session.simulator[name] = value
    magics.offline = True
    magics.session.reset_client()
    print("Answers now come from the built-in simulator (labelled “simulated”).")


@command("online", "answer from OpenRouter (or the configured base URL)")
def online(magics: OpenRouterMagics, args: argparse.Namespace) -> None:
    magics.offline = False
    state = magics.session
    where = state.client().base_url
    if state.needs_key and not state.api_key:
        print(f"Answers now come from {where}, but there is no API key yet: run "
              "%openrouter key or set OPENROUTER_API_KEY (nothing is sent without one).")
    else:
        print(f"Answers now come from {where}.")


@command("usage", "tokens and cost of this session by model, and the key's credits",
         arg("--reset", action="store_true", help="start counting again from zero"))
def usage(magics: OpenRouterMagics, args: argparse.Namespace) -> None:
    from .reports import usage_table

    if args.reset:
        magics.session.usage.clear()
        print("Session usage reset (the key's own totals are OpenRouter's and do not change).")
        return
    usage_table(magics.session)


@command("budget", "the most this session may spend, in USD: cells, ask() and batches stop "
         "before passing it", arg("limit", nargs="?", metavar="USD",
                                  help="e.g. 1.00; 'off' removes the limit; alone: show it"))
def budget(magics: OpenRouterMagics, args: argparse.Namespace) -> None:
    from ..kernel.values import usd

    state = magics.session
    if args.limit is not None:
        if args.limit.lower() in ("off", "none"):
            state.budget = None
        else:
            try:
                value = float(args.limit.lstrip("$"))
            except ValueError:
                raise UsageError(f"%openrouter budget takes an amount in USD such as 1.00, "
                                 f"or off; not {args.limit!r}") from None
            if not value >= 0 or value == float("inf"):
                raise UsageError("the budget must be a number of USD ≥ 0")
            state.budget = value
    spent = state.total_usage().cost or 0.0
    if state.budget is None:
        print(f"No budget: this session has spent {usd(spent)}. Set one with "
              "%openrouter budget 1.00")
    else:
        print(f"Budget {usd(state.budget)}: {usd(spent)} spent, "
              f"{usd(max(state.budget - spent, 0))} left. Nothing is sent that could pass it.")


@command("cache", "answers kept on disk: identical requests are answered from it at no cost",
         arg("action", nargs="?", choices=("on", "off", "clear"),
             help="on, off, or clear it; alone: its size and hits"))
def cache(magics: OpenRouterMagics, args: argparse.Namespace) -> None:
    from ..client.cache import ResponseCache

    state = magics.session
    if args.action == "on":
        state.cache = state.cache or ResponseCache.default()
    elif args.action == "off":
        state.cache = None
    elif args.action == "clear":
        removed = (state.cache or ResponseCache.default()).clear()
        print(f"Cache cleared: {_count(removed, 'answer')} removed.")
        return
    if state._client is not None:
        state.client()  # the client in use picks the change up
    store = state.cache
    if store is None:
        print("The answer cache is off (%openrouter cache on keeps answers on disk).")
        return
    stats = store.stats()
    print(f"The answer cache is on: {_count(stats['entries'], 'answer')}, "
          f"{stats['bytes'] / 1e6:.1f} MB in {stats['path']}; {_count(stats['hits'], 'hit')} "
          f"and {_count(stats['misses'], 'miss', 'misses')} this session.")


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else many or one + 's'}"


@command("history", "the turns of a conversation (-c NAME in %%openrouter)",
         arg("name", nargs="?", metavar="NAME", help="one conversation (default: all)"))
def history(magics: OpenRouterMagics, args: argparse.Namespace) -> None:
    from .show import show

    chats = magics.session.conversations
    if not chats:
        print("No conversations yet: use %%openrouter -c NAME to start one.")
        return
    lines = []
    for name in [args.name] if args.name else list(chats):
        chat = chats.get(name)
        if chat is None:
            raise UsageError(f"no conversation {name!r} (known: {', '.join(chats)})")
        lines.append(f"## {name}: {len(chat)} turns")
        for message in chat.messages:
            content = message.get("content") or ""
            text = content if isinstance(content, str) else "[content parts]"
            text = text if len(text) <= 300 else text[:300] + "…"
            lines.append(f"**{message['role']}**: {text}")
    markdown = "\n\n".join(lines)
    show(markdown, markdown)


@command("reset", "forget one conversation, or all of them",
         arg("name", nargs="?", metavar="NAME", help="one conversation (default: all)"))
def reset(magics: OpenRouterMagics, args: argparse.Namespace) -> None:
    chats = magics.session.conversations
    if args.name:
        if args.name not in chats:
            raise UsageError(f"no conversation {args.name!r}")
        del chats[args.name]
        print(f"Conversation {args.name!r} forgotten.")
    else:
        count = len(chats)
        chats.clear()
        print(f"{count} conversation(s) forgotten.")


@command("explain", "send the last error and its cell to the model, and ask what went wrong",
         raw=True, usage="[QUESTION]")
def explain(magics: OpenRouterMagics, question: str) -> Any:
    """Send the last error, with the cell that raised it, and ask what went wrong."""
    __tracebackhide__ = True
    error = getattr(sys, "last_value", None)
    if error is None:
        raise UsageError("no error to explain yet: run a cell that fails, then "
                         "%openrouter explain")
    lines = traceback.format_exception(type(error), error, error.__traceback__)
    trace = "".join(lines)[-6000:]
    cells = failing_cells(magics.ipython, error)
    code = "\n\n".join(f"```python\n# cell [{count}]\n{source.rstrip()}\n```"
                       for count, source in cells) or "(the cell's code is not known)"
    prompt = ("This code, run in a Jupyter notebook:\n\n" + code + "\n\nfailed with:\n\n"
              "```\n" + trace + "\n```\n\n"
              + (question or "Explain the cause in a few sentences and show the fix."))
    return magics.ask(prompt, magics.parse("--no-interpolate"))


def failing_cells(shell: Any, error: BaseException) -> list[tuple[int, str]]:
    """The cells an error went through, from the one that was run to the one that raised
    (a function defined in an earlier cell): their execution counts and code. Found from the
    traceback's frames, so a cell run since then does not get in the way."""
    numbers = getattr(shell.compile, "_filename_map", {})
    inputs = shell.user_ns.get("In") or []
    found: list[int] = []
    tb = error.__traceback__
    while tb is not None:
        count = numbers.get(tb.tb_frame.f_code.co_filename)
        if count is not None and count not in found:
            found.append(count)
        tb = tb.tb_next
    return [(count, inputs[count]) for count in found if 0 < count < len(inputs)]


@command("last", "the last Response (also or_magics.session.last)")
def last(magics: OpenRouterMagics, args: argparse.Namespace) -> Any:
    if magics.session.last is None:
        raise UsageError("no answer yet in this session")
    return magics.session.last
