"""Terminal fallback: print deltas as they come, then one footer line.

Terminal IPython has no kernel, and its display hook re-prints every update in full, so
there the only linear way to stream is to write each delta once.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any, TextIO

from .extras import citations_text, tool_calls_text
from .images import image_line
from .info import AnswerInfo, citations_of, tool_calls_of
from .lifecycle import FinishOnExit
from .meta import footer_text, header_parts

_CONTROLS = dict.fromkeys([*range(0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)])


def terminal_safe(text: str) -> str:
    """`text` without control characters (newline and tab stay).

    Model text and names are untrusted: an ESC or a C1 control would let them clear the
    screen, retitle the window, write the clipboard (OSC 52) or plant links (OSC 8).
    """
    return text.translate(_CONTROLS)


class PlainStreamer(FinishOnExit):
    """Same calls as `MarkdownStreamer`, writing plain text to a stream (stdout by default).

    Reasoning is not printed: a terminal cannot fold it away, and the answer is what the
    user asked for (it stays on the Response).
    """

    def __init__(
        self,
        info: AnswerInfo | None = None,
        *,
        stream: TextIO | None = None,
    ) -> None:
        self.info = info if info is not None else AnswerInfo()
        self._out = stream if stream is not None else sys.stdout
        self._parts: list[str] = []
        self._started = False
        self._citations: list[Any] = []
        self._tool_calls: list[Any] = []
        self._finished = False
        self._status_shown = False

    @property
    def text(self) -> str:
        return "".join(self._parts)

    @property
    def finished(self) -> bool:
        return self._finished

    def start(self) -> None:
        if not self._started:
            self._started = True
            parts = header_parts(self.info)
            if parts:
                self._write(f"[{' · '.join(parts)}]\n")

    def feed(self, delta: str) -> None:
        if self._finished:
            raise RuntimeError("feed() after finish()")
        if delta:
            self.start()
            self._parts.append(delta)
            self._write(delta)

    def feed_reasoning(self, delta: str) -> None:
        if self._finished:
            raise RuntimeError("feed_reasoning() after finish()")

    def set_citations(self, citations: Iterable[Any]) -> None:
        self._citations = citations_of(citations)

    def set_tool_calls(self, tool_calls: Iterable[Any]) -> None:
        self._tool_calls = tool_calls_of(tool_calls)

    def set_status(self, text: str) -> None:
        """On a terminal, one line rewritten in place until the answer begins; elsewhere
        (a captured or redirected output) nothing, as each line would stay for good."""
        if text and not self._parts and self._tty():
            self.start()
            self._out.write(f"\r\x1b[2K{terminal_safe(text)}")
            self._out.flush()
            self._status_shown = True

    def tick(self) -> None:
        """Nothing is throttled here; present for API parity."""

    def _begin_final(self) -> None:
        self.start()  # the header, as it stood before the final facts

    def _draw_final(self) -> None:
        blocks = [
            "\n".join(image_line(url, n) for n, url in enumerate(self._images, 1)),
            citations_text(self._citations),
            tool_calls_text(self._tool_calls),
            footer_text(self.info),
        ]
        end = "\n\n".join(b for b in blocks if b)
        text = self.text
        sep = "" if not text or text.endswith("\n") else "\n"
        self._write(f"{sep}\n{end}\n" if end else sep)
        self._out.flush()

    def _write(self, text: str) -> None:
        if self._status_shown:  # the status line gives way to what comes now
            self._out.write("\r\x1b[2K")
            self._status_shown = False
        self._out.write(terminal_safe(text))

    def _tty(self) -> bool:
        isatty = getattr(self._out, "isatty", None)
        return bool(isatty and isatty())
