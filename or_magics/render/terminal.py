"""Terminal IPython with `rich` installed: the answer as rendered Markdown, live.

Completed top-level blocks are printed once, for good (rich draws tables and highlights
code); only the block being written is redrawn, in a small `Live` region, so the cost is
linear and the scrollback holds the rendered answer. Model text is untrusted here too:
control characters are stripped before rich sees it, and links are printed with their
URL instead of as OSC 8 hyperlinks whose target the reader cannot see.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from .blocks import BlockScanner
from .extras import citations_text, tool_calls_text
from .images import image_line
from .info import AnswerInfo, Citation, ToolCallView, citations_of, tool_calls_of
from .lifecycle import FinishOnExit
from .meta import footer_text, header_parts
from .plain import terminal_safe
from .stream import Clock


def rich_available() -> bool:
    try:
        import rich  # noqa: F401
    except ImportError:
        return False
    return True


class RichStreamer(FinishOnExit):
    """Same calls as `PlainStreamer`; renders Markdown with rich on `console` (stdout).

    Reasoning is not shown, as in `PlainStreamer`. Not thread-safe.
    """

    def __init__(
        self,
        info: AnswerInfo | None = None,
        *,
        console: Any = None,
        clock: Clock = time.monotonic,
        interval: float = 0.1,
    ) -> None:
        from rich.console import Console

        self.info = info if info is not None else AnswerInfo()
        self._console = console if console is not None else Console()
        self._clock = clock
        self._interval = interval
        self._ready_at = float("-inf")
        self._parts: list[str] = []  # the block(s) still being written
        self._scanner = BlockScanner()
        self._live: Any = None
        self._dirty = False
        self._started = False
        self._citations: list[Citation] = []
        self._tool_calls: list[ToolCallView] = []
        self._finished = False

    def start(self) -> None:
        if not self._started:
            self._started = True
            parts = header_parts(self.info)
            if parts:
                self._console.print(terminal_safe(" · ".join(parts)), style="dim",
                                    markup=False, highlight=False)

    def feed(self, delta: str) -> None:
        if self._finished:
            raise RuntimeError("feed() after finish()")
        if delta:
            self.start()
            self._parts.append(terminal_safe(delta))
            self._dirty = True
            self.tick()

    def feed_reasoning(self, delta: str) -> None:
        if self._finished:
            raise RuntimeError("feed_reasoning() after finish()")

    def set_citations(self, citations: Iterable[Any]) -> None:
        self._citations = citations_of(citations)

    def set_tool_calls(self, tool_calls: Iterable[Any]) -> None:
        self._tool_calls = tool_calls_of(tool_calls)

    def tick(self) -> None:
        """Print completed blocks and redraw the one being written, at most every interval."""
        now = self._clock()
        if self._finished or not self._dirty or now < self._ready_at:
            return
        self._ready_at = now + self._interval
        self._dirty = False
        pending = "".join(self._parts)
        cut = self._scanner.scan(pending).stable
        if cut:
            self._print(pending[:cut])
            pending = pending[cut:]
            self._scanner = BlockScanner()
        self._parts = [pending] if pending else []
        if not pending.strip():
            if self._live is not None:
                self._live.update("", refresh=True)
        else:
            self._region().update(_markdown(pending), refresh=True)

    def set_status(self, text: str) -> None:
        """Until the answer begins ("waiting for the first token… 45 s"), one dim line in
        the live region, which the answer's text then replaces."""
        if text and not self._parts and not self._finished:
            from rich.text import Text

            self.start()
            self._region().update(Text(terminal_safe(text), style="dim"), refresh=True)

    def _region(self) -> Any:
        """The live region at the bottom (transient: gone once the answer is printed)."""
        if self._live is None:
            from rich.live import Live

            self._live = Live(console=self._console, auto_refresh=False, transient=True)
            self._live.start()
        return self._live

    def _begin_final(self) -> None:
        self.start()

    def _draw_final(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None
        pending = "".join(self._parts)
        if pending.strip():
            self._print(pending)
        self._parts = []
        blocks = [
            "\n".join(image_line(url, n) for n, url in enumerate(self._images, 1)),
            citations_text(self._citations),
            tool_calls_text(self._tool_calls),
            footer_text(self.info),
        ]
        end = "\n\n".join(b for b in blocks if b)
        if end:
            self._console.print(terminal_safe(end), style="dim", markup=False,
                                highlight=False)

    def _print(self, markdown: str) -> None:
        """Print finished blocks above the live region (rich keeps it at the bottom)."""
        target = self._live.console if self._live is not None else self._console
        target.print(_markdown(markdown))


def _markdown(text: str) -> Any:
    from rich.markdown import Markdown

    return Markdown(text, hyperlinks=False)
