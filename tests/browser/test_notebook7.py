"""or_magics in Notebook 7 (`jupyter notebook`) in real headless Chromium, on the simulator.

Notebook 7 is its own front end (its own shell, page layout, URL scheme and app option for
`window.jupyterapp`) over JupyterLab's notebook and widget packages, so the model panel and
the compare table get their own check here: the panel renders and works with a mouse and a
keyboard, the compare table lays the models out side by side, and the outputs stay inert.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from .helpers import (
    compare_layout,
    diagnostics,
    open_notebook,
    run_all,
    screenshot_notebook,
    wait_js,
)
from .lab import LabServer, serve

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

PROMPT = "Explain binary search in detail"
CELLS = [
    "%load_ext or_magics",
    "%openrouter offline --token-rate 0 --latency 0",
    "%openrouter panel",
    f"%%openrouter --compare openai/gpt-4o-mini anthropic/claude-haiku-4.5\n{PROMPT}",
]
PANEL, COMPARE = 2, 3
ANY_BUTTON = "button.{0}, .{0} button"
OPTIONS = "Array.from(document.querySelectorAll('.orm-models select option'))"


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    """Overrides conftest's `lab`: `jupyter notebook` (Notebook 7), isolated the same way."""
    with serve("notebook", tmp_path_factory.mktemp("notebook7")) as server:
        yield server


def _wait_text(page, lab, selector: str, text: str, what: str) -> None:
    wait_js(page, lab, """([sel, text]) => {
        const el = document.querySelector(sel);
        return !!el && el.innerText.includes(text); }""", what, 20.0, arg=[selector, text])


def test_panel_and_compare_render_and_work_in_notebook7(page, lab):
    lab.write_notebook("nb7.ipynb", CELLS)
    open_notebook(page, lab, "nb7.ipynb")
    assert page.evaluate("() => window.jupyterapp.name") == "Jupyter Notebook", \
        "this page is not the Notebook 7 front end" + diagnostics(page, lab)
    run_all(page, lab)

    # The panel renders with the whole catalogue in its model list.
    wait_js(page, lab, "() => !!document.querySelector('.orm-panel .orm-models select option')",
            "the panel (.orm-panel) to render with its model list", 30.0)
    for part in ("orm-search", "orm-details", "orm-use", "orm-code", "orm-status",
                 "orm-try-prompt", "orm-try-run", "orm-try-output"):
        assert page.locator(f".orm-panel .{part}").count(), \
            f".{part} is missing from the panel" + diagnostics(page, lab)
    before = page.evaluate(f"() => {OPTIONS}.length")
    assert before > 40, f"the model list shows only {before} models" + diagnostics(page, lab)

    # Typing in the search narrows the list to Google's Gemini models.
    page.locator(".orm-search input").fill("gemini")
    found = wait_js(page, lab, f"""(before) => {{
        const opts = {OPTIONS}.map(o => o.value + ' ' + o.textContent);
        return opts.length && opts.length < before ? opts : null; }}""",
                    f"the search to narrow the {before} models", 20.0, arg=before)
    assert all(re.search(r"\bgoogle/gemini", option) for option in found), \
        f"'gemini' let through other models: {found}" + diagnostics(page, lab)

    # Selecting one shows its details; Use makes it the default and shows the code for it.
    chosen = page.evaluate(f"() => {OPTIONS}[0].value")
    model_id = re.search(r"google/[\w.:\-]+", found[0]).group(0)
    page.select_option(".orm-models select", value=chosen)
    _wait_text(page, lab, ".orm-details", model_id, f".orm-details to show {model_id}")
    page.locator(ANY_BUTTON.format("orm-use")).first.click()
    _wait_text(page, lab, ".orm-code", f"%%openrouter {model_id}",
               f".orm-code to show '%%openrouter {model_id}'")
    _wait_text(page, lab, ".orm-status", model_id,
               f".orm-status to confirm {model_id} is the default")

    # The compare table: one column per model, side by side, answers rendered.
    layout = compare_layout(page, COMPARE)
    context = f"\n{layout}" + diagnostics(page, lab)
    assert len(layout["heads"]) == 2 and len(layout["lefts"]) == 2, \
        "expected one column per model" + context
    assert layout["lefts"][0] < layout["lefts"][1] and layout["tops"][0] == layout["tops"][1], \
        "columns are not side by side" + context
    assert min(layout["widths"]) > 150, "a column is squeezed" + context
    assert all(layout["headings"]), "answers not rendered" + context

    # Nothing in any output carries an event handler attribute or a <script>.
    dangers = page.evaluate("""() => {
        const all = Array.from(document.querySelectorAll('.jp-OutputArea *'));
        return all.filter(el => el.tagName === 'SCRIPT' || Array.from(el.attributes)
            .some(a => a.name.toLowerCase().startsWith('on'))).map(el => el.outerHTML);
    }""")
    assert not dangers, f"handlers or scripts in the outputs: {dangers}" + diagnostics(page, lab)

    screenshot_notebook(page, "notebook7-panel.png",
                        {"notebook7-panel-widget.png": ".orm-panel"})
