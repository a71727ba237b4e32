"""The simulator's answer as data, so the httpx transport and the HTTP server stay thin."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..protocol import SIMULATOR_HEADER

SIMULATED = (SIMULATOR_HEADER, "or_magics")
"""The header every simulated response carries, so nobody mistakes it for OpenRouter."""

Piece = tuple[float, bytes]
"""(seconds to wait first, bytes to send): one SSE event or comment per piece."""


class ConnectionDropped(Exception):
    """Raised by a piece iterator where the simulated connection breaks mid-body."""


@dataclass
class SimResponse:
    """Status, headers and either a whole body or a lazy sequence of timed pieces."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes | None = None
    pieces: Iterator[Piece] | None = None
    delay: float = 0.0
    """Seconds of silence before the response head."""
    drop_before: bool = False
    """Close the connection instead of answering at all."""
    length: int | None = None
    """Content-Length announced for a piece-wise body (None: chunked transfer)."""
    on_close: Callable[[bool], None] | None = field(default=None, repr=False)
    """Called once with `completed` when the body ends or the consumer goes away."""

    @property
    def streaming(self) -> bool:
        return self.pieces is not None

    def close(self, completed: bool = False) -> None:
        """Release the piece iterator and report whether the body was delivered in full."""
        pieces, self.pieces = self.pieces, None
        if pieces is not None and hasattr(pieces, "close"):
            pieces.close()
        callback, self.on_close = self.on_close, None
        if callback is not None:
            callback(completed)


def json_response(
    status: int, payload: Any, headers: list[tuple[str, str]] | None = None
) -> SimResponse:
    """A whole JSON body, compact like OpenRouter's."""
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    base = [("Content-Type", "application/json"), SIMULATED]
    return SimResponse(status, base + (headers or []), body=body)
