"""``with streamer:`` always ends in ``finish``: marked interrupted, failed, or done."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import replace
from types import TracebackType
from typing import Any, TypeVar

from .info import AnswerInfo

__all__ = ["FinishOnExit"]

T = TypeVar("T", bound="FinishOnExit")


class FinishOnExit:
    """Shared ending of the streamers: what `finish` takes in, and `with` calling it.

    An interrupt (KeyboardInterrupt, or CancelledError in an async cell) marks the answer
    interrupted, any other exception is shown as an error line; the exception propagates.
    """

    info: AnswerInfo
    _finished: bool
    #: The generated images `finish` was given, shown between the answer and its footer.
    _images: list[str]

    def finish(
        self,
        info: AnswerInfo | None = None,
        *,
        citations: Iterable[Any] | None = None,
        tool_calls: Iterable[Any] | None = None,
        interrupted: bool = False,
        error: str | None = None,
        images: Iterable[str] = (),
    ) -> None:
        """Show the final state, with footer, whatever happened before.

        Idempotent: only the first call counts. `interrupted` and `error` are also read
        from `info`; the partial answer always stays on screen above them. `images` are
        the generated images' URLs (data URLs; a remote one is never loaded).
        """
        if self._finished:
            return
        self._begin_final()
        self._finished = True
        if info is not None:
            self.info = info
        if interrupted or error:
            self.info = replace(
                self.info,
                interrupted=self.info.interrupted or interrupted,
                error=error or self.info.error,
            )
        if citations is not None:
            self.set_citations(citations)
        if tool_calls is not None:
            self.set_tool_calls(tool_calls)
        self._images = [str(url) for url in images]
        self._draw_final()

    def revise(self, info: AnswerInfo) -> None:
        """After `finish`: better facts (the billed usage in place of an estimate). A view
        that can redraw its footer does; one that printed it (a terminal) keeps it."""

    def _begin_final(self) -> None:
        """What must be shown before the final facts replace the current ones."""

    def _draw_final(self) -> None:
        raise NotImplementedError

    def set_citations(self, citations: Iterable[Any]) -> None:
        raise NotImplementedError

    def set_tool_calls(self, tool_calls: Iterable[Any]) -> None:
        raise NotImplementedError

    def __enter__(self: T) -> T:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if isinstance(exc, (KeyboardInterrupt, asyncio.CancelledError)):
            self.finish(interrupted=True)
        elif exc is not None:
            self.finish(error=str(exc) or type(exc).__name__)
        else:
            self.finish()
