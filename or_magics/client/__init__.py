"""The client layer: request building and validation, HTTP and retries, SSE, `Response`,
typed errors, the catalogue and the other endpoints.

It imports httpx2 and nothing of IPython, widgets, the display or the simulator (a test
enforces it); those plug in through `config.hooks`.
"""

from __future__ import annotations

from ..errors import (
    APIConnectionError,
    AuthenticationError,
    BadRequestError,
    IncompleteStreamError,
    InsufficientCreditsError,
    InvalidParameterError,
    MissingKeyError,
    ModerationError,
    NoProviderError,
    NotFoundError,
    OpenRouterError,
    ProviderError,
    RateLimitError,
    RequestTimeoutError,
    SchemaError,
    ToolLoopError,
    UnexpectedResponseError,
)
from .catalogue import Model
from .client import Client
from .config import hooks, mask_key
from .endpoints import Embeddings
from .images import Image
from .response import Citation, Response, Step, ToolCall, Usage
from .streams import MultiStream, Stream

__all__ = [
    "APIConnectionError",
    "AuthenticationError",
    "BadRequestError",
    "Citation",
    "Client",
    "Embeddings",
    "Image",
    "IncompleteStreamError",
    "InsufficientCreditsError",
    "InvalidParameterError",
    "MissingKeyError",
    "Model",
    "ModerationError",
    "MultiStream",
    "NoProviderError",
    "NotFoundError",
    "OpenRouterError",
    "ProviderError",
    "RateLimitError",
    "RequestTimeoutError",
    "Response",
    "SchemaError",
    "Step",
    "Stream",
    "ToolCall",
    "ToolLoopError",
    "UnexpectedResponseError",
    "Usage",
    "hooks",
    "mask_key",
]
