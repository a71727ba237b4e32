"""The option reference as Markdown, generated from the one options table, the subcommand
registry and the magics' settings, so README's reference can never drift from the code.

``python -m or_magics.notebook.reference README.md`` rewrites README's section (between
its ``reference:start`` and ``reference:end`` markers; any other file is written whole);
``--check`` says whether it is current (a test does the same).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from .. import options
from .commands import COMMANDS, Command

__all__ = ["END", "REGENERATE", "START", "in_document", "main", "reference_markdown"]

REGENERATE = "python -m or_magics.notebook.reference README.md"
START, END = "<!-- reference:start -->", "<!-- reference:end -->"


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(text.replace("|", "\\|").split())


def _unescaped(help_text: str) -> str:
    """An argparse help as argparse prints it (``%%`` is its escape for ``%``)."""
    return help_text.replace("%%", "%")


def _code(text: str) -> str:
    """Inline code for a table cell (GitHub splits cells at ``|`` even inside code)."""
    text = text.replace("|", "\\|")
    return f"`{text}`" if "`" not in text else f"`` {text} ``"


def _value(option: options.Option) -> str:
    """What follows the flag on the line: nothing for a flag, its choices or metavar."""
    if option.kind == "flag":
        return ""
    if option.choices and option.kind != "list":
        shown = option.metavar or "|".join(option.choices)
    else:
        shown = option.metavar or option.name.upper()
    if option.kind == "models":
        shown += " …"
    return _code(shown)


def _what(option: options.Option) -> str:
    """The help line, plus what a reader needs that the flag does not show."""
    extra = []
    if option.choices and (option.kind == "list" or option.metavar):
        extra.append("one of " + ", ".join(_code(c) for c in option.choices))
    if option.kind == "append" and "repeatable" not in option.help:
        extra.append("repeatable")
    text = _cell(_unescaped(option.help))
    return text + (f" ({'; '.join(extra)})" if extra else "")


def _options_section() -> list[str]:
    lines = [
        "## `%%openrouter` options", "",
        "`%%openrouter [MODEL] [options]`: the cell body is the prompt. The same options go "
        "before ` -- ` in a one-line `%openrouter [options --] PROMPT`, and "
        "`%%openrouter?` shows them in the notebook. *Request field* is where the option "
        "lands in the JSON sent to OpenRouter (see it with `--dry-run`); options without one "
        "change what the cell does, not what is asked.", "",
    ]
    for group, title in options.GROUPS.items():
        rows = [o for o in options.OPTIONS if o.group == group]
        if not rows:
            continue
        lines += [f"### {title}", "", "| option | value | request field | what it does |",
                  "|---|---|---|---|"]
        for option in rows:
            flags = ", ".join(_code(flag) for flag in option.flags)
            field = _code(option.field) if option.field else ""
            lines.append(f"| {flags} | {_value(option)} | {field} | {_what(option)} |")
        lines.append("")
    return lines


def _arguments(command: Command) -> Iterable[str]:
    """One table row per argument of a subcommand (``-h`` and hidden ones left out)."""
    for action in command.parser._actions:
        if isinstance(action, argparse._HelpAction) or action.help == argparse.SUPPRESS:
            continue
        many = " …" if action.nargs in ("*", "+") else ""
        takes = _code("|".join(map(str, action.choices))) if action.choices else ""
        if action.option_strings:
            name = ", ".join(_code(flag) for flag in action.option_strings)
            if action.nargs != 0 and not takes:
                takes = _code(str(action.metavar or action.dest.upper()))
        else:
            name = _code(str(action.metavar or action.dest).upper() + many)
        help_text = _cell(_unescaped(str(action.help or "")))
        implied = any(word in help_text for word in ("default", "alone", "optional"))
        if not action.option_strings and action.nargs in ("?", "*") and not implied:
            help_text += " (optional)"
        elif isinstance(action, argparse._AppendAction) and "repeatable" not in help_text:
            help_text += " (repeatable)"
        yield f"| {name} | {takes} | {help_text} |"


def _commands_section() -> list[str]:
    lines = [
        "## `%openrouter` subcommands", "",
        "`%openrouter NAME --help` shows one of them in the notebook, `%openrouter help` all. "
        "A line whose first word is not a subcommand is a prompt; `%openrouter ask …` sends "
        "any line as written.", "",
        "| subcommand | what it does |", "|---|---|",
    ]
    for command in COMMANDS.values():
        lines.append(f"| [`{command.name}`](#openrouter-{command.name}) | "
                     f"{_cell(str(command.parser.description))} |")
    lines.append("")
    for command in COMMANDS.values():
        lines += [f"### %openrouter {command.name}", "",
                  _cell(str(command.parser.description)), "", "```text",
                  command.usage, "```", ""]
        rows = list(_arguments(command))
        if rows:
            lines += ["| argument | value | what it does |", "|---|---|---|", *rows, ""]
    return lines


def _settings_section() -> list[str]:
    from .magics import OpenRouterMagics

    lines = [
        "## Settings (`%config OpenRouterMagics`)", "",
        "Session defaults, e.g. `%config OpenRouterMagics.model = \"openai/gpt-4o-mini\"`, or "
        "in `ipython_config.py` as `c.OpenRouterMagics.stream = False`.", "",
        "| setting | type | default | what it does |", "|---|---|---|---|",
    ]
    traits = OpenRouterMagics.class_traits(config=True)
    for name in sorted(traits):
        trait = traits[name]
        default = trait.default()
        shown = "" if default in ("", {}) else repr(default)
        lines.append(f"| {_code(name)} | {type(trait).__name__} | "
                     f"{_code(shown) if shown else ''} | {_cell(str(trait.help))} |")
    lines.append("")
    return lines


def reference_markdown() -> str:
    """The whole reference, deterministic (no dates, no machine details)."""
    from . import subcommands  # noqa: F401  (registers the subcommands)

    lines = [
        "# Option reference", "",
        "<!-- Generated from or_magics/options.py, the subcommand registry "
        "(or_magics/notebook/commands.py) and OpenRouterMagics' settings: do not edit. "
        f"Regenerate with `{REGENERATE}`. -->", "",
        *_options_section(), *_commands_section(), *_settings_section(),
    ]
    return "\n".join(lines).rstrip("\n") + "\n"


def in_document(document: str) -> str:
    """``document`` with the reference between its markers, one heading level down (it is
    a section there, not a page); a document without the markers is the reference alone."""
    if START not in document or END not in document:
        return reference_markdown()
    section = "\n".join("#" + line if line.startswith("#") else line
                        for line in reference_markdown().splitlines())
    head, rest = document.split(START, 1)
    return f"{head}{START}\n{section}\n{END}{rest.split(END, 1)[1]}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m or_magics.notebook.reference",
                                     description="Write the option reference as Markdown.")
    parser.add_argument("path", nargs="?", help="the file to write, or README.md to update "
                                                "its section (default: print it)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if the file is not current")
    args = parser.parse_args(argv)
    if args.path is None:
        sys.stdout.write(reference_markdown())
        return 0
    path = Path(args.path)
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    text = in_document(current)
    if args.check:
        if current != text:
            print(f"{path} is stale: run {REGENERATE}", file=sys.stderr)
            return 1
        return 0
    path.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
