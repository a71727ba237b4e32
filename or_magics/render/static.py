"""A finished answer as one output: what a `Response` shows when it is a cell's value.

The same renderer as a stream, fed the whole answer at once, with one segment, so the
output has the same sanitized HTML, Markdown and plain text as a streamed answer.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any

from .images import image_html
from .info import AnswerInfo
from .stream import Bundle, MarkdownStreamer

__all__ = ["render_answer"]


class _Keep:
    """A sink that keeps its outputs instead of displaying them, as one bundle."""

    def __init__(self) -> None:
        self.bundles: list[Bundle] = []

    def open(self, bundle: Bundle) -> int:
        self.bundles.append(bundle)
        return len(self.bundles) - 1

    def update(self, handle: Any, bundle: Bundle) -> None:
        self.bundles[handle] = bundle

    @property
    def bundle(self) -> Bundle:
        """One output: the answer's text/plain; HTML and Markdown of every output in turn
        (an image inline, as a data URL, in the HTML)."""
        first, *rest = self.bundles
        html, markdown = [first["text/html"]], [first.get("text/markdown", "")]
        for number, bundle in enumerate(rest, 1):
            if "text/markdown" in bundle:  # the footer
                html.append(bundle["text/html"])
                markdown.append(bundle["text/markdown"])
            else:
                url = next((f"data:{mime};base64,{data}" for mime, data in bundle.items()
                            if mime.startswith("image/")), "")
                html.append(image_html(url, number) if url else bundle.get("text/html", ""))
        return {"text/plain": first["text/plain"], "text/markdown": "\n\n".join(markdown),
                "text/html": "".join(html)}


def render_answer(
    text: str,
    info: AnswerInfo,
    *,
    reasoning: str = "",
    citations: Iterable[Any] = (),
    tool_calls: Iterable[Any] = (),
    images: Iterable[str] = (),
) -> Bundle:
    sink = _Keep()
    streamer = MarkdownStreamer(sink, info, interval=0, segment=sys.maxsize)
    streamer.start()
    if reasoning:
        streamer.feed_reasoning(reasoning)
    streamer.feed(text)
    streamer.finish(info, citations=citations, tool_calls=tool_calls, images=images)
    return sink.bundle
