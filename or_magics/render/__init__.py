"""Display of streamed answers: sanitized Markdown, frozen segments, terminal fallback.

Importing this package is cheap: `markdown_it`, `nh3`, `pygments` and IPython load on first
render or display, not here. `set_remote_images(True)` lets answers load images from the web
(off by default: a rendered answer fetches nothing).
"""

from __future__ import annotations

from .blocks import BlockScanner, Scan, stable_prefix_len
from .info import AnswerInfo, Citation, ToolCallView
from .ipython import IPythonSink, in_kernel, open_streamer
from .markdown import to_html
from .plain import PlainStreamer
from .sanitize import set_remote_images
from .static import render_answer
from .stream import Bundle, MarkdownStreamer, Sink

__all__ = [
    "AnswerInfo",
    "BlockScanner",
    "Bundle",
    "Citation",
    "IPythonSink",
    "MarkdownStreamer",
    "PlainStreamer",
    "Scan",
    "Sink",
    "ToolCallView",
    "in_kernel",
    "open_streamer",
    "render_answer",
    "set_remote_images",
    "stable_prefix_len",
    "to_html",
]
