"""or_magics: OpenRouter in Jupyter.

``%load_ext or_magics`` for the ``%%openrouter`` magics; ``Client``, ``ask``, ``batch``,
``compare``, ``Conversation`` and ``embed`` from Python. With no API key everything runs on
a built-in simulator. Importing this package loads httpx2 and nothing heavy: Markdown, widgets, the
simulator and IPython display code load on first use.

Layers, top to bottom (imports only go down; ``tests/test_layers.py`` enforces it)::

    notebook/    %%openrouter, %openrouter, templating, key prompt   (IPython)
    explorer/    the model panel and its Choice                      (ipywidgets)
    helpers/     ask, batch, compare, Conversation, embed, LiveAnswer
    state.py     options.py: the Session, the one options table
    render/      Markdown -> sanitized HTML, streaming display       (no httpx2)
    client/      request -> HTTP -> SSE -> Response, endpoints       (no IPython)
    offline/     the OpenRouter simulator                            (no client)
    kernel/      Python objects to and from the wire: values, tools, schemas, attachments
    protocol.py  errors.py: what every layer agrees on
"""

from __future__ import annotations

from typing import Any

from .client import Citation, Client, Embeddings, Model, Response, Step, Stream, ToolCall, Usage
from .client import config as _config
from .client import response as _response
from .client.request import cacheable
from .errors import (
    APIConnectionError,
    AuthenticationError,
    BadRequestError,
    BudgetExceededError,
    IncompleteStreamError,
    InsufficientCreditsError,
    Interrupted,
    InvalidParameterError,
    MissingKeyError,
    ModerationError,
    NoProviderError,
    NotFoundError,
    NotSentError,
    OpenRouterError,
    ProviderError,
    RateLimitError,
    RequestTimeoutError,
    SchemaError,
    ToolLoopError,
    UnexpectedResponseError,
)
from .helpers.ask import aask, ask
from .helpers.batch import batch, batch_frame
from .helpers.compare import compare
from .helpers.conversation import Conversation
from .helpers.embed import embed
from .state import Session, session

__version__ = "0.1.0"

__all__ = [
    "APIConnectionError",
    "AuthenticationError",
    "BadRequestError",
    "BudgetExceededError",
    "Citation",
    "Client",
    "Conversation",
    "Embeddings",
    "IncompleteStreamError",
    "InsufficientCreditsError",
    "Interrupted",
    "InvalidParameterError",
    "MissingKeyError",
    "Model",
    "ModerationError",
    "NoProviderError",
    "NotFoundError",
    "NotSentError",
    "OpenRouterError",
    "ProviderError",
    "RateLimitError",
    "RequestTimeoutError",
    "Response",
    "SchemaError",
    "Session",
    "Step",
    "Stream",
    "ToolCall",
    "ToolLoopError",
    "UnexpectedResponseError",
    "Usage",
    "aask",
    "ask",
    "batch",
    "batch_frame",
    "cacheable",
    "compare",
    "embed",
    "load_ipython_extension",
    "panel",
    "session",
    "unload_ipython_extension",
]


def panel(client: Client | None = None) -> Any:
    """The model explorer and routing panel (ipywidgets); ``%openrouter panel`` shows it.

    Uses the session's client (the simulator when there is no key) unless given one.
    """
    from .explorer import Panel

    return Panel(client)


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext or_magics``: register the magics."""
    from .notebook import load

    load(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    from .notebook import unload

    unload(ipython)


# -- wiring: the layers below get what they must not import ------------------------------------


def _simulator_transport() -> Any:
    from .offline import SimulatorTransport

    return SimulatorTransport()


def _ask_for_key() -> str | None:
    from .notebook.keyprompt import ask_for_key

    return ask_for_key()


def _progress(total: int, title: str) -> Any:
    from .render.progress import BatchProgress

    return BatchProgress(total, title)


def _show_response(response: Response) -> dict[str, str]:
    from .render import AnswerInfo, render_answer

    info = AnswerInfo.from_response(response, error=str(response.error) if response.error
                                    else None)
    bundle = render_answer(response.text or "(no text)", info,
                           reasoning=response.reasoning or "", citations=response.citations,
                           tool_calls=response.tool_calls, images=response.images)
    return {**bundle, "text/plain": response.text or "(no text)"}


_config.hooks.offline_transport = _simulator_transport
_config.hooks.key_provider = _ask_for_key
_config.hooks.progress = _progress
_response.display_hook = _show_response
