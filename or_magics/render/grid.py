"""Side-by-side answers: one table, one column per model, all streaming at once.

In a notebook the whole comparison is ONE output, opened once and updated in place, so the
saved notebook keeps a single static table. Re-sending a growing table costs more than one
answer's live tail, so the throttle scales with it: after an update of S characters the
next one waits ``max(interval, S / byte_rate)`` seconds. IOPub then carries at most
``1 / interval`` messages/s (10 by default) and at most ``max(S / interval, byte_rate)``
bytes/s, i.e. never more than 100 KB/s once the table passes 10 KB, however many models
stream and however fast. Live updates carry text/html only; the final one adds
text/markdown (one section per model, readable on GitHub) and text/plain.

Outside a kernel, `PlainGrid` prints each answer in plain text as it completes.
Model output is untrusted: answers go through `to_html` (escape + sanitize), header and
footer through `sanitize`; only the table around them is ours.
"""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from html import escape
from typing import Any, TextIO

from .extras import reasoning_html, reasoning_markdown
from .info import AnswerInfo
from .markdown import to_html
from .mdsafe import markdown_safe
from .meta import footer_html, footer_markdown, header_html, header_parts, md_escape
from .plain import PlainStreamer, terminal_safe
from .sanitize import sanitize
from .stream import WAITING, Bundle, Clock, Sink
from .style import stylesheet

__all__ = ["GridStreamer", "PlainGrid", "open_grid"]

COLUMN_EM = 18  # narrowest column before the table scrolls sideways (3 fit in ~800 px)
GRID_CSS = (
    ".orm .orm-scroll{overflow-x:auto;max-width:100%}"
    ".orm table.orm-grid{table-layout:fixed;width:100%;border-collapse:collapse;margin:0;"
    "font-size:inherit;color:inherit}"
    ".orm table.orm-grid>*>tr,.orm table.orm-grid>*>tr:hover{background:transparent}"
    ".orm table.orm-grid>*>tr>th,.orm table.orm-grid>*>tr>td{vertical-align:top;"
    "text-align:left;font-weight:normal;padding:4px 10px;max-width:none;white-space:normal;"
    "overflow-wrap:anywhere;border:1px solid var(--jp-border-color2,#8884)}"
    ".orm table.orm-grid>thead .orm-head{font-size:var(--jp-ui-font-size1,13px);"
    "color:var(--jp-ui-font-color1,inherit)}"
    ".orm table.orm-grid>tbody>tr>td>:first-child{margin-top:0}"
    ".orm table.orm-grid>tbody pre{overflow-x:auto}"
)


def _columns_css(count: int) -> str:
    return f".orm table.orm-cols-{count}{{min-width:{count * COLUMN_EM}em}}"


@dataclass
class Column:
    """One model's answer as it grows, and its rendered cells (cached until it changes)."""

    info: AnswerInfo
    parts: list[str] = field(default_factory=list)
    reasoning: list[str] = field(default_factory=list)
    ended: bool = False
    cells: tuple[str, str, str] | None = None  # <th>, <td> body, <td> footer
    status: str = ""  # what the client says while nothing is written yet

    @property
    def text(self) -> str:
        return "".join(self.parts)


class _Grid:
    """What both grids share: columns that grow, end, and settle in one final `finish`."""

    def __init__(self, infos: Sequence[AnswerInfo]) -> None:
        self.columns = [Column(info) for info in infos]
        self._finished = False

    @property
    def finished(self) -> bool:
        return self._finished

    def start(self) -> None:
        """Show that the comparison has begun, before any token."""

    def feed(self, index: int, delta: str) -> None:
        if delta:
            column = self.columns[index]
            column.parts.append(delta)
            self._changed(column, first=len(column.parts) == 1)

    def feed_reasoning(self, index: int, delta: str) -> None:
        if delta:
            column = self.columns[index]
            column.reasoning.append(delta)
            self._changed(column)

    def set_info(self, index: int, info: AnswerInfo) -> None:
        """New header/footer facts (the provider is known after the first chunk)."""
        column = self.columns[index]
        if info != column.info:
            column.info = info
            self._changed(column)

    def set_status(self, index: int, text: str) -> None:
        """Column ``index``'s line in place of the waiting mark until its text comes."""
        column = self.columns[index]
        if text != column.status:
            column.status = text
            self._changed(column)

    def end(self, index: int, info: AnswerInfo) -> None:
        """Answer ``index`` is complete (or failed, with ``info.error``): its final facts."""
        column = self.columns[index]
        column.info, column.ended, column.cells = info, True, None
        self._ended(index)

    def tick(self, *, force: bool = False) -> None:
        """Send what the throttle holds back; cheap to call often."""

    def finish(self, infos: Sequence[AnswerInfo] | None = None, *,
               interrupted: bool = False) -> None:
        """The final state of every column, whatever happened; only the first call counts.

        With ``interrupted``, columns that had not ended are marked so.
        """
        if self._finished:
            return
        self._finished = True
        for column, info in zip(self.columns, infos or [c.info for c in self.columns],
                                strict=True):
            if interrupted and not column.ended and not info.error:
                info = replace(info, interrupted=True)
            if info != column.info or not column.ended:
                column.info, column.cells = info, None
        self._draw_final()

    def _changed(self, column: Column, *, first: bool = False) -> None:
        column.cells = None

    def _ended(self, index: int) -> None:
        pass

    def _draw_final(self) -> None:
        raise NotImplementedError


