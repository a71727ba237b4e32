"""An IPython shell with the extension loaded, answering from the in-process simulator."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from IPython.core.interactiveshell import InteractiveShell

import or_magics
from or_magics.offline import Simulator, SimulatorTransport


@pytest.fixture(scope="module")
def shell() -> Iterator[InteractiveShell]:
    ip = InteractiveShell.instance()
    ip.run_line_magic("load_ext", "or_magics")
    yield ip
    ip.run_line_magic("unload_ext", "or_magics")


@pytest.fixture
def sim(shell, monkeypatch) -> Iterator[Simulator]:
    """A fresh simulator behind the session, instant, and a clean session around each test."""
    monkeypatch.delenv("OPENROUTER_API_KEY", raising=False)
    monkeypatch.delenv("OPENROUTER_BASE_URL", raising=False)
    simulator = Simulator()
    session = or_magics.session
    magics = next(c for c in shell.configurables if type(c).__name__ == "OpenRouterMagics")
    magics.model, magics.offline, magics.params, magics.format = None, None, {}, "markdown"
    magics.system = ""
    session.reset()
    session.use(or_magics.Client(offline=True, transport=SimulatorTransport(simulator)))
    yield simulator
    session.reset()
