"""The one table of request options: flag, request field, kind, choices and help.

Everything that maps a setting to the wire derives from `OPTIONS`: the ``%%openrouter``
flags and their help, the panel's `Choice` (its fields, its controls and menus), the
``%%openrouter`` line the panel prints, and the request fields of each. Adding an option is
one row. Pure data and functions: no IPython, no widgets.
"""

from __future__ import annotations

import argparse
import json
import shlex
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .client.features import MODALITIES, WEB_CONTEXT_SIZES
from .client.validate import EFFORTS, PDF_ENGINES, QUANTIZATIONS, ROUTING_SORTS, WEB_ENGINES

__all__ = ["FORMATS", "GROUPS", "OPTIONS", "Option", "add_arguments", "by_name",
           "magic_words", "request_fields", "values_from_fields"]

FORMATS = ("markdown", "text", "code", "json", "html")
#: Help sections and panel tabs, in order.
GROUPS = {
    "model": "Model",
    "parameters": "Parameters",
    "routing": "Provider routing",
    "kernel": "Kernel functions and types",
    "attach": "Images, files and prompt caching",
    "cell": "The cell",
}


@dataclass(frozen=True)
class Option:
    """One setting. ``field`` is its request path ("provider.sort"); None for how the cell
    behaves (format, output variable...), which never reaches the request."""

    name: str
    flags: tuple[str, ...]
    help: str
    field: str | None = None
    #: "str", "int", "float", "flag" (present or not), "list" (comma-separated on the
    #: command line), "append" (repeatable), "models" (one or more words)
    kind: str = "str"
    choices: tuple[str, ...] = ()
    metavar: str | None = None
    #: The field's value when a "flag" is given (``--no-fallbacks`` means False).
    value: Any = True
    group: str = "cell"
    #: Offered by the panel (and so part of `Choice`).
    panel: bool = False
    #: The panel's label, when the help text is too long for a control.
    label: str = ""
    #: The value names things in the user's namespace (functions, types), looked up there.
    names: bool = False
    #: A word that names a variable of the notebook means that object; any other word is
    #: taken as written (a path or a URL).
    objects: bool = False

    @property
    def flag(self) -> str:
        """The flag a written line uses: the short one where there is one."""
        return self.flags[0]

    @property
    def empty(self) -> Any:
        """The value meaning "not set"."""
        return False if self.kind == "flag" else [] if self.kind in ("list", "append") else None


