"""Ctrl-C shown as one line: "KeyboardInterrupt: stopped; what arrived is kept (…)".

IPython always prints the frame an exception was raised in, so an interrupt raised inside
the library shows its files. `Interrupted` (a KeyboardInterrupt) gets a handler of its own
that shows just its message, with the same ``ename`` as any KeyboardInterrupt, so run-all
stops and tools that look for KeyboardInterrupt see it. Another extension's custom handler
keeps working: it is called for everything else.
"""

from __future__ import annotations

import warnings
from typing import Any

from ..errors import Interrupted

__all__ = ["install", "uninstall"]


def install(ipython: Any) -> None:
    if getattr(ipython, "_or_magics_interrupts", None) is not None:
        return
    # trio (which httpcore imports when it is installed) warns, with its file path, that it
    # found this handler and keeps out of the way: a line of noise in a user's first answer
    warnings.filterwarnings("ignore", category=RuntimeWarning,
                            message="IPython detected, but you already have a custom")
    previous = (tuple(ipython.custom_exceptions), ipython.CustomTB)
    ipython._or_magics_interrupts = previous
    types, handler = previous

    def show(shell: Any, etype: type[BaseException], value: BaseException, tb: Any,
             tb_offset: int | None = None) -> list[str]:
        if isinstance(value, Interrupted):
            stb = [f"KeyboardInterrupt: {value}"]
            shell._showtraceback(KeyboardInterrupt, value, stb)
            return stb
        if types and isinstance(value, types):
            return handler(etype, value, tb, tb_offset)  # type: ignore[no-any-return]
        return shell.InteractiveTB.structured_traceback(  # type: ignore[no-any-return]
            etype, value, tb, tb_offset=tb_offset)

    ipython.set_custom_exc((*types, Interrupted), show)


def uninstall(ipython: Any) -> None:
    previous = getattr(ipython, "_or_magics_interrupts", None)
    if previous is None:
        return
    types, handler = previous
    ipython.custom_exceptions = types
    ipython.CustomTB = handler
    ipython._or_magics_interrupts = None
