"""A spending limit that is never passed.

Every request reserves its worst case before it is sent: the prompt's estimated tokens at
the catalogue's prompt price plus its ``max_tokens`` (or, without one, the endpoint's
longest answer) at the completion price, as OpenRouter's own credit check does. When the
answer ends its real cost replaces the reservation. A request that would not fit waits
for answers in flight to settle; if it still does not fit, it is not sent. Where a
server gives no prices, twice the running average cost stands in.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from ..errors import BudgetExceededError
from ..kernel.values import usd
from .catalogue import Model, per_million
from .request import Request

__all__ = ["Budget", "worst_case"]

#: Prompt tokens are estimated at 4 characters a token; languages with more tokens per
#: character (Chinese, Japanese) need this margin for the estimate to stay a bound.
PROMPT_MARGIN = 2.0
#: A completion bound for a model the catalogue does not describe.
DEFAULT_COMPLETION = 4096


def worst_case(request: Request, model: Model | None) -> float | None:
    """The most ``request`` can cost in USD; None when the prices are not known."""
    if model is None or model.prompt_price is None or model.completion_price is None:
        return None
    body = request.body
    prompt = request.estimated_tokens * PROMPT_MARGIN
    completion = body.get("max_tokens") or body.get("max_completion_tokens")
    if not completion:
        top = model.raw.get("top_provider") or {}
        completion = top.get("max_completion_tokens") or DEFAULT_COMPLETION
    per_request = (per_million((model.raw.get("pricing") or {}).get("request")) or 0) / 1e6
    return (prompt * model.prompt_price + completion * model.completion_price) / 1e6 + \
        per_request


@dataclass
class Budget:
    """``limit`` USD, of which ``spent`` is gone and ``reserved`` is held by answers in
    flight. Used on one event loop (the private loop) at a time."""

    limit: float
    spent: float = 0.0
    reserved: float = 0.0
    #: Answers in flight holding a reservation (a count: float sums never reach 0 again).
    holders: int = 0
    _costs: list[float] = field(default_factory=list, repr=False)
    _settled: asyncio.Event | None = field(default=None, repr=False)

    @property
    def left(self) -> float:
        return self.limit - self.spent

    def remember(self, cost: float) -> None:
        """A cost seen before (the session's average answer), for unknown prices."""
        self._costs.append(cost)

    def _bound(self, estimate: float | None) -> float:
        if estimate is not None:
            return estimate
        if not self._costs:
            return 0.0  # nothing known yet: the first answer shows the price
        return 2 * sum(self._costs) / len(self._costs)

    def fits(self, estimate: float | None) -> bool:
        bound = self._bound(estimate)
        if bound == 0 and estimate is None and self.left <= 0:
            return False  # an unknown price cannot fit in nothing
        return self.spent + self.reserved + bound <= self.limit + 1e-12

    async def reserve(self, estimate: float | None) -> float:
        """Hold the worst case of one request; wait while answers in flight may free room.
        Raises `BudgetExceededError` when it cannot fit even with nothing in flight."""
        bound = self._bound(estimate)
        while not self.fits(estimate):
            if self.holders == 0:
                raise BudgetExceededError(
                    f"the budget of {usd(self.limit)} has {usd(max(self.left, 0))} left; this "
                    f"request could cost up to {usd(bound)} (set max_tokens to bound it, or "
                    "raise the budget)", status=None)
            self._settled = self._settled or asyncio.Event()
            await self._settled.wait()
        self.reserved += bound
        self.holders += 1
        return bound

    def settle(self, reserved: float, actual: float | None) -> None:
        """An answer ended: its real cost replaces what it held."""
        self.holders -= 1
        self.reserved = max(0.0, self.reserved - reserved) if self.holders else 0.0
        if actual is not None:
            self.spent += actual
            self._costs.append(actual)
        if self._settled is not None:
            self._settled.set()
            self._settled = None