class GridStreamer(_Grid):
    """The comparison as one table output in a notebook, updated in place and throttled.

    Same side-effect injection as `MarkdownStreamer`: a `Sink` and a clock. Not thread-safe:
    call it from the thread that owns the display.
    """

    def __init__(
        self,
        sink: Sink,
        infos: Sequence[AnswerInfo],
        *,
        clock: Clock = time.monotonic,
        interval: float = 0.1,
        byte_rate: float = 100_000,
        render: Callable[[str], str] = to_html,
    ) -> None:
        super().__init__(infos)
        self._sink = sink
        self._clock = clock
        self._interval = interval
        self._byte_rate = byte_rate
        self._render = render
        self._handle: Any = None
        self._opened = False
        self._dirty = False
        self._ready_at = float("-inf")
        self._started = False

    def start(self) -> None:
        self._dirty = True
        self.tick(force=True)

    def tick(self, *, force: bool = False) -> None:
        if self._finished or not self._dirty:
            return
        now = self._clock()
        if force or now >= self._ready_at:
            html = self._table(final=False)
            self._send({"text/html": html})
            self._ready_at = now + max(self._interval, len(html) / self._byte_rate)
            self._dirty = False

    def _changed(self, column: Column, *, first: bool = False) -> None:
        column.cells = None
        self._dirty = True
        self.tick(force=first and not self._started)
        self._started = self._started or first

    def _ended(self, index: int) -> None:
        self._dirty = True
        self.tick()

    def _draw_final(self) -> None:
        self._send({
            "text/plain": plain_sections(self.columns),
            "text/markdown": markdown_sections(self.columns),
            "text/html": self._table(final=True),
        })

    def _send(self, bundle: Bundle) -> None:
        if not self._opened:
            self._handle = self._sink.open(bundle)
            self._opened = True
        else:
            self._sink.update(self._handle, bundle)

    def _cells(self, column: Column, final: bool) -> tuple[str, str, str]:
        """A column's three cells, rendered again only after the column changed."""
        if column.cells is not None:
            return column.cells
        info, settled = column.info, final or column.ended
        text = column.text
        body = reasoning_html("".join(column.reasoning), final=settled) + self._render(text)
        foot = sanitize(footer_html(info))
        if not body:  # nothing written (yet): the error or the facts go up where they are seen
            mark = WAITING.replace("…", escape(column.status)) if column.status else WAITING
            body, foot = (foot, "") if settled else (mark, foot)
        cells = (f"<th>{sanitize(header_html(info))}</th>", f"<td>{body}</td>", f"<td>{foot}</td>")
        column.cells = cells
        return cells

    def _table(self, *, final: bool) -> str:
        cells = [self._cells(column, final) for column in self.columns]
        heads, bodies, feet = ("".join(c[i] for c in cells) for i in range(3))
        count = len(self.columns)
        style = stylesheet(heads + bodies + feet)
        return (
            f'<div class="orm orm-compare">{style}<style>{GRID_CSS}{_columns_css(count)}'
            f'</style><div class="orm-scroll"><table class="orm-grid orm-cols-{count}">'
            f"<thead><tr>{heads}</tr></thead><tbody><tr>{bodies}</tr><tr>{feet}</tr></tbody>"
            "</table></div></div>"
        )


class PlainGrid(_Grid):
    """Terminal IPython or plain Python: each answer printed whole, in the order they end."""

    def __init__(self, infos: Sequence[AnswerInfo], *, stream: TextIO | None = None) -> None:
        super().__init__(infos)
        self._out = stream if stream is not None else sys.stdout
        self._printed: set[int] = set()

    def start(self) -> None:
        models = ", ".join(c.info.model or "?" for c in self.columns)
        self._out.write(terminal_safe(f"Asking {len(self.columns)} models at once: {models}\n"))
        self._out.flush()

    def _ended(self, index: int) -> None:
        self._print(index)

    def _draw_final(self) -> None:
        for index in range(len(self.columns)):
            self._print(index)

    def _print(self, index: int) -> None:
        if index not in self._printed:
            self._printed.add(index)
            self._out.write("\n" + terminal_safe(plain_section(self.columns[index])))
            self._out.flush()


def plain_section(column: Column) -> str:
    """Header line, text, footer line: what `PlainStreamer` prints for one answer."""
    out = io.StringIO()
    streamer = PlainStreamer(column.info, stream=out)
    streamer.start()
    streamer.feed(column.text)
    streamer.finish(column.info)
    return out.getvalue()


def plain_sections(columns: Sequence[Column]) -> str:
    return "\n".join(plain_section(column) for column in columns)


def markdown_sections(columns: Sequence[Column]) -> str:
    """``### model``, provider and label, the answer, its footer: one section per model."""
    sections = []
    for column in columns:
        info = column.info
        facts = header_parts(info)[1 if info.model else 0:]
        lead = f"### {md_escape(info.model or '?')}\n\n"
        if facts:
            lead += f"*{md_escape(' · '.join(facts))}*\n\n"
        body = reasoning_markdown("".join(column.reasoning)) + (
            markdown_safe(column.text.strip()) or "*(no answer)*")
        sections.append(lead + body + footer_markdown(info, with_provider=False).rstrip())
    return "\n\n".join(sections) + "\n"


def open_grid(infos: Sequence[AnswerInfo], *, plain: bool | None = None,
              shell: Any | None = None, **options: Any) -> GridStreamer | PlainGrid:
    """A `GridStreamer` on `IPythonSink` in a kernel, else a `PlainGrid` on stdout."""
    from .ipython import IPythonSink, in_kernel

    if plain is None:
        plain = not in_kernel(shell)
    if plain:
        return PlainGrid(infos)
    return GridStreamer(IPythonSink(), infos, **options)
