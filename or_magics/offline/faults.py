"""Per-request knobs and injected faults: parsing, validation and the fault queue."""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from ..protocol import SIMULATOR_HEADER
from .errors import SimError

MID_STREAM_SHAPES = (
    "documented",
    "choices_empty",
    "usage_chunk",
    "choice",
    "bare",
    "network_error",
)
DROP_MODES = ("before", "during")
CONFIG_KNOBS = (
    "latency",
    "token_rate",
    "chunk_chars",
    "keepalives",
    "keepalive_interval",
    "usage_style",
    "line_ending",
)


@dataclass(frozen=True)
class Knobs:
    """Everything one request may ask for; None means "not asked"."""

    # stream shaping (override the simulator config for this request)
    latency: float | None = None
    token_rate: float | None = None
    chunk_chars: int | None = None
    keepalives: int | None = None
    keepalive_interval: float | None = None
    usage_style: str | None = None
    line_ending: str | None = None
    # answer shaping
    answer_bytes: int | None = None
    chunks: int | None = None
    # faults
    status: int | None = None
    retry_after: float | None = None
    message: str | None = None
    code: int | str | None = None
    provider_error: bool | str | None = None
    http200_error: bool | None = None
    mid_stream_error: str | None = None
    after_chunks: int | None = None
    done: bool | None = None
    drop: str | None = None
    malformed: bool | None = None
    no_done: bool | None = None
    first_byte_delay: float | None = None
    stall: float | None = None
    huge_event: int | None = None
    event: Any = None
    redirect: str | None = None
    html: bool | None = None
    # targeting: the fault fires only when routing tries this model / provider
    model: str | None = None
    provider: str | None = None

    def merged(self, other: Knobs) -> Knobs:
        """`other`'s fields win where set."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update({k: v for k, v in other.asdict().items() if v is not None})
        return Knobs(**values)

    def asdict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def config_overrides(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in CONFIG_KNOBS if getattr(self, k) is not None}

    @property
    def targeted(self) -> bool:
        return self.model is not None or self.provider is not None


_TYPES: dict[str, tuple[type, ...]] = {
    "latency": (int, float),
    "token_rate": (int, float),
    "chunk_chars": (int,),
    "keepalives": (int,),
    "keepalive_interval": (int, float),
    "usage_style": (str,),
    "line_ending": (str,),
    "answer_bytes": (int,),
    "chunks": (int,),
    "status": (int,),
    "retry_after": (int, float),
    "message": (str,),
    "code": (int, str),
    "provider_error": (bool, str),
    "http200_error": (bool,),
    "mid_stream_error": (str, bool),
    "after_chunks": (int,),
    "done": (bool,),
    "drop": (str,),
    "malformed": (bool,),
    "no_done": (bool,),
    "first_byte_delay": (int, float),
    "stall": (int, float),
    "huge_event": (int,),
    "event": (dict, list, str, int, float, bool),
    "redirect": (str,),
    "html": (bool,),
    "model": (str,),
    "provider": (str,),
}


def parse_knobs(raw: Any, source: str = SIMULATOR_HEADER) -> Knobs:
    """Validate a knob/fault object (dict or JSON text); errors are 400s naming the field."""
    if isinstance(raw, (str, bytes)):
        try:
            raw = json.loads(raw)
        except ValueError as exc:
            raise SimError(400, f"{source}: expected a JSON object ({exc})") from exc
    if not isinstance(raw, Mapping):
        raise SimError(400, f"{source}: expected a JSON object")
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "times":
            continue
        if key not in _TYPES:
            raise SimError(400, f"{source}: unknown knob {key!r}")
        if value is None:
            continue
        allowed = _TYPES[key]
        if isinstance(value, bool) and bool not in allowed:
            raise SimError(400, f"{source}: {key} must be {allowed[0].__name__}")
        if not isinstance(value, allowed):
            raise SimError(400, f"{source}: {key} must be {allowed[0].__name__}")
        values[key] = value
    if values.get("mid_stream_error") is True:
        values["mid_stream_error"] = "documented"
    elif values.get("mid_stream_error") is False:
        values.pop("mid_stream_error")
    shape = values.get("mid_stream_error")
    if shape is not None and shape not in MID_STREAM_SHAPES:
        raise SimError(400, f"{source}: mid_stream_error must be one of {MID_STREAM_SHAPES}")
    if values.get("drop") is not None and values["drop"] not in DROP_MODES:
        raise SimError(400, f"{source}: drop must be 'before' or 'during'")
    status = values.get("status")
    if status is not None and not 400 <= status <= 599:
        raise SimError(400, f"{source}: status must be an HTTP error status (400-599)")
    for key in ("answer_bytes", "chunks", "after_chunks", "keepalives", "chunk_chars",
                "huge_event", "stall"):
        if values.get(key) is not None and values[key] < 0:
            raise SimError(400, f"{source}: {key} must be >= 0")
    return Knobs(**values)


class FaultQueue:
    """Faults applied to the next chat requests, in order; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: list[tuple[Knobs, int]] = []

    def push(self, knobs: Knobs, times: int = 1) -> None:
        if times < 1:
            raise ValueError("times must be >= 1")
        with self._lock:
            self._items.append((knobs, times))

    def pop(self) -> Knobs | None:
        """The next fault (consumed once per request), or None."""
        with self._lock:
            if not self._items:
                return None
            knobs, times = self._items[0]
            if times <= 1:
                self._items.pop(0)
            else:
                self._items[0] = (knobs, times - 1)
            return knobs

    def clear(self) -> int:
        with self._lock:
            count = len(self._items)
            self._items.clear()
            return count

    def pending(self) -> list[dict[str, Any]]:
        with self._lock:
            return [
                {**{k: v for k, v in kn.asdict().items() if v is not None}, "times": n}
                for kn, n in self._items
            ]

    def __len__(self) -> int:
        with self._lock:
            return sum(n for _, n in self._items)
