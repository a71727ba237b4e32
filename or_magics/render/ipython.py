"""IPython glue: the `Sink` for a Jupyter kernel, and picking the right streamer."""

from __future__ import annotations

from typing import Any

from .info import AnswerInfo
from .plain import PlainStreamer
from .stream import MarkdownStreamer


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

    Terminal IPython prints every display update in full, so it gets `PlainStreamer`.
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
    **options: Any,
) -> MarkdownStreamer | PlainStreamer:
    """A `MarkdownStreamer` on `IPythonSink` in a kernel, else a `PlainStreamer` on stdout.

    `plain` forces the choice; `options` go to `MarkdownStreamer` (interval, segment, …).
    """
    if plain is None:
        plain = not in_kernel(shell)
    if plain:
        return PlainStreamer(info)
    return MarkdownStreamer(IPythonSink(), info, **options)
