"""`ask` and `aask`: one question to the session's default model, in one line."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..client import Client, Response
from ..client import loop as _loop
from ..state import session

__all__ = ["aask", "ask"]


def _start(prompt: Any, model: str | None, params: dict[str, Any]) -> tuple[Client,
                                                                           dict[str, Any],
                                                                           Response]:
    notice = session.offline_notice()
    if notice:
        warnings.warn(notice, stacklevel=3)
    client = session.client()
    body = client.build_body(prompt, **session.request_params({"model": model, **params}))
    return client, body, client.response_for(body)


@contextmanager
def _recorded(response: Response) -> Iterator[None]:
    """Count the answer in the session whatever happens (interrupted answers cost too)."""
    try:
        yield
    finally:
        session.record(response)


def ask(prompt: Any, model: str | None = None, **params: Any) -> Response:
    """Ask the session's default model (or ``model``) and wait for the whole answer."""
    client, body, response = _start(prompt, model, params)
    with _recorded(response):
        return _loop.run_sync(client.complete(body, response))


async def aask(prompt: Any, model: str | None = None, **params: Any) -> Response:
    """`ask` for ``await``."""
    client, body, response = _start(prompt, model, params)
    with _recorded(response):
        return await _loop.run_async(client.complete(body, response))