OPTIONS: tuple[Option, ...] = (
    # -- model ---------------------------------------------------------------------------
    Option("model", ("-m", "--model"), "model id, e.g. openai/gpt-4o-mini or "
           "meta-llama/llama-3.3-70b-instruct:free (also the first word)", field="model",
           metavar="MODEL", group="model"),
    Option("fallbacks", ("--fallback",), "model to try if the first fails (repeatable, in "
           "order)", field="models", kind="append", metavar="MODEL", group="model", panel=True,
           label="fallback models, tried in order if the first fails"),
    Option("compare", ("--compare",), "ask two or more models at once (also A,B,C): answers "
           "side by side, -o VAR gets the list of Responses; every other option applies to "
           "each model", kind="models", metavar="MODEL", group="model"),
    Option("system", ("-s", "--system"), "system prompt", field="system", group="model",
           panel=True),
    # -- parameters ----------------------------------------------------------------------
    Option("temperature", ("-t", "--temperature"), "sampling temperature, 0 to 2",
           field="temperature", kind="float", group="parameters", panel=True),
    Option("max_tokens", ("--max-tokens",), "longest answer, in tokens", field="max_tokens",
           kind="int", group="parameters", panel=True, label="max tokens"),
    Option("top_p", ("--top-p",), "nucleus sampling, 0 to 1", field="top_p", kind="float",
           group="parameters"),
    Option("seed", ("--seed",), "seed, for models that support it", field="seed", kind="int",
           group="parameters"),
    Option("stop", ("--stop",), "stop sequence (repeatable)", field="stop", kind="append",
           metavar="TEXT", group="parameters"),
    Option("reasoning", ("-r", "--reasoning"), "reasoning effort (each model takes some of "
           "these; the panel lists them)", field="reasoning.effort", choices=EFFORTS,
           metavar="EFFORT", group="parameters", panel=True),
    Option("reasoning_budget", ("--reasoning-budget",), "reasoning tokens to spend (Anthropic, "
           "Gemini), instead of -r", field="reasoning.max_tokens", kind="int",
           metavar="TOKENS", group="parameters"),
    Option("hide_reasoning", ("--hide-reasoning",), "reason, but leave the reasoning out of "
           "the answer (its tokens still count)", field="reasoning.exclude", kind="flag",
           group="parameters"),
    Option("web", ("--web",), "search the web (OpenRouter's web search tool) and cite sources",
           field="web", kind="flag", group="parameters", panel=True,
           label="search the web (cited sources)"),
    Option("web_results", ("--web-results",), "web search: results per search (default 5; "
           "implies --web)", field="web.max_results", kind="int", metavar="N",
           group="parameters"),
    Option("web_engine", ("--web-engine",), "web search engine (native: the provider's own; "
           "implies --web)", field="web.engine", choices=WEB_ENGINES, group="parameters"),
    Option("web_context", ("--web-context",), "web search: how much of each page the model "
           "reads (implies --web)", field="web.search_context_size", choices=WEB_CONTEXT_SIZES,
           group="parameters"),
    Option("modalities", ("--modalities",), "what the answer may hold: image,text for models "
           "that draw (%%openrouter models --output image)", field="modalities", kind="list",
           choices=MODALITIES, metavar="image,text", group="parameters"),
    # -- routing -------------------------------------------------------------------------
    Option("sort", ("--sort",), "route to the provider with the best price, throughput, "
           "latency or tool-calling quality (exacto)", field="provider.sort",
           choices=ROUTING_SORTS, group="routing", panel=True, label="sort by"),
    Option("order", ("--order",), "providers to try first, in order", field="provider.order",
           kind="list", metavar="P1,P2", group="routing", panel=True),
    Option("only", ("--only",), "use only these providers", field="provider.only",
           kind="list", metavar="P1,P2", group="routing", panel=True),
    Option("ignore", ("--ignore",), "never use these providers", field="provider.ignore",
           kind="list", metavar="P1,P2", group="routing", panel=True),
    Option("no_fallbacks", ("--no-fallbacks",), "do not fall back to other providers",
           field="provider.allow_fallbacks", kind="flag", value=False, group="routing",
           panel=True),
    Option("require_parameters", ("--require-parameters",), "only providers that support "
           "every parameter of the request", field="provider.require_parameters",
           kind="flag", group="routing", panel=True),
    Option("zdr", ("--zdr",), "zero-data-retention endpoints only", field="provider.zdr",
           kind="flag", group="routing", panel=True, label="zero data retention only"),
    Option("deny_data_collection", ("--deny-data-collection",), "only providers that do not "
           "store or train on prompts", field="provider.data_collection", kind="flag",
           value="deny", group="routing", panel=True, label="deny data collection"),
    Option("quantizations", ("--quantizations",), "only endpoints with these quantizations",
           field="provider.quantizations", kind="list", choices=QUANTIZATIONS,
           metavar="Q1,Q2", group="routing", panel=True),
    Option("max_price_in", ("--max-price-in",), "highest prompt price, USD per million "
           "tokens", field="provider.max_price.prompt", kind="float", metavar="USD",
           group="routing", panel=True, label="max $/M in"),
    Option("max_price_out", ("--max-price-out",), "highest completion price, USD per million "
           "tokens", field="provider.max_price.completion", kind="float", metavar="USD",
           group="routing", panel=True, label="max $/M out"),
    # -- kernel functions and types -----------------------------------------------------
    Option("tools", ("--tools",), "functions in the notebook the model may call; the loop "
           "runs them here and sends the results back", field="tools", kind="list",
           metavar="FN1,FN2", group="kernel", names=True),
    Option("confirm", ("--confirm",), "ask before each tool call", field="confirm",
           kind="flag", group="kernel"),
    Option("max_steps", ("--max-steps",), "tool-calling rounds before stopping (default 10)",
           field="max_steps", kind="int", metavar="N", group="kernel"),
    Option("schema", ("--schema",), "a type in the notebook (dataclass, TypedDict, pydantic "
           "model) the answer must fit; -o VAR / -f json give the parsed object",
           field="schema", metavar="TYPE", group="kernel", names=True),
    Option("no_strict", ("--no-strict",), "for models without structured outputs: ask with "
           "instructions and check the answer", field="strict", kind="flag", value=False,
           group="kernel"),
    # -- images, files and prompt caching ------------------------------------------------
    Option("image", ("--image",), "an image for the model (repeatable): a variable (Figure, "
           "PIL image, array, bytes), plt (the current figure), a file path or a URL",
           field="images", kind="append", metavar="IMAGE", group="attach", objects=True),
    Option("file", ("--file",), "a PDF or an audio file (wav, mp3, flac...) for the model "
           "(repeatable): a path, or a variable holding its bytes", field="files",
           kind="append", metavar="FILE", group="attach", objects=True),
    Option("pdf_engine", ("--pdf-engine",), "how PDFs are read for models that cannot: "
           "mistral-ocr (scans too; paid), cloudflare-ai (free), native", field="pdf_engine",
           choices=PDF_ENGINES, group="attach"),
    Option("cache_system", ("--cache-system",), "mark the system prompt cacheable (Anthropic "
           "needs this; OpenAI and Gemini cache long prefixes by themselves)",
           field="cache_system", kind="flag", group="attach"),
    Option("cache_prompt", ("--cache-prompt",), "mark the whole prompt cacheable (a breakpoint "
           "at its end)", field="cache_control", kind="flag", value={"type": "ephemeral"},
           group="attach"),
    # -- the cell ------------------------------------------------------------------------
    Option("format", ("-f", "--format"), "markdown (default), text, code (into a new cell), "
           "json (a Python object), html", choices=FORMATS),
    Option("output", ("-o", "--output"), "store the Response in this variable",
           metavar="VAR"),
    Option("conversation", ("-c", "--conversation"), "continue (or start) the conversation "
           "called NAME", metavar="NAME"),
    Option("no_stream", ("--no-stream",), "wait for the whole answer", kind="flag"),
    Option("timeout", ("--timeout",), "give up when the whole answer takes longer than this "
           "(what came so far is kept)", field="timeout", kind="float", metavar="SECONDS"),
    Option("first_token_timeout", ("--first-token-timeout",), "give up when no token comes "
           "within this (default 300; keep-alives do not count)", field="first_token_timeout",
           kind="float", metavar="SECONDS"),
    Option("dry_run", ("--dry-run",), "show the request that would be sent, and send nothing",
           kind="flag"),
    Option("no_interpolate", ("--no-interpolate",), "send {braces} as written", kind="flag"),
    Option("param", ("-p", "--param"), "any other request field; VALUE is JSON (-p top_k=40 "
           "-p 'provider={\"zdr\": true}')", kind="append", metavar="KEY=VALUE"),
)

