"""`embed`: vectors for texts from the session's client, counted in the session's usage."""

from __future__ import annotations

import warnings
from typing import Any

from ..protocol import DEFAULT_EMBEDDING_MODEL
from ..state import session

__all__ = ["embed"]


def embed(texts: Any, model: str | None = None, **params: Any) -> Any:
    """One vector per text, in order: a NumPy array when NumPy is installed (lists
    otherwise), with ``.model``, ``.usage`` and a one-line repr.

    ``texts``: a string, a list of strings or a pandas Series; long inputs are sent in
    batches (``batch_size=128``). ``model`` defaults to openai/text-embedding-3-small;
    ``%openrouter models --embeddings`` lists the others. ``dimensions=`` shortens the
    vectors where the model allows it.
    """
    notice = session.offline_notice()
    if notice:
        warnings.warn(notice, stacklevel=2)
    chosen = model or DEFAULT_EMBEDDING_MODEL
    result = session.client().embeddings(texts, model=chosen, **params)
    session.record_usage(getattr(result, "model", None) or chosen, result.usage)
    return result
