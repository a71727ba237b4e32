"""`Session`: the defaults, usage and conversations the magics, the panel and the helpers
share, as one explicit object (``or_magics.session`` is the process's own).

It decides which client answers: an explicit key or ``OPENROUTER_API_KEY`` means
OpenRouter; no key at all means the built-in simulator, said out loud once, so a first
notebook works before any sign-up. Tests make their own ``Session()`` or call ``reset()``.
"""

from __future__ import annotations

import concurrent.futures
import os
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .client import Client, Response, Usage
from .client.batch import BatchResult
from .client.budget import Budget
from .client.cache import ResponseCache
from .client.loop import in_loop_thread
from .client.request import Request
from .client.secrets import clean_key
from .errors import BudgetExceededError
from .kernel.values import usd

if TYPE_CHECKING:
    from .helpers.conversation import Conversation

__all__ = ["ModelUsage", "Session", "session"]

OFFLINE_NOTICE = (
    "No OpenRouter API key found: answers come from the built-in simulator (labelled "
    "“simulated”). Set OPENROUTER_API_KEY or run %openrouter key to use OpenRouter."
)


@dataclass
class ModelUsage:
    calls: int = 0
    usage: Usage = field(default_factory=Usage)
    #: Answers counted from what arrived, not yet replaced by what was billed.
    estimates: int = 0


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
    #: Pace of the in-process simulator, over its demo pace (like a real model, so a demo
    #: visibly streams): ``token_rate``, ``latency``.
    simulator: dict[str, float] = field(default_factory=dict)
    #: The most the session may spend, in USD (``%openrouter budget``); None: no limit.
    budget: float | None = None
    #: Answers kept on disk (``%openrouter cache on``); None: off.
    cache: ResponseCache | None = None
    #: The last batch's results, also after Ctrl-C: run the same batch to resume it.
    last_batch: BatchResult | None = None
    _api_key: str | None = field(default=None, repr=False)
    _client: Client | None = field(default=None, repr=False)
    _pinned: bool = field(default=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _corrections: list[concurrent.futures.Future[bool]] = field(default_factory=list,
                                                                 repr=False)

    @property
    def api_key(self) -> str | None:
        return self._api_key or os.environ.get("OPENROUTER_API_KEY") or None

    def set_key(self, key: str | None) -> None:
        """Use ``key`` from now on (stripped; `InvalidParameterError` if it cannot be one)."""
        self._api_key = clean_key(key, "key")
        self.reset_client()

    @property
    def is_offline(self) -> bool:
        if self._pinned and self._client is not None:
            return self._client.offline
        if self.offline is not None:
            return self.offline
        base = self.base_url or os.environ.get("OPENROUTER_BASE_URL")
        return not self.api_key and (not base or "openrouter.ai" in base)

    @property
    def needs_key(self) -> bool:
        """Answers were asked of OpenRouter (``%openrouter online``), there or at
        ``OPENROUTER_BASE_URL``: with no key, nothing is sent. A ``base_url`` of its own
        (vLLM, Ollama) may need none."""
        return self.offline is False and not self.base_url

    def client(self) -> Client:
        """The client answering now (made on first use, after every change of settings)."""
        with self._lock:
            if self._client is None:
                if self.is_offline:
                    from .offline import DEMO_PACE, SimulatorTransport

                    pace = {**DEMO_PACE, **self.simulator}
                    self._client = Client(offline=True, model=self.model,
                                          transport=SimulatorTransport(None, **pace))
                else:
                    # the environment's key is the client's to read: it goes to OpenRouter
                    # (or OPENROUTER_BASE_URL) only, not to a base_url set in %config
                    self._client = Client(self._api_key, self.base_url, model=self.model,
                                          require_key=self.needs_key)
            # a client given with use() keeps its own model and cache, unless the session
            # sets one (%openrouter use MODEL, %openrouter cache on)
            if self.model is not None or not self._pinned:
                self._client.model = self.model
            if self.cache is not None or not self._pinned:
                self._client.cache = self.cache
            return self._client

    def use(self, client: Client) -> None:
        """Answer from ``client`` (a test's simulator, a custom server) until `reset`."""
        self.reset_client()
        with self._lock:
            self._client, self._pinned = client, True

    def reset_client(self) -> None:
        """Forget the client so the next call makes one from the current settings."""
        with self._lock:
            old, self._client, self._pinned = self._client, None, False
        if old is not None:
            old.close()

    def reset(self) -> None:
        """Back to a fresh session: no defaults, usage, conversations or client."""
        self.reset_client()
        fresh = Session()
        for name in ("model", "offline", "base_url", "params", "last", "usage",
                     "conversations", "notified", "simulator", "_api_key", "budget", "cache",
                     "last_batch"):
            setattr(self, name, getattr(fresh, name))

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

    def announce(self) -> None:
        """Say the notice, once, as one plain line (not a warning with a file and line)."""
        notice = self.offline_notice()
        if notice:
            print(notice)

    def record(self, response: Response,
               client: Client | None = None) -> concurrent.futures.Future[bool] | None:
        """Count a finished (or partial) answer in the session's usage by model. A stopped
        one counts what arrived (≈) until ``client`` learns what was billed: then that
        replaces it here too, so the session and the key agree. Returns that correction's
        future (None: nothing to correct)."""
        key = response.model or str(response.request.get("model") or "?")
        counted = response.usage
        with self._lock:
            self.last = response
            entry = self.usage.setdefault(key, ModelUsage())
            entry.calls += 1
            entry.usage = entry.usage + counted
            entry.estimates += counted.estimated
        future = client.settle_usage(response) if client is not None else None
        if future is None:
            return None

        def corrected(done: concurrent.futures.Future[bool]) -> None:
            if done.cancelled() or done.exception() is not None or not done.result():
                return
            with self._lock:
                found = self.usage.get(key)
                if found is not None:
                    found.estimates -= counted.estimated
                    found.usage = found.usage - counted + response.usage
                    found.usage.estimated = found.estimates > 0

        future.add_done_callback(corrected)
        with self._lock:
            self._corrections = [f for f in self._corrections if not f.done()] + [future]
        return future

    def settle(self, timeout: float = 3.0) -> None:
        """Wait (a little) for the billed usage of stopped answers to replace their
        estimates, so totals read now match the key's."""
        with self._lock:
            pending = [f for f in self._corrections if not f.done()]
        if pending and not in_loop_thread():
            concurrent.futures.wait(pending, timeout=timeout)

    def record_usage(self, model: str, usage: Usage) -> None:
        """Count a call that is not a chat answer (embeddings) in the usage by model."""
        with self._lock:
            entry = self.usage.setdefault(model, ModelUsage())
            entry.calls += 1
            entry.usage = entry.usage + usage

    def spending_limit(self) -> Budget | None:
        """The session budget as a `Budget` (what is spent so far counts), or None."""
        if self.budget is None:
            return None
        total = self.total_usage()
        limit = Budget(self.budget, spent=total.cost or 0.0)
        calls = sum(entry.calls for entry in self.usage.values())
        if total.cost and calls:
            limit.remember(total.cost / calls)  # where prices are unknown, answers so far
        return limit

    def guard(self, client: Client, *requests: Request) -> None:
        """Before sending: refuse (`BudgetExceededError`) requests whose worst case together
        would pass the session budget; nothing is sent."""
        limit = self.spending_limit()
        if limit is None:
            return
        cases = [client.worst_case(request) for request in requests]
        worst = None if any(c is None for c in cases) else sum(c or 0.0 for c in cases)
        if not limit.fits(worst):
            could = f"could cost up to {usd(worst)}" if worst is not None else "costs"
            raise BudgetExceededError(
                f"the session budget of {usd(limit.limit)} has {usd(max(limit.left, 0))} "
                f"left and this request {could}; %openrouter budget raises it", status=None)

    def total_usage(self) -> Usage:
        self.settle()
        total = Usage()
        for entry in self.usage.values():
            total = total + entry.usage
        return total


session = Session()
