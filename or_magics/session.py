"""Process-wide defaults shared by the magics, the panel and the helpers.

One place decides which client answers: an explicit key or ``OPENROUTER_API_KEY`` means
OpenRouter; no key at all means the built-in simulator, said out loud, so a first notebook
works before any sign-up.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .conversation import Conversation
from .response import Response, Usage

if TYPE_CHECKING:
    from .client import Client

__all__ = ["Session", "session"]

OFFLINE_NOTICE = (
    "No OpenRouter API key found: answers come from the built-in simulator (labelled "
    "“simulated”). Set OPENROUTER_API_KEY or run %openrouter key to use OpenRouter."
)


@dataclass
class ModelUsage:
    calls: int = 0
    usage: Usage = field(default_factory=Usage)


@dataclass
class Session:
    model: str | None = None
    #: True: simulator; False: OpenRouter (or base_url); None: simulator only if there is no key.
    offline: bool | None = None
    base_url: str | None = None
    #: Default request fields (temperature, provider, ...) for every call.
    params: dict[str, Any] = field(default_factory=dict)
    last: Response | None = None
    usage: dict[str, ModelUsage] = field(default_factory=dict)
    conversations: dict[str, Conversation] = field(default_factory=dict)
    #: Whether the "no key, simulator" notice was shown.
    notified: bool = False
    #: Pace of the in-process simulator: like a real model, so a demo visibly streams.
    simulator: dict[str, Any] = field(
        default_factory=lambda: {"token_rate": 200.0, "latency": 0.2})
    _api_key: str | None = field(default=None, repr=False)
    _client: Client | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def api_key(self) -> str | None:
        return self._api_key or os.environ.get("OPENROUTER_API_KEY") or None

    def set_key(self, key: str | None) -> None:
        self._api_key = key.strip() if key else None
        self.reset_client()

    @property
    def is_offline(self) -> bool:
        if self.offline is not None:
            return self.offline
        base = self.base_url or os.environ.get("OPENROUTER_BASE_URL")
        return not self.api_key and (not base or "openrouter.ai" in base)

    def client(self) -> Client:
        with self._lock:
            if self._client is None:
                from .client import Client

                if self.is_offline:
                    from .offline import SimulatorTransport

                    self._client = Client(offline=True, model=self.model,
                                          transport=SimulatorTransport(**self.simulator))
                else:
                    self._client = Client(self.api_key, self.base_url, model=self.model)
            self._client.model = self.model
            return self._client

    def reset_client(self) -> None:
        with self._lock:
            old, self._client = self._client, None
        if old is not None:
            old.close()

    def request_params(self, overrides: dict[str, Any]) -> dict[str, Any]:
        """Session defaults under call-specific fields (a None override keeps the default)."""
        merged = dict(self.params)
        merged.update({k: v for k, v in overrides.items() if v is not None})
        return merged

    def offline_notice(self) -> str | None:
        """The "no key, so simulated" notice, the first time it applies in this session."""
        if self.offline is None and self.is_offline and not self.notified:
            self.notified = True
            return OFFLINE_NOTICE
        return None

    def conversation(self, name: str, max_turns: int | None = None) -> Conversation:
        """The named conversation, started on first use; it uses the session's client."""
        if name not in self.conversations:
            self.conversations[name] = Conversation(max_turns=max_turns)
        chat = self.conversations[name]
        chat.max_turns = max_turns
        return chat

    def record(self, response: Response) -> None:
        """Count a finished (or partial) answer in the session's usage by model."""
        self.last = response
        key = response.model or str(response.request.get("model") or "?")
        entry = self.usage.setdefault(key, ModelUsage())
        entry.calls += 1
        entry.usage = entry.usage + response.usage

    def total_usage(self) -> Usage:
        total = Usage()
        for entry in self.usage.values():
            total = total + entry.usage
        return total


session = Session()
