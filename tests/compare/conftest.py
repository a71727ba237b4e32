"""Fixtures: the session talking to the loopback simulator; the shell fixtures of tests/magics."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import or_magics
from or_magics import Client
from or_magics.offline.server import ServerThread

from ..magics.conftest import shell, sim  # noqa: F401  (fixtures for the shell tests)

KEY = "sk-or-v1-test-" + "5eed" * 8


@pytest.fixture
def remote(live: ServerThread, monkeypatch: pytest.MonkeyPatch) -> Iterator[ServerThread]:
    """`or_magics.session` answers from the loopback server; a clean session around."""
    session = or_magics.session
    session.reset()
    session.use(Client(api_key=KEY, base_url=live.base_url))
    yield live
    session.reset()
