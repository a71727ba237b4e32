"""or_magics: OpenRouter in Jupyter.

``%load_ext or_magics`` for the ``%%openrouter`` magics; ``Client``, ``ask``, ``batch``,
``compare`` and ``Conversation`` from Python. With no API key everything runs on a built-in
simulator. Importing this package loads httpx and nothing heavy: Markdown, widgets and
IPython display code load on first use.
"""

from __future__ import annotations

from typing import Any

from .ask import aask, ask
from .batch import batch
from .catalog import Model
from .client import Client, Embeddings, Stream
from .compare import compare
from .conversation import Conversation
from .errors import (
    APIConnectionError,
    AuthenticationError,
    BadRequestError,
    IncompleteStreamError,
    InsufficientCreditsError,
    InvalidParameterError,
    ModerationError,
    NoProviderError,
    NotFoundError,
    OpenRouterError,
    ProviderError,
    RateLimitError,
    RequestTimeoutError,
)
from .response import Citation, Response, ToolCall, Usage
from .session import session

__version__ = "0.1.0"

__all__ = [
    "APIConnectionError",
    "AuthenticationError",
    "BadRequestError",
    "Citation",
    "Client",
    "Conversation",
    "Embeddings",
    "IncompleteStreamError",
    "InsufficientCreditsError",
    "InvalidParameterError",
    "Model",
    "ModerationError",
    "NoProviderError",
    "NotFoundError",
    "OpenRouterError",
    "ProviderError",
    "RateLimitError",
    "RequestTimeoutError",
    "Response",
    "Stream",
    "ToolCall",
    "Usage",
    "aask",
    "ask",
    "batch",
    "compare",
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
    from .magics import load

    load(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    from .magics import unload

    unload(ipython)
