"""A finished answer as one output: what a `Response` shows when it is a cell's value.

The same renderer as a stream, fed the whole answer at once, with one segment, so the
output has the same sanitized HTML, Markdown and plain text as a streamed answer.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any

from .info import AnswerInfo
from .stream import Bundle, MarkdownStreamer

__all__ = ["render_answer"]


class _Keep:
    """A sink that keeps the last bundle instead of displaying it."""

    bundle: Bundle

    def open(self, bundle: Bundle) -> None:
        self.bundle = bundle

    def update(self, handle: Any, bundle: Bundle) -> None:
        self.bundle = bundle


def render_answer(
    text: str,
    info: AnswerInfo,
    *,
    reasoning: str = "",
    citations: Iterable[Any] = (),
    tool_calls: Iterable[Any] = (),
) -> Bundle:
    sink = _Keep()
    streamer = MarkdownStreamer(sink, info, interval=0, segment=sys.maxsize)
    streamer.start()
    if reasoning:
        streamer.feed_reasoning(reasoning)
    streamer.feed(text)
    streamer.finish(info, citations=citations, tool_calls=tool_calls)
    return sink.bundle
