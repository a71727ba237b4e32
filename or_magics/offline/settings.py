"""Simulator configuration: server-wide defaults that any single request may override."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

USAGE_STYLES = ("2025", "mar2026", "mid2026")
LINE_ENDINGS = ("\n", "\r\n")
DEMO_PACE: Mapping[str, float] = MappingProxyType({"token_rate": 200.0, "latency": 0.2})
"""The pace for people watching (CLI, notebooks): a visible stream that is still quick.

SimConfig's own defaults stay instant so tests run at full speed; read-only so that no caller
changes everyone's pace by accident (``SimConfig(**DEMO_PACE)``, ``Simulator(**DEMO_PACE)``).
"""


@dataclass(frozen=True)
class SimConfig:
    """Knobs shaping every answer; per-request knobs are merged on top with `with_overrides`."""

    latency: float = 0.0
    """Seconds of silence before the response head (status line and headers)."""
    token_rate: float = 0.0
    """Completion tokens per second while streaming; 0 streams as fast as possible."""
    chunk_chars: int = 12
    """Characters of content per streamed delta."""
    keepalives: int = 1
    """`: OPENROUTER PROCESSING` comments sent before the first data event."""
    keepalive_interval: float = 0.0
    """Seconds between those keep-alive comments (time to first token = keepalives x this)."""
    usage_style: str = "mid2026"
    """Shape of the final usage chunk and key order: "2025", "mar2026" or "mid2026"."""
    line_ending: str = "\n"
    """SSE line ending: "\\n" (what OpenRouter sends) or "\\r\\n"."""
    require_auth: bool = True
    """Answer 401 when the Authorization header is missing."""
    user_id: str = "user_2sImuLAt0rOfflinE0000000000"
    """The `user_id` reported in error envelopes and /key."""
    credit_limit: float = 100.0
    """Total credits reported by /credits and /key; simulated spending is subtracted."""
    free_rpm: int | None = None
    """`:free` requests a key may make per minute (OpenRouter: 20); None: no limit."""
    free_rpd: int | None = None
    """`:free` requests a key may make per day (OpenRouter: 50, or 1000 with credits)."""
    rate_window: float = 60.0
    """Seconds in the simulator's minute for those limits (shorter in tests)."""

    def with_overrides(self, knobs: Mapping[str, Any]) -> SimConfig:
        """Return a copy with the config fields present in `knobs` replaced (others ignored)."""
        names = {f.name for f in dataclasses.fields(self)}
        changes = {k: v for k, v in knobs.items() if k in names and v is not None}
        return validate(dataclasses.replace(self, **changes)) if changes else self


def validate(config: SimConfig) -> SimConfig:
    """Reject impossible settings early, with a message naming the knob."""
    if config.usage_style not in USAGE_STYLES:
        raise ValueError(f"usage_style must be one of {USAGE_STYLES}, not {config.usage_style!r}")
    if config.line_ending not in LINE_ENDINGS:
        raise ValueError(f"line_ending must be '\\n' or '\\r\\n', not {config.line_ending!r}")
    if config.chunk_chars < 1:
        raise ValueError("chunk_chars must be >= 1")
    for name in ("latency", "token_rate", "keepalive_interval"):
        if float(getattr(config, name)) < 0:
            raise ValueError(f"{name} must be >= 0")
    if config.keepalives < 0:
        raise ValueError("keepalives must be >= 0")
    for name in ("free_rpm", "free_rpd"):
        value = getattr(config, name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                  or value < 1):
            raise ValueError(f"{name} must be a whole number >= 1, or None")
    if not float(config.rate_window) > 0:
        raise ValueError("rate_window must be > 0")
    return config


def make_config(base: SimConfig | None = None, **overrides: Any) -> SimConfig:
    """Build a validated config from keyword arguments (unknown names are an error)."""
    config = base or SimConfig()
    names = {f.name for f in dataclasses.fields(config)}
    unknown = sorted(set(overrides) - names)
    if unknown:
        raise TypeError(f"unknown simulator setting(s): {', '.join(unknown)}")
    return validate(dataclasses.replace(config, **overrides))
