"""The registry of ``%openrouter SUBCOMMAND``s and the dispatch of a line to one of them.

Each subcommand is a small function registered with its arguments; its parser gives
``%openrouter NAME --help`` and its line in ``%openrouter help``, and a bad argument is a
one-line ``UsageError``. A line that is not a subcommand is a prompt (``ask_line``).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from IPython.core.error import UsageError

from ..client.secrets import masked
from ..errors import OpenRouterError
from .arguments import HelpShown, Parser, split

if TYPE_CHECKING:
    from .magics import OpenRouterMagics

__all__ = ["COMMANDS", "Command", "arg", "command", "help_text", "run_line"]

Run = Callable[["OpenRouterMagics", Any], Any]


@dataclass
class Command:
    name: str
    run: Run
    parser: Parser
    #: Takes the rest of the line as written (a prompt or a question), not as options.
    raw: bool = False
    arguments: list[tuple[tuple[str, ...], dict[str, Any]]] = field(default_factory=list)

    @property
    def usage(self) -> str:
        """``%openrouter NAME [options]``, on one line, without the ``[-h]`` every one has."""
        return " ".join(self.parser.format_usage().replace(" [-h]", "").split()[1:])


COMMANDS: dict[str, Command] = {}


def arg(*flags: str, **kwargs: Any) -> tuple[tuple[str, ...], dict[str, Any]]:
    return flags, kwargs


def command(name: str, summary: str, *arguments: tuple[tuple[str, ...], dict[str, Any]],
            raw: bool = False, usage: str | None = None) -> Callable[[Run], Run]:
    """Register ``%openrouter NAME``; ``arguments`` are argparse ``add_argument`` calls."""

    def register(run: Run) -> Run:
        parser = Parser(prog=f"%openrouter {name}", description=summary,
                        usage=usage and f"%(prog)s {usage}")
        for flags, kwargs in arguments:
            parser.add_argument(*flags, **kwargs)
        COMMANDS[name] = Command(name, run, parser, raw=raw)
        return run

    return register


def run_line(magics: OpenRouterMagics, line: str) -> Any:
    __tracebackhide__ = True
    name, _, rest = line.strip().partition(" ")
    said = masked(line.strip())  # what the errors below may repeat: never a key
    if not name:
        return COMMANDS["help"].run(magics, argparse.Namespace(command=None))
    found = COMMANDS.get(name)
    if found is None:
        # a typo of a subcommand: a lowercase word alone, or followed by options
        typo = name.islower() and name.isalpha() and (not rest.strip()
                                                        or rest.lstrip().startswith("-"))
        close = _near(name) if typo else None
        if close is not None:
            raise UsageError(f"%openrouter {name}: did you mean %openrouter {close}? (to ask a "
                             f"model, write %openrouter ask {said})")
        return COMMANDS["ask"].run(magics, line)
    try:
        if found.raw:
            if rest.strip() in ("-h", "--help"):
                found.parser.print_help()
                return None
            return found.run(magics, rest.strip())
        args, extra = found.parser.parse_known_args(split(rest))
    except HelpShown:
        return None
    if extra:
        if name == "key":  # never offer to send what may be a key to a model
            raise UsageError("%openrouter key takes the key alone, or nothing for a hidden "
                             "prompt (which keeps it out of the notebook)")
        takes = "takes no arguments" if not found.parser._get_positional_actions() \
            else f"does not take {masked(' '.join(extra))!r}"
        raise UsageError(f"%openrouter {name} {takes}; to ask a model, write "
                         f"%openrouter ask {said}")
    try:
        return found.run(magics, args)
    except HelpShown:
        return None
    except OpenRouterError as exc:  # a bad value found by the layer below: one line
        raise UsageError(str(exc)) from None


def _near(word: str) -> str | None:
    """The subcommand one or two edits from ``word`` (a typo), if there is one."""
    for name in COMMANDS:
        if name != word and _distance(word.lower(), name) <= (1 if len(name) <= 4 else 2):
            return name
    return None


def _distance(a: str, b: str) -> int:
    """Edits (insert, delete, replace, swap two letters) from ``a`` to ``b``."""
    rows = [list(range(len(b) + 1))]
    for i, x in enumerate(a, 1):
        row = [i]
        for j, y in enumerate(b, 1):
            cost = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (x != y))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                cost = min(cost, rows[-2][j - 2] + 1)
            row.append(cost)
        rows.append(row)
    return rows[-1][-1]


def help_text() -> str:
    """The overview: the cell magic, then one line (or two) per subcommand."""
    lines = ["%%openrouter [MODEL] [options]   the cell body is the prompt; the answer "
             "streams in",
             "%%openrouter --compare A B [C]   the same prompt to several models at once, "
             "side by side", ""]
    for command in COMMANDS.values():
        lines.append(command.usage)
        lines.append(f"    {command.parser.description}")
    lines += ["", "Every option of %%openrouter: %%openrouter?   One subcommand: "
              "%openrouter NAME --help", "Settings: %config OpenRouterMagics"]
    return "\n".join(lines)


