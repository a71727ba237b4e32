"""Stream an answer into notebook outputs: frozen segments plus one throttled live tail.

Re-sending the whole answer on every token costs O(n²) bytes and floods IOPub (see
reference/streaming-display.md). Instead, once the complete top-level blocks before the
live one reach a segment size, they get one final update with every mimetype and are never
touched again; the rest continues in a new output. Each tick sends at most a freeze and a
live update, and the next tick waits `interval` per message sent, so the rate stays near
1/interval messages per second whatever the token rate. Live updates carry only text/html.

At a slow token rate that alone would re-send the growing tail several times per new
word (150x the kept bytes at 10 tokens/s). So live updates also spend a byte credit that
each received character earns: IOPub carries at most about `budget` times what the
notebook keeps at any pace, and a slow answer's tail is redrawn less often, in larger steps.

Segments are `segment` chars for the first outputs, so the redrawn tail stays small (up to
64 KB in 20 outputs), then grow with the answer (`growth` × what is already frozen) so
that very long answers stay well below JupyterLab's 50-output trim.

Side effects are injected (a `Sink` and a clock), so all of this is tested without a kernel.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from html import escape as html_escape
from typing import Any, Protocol

from .blocks import BlockScanner
from .extras import (
    citations_html,
    citations_markdown,
    reasoning_html,
    reasoning_markdown,
    tool_calls_html,
    tool_calls_markdown,
)
from .images import image_bundle
from .info import AnswerInfo, Citation, ToolCallView, citations_of, tool_calls_of
from .lifecycle import FinishOnExit
from .markdown import to_html
from .mdsafe import markdown_safe
from .meta import footer_html, footer_markdown, header_html, header_markdown
from .sanitize import sanitize
from .style import stylesheet

Bundle = dict[str, str]
Clock = Callable[[], float]

WAITING = '<div class="orm-meta orm-wait">…</div>'
KEPT_PER_CHAR = 3.0  # a final bundle keeps text/plain, text/markdown and text/html
MESSAGE_COST = 100  # a display message's metadata and display id, besides its data
FIRST_CREDIT = 2000.0  # live bytes allowed before any text has paid for them
UNIFORM_OUTPUTS = 19  # outputs of `segment` size before segments grow (64 KB: <= 20)


class Sink(Protocol):
    """Where outputs go: open one (returns a handle) and replace its content later."""

    def open(self, bundle: Bundle) -> Any: ...

    def update(self, handle: Any, bundle: Bundle) -> None: ...


@dataclass
class _Output:
    handle: Any
    lead: bool  # the first output: carries the header


class MarkdownStreamer(FinishOnExit):
    """Display a streamed Markdown answer as frozen segments plus a throttled live tail.

    Feed text with `feed` (and the model's thinking with `feed_reasoning`); call `tick` when
    no text arrives for a while so throttled text still shows; always end with `finish`
    (use the streamer as a context manager, or call it from `finally`). Not thread-safe:
    call everything from the thread that owns the display.
    """

    def __init__(
        self,
        sink: Sink,
        info: AnswerInfo | None = None,
        *,
        clock: Clock = time.monotonic,
        interval: float = 0.1,
        segment: int = 3200,
        growth: float = 0.3,
        max_rate: float = 100_000,
        budget: float = 4.0,
        render: Callable[[str], str] = to_html,
    ) -> None:
        self.info = info if info is not None else AnswerInfo()
        self._sink = sink
        self._clock = clock
        self._interval = interval
        self._segment = segment
        self._growth = growth
        self._max_rate = max_rate
        self._sent_bytes = 0
        # live bytes a received char pays for; a quarter kept in reserve, because the kept
        # bytes per char vary with the text and the last tick may overspend
        self._earn = (budget - 1) * 0.75 * KEPT_PER_CHAR
        self._credit = FIRST_CREDIT
        self._live_cost = 0  # what the last live update cost: the next one costs as much
        self._render = render
        self._frozen: list[str] = []
        self._frozen_chars = 0
        self._parts: list[str] = []  # the text after the frozen segments, as it came
        self._pending_len = 0
        self._prefix = ""  # Markdown that reopens a fence cut across segments
        self._scanner = BlockScanner()
        self._live: _Output | None = None
        self._outputs = 0
        self._reasoning = ""  # reasoning shown in the live (or next) output
        self._dirty = False
        self._ready_at = float("-inf")
        self._header_provider = False
        self._citations: list[Citation] = []
        self._tool_calls: list[ToolCallView] = []
        self._finished = False
        self._status: str | None = None  # None: never set (no redraw for it)
        self._last_handle: Any = None  # the output a final bundle went to last
        self._final: tuple[str, str, str, bool] | None = None  # what the last one showed
        self._tail_handle: Any = None  # the footer's own output, after generated images

    # -- public API -------------------------------------------------------------------------

    @property
    def text(self) -> str:
        """The whole answer text received so far."""
        return "".join(self._frozen) + self._pending

    @property
    def _pending(self) -> str:
        """The unfrozen text, joined only when a tick needs it (a delta just appends)."""
        if len(self._parts) > 1:
            self._parts = ["".join(self._parts)]
        return self._parts[0] if self._parts else ""

    def _set_pending(self, text: str) -> None:
        self._parts = [text] if text else []
        self._pending_len = len(text)

    @property
    def finished(self) -> bool:
        return self._finished

    def start(self) -> None:
        """Show the header and a waiting mark now, before the first token arrives."""
        self._dirty = True
        self.tick()

    def feed(self, delta: str) -> None:
        """Append answer text; display it now if the throttle allows."""
        if self._finished:
            raise RuntimeError("feed() after finish()")
        if delta:
            first = not self._frozen and not self._pending_len
            self._parts.append(delta)
            self._pending_len += len(delta)
            self._credit += self._earn * len(delta)
            self._dirty = True
            self.tick(force=first)

    def feed_reasoning(self, delta: str) -> None:
        """Append the model's reasoning; it is shown collapsed above the current text."""
        if self._finished:
            raise RuntimeError("feed_reasoning() after finish()")
        if delta:
            self._reasoning += delta
            self._credit += self._earn * len(delta)
            self._dirty = True
            self.tick()

    def set_citations(self, citations: Iterable[Any]) -> None:
        """Citations to list after the answer (objects, wire dicts or (url, title) pairs)."""
        self._citations = citations_of(citations)

    def set_tool_calls(self, tool_calls: Iterable[Any]) -> None:
        self._tool_calls = tool_calls_of(tool_calls)

    def set_status(self, text: str) -> None:
        """A line in place of the waiting mark until text comes ("waiting for the first
        token… 45 s", "retrying in 2 s (429 Rate limited)"); "" brings the mark back."""
        if text != self._status:
            self._status = text
            self._dirty = True
            self.tick(force=True)  # a second or so apart: not worth throttling

    def tick(self, *, force: bool = False) -> None:
        """Send what is pending if the throttle allows (or if `force`); cheap to call often.

        Call it every `interval` or so while waiting for tokens, so that text held back by
        the throttle shows up even when the model pauses.
        """
        if self._finished or not self._dirty:
            return
        if not force and self._credit < self._live_cost and self._pending_len < self._threshold():
            return  # nothing to freeze, and live bytes not yet paid for
        clock = self._clock()
        if force or clock >= self._ready_at:
            before = self._sent_bytes
            sent = self._push(force=force)
            if sent:
                pause = max(sent * self._interval, (self._sent_bytes - before) / self._max_rate)
                self._ready_at = clock + pause

    def _draw_final(self) -> None:
        raw = self._pending
        images = self._images
        lead = self._live.lead if self._live is not None else self._outputs == 0
        self._final = (self._prefix + raw, raw, self._reasoning, lead)
        self._send(self._bundle(self._prefix + raw, raw, final=True, last=not images),
                   final=True)
        self._frozen.append(raw)
        self._set_pending("")
        if images:  # each image its own output (image/png in the saved notebook), then the footer
            for number, url in enumerate(images, 1):
                self._sink.open(image_bundle(url, number))
            self._tail_handle = self._sink.open(self._tail())

    def _tail(self) -> Bundle:
        """Sources, tool calls and the footer as an output of their own."""
        info = self.info
        with_provider = not self._header_provider
        inner = sanitize(citations_html(self._citations) + tool_calls_html(self._tool_calls)
                         + footer_html(info, with_provider=with_provider))
        md = (citations_markdown(self._citations) + tool_calls_markdown(self._tool_calls)
              + footer_markdown(info, with_provider=with_provider))
        return {"text/plain": "", "text/markdown": md.lstrip("\n"),
                "text/html": f'<div class="orm">{stylesheet(inner)}{inner}</div>'}

    def revise(self, info: AnswerInfo) -> None:
        """Redraw the output that holds the footer with new facts, keeping what it showed."""
        if not self._finished or self._final is None or self._last_handle is None:
            return
        self.info = replace(info, interrupted=info.interrupted or self.info.interrupted,
                            error=info.error or self.info.error)
        if self._tail_handle is not None:  # images came between the answer and its footer
            self._sink.update(self._tail_handle, self._tail())
            return
        markdown, raw, self._reasoning, lead = self._final
        self._live = _Output(self._last_handle, lead=lead)
        self._send(self._bundle(markdown, raw, final=True, last=True), final=True)

    # -- internals --------------------------------------------------------------------------

    def _push(self, *, force: bool = False) -> int:
        """One tick: maybe freeze a segment, then update the live tail if paid for.

        Returns the number of messages sent; what is not sent stays dirty for a later tick.
        """
        sent = 0
        cut = self._cut()
        if cut is not None:
            offset, close, reopen = cut
            raw = self._pending[:offset]
            bundle = self._bundle(self._prefix + raw + close, raw, final=True, last=False)
            self._send(bundle, final=True)
            sent += 1
            self._frozen.append(raw)
            self._frozen_chars += offset
            self._set_pending(self._pending[offset:])
            self._prefix = reopen
            self._scanner = BlockScanner()
            self._live_cost = 0  # the next output starts small
        waiting = self._status is not None and not self._frozen  # a status, no text yet
        if not (self._pending_len or self._reasoning or self._outputs == 0 or waiting):
            self._dirty = False
        elif force or self._credit >= self._live_cost:
            bundle = self._bundle(self._prefix + self._pending, None, final=False, last=False)
            self._send(bundle)
            self._live_cost = len(json.dumps(bundle)) + MESSAGE_COST  # as IOPub carries it
            self._credit -= self._live_cost
            sent += 1
            self._dirty = False
        return sent

    def _cut(self) -> tuple[int, str, str] | None:
        """Where to freeze the pending text, with the fence fix-ups, or None if not yet."""
        threshold = self._threshold()
        if self._pending_len < threshold:
            return None
        shift = len(self._prefix)
        scan = self._scanner.scan(self._prefix + self._pending)
        stable = max(0, scan.stable - shift)
        if stable >= threshold:
            return stable, "", ""
        if scan.split is not None:
            split = scan.split - shift
            if self._pending_len - stable >= threshold and split - stable >= threshold / 2:
                return split, scan.close, scan.reopen
        return None

    def _threshold(self) -> float:
        """Pending chars before a segment may freeze: `segment` for the first outputs (a
        small tail is cheap to redraw, even at a slow pace), then growing with the answer."""
        if self._outputs < UNIFORM_OUTPUTS:
            return self._segment
        return max(self._segment, self._growth * self._frozen_chars)

    def _send(self, bundle: Bundle, *, final: bool = False) -> None:
        self._sent_bytes += sum(len(v) for v in bundle.values())
        if self._live is None:
            self._live = _Output(self._sink.open(bundle), lead=self._outputs == 0)
            self._outputs += 1
        else:
            self._sink.update(self._live.handle, bundle)
        if final:
            self._last_handle = self._live.handle
            self._live = None
            self._reasoning = ""

    def _bundle(self, markdown: str, raw: str | None, *, final: bool, last: bool) -> Bundle:
        """The bundle for the live output; `raw` (text/plain) only in final bundles."""
        lead = self._live.lead if self._live is not None else self._outputs == 0
        info = self.info
        body = self._render(markdown)
        head = ""
        if lead:
            head = header_html(info)
            self._header_provider = bool(info.provider)
        head += reasoning_html(self._reasoning, final=final)
        tail = ""
        if last:
            tail = (
                citations_html(self._citations)
                + tool_calls_html(self._tool_calls)
                + footer_html(info, with_provider=not self._header_provider)
            )
        if not body and not final and not self._reasoning:
            tail += WAITING.replace("…", html_escape(self._status)) if self._status else WAITING
        inner = f"{sanitize(head)}{body}{sanitize(tail)}"
        html = f'<div class="orm">{stylesheet(inner)}{inner}</div>'
        if not final:
            return {"text/html": html}
        md = (header_markdown(info) if lead else "") + reasoning_markdown(self._reasoning)
        md += markdown_safe(markdown)
        if last:
            md += citations_markdown(self._citations) + tool_calls_markdown(self._tool_calls)
            md += footer_markdown(info, with_provider=not self._header_provider)
        return {"text/plain": raw or "", "text/markdown": md, "text/html": html}
