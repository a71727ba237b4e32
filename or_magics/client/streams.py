"""`Stream` and `MultiStream`: one answer, or several at once, for a sync ``for`` loop.

Both read a `Bridge`; they differ only in what a failure means. A `Stream` raises it; a
`MultiStream` records it in that answer's Response and goes on with the others. Ctrl-C
closes the connections, and the partial answers stay in the Responses, marked
``interrupted``.
"""

from __future__ import annotations

import queue
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any

from ..errors import OpenRouterError
from .bridge import END, Bridge
from .chat import KINDS
from .response import Response

__all__ = ["MultiStream", "Stream"]

Events = AsyncIterator[tuple[int, str]]


class _Streams:
    def __init__(self, sources: Sequence[Events], responses: Sequence[Response]) -> None:
        self.responses = list(responses)
        self._bridge = Bridge(sources)

    def close(self) -> None:
        """Stop every answer still running; what came so far stays in the Responses."""
        if self._bridge.running:
            for response in self.responses:
                if not response.done and response.error is None:
                    response.interrupted = True
            self._bridge.close()

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Stream(_Streams):
    """Text deltas of one answer as they arrive; ``response`` has everything after."""

    def __init__(self, events: Events, response: Response) -> None:
        super().__init__([events], [response])
        self.response = response

    def events(self, idle: float | None = None) -> Iterator[tuple[str, str]]:
        """``("text" | "reasoning" | "update" | "status", delta)`` pairs; "update" means look
        again at ``response`` (a tool call, a citation, the finish); "status" is a line to
        show while nothing else comes ("waiting for the first token… 45 s", "retrying in
        2 s (429 Rate limited)"). With ``idle``, an ``("idle", "")`` pair comes after that
        many seconds without news, so a display can catch up."""
        get = self._bridge.get  # the hot path: one generator, nothing built per chunk
        try:
            while True:
                try:
                    _, item = get(timeout=idle)
                except queue.Empty:
                    yield "idle", ""
                    continue
                if item is END:
                    return
                if isinstance(item, BaseException):
                    raise item
                yield KINDS[item[0]], item[1]
        except (KeyboardInterrupt, GeneratorExit):
            self.close()
            raise

    def __iter__(self) -> Iterator[str]:
        for kind, text in self.events():
            if kind == "text":
                yield text


class MultiStream(_Streams):
    """Several answers at once, multiplexed into one queue, for one display loop.

    A failed answer ends its own index only: its Response keeps the error, the others go on.
    """

    def events(self, idle: float | None = None) -> Iterator[tuple[int, str, str]]:
        """``(index, kind, delta)``: kinds as in `Stream.events`, plus "end" when answer
        ``index`` is complete and "error" (delta: the message) when it failed; with ``idle``,
        ``(-1, "idle", "")`` after that many seconds without news. Ends when all have ended.
        Exceptions that are not API errors (bugs) propagate."""
        running = len(self.responses)
        try:
            while running:
                try:
                    index, item = self._bridge.get(timeout=idle)
                except queue.Empty:
                    yield -1, "idle", ""
                    continue
                if item is END:
                    running -= 1
                    yield index, "end", ""
                elif isinstance(item, OpenRouterError):
                    running -= 1
                    response = self.responses[index]
                    response.error = response.error or item
                    yield index, "error", str(item)
                elif isinstance(item, BaseException):
                    raise item
                else:
                    yield index, KINDS[item[0]], item[1]
        except BaseException:  # Ctrl-C, the generator closed, or a bug: stop every answer
            self.close()
            raise
