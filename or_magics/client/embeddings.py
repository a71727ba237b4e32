"""Embeddings: texts in, one vector per text out, in batches, with a repr that fits a line.

Two vectors of 1536 floats print as 35,000 characters; data work wants an array and a
summary. So the result is a NumPy array when NumPy is installed (`vectors.EmbeddingArray`,
imported then) and `Embeddings`, a list of lists, otherwise; both carry the model and the
usage and show as ``<Embeddings 2 × 1536 · openai/text-embedding-3-small · 9 tokens>``.
Long inputs are sent in batches, a few at once, and put back in input order.
"""

from __future__ import annotations

import asyncio
import base64
import struct
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from ..errors import InvalidParameterError, ProviderError
from .response import Usage, embeddings_summary

__all__ = ["Embeddings", "embed_all", "texts_of"]

#: At most this many characters in one request (about 100,000 tokens), whatever the count.
BATCH_CHARS = 400_000
#: Batches in flight at once.
CONCURRENCY = 4


class Embeddings(list[list[float]]):
    """One vector (a list of floats) per text, in input order, with ``model`` and ``usage``;
    what `Client.embeddings` gives when NumPy is not installed."""

    def __init__(self, vectors: Iterable[list[float]] = (), model: str | None = None,
                 usage: Usage | None = None) -> None:
        super().__init__(vectors)
        self.model = model
        self.usage = usage if usage is not None else Usage()

    @property
    def vectors(self) -> list[list[float]]:
        return list(self)

    @property
    def shape(self) -> tuple[int, int]:
        return len(self), len(self[0]) if self else 0

    def __repr__(self) -> str:
        return embeddings_summary(*self.shape, self.model, self.usage)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))


def texts_of(input: Any) -> list[str]:
    """A text or texts (a list, a tuple, a pandas Series) as a list; a bad one is one line."""
    if isinstance(input, str):
        texts = [input]
    elif isinstance(input, (bytes, dict)) or not isinstance(input, Iterable):
        raise InvalidParameterError("input", "give a string or a list of strings to embed")
    else:
        texts = list(input.tolist() if hasattr(input, "tolist") else input)
    if not texts:
        raise InvalidParameterError("input", "there is nothing to embed (an empty list)")
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise InvalidParameterError(f"input[{i}]", f"a {type(text).__name__} is not a "
                                                       "text (a missing value?)")
        if not text.strip():
            raise InvalidParameterError(f"input[{i}]", "is empty; models refuse empty texts")
    return texts


def batches(texts: list[str], size: int) -> list[list[str]]:
    """Consecutive runs of at most ``size`` texts and `BATCH_CHARS` characters."""
    out: list[list[str]] = []
    current: list[str] = []
    chars = 0
    for text in texts:
        if current and (len(current) >= size or chars + len(text) > BATCH_CHARS):
            out.append(current)
            current, chars = [], 0
        current.append(text)
        chars += len(text)
    if current:
        out.append(current)
    return out


def _vector(value: Any) -> list[float]:
    """A float list, or the base64 little-endian float32 of ``encoding_format="base64"``."""
    if isinstance(value, str):
        raw = base64.b64decode(value)
        return list(struct.unpack(f"<{len(raw) // 4}f", raw))
    if not isinstance(value, list):
        raise ProviderError("the server sent an embedding that is not a vector")
    return value


Post = Callable[[dict[str, Any]], Awaitable[Any]]


async def embed_all(post: Post, input: Any, model: str, batch_size: int,
                    params: dict[str, Any]) -> Any:
    """Every text embedded (``post`` sends one body), in input order."""
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise InvalidParameterError("batch_size", "must be a whole number ≥ 1")
    dims = params.get("dimensions")
    if dims is not None and (isinstance(dims, bool) or not isinstance(dims, int) or dims < 1):
        raise InvalidParameterError("dimensions", "must be a whole number ≥ 1")
    texts = texts_of(input)
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(chunk: list[str]) -> tuple[list[list[float]], str | None, Usage]:
        async with gate:
            data = await post({"model": model, "input": chunk, **params})
        rows = sorted(data.get("data") or [], key=lambda row: row.get("index", 0))
        if len(rows) != len(chunk):
            raise ProviderError(f"sent {len(chunk)} texts to embed, got {len(rows)} vectors")
        return ([_vector(row.get("embedding")) for row in rows], data.get("model"),
                Usage.from_dict(data.get("usage") or {}))

    done = await asyncio.gather(*(one(chunk) for chunk in batches(texts, batch_size)))
    vectors = [vector for rows, _, _ in done for vector in rows]
    usage = Usage()
    for _, _, part in done:
        usage = usage + part
    name = done[0][1] or model
    try:
        from .vectors import EmbeddingArray
    except ImportError:  # no NumPy
        return Embeddings(vectors, name, usage)
    return EmbeddingArray.of(vectors, name, usage)
