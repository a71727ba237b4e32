"""`batch`: many prompts at once, results in input order, failures as values."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..client import OpenRouterError, Response
from ..state import session

__all__ = ["batch"]


def batch(
    prompts: Sequence[Any], model: str | None = None, *, concurrency: int = 8, **params: Any
) -> list[Response | OpenRouterError]:
    """Ask every prompt with the session's client; a failed item is its exception instance."""
    results = session.client().batch(
        prompts, concurrency=concurrency, **session.request_params({"model": model, **params})
    )
    for result in results:
        if isinstance(result, Response):
            session.record(result)
    return results