_BY_NAME = {option.name: option for option in OPTIONS}


def by_name(name: str) -> Option:
    return _BY_NAME[name]


def panel_options() -> list[Option]:
    return [option for option in OPTIONS if option.panel]


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add every option, by group, to an argparse parser (IPython's magic parser)."""
    for group, title in GROUPS.items():
        section = parser.add_argument_group(title)
        for option in OPTIONS:
            if option.group != group:
                continue
            kwargs: dict[str, Any] = {"dest": option.name, "help": option.help}
            if option.kind == "flag":
                kwargs["action"] = "store_true"
            else:
                kwargs["metavar"] = option.metavar or option.name.upper()
                if option.kind == "append":
                    kwargs["action"] = "append"
                elif option.kind == "models":
                    kwargs["nargs"] = "+"
                elif option.kind in ("int", "float"):
                    kwargs["type"] = int if option.kind == "int" else float
                elif option.kind == "list":
                    kwargs["type"] = _csv
                if option.choices and option.kind != "list":
                    kwargs["choices"] = option.choices
                    kwargs["metavar"] = option.metavar or "|".join(option.choices)
            section.add_argument(*option.flags, **kwargs)


def request_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    """Request fields for option values (by option name); unset values are left out."""
    fields: dict[str, Any] = {}
    for name, value in values.items():
        option = _BY_NAME[name]
        if option.field is None or value is None or value == option.empty or value == "":
            continue
        if option.kind == "flag":
            value = option.value
        elif option.kind in ("list", "append"):
            value = list(value)
        *parents, leaf = option.field.split(".")
        holder = fields
        for part in parents:
            if not isinstance(holder.get(part), dict):  # "--web" and "--web-results 3"
                holder[part] = {}
            holder = holder[part]
        if isinstance(holder.get(leaf), dict) and value is True:
            continue  # a flag that only turns on what its settings already do
        holder[leaf] = value
    return fields


def values_from_fields(fields: Mapping[str, Any],
                       options: Iterable[Option] = OPTIONS) -> dict[str, Any]:
    """The option values request fields stand for (the inverse of `request_fields`)."""
    values: dict[str, Any] = {}
    for option in options:
        if option.field is None:
            continue
        value: Any = fields
        for part in option.field.split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
        if option.kind == "flag":  # settings ({"max_results": 3}) mean the flag is on too
            values[option.name] = value == option.value or (
                option.value is True and isinstance(value, Mapping) and bool(value))
        elif value is not None and not isinstance(value, Mapping):
            values[option.name] = list(value) if option.kind in ("list", "append") else value
    return values


def magic_words(values: Mapping[str, Any]) -> Iterator[str]:
    """``%%openrouter`` words for option values, in table order (model excluded)."""
    for option in OPTIONS:
        value = values.get(option.name)
        if option.name == "model" or value is None or value == option.empty or value == "":
            continue
        if option.kind == "flag":
            yield option.flag
        elif option.kind == "append":
            for item in value:
                yield from (option.flag, str(item))
        elif option.kind == "list":
            yield from (option.flag, ",".join(value))
        elif option.kind == "float":
            yield from (option.flag, f"{value:g}")
        elif option.name == "system":  # options live on one line
            yield from (option.flag, " ".join(str(value).split()))
        else:
            yield from (option.flag, str(value))


def quote(word: str) -> str:
    """Shell-style quoting that reads well: "it's" rather than 'it'"'"'s'."""
    quoted = shlex.quote(word)
    if quoted != word and "'" in word and not any(c in word for c in '"\\'):
        return f'"{word}"'
    return quoted


#: Fields ``-p`` cannot set, and what to write instead.
NOT_PARAMS = {
    "stream": "use --no-stream (or %config OpenRouterMagics.stream = False)",
    "messages": "the prompt is the cell body (-c NAME continues a conversation)",
}


def param(item: str) -> tuple[str, Any]:
    """``-p key=value``: the value is JSON when it parses, else a string."""
    key, sep, value = item.partition("=")
    if not sep or not key.strip():
        raise ValueError(f"-p/--param takes KEY=VALUE (e.g. -p top_k=40), not {item!r}")
    name = key.strip().replace("-", "_")
    if name in NOT_PARAMS:
        raise ValueError(f"{name} cannot be set with KEY=VALUE: {NOT_PARAMS[name]}")
    try:
        return name, json.loads(value)
    except ValueError:
        return name, value
