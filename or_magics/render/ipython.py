"""IPython glue: the `Sink` for a Jupyter kernel, and picking the right streamer."""

from __future__ import annotations

import sys
from typing import Any

from .info import AnswerInfo
from .plain import PlainStreamer
from .stream import MarkdownStreamer, Sink
from .terminal import RichStreamer, rich_available


class IPythonSink:
    """Publish bundles with `display(…, raw=True, display_id=True)` and `update_display`.

    Call from the thread that runs the cell: outputs published from another thread may
    land in the wrong cell, so the magic should feed the streamer from the main thread.
    """

    def open(self, bundle: dict[str, str]) -> Any:
        from IPython.display import display

        return display(bundle, raw=True, display_id=True)  # type: ignore[no-untyped-call]

    def update(self, handle: Any, bundle: dict[str, str]) -> None:
        handle.update(bundle, raw=True)


def in_kernel(shell: Any | None = None) -> bool:
    """True when outputs reach a Jupyter frontend; False in terminal IPython or plain Python.

    Terminal IPython prints every display update in full, so it gets a terminal streamer.
    """
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        shell = get_ipython()
    return getattr(shell, "kernel", None) is not None


def open_streamer(
    info: AnswerInfo | None = None,
    *,
    plain: bool | None = None,
    shell: Any | None = None,
    sink: Sink | None = None,
    **options: Any,
) -> MarkdownStreamer | PlainStreamer | RichStreamer:
    """The streamer for where the answer is shown.

    In a kernel, a `MarkdownStreamer` on `IPythonSink` (`options` go to it: interval,
    segment, …). Outside one, Markdown rendered by rich when it is installed and stdout
    is a terminal (`RichStreamer`), else plain text (`PlainStreamer`). `plain=True`
    forces plain text, `plain=False` the notebook display; a ``sink`` (the panel's
    widgets) is always the notebook display, into that sink.
    """
    if sink is not None:
        return MarkdownStreamer(sink, info, **options)
    if plain is None:
        if in_kernel(shell):
            return MarkdownStreamer(IPythonSink(), info, **options)
        if rich_available() and sys.stdout.isatty():
            return RichStreamer(info, interval=options.get("interval", 0.1))
        plain = True
    if plain:
        return PlainStreamer(info)
    return MarkdownStreamer(IPythonSink(), info, **options)
