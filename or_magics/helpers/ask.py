"""`ask` and `aask`: one question to the session's default model, in one line."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..client import Client, Response
from ..client.request import Request
from ..errors import Interrupted
from ..state import session

__all__ = ["aask", "ask"]


def _start(prompt: Any, model: str | None, params: dict[str, Any]) -> tuple[Client, Request]:
    session.announce()
    client = session.client()
    client.last_response = None
    request = client.build_request(prompt, **session.request_params({"model": model,
                                                                     **params}))
    session.guard(client, request)
    return client, request


@contextmanager
def _recorded(client: Client) -> Iterator[None]:
    """Count the answer in the session whatever happens (interrupted answers cost too)."""
    try:
        yield
    except KeyboardInterrupt:
        raise Interrupted() from None
    finally:
        if client.last_response is not None:
            session.record(client.last_response, client)


def ask(prompt: Any, model: str | None = None, **params: Any) -> Response:
    """Ask the session's default model (or ``model``) and wait for the whole answer.

    Takes what `Client.chat` takes: request fields, ``tools=[fn]``, ``schema=T``."""
    client, request = _start(prompt, model, params)
    with _recorded(client):
        return client.run(request)


async def aask(prompt: Any, model: str | None = None, **params: Any) -> Response:
    """`ask` for ``await``."""
    client, request = _start(prompt, model, params)
    with _recorded(client):
        return await client.arun(request)
