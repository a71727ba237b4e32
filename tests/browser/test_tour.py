"""The README's pictures, taken in JupyterLab on the simulator, and checked as they are taken.

``OR_MAGICS_TOUR_IMAGES=notebooks/images python -m pytest -m browser tests/browser/test_tour.py``
refreshes the committed pictures; otherwise they go with the other artifacts. Each picture is
only saved once the page shows what the README says it shows.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .helpers import OUTPUT, artifact_path, compare_layout, diagnostics, open_notebook, run_all

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

SETUP = ["%load_ext or_magics", "%openrouter offline --token-rate 0 --latency 0"]
ANSWER = "%%openrouter openai/gpt-4o-mini\nExplain binary search with a short Python example"
COMPARE = ("%%openrouter --compare openai/gpt-4o-mini anthropic/claude-haiku-4.5 -o haikus\n"
           "Write a haiku about the sea")
PANEL = "%openrouter panel"


def tour_path(name: str) -> Path:
    folder = os.environ.get("OR_MAGICS_TOUR_IMAGES")
    if not folder:
        return artifact_path(f"tour-{name}")
    path = Path(folder) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _output(page, index: int):
    return page.locator(".jp-Notebook .jp-Cell").nth(index).locator(".jp-OutputArea")


def test_tour_pictures_show_an_answer_a_comparison_and_the_panel(page, lab):
    lab.write_notebook("tour.ipynb", [*SETUP, ANSWER, COMPARE, PANEL])
    open_notebook(page, lab, "tour.ipynb")
    page.set_viewport_size({"width": 1400, "height": 1400})
    run_all(page, lab)
    page.wait_for_function("() => !!document.querySelector('.orm-panel select')", timeout=30000)

    answer = page.evaluate(f"""(i) => {{ const n = ({OUTPUT})(i);
        return {{ text: n.innerText, code: n.querySelectorAll('pre').length }}; }}""", 2)
    context = diagnostics(page, lab)
    assert "binary" in answer["text"].lower() and answer["code"] >= 1, \
        answer["text"][:300] + context
    assert "simulated" in answer["text"].lower(), "the picture must say the answer is simulated"

    layout = compare_layout(page, 3)
    assert len(layout["heads"]) == 2, f"expected two columns: {layout}" + context
    assert layout["lefts"] == sorted(set(layout["lefts"])), "columns not side by side" + context
    for text in layout["texts"]:  # a haiku is three short lines, not an essay
        lines = [line for line in text.splitlines() if line.strip()]
        assert 3 <= len(lines) <= 6, f"not a haiku: {text!r}"

    panel = page.locator(".orm-panel").first
    assert "models" in panel.inner_text().lower()

    for name, target in (("answer.png", _output(page, 2)), ("compare.png", _output(page, 3)),
                         ("panel.png", panel)):
        path = tour_path(name)
        target.screenshot(path=str(path))
        assert path.stat().st_size > 5_000, f"{path} looks empty"
        print(f"tour picture saved: {path}")
