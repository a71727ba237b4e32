"""The one-line helpers on the session's client: `ask`, `batch`, `compare`, `Conversation`,
and `LiveAnswer`, which streams one answer into a display (a cell, the panel's prompt box).
"""

from __future__ import annotations

from .ask import aask, ask
from .batch import batch
from .compare import compare
from .conversation import Conversation

__all__ = ["Conversation", "aask", "ask", "batch", "compare"]
