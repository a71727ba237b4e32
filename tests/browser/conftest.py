"""Fixtures for the browser tests: a Jupyter server, headless Chromium, a page per test.

See lab.py for how the server is isolated and helpers.py for what the tests call.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from .helpers import artifact_path
from .lab import (
    CHROMIUM,
    CHROMIUM_ARGS,
    INSTALL_HINT,
    Console,
    LabServer,
    serve,
)


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    """`jupyter lab` on a free port of 127.0.0.1, isolated from the developer's home.

    Module-scoped, so the server and its kernels are gone before other test modules run.
    A module overrides it to test another front end (test_notebook7.py: Notebook 7).
    """
    with serve("lab", tmp_path_factory.mktemp("lab")) as server:
        yield server


# -- the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Headless Debian Chromium with a fresh profile; fails (never skips) when missing.

    Module-scoped on purpose: Playwright's sync API keeps an asyncio loop running on the main
    thread while it is open, which would break `asyncio.run` in every later test module.
    """
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        found = shutil.which("chromium")
        pytest.fail(f"Chromium is not installed at {CHROMIUM}"
                    + (f" (there is one at {found}; set OR_MAGICS_CHROMIUM)" if found else "")
                    + f": {INSTALL_HINT}", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail('Playwright is missing: python -m pip install -e ".[test]"', pytrace=False)
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        try:
            context = playwright.chromium.launch_persistent_context(
                str(profile), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
                viewport={"width": 1280, "height": 1000}, timeout=60_000,
            )
        except Exception as exc:  # Playwright raises its own Error; show it with the hint
            pytest.fail(f"Chromium at {CHROMIUM} did not start: {exc}\n{INSTALL_HINT}",
                        pytrace=False)
        context.set_default_timeout(30_000)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser_context: Any, lab: LabServer) -> Iterator[Any]:
    """A new tab in the shared Chromium, its console errors in `page.console`."""
    tab = browser_context.new_page()
    console = Console()

    def on_console(message: Any) -> None:
        if message.type == "error":
            console.errors.append(f"[{message.type}] {message.text}")

    tab.on("console", on_console)
    tab.on("pageerror", lambda error: console.errors.append(f"[pageerror] {error}"))
    tab.console = console
    try:
        yield tab
    finally:
        tab.close()
        lab.shutdown_kernels()


# -- failure diagnostics -------------------------------------------------------------------


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed and "page" in getattr(item, "funcargs", {}):
        tab = item.funcargs["page"]
        with contextlib.suppress(Exception):
            if not tab.is_closed():
                path = artifact_path(f"FAILED-{item.name}.png")
                tab.screenshot(path=str(path))
                report.sections.append(("browser screenshot", str(path)))
