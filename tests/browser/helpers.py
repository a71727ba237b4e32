"""Helpers for the browser tests: artifacts, waits with diagnostics, running notebook cells."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from .lab import KERNEL_TIMEOUT, RUN_TIMEOUT, LabServer


def artifact_path(name: str) -> Path:
    """Where a screenshot goes: $OR_MAGICS_ARTIFACTS or tests/browser/artifacts/."""
    folder = Path(os.environ.get("OR_MAGICS_ARTIFACTS") or Path(__file__).parent / "artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


def screenshot(target: Any, name: str, **options: Any) -> Path:
    """Save a screenshot of a page or a locator as a CI artifact and print its path."""
    path = artifact_path(name)
    target.screenshot(path=str(path), **options)
    print(f"screenshot saved: {path}")
    return path


def diagnostics(page: Any, lab: LabServer) -> str:
    """Browser console errors and the server's log tail, for assertion messages."""
    return (f"\n--- browser console ---\n{page.console.text()}"
            f"\n--- {lab.title} log (tail) ---\n{lab.log_tail()}")


def wait_js(page: Any, lab: LabServer, expression: str, what: str, timeout: float,
            arg: Any = None) -> Any:
    """Wait until a JS function returns a truthy value; fail with context after `timeout`."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        handle = page.wait_for_function(expression, arg=arg, timeout=timeout * 1000,
                                        polling=200)
    except PlaywrightTimeout:
        pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}"
                    + diagnostics(page, lab), pytrace=False)
    return handle.json_value()


CURRENT = "(window.jupyterapp && window.jupyterapp.shell.currentWidget)"
# Where each cell's outputs live in the DOM (windowingMode is "none": all cells attached).
OUTPUT = f"(i) => {CURRENT}.content.widgets[i].outputArea.node"


def compare_layout(page: Any, index: int) -> dict[str, list[Any]]:
    """Where a compare table's columns sit in cell ``index``: one entry per column."""
    return page.evaluate(f"""(i) => {{
        const node = ({OUTPUT})(i);
        const heads = Array.from(node.querySelectorAll('table.orm-grid > thead th'));
        const cells = Array.from(
            node.querySelectorAll('table.orm-grid > tbody > tr:first-child > td'));
        const box = c => c.getBoundingClientRect();
        return {{
            heads: heads.map(h => h.innerText),
            lefts: cells.map(c => Math.round(box(c).left)),
            tops: cells.map(c => Math.round(box(c).top)),
            widths: cells.map(c => Math.round(box(c).width)),
            texts: cells.map(c => c.innerText),
            headings: cells.map(c => c.querySelectorAll('h1,h2,h3').length),
        }};
    }}""", index)

_KERNEL_IDLE = f"""() => {{
    const w = {CURRENT};
    if (!w || !w.sessionContext || !w.content) return false;
    const kernel = w.sessionContext.session && w.sessionContext.session.kernel;
    return w.sessionContext.isReady && kernel && kernel.status === 'idle'
        && kernel.connectionStatus === 'connected';
}}"""

_CELLS = f"""() => {{
    const w = {CURRENT};
    return w.content.widgets.map(cell => ({{
        type: cell.model.type,
        count: cell.model.type === 'code' ? cell.model.executionCount : null,
        outputs: cell.model.type === 'code' ? cell.model.outputs.toJSON() : [],
    }}));
}}"""


def open_notebook(page: Any, lab: LabServer, name: str) -> None:
    """Open `name` (in Lab: a fresh workspace) and wait until its kernel is idle."""
    page.goto(lab.notebook_url(name), wait_until="domcontentloaded", timeout=60_000)
    wait_js(page, lab,
            f"""(name) => {{ const w = {CURRENT};
                return !!(w && w.context && w.context.path === name && w.content); }}""",
            f"{lab.title} to open {name} (is window.jupyterapp exposed?)", 60.0, arg=name)
    wait_js(page, lab, _KERNEL_IDLE, f"the kernel of {name} to be idle", KERNEL_TIMEOUT)


def run_all(page: Any, lab: LabServer, timeout: float = RUN_TIMEOUT) -> list[dict[str, Any]]:
    """Run every cell and wait until each code cell has run and the kernel is idle.

    Returns the cells as `{type, count, outputs}`; an error output fails the test at once.
    """
    page.evaluate("""() => { window.__orm_run_all = window.jupyterapp.commands
        .execute('notebook:run-all-cells').then(() => 'done', e => 'failed: ' + e); }""")
    return wait_cells_done(page, lab, timeout)


