"""Helpers shared by the offline simulator tests: SSE parsing and chunk accessors."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

KEY = "sk-or-v1-test-fake"
AUTH = {"Authorization": f"Bearer {KEY}"}


@dataclass
class Event:
    """One SSE event: a comment (`: ...`) or a data line, parsed when it is JSON."""

    raw: str
    comment: bool
    data: str | None = None

    @property
    def json(self) -> Any:
        assert self.data is not None
        return json.loads(self.data)


def parse_sse(text: str) -> list[Event]:
    """Split a body on blank lines into events (accepts \\n and \\r\\n)."""
    text = text.replace("\r\n", "\n")
    events = []
    for block in text.split("\n\n"):
        if not block:
            continue
        if block.startswith(":"):
            events.append(Event(block, True))
        else:
            assert block.startswith("data: "), block
            events.append(Event(block, False, block[len("data: ") :]))
    return events


def data_chunks(events: list[Event]) -> list[dict[str, Any]]:
    """The JSON chunks (no comments, no [DONE])."""
    return [e.json for e in events if not e.comment and e.data != "[DONE]"]


def content_of(chunks: list[dict[str, Any]]) -> str:
    return "".join(
        c["choices"][0]["delta"].get("content") or ""
        for c in chunks
        if c.get("choices") and "delta" in c["choices"][0]
    )


class Clock:
    """A clock a test moves by hand (``clock.now += 301``): caches' TTLs without waiting."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now
