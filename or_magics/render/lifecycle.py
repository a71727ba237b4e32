"""``with streamer:`` always ends in ``finish``: marked interrupted, failed, or done."""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Any, TypeVar

__all__ = ["FinishOnExit"]

T = TypeVar("T", bound="FinishOnExit")


class FinishOnExit:
    def finish(self, info: Any = None, *, interrupted: bool = False,
               error: str | None = None, **extras: Any) -> None:
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
