"""The panel uses the same shell and in-process simulator as the magics tests."""

from __future__ import annotations

from tests.magics.conftest import shell, sim

__all__ = ["shell", "sim"]