def run_cell(page: Any, lab: LabServer, index: int, timeout: float = RUN_TIMEOUT
             ) -> list[dict[str, Any]]:
    """Select cell `index`, run it with notebook:run-cell, wait until it has run again."""
    before = page.evaluate(_CELLS)[index]["count"] or 0
    page.evaluate(f"""(i) => {{ const w = {CURRENT};
        w.content.activeCellIndex = i; w.content.deselectAll();
        window.__orm_run_cell = window.jupyterapp.commands.execute('notebook:run-cell')
            .then(() => 'done', e => 'failed: ' + e); }}""", index)
    wait_js(page, lab, f"""([i, before]) => {{ const c = {CURRENT}.content.widgets[i];
        return c.model.executionCount !== null && c.model.executionCount > before; }}""",
            f"cell {index} to run again", timeout, arg=[index, before])
    return wait_cells_done(page, lab, timeout)


def wait_cells_done(page: Any, lab: LabServer, timeout: float) -> list[dict[str, Any]]:
    """Wait until every code cell has run (or one failed, which stops run-all) and the
    kernel is idle; fail with the kernel's traceback if a cell raised."""
    wait_js(page, lab, f"""() => {{
        const w = {CURRENT};
        const cells = w.content.widgets.filter(c => c.model.type === 'code');
        const running = cells.some(c => c.promptNode
            && c.promptNode.textContent.includes('*'));
        const pending = cells.some(c => c.model.executionCount === null);
        const failed = cells.some(c => c.model.outputs.toJSON()
            .some(o => o.output_type === 'error'));
        const kernel = w.sessionContext.session && w.sessionContext.session.kernel;
        return !running && (!pending || failed) && kernel && kernel.status === 'idle';
    }}""", "every cell to finish running", timeout)
    cells = page.evaluate(_CELLS)
    errors = [output for cell in cells for output in cell["outputs"]
              if output.get("output_type") == "error"]
    if errors:
        trace = "\n".join("\n".join(e.get("traceback", [])) for e in errors)
        trace = re.sub(r"\x1b\[[0-9;]*m", "", trace)
        pytest.fail(f"a cell raised an error in the kernel:\n{trace}" + diagnostics(page, lab),
                    pytrace=False)
    return cells


def output_text(cell: dict[str, Any]) -> str:
    """All text a cell printed or displayed (stream text and text/plain)."""
    parts = []
    for output in cell["outputs"]:
        if "text" in output:
            text = output["text"]
            parts.append(text if isinstance(text, str) else "".join(text))
        plain = output.get("data", {}).get("text/plain")
        if plain:
            parts.append(plain if isinstance(plain, str) else "".join(plain))
    return "".join(parts)


def screenshot_notebook(page: Any, name: str, parts: dict[str, str] | None = None,
                        max_height: int = 8000) -> list[Path]:
    """The whole notebook in one image: grow the viewport to the notebook's scroll height.

    Lab is a fixed-size app whose notebook scrolls inside a panel, so a plain full-page
    screenshot would only show what fits the window. `parts` maps more file names to CSS
    selectors of elements to capture on their own while everything is laid out.
    """
    size = page.viewport_size or {"width": 1280, "height": 1000}
    scroller = (f"(() => {{ const n = {CURRENT}.content.node; "
                "return n.querySelector('.jp-WindowedPanel-outer') || n; })()")
    needed = page.evaluate(f"""() => {{ const outer = {scroller};
        return outer.scrollHeight + (window.innerHeight - outer.clientHeight); }}""")
    page.set_viewport_size({"width": size["width"],
                            "height": max(size["height"], min(int(needed) + 40, max_height))})
    try:
        page.evaluate(f"() => {{ {scroller}.scrollTop = 0; }}")
        page.wait_for_timeout(400)  # let Lab re-lay out and MathJax re-typeset
        paths = [screenshot(page, name)]
        for part, selector in (parts or {}).items():
            paths.append(screenshot(page.locator(selector).first, part))
        return paths
    finally:
        page.set_viewport_size(size)
