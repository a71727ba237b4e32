"""Argument parsing for the magics: one-line errors, help that prints instead of exiting,
POSIX quoting, and the ``%%openrouter`` parser built from the options table.
"""

from __future__ import annotations

import argparse
import shlex
from typing import Any

from IPython.core.error import UsageError

from .. import options

__all__ = ["HelpShown", "Parser", "magic_parser", "one_line", "split"]


def one_line(text: str) -> str:
    """``text`` with control characters (a newline typed as a value) escaped, so an error
    that quotes what was typed stays one line."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class HelpShown(Exception):
    """``--help`` printed the help; nothing else is to happen."""


class Parser(argparse.ArgumentParser):
    """argparse that fails with a one-line `UsageError` and never exits the kernel."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> Any:
        raise UsageError(f"{self.prog}: {one_line(message)} (see {self.prog} --help)")

    def exit(self, status: int = 0, message: str | None = None) -> Any:
        if message:
            print(message, end="")
        raise HelpShown

    def parse(self, words: list[str]) -> argparse.Namespace:
        return self.parse_args(words)


def split(line: str) -> list[str]:
    """POSIX quoting (``-s "Be brief"``), unlike ``parse_argstring``, which keeps quotes."""
    try:
        return shlex.split(line)
    except ValueError as exc:  # "No closing quotation"
        raise UsageError(f"could not read the options: {exc}") from None


def magic_parser() -> Parser:
    """``%%openrouter [MODEL] [options]``: every option of the table, by group."""
    parser = Parser(
        prog="%%openrouter", add_help=False,
        usage="%%%%openrouter [MODEL] [options]   (the cell body is the prompt)",
        description="Ask a model; the cell body is the prompt, and the answer streams in as "
                    "Markdown.")
    parser.add_argument("model_id", nargs="?", metavar="MODEL",
                        help="the model, as the first word (same as -m)")
    parser.add_argument("-h", "--help", action="help", help="show this help")
    options.add_arguments(parser)
    parser.add_argument("words", nargs="*", help=argparse.SUPPRESS)
    return parser
