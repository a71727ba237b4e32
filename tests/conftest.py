"""Fixtures shared by every test layer: the simulator as a real loopback HTTP server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from or_magics.offline import serve_in_thread
from or_magics.offline.server import ServerThread


@pytest.fixture(scope="session")
def server() -> Iterator[ServerThread]:
    """One simulator on 127.0.0.1 for the whole run."""
    with serve_in_thread(port=0) as running:
        yield running


@pytest.fixture
def live(server: ServerThread) -> Iterator[ServerThread]:
    """The shared server with an empty fault queue before and after the test."""
    server.simulator.clear_faults()
    yield server
    server.simulator.clear_faults()
