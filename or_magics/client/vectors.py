"""`EmbeddingArray`: embeddings as a NumPy array that says what it is in one line.

Imported only when embeddings are asked for and NumPy is installed. It is a plain
``ndarray`` in every computation (``vecs @ vecs.T``, ``vecs[0]``, ``vecs.mean(0)`` give
ordinary arrays); only the array as returned shows ``<Embeddings 3 × 1536 · model · 12
tokens>`` instead of thousands of numbers, and keeps ``.model`` and ``.usage``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .response import Usage, embeddings_summary

__all__ = ["EmbeddingArray"]


class EmbeddingArray(np.ndarray[Any, np.dtype[np.float32]]):
    """One row per text, float32; ``model`` and ``usage`` say where it came from."""

    model: str | None
    usage: Usage | None
    #: The shape as returned: a view of another shape (a transpose) is just numbers.
    rows_by_dims: tuple[int, ...] | None

    @classmethod
    def of(cls, rows: list[list[float]], model: str | None, usage: Usage) -> EmbeddingArray:
        array = np.asarray(rows, dtype=np.float32).view(cls)
        array.model, array.usage, array.rows_by_dims = model, usage, array.shape
        return array

    def __array_finalize__(self, obj: Any) -> None:
        self.model = getattr(obj, "model", None)
        self.usage = getattr(obj, "usage", None)
        self.rows_by_dims = getattr(obj, "rows_by_dims", None)

    def __array_wrap__(self, array: Any, context: Any = None,
                       return_scalar: bool = False) -> Any:
        plain = np.asarray(array).view(np.ndarray)  # arithmetic gives numbers, not embeddings
        return plain[()] if return_scalar else plain

    def __getitem__(self, key: Any) -> Any:
        item = super().__getitem__(key)
        return item.view(np.ndarray) if isinstance(item, np.ndarray) else item

    @property
    def vectors(self) -> EmbeddingArray:
        """The array itself (``Embeddings.vectors`` reads the same)."""
        return self

    def __repr__(self) -> str:
        if self.model is None or self.ndim != 2 or self.shape != self.rows_by_dims:
            return repr(self.view(np.ndarray))
        return embeddings_summary(self.shape[0], self.shape[1], self.model, self.usage)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))

    def __reduce__(self) -> Any:
        reduced: Any = super().__reduce__()
        rebuild, args, state = reduced
        return rebuild, args, (state, self.model, self.usage, self.rows_by_dims)

    def __setstate__(self, state: Any) -> None:
        inner, self.model, self.usage, self.rows_by_dims = state
        super().__setstate__(inner)
