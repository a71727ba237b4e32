"""`ask` and `aask`: one question to the session's default model, in one line."""

from __future__ import annotations

import warnings
from typing import Any

from .response import Response
from .session import session

__all__ = ["aask", "ask"]


def _prepare(params: dict[str, Any]) -> dict[str, Any]:
    notice = session.offline_notice()
    if notice:
        warnings.warn(notice, stacklevel=3)
    return session.request_params(params)


def ask(prompt: Any, model: str | None = None, **params: Any) -> Response:
    """Ask the session's default model (or ``model``) and wait for the whole answer."""
    client = session.client()
    try:
        response = client.chat(prompt, **_prepare({"model": model, **params}))
    finally:
        if client.last_response is not None:
            session.record(client.last_response)
    return response


async def aask(prompt: Any, model: str | None = None, **params: Any) -> Response:
    """`ask` for ``await``."""
    client = session.client()
    try:
        response = await client.achat(prompt, **_prepare({"model": model, **params}))
    finally:
        if client.last_response is not None:
            session.record(client.last_response)
    return response
