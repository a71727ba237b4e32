"""Every notebook in notebooks/ runs headless, top to bottom, on the simulator."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from . import make_data_work

NOTEBOOKS = sorted((Path(__file__).parents[2] / "notebooks").glob("*.ipynb"))


@pytest.fixture
def no_key(monkeypatch, tmp_path):
    for name in ("OPENROUTER_API_KEY", "OPENROUTER_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OR_MAGICS_CACHE", str(tmp_path / "user-cache.sqlite"))  # not ~/.cache


def printed(notebook) -> str:
    return "".join(output.get("text", "") for cell in notebook.cells
                   for output in cell.get("outputs", []) if output.get("output_type") == "stream")


def number(pattern: str, text: str) -> float:
    match = re.search(pattern, text)
    assert match, f"{pattern!r} not in the printed output:\n{text}"
    return float(match.group(1))


def data_work(notebook) -> None:
    """What the data-work notebook promises, read from what it printed and displayed."""
    text = printed(notebook)
    spent = number(r"spent \$([\d.]+) of \$0\.003", text)
    kept = number(r"\$0\.003: (\d+) classified and kept", text)
    stopped = number(r"(\d+) not sent \(each holds a BudgetExceededError\)", text)
    assert spent <= 0.003 and kept > 0 and stopped > 0 and kept + stopped == 1000
    assert "Budget reached" in text
    assert number(r"— (\d+) sent this time", text) == stopped  # only what the budget stopped
    assert "1000 items: 1000 done, 0 failed" in text
    assert "cost $0.00; 1000 answers from the cache; same labels: True" in text
    assert re.search(r"again: +\$0\.000000, 40 answered from OpenRouter's cache, same "
                     r"text: True", text)
    assert "Interrupted:" in text and "last_batch" in text
    before = number(r"— (\d+) kept from before", text)
    now = number(r"kept from before, (\d+) sent now", text)
    assert before > 0 and now > 0 and before + now == 400
    assert "1000 rows from 2 worker processes; errors: 0" in text
    html = "".join(str(output.get("data", {}).get("text/html", "")) for cell in notebook.cells
                   for output in cell.get("outputs", []))
    assert all(f"<th>{column}</th>" in html for column in ("sentiment", "stars", "topic"))
    bars = [output for cell in notebook.cells for output in cell.get("outputs", [])
            if "application/vnd.jupyter.widget-view+json" in output.get("data", {})
            and "batch" in output["data"].get("text/plain", "")]
    assert len(bars) >= 4  # a progress bar for each batch shown with one


CHECKS: dict[str, Callable[..., None]] = {"data-work.ipynb": data_work}


def test_there_is_a_quickstart():
    assert any(path.name == "quickstart.ipynb" for path in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_clean_and_runs_on_the_simulator(path, no_key, tmp_path):
    notebook = nbformat.read(path, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells), "commit notebooks clean"
    client = NotebookClient(notebook, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    errors = [output for cell in notebook.cells for output in cell.get("outputs", [])
              if output.get("output_type") == "error"]
    assert not errors, errors
    saved = json.dumps(nbformat.v4.new_notebook(cells=notebook.cells), ensure_ascii=False)
    assert "sk-or-v1-" not in saved.replace("sk-or-v1-…", "")
    assert "simulated" in saved.lower()
    CHECKS.get(path.name, lambda notebook: None)(notebook)


def test_the_data_work_notebook_is_what_its_script_writes():
    """notebooks/data-work.ipynb is written by tests/notebooks/make_data_work.py."""
    path = make_data_work.PATH
    assert path.read_text(encoding="utf-8") == make_data_work.text(), \
        "run python tests/notebooks/make_data_work.py"


def test_a_saved_answer_reads_well_without_a_kernel(no_key, tmp_path):
    """What GitHub and nbconvert see: the answer as markdown, html and plain text."""
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("%load_ext or_magics"),
        nbformat.v4.new_code_cell("%%openrouter openai/gpt-4o-mini\n"
                                  "Explain recursion in detail, with a table and code"),
        nbformat.v4.new_code_cell("import or_magics; print(or_magics.session.last.text)"),
    ])
    NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    outputs = notebook.cells[1].outputs
    answers = [o for o in outputs if o.output_type == "display_data"]
    assert answers and all({"text/plain", "text/markdown", "text/html"} <= set(o.data)
                           for o in answers)
    plain = "".join(o.data["text/plain"] for o in answers)
    assert plain.strip() == notebook.cells[2].outputs[0].text.strip()
    html = "".join(o.data["text/html"] for o in answers)
    assert "<table" in html and "<pre" in html and "simulated" in html.lower()
    assert "<script" not in html and "onerror" not in html


def cell_text(cell) -> str:
    """What a cell shows, as text: its streams and each output's plain and HTML parts."""
    parts = []
    for output in cell.get("outputs", []):
        parts.append(output.get("text", ""))
        data = output.get("data", {})
        parts += [data.get("text/plain", ""), data.get("text/html", "")]
    return "\n".join(parts)


def test_the_teaching_demo_stays_on_the_simulator_even_with_a_key(monkeypatch, tmp_path):
    """A teacher's machine has a key: the lesson still spends nothing, shows each request
    before its answer, the cost, two models, a budget stopping a cell before it is sent,
    and what a key changes (masked)."""
    import socket

    with socket.socket() as sock:  # anything that tried the network would stop here
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    fake = "sk-or-v1-test" + "5eed" * 13
    monkeypatch.setenv("OPENROUTER_API_KEY", fake)
    monkeypatch.delenv("OPENROUTER_BASE_URL", raising=False)
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY"):
        monkeypatch.setenv(name, f"http://127.0.0.1:{port}")
    path = Path(__file__).parents[2] / "notebooks" / "teaching-demo.ipynb"
    notebook = nbformat.read(path, as_version=4)
    assert "simulated" in notebook.cells[0].source.lower().split("\n\n")[1]
    NotebookClient(notebook, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    by_source = {cell.source: cell_text(cell) for cell in code}
    asks = [cell for cell in code if cell.source.startswith("%%openrouter")]
    dry_runs, answered = set(), set()
    for cell in asks:
        shown, prompt = cell_text(cell), cell.source.split("\n", 1)[1]
        if "--dry-run" in cell.source:
            assert "POST http://simulator.invalid/api/v1/chat/completions" in shown
            assert "Authorization: (simulator: no key needed)" in shown
            dry_runs.add(prompt)
        elif "Budget reached" not in shown:
            assert "simulated" in shown and "$0.0000" in shown, cell.source
            answered.add(prompt)
    assert answered - dry_runs == {"What is 7 times 8?"}  # each lesson's request first
    compared = next(text for source, text in by_source.items()
                    if "--compare" in source and "-o pair" in source)
    assert "openai/gpt-4o-mini" in compared and "anthropic/claude-haiku-4.5" in compared
    stopped = next(text for text in by_source.values() if "Budget reached" in text)
    assert stopped.strip().count("\n") == 0 and "could cost up to $" in stopped
    assert any("Usage this session (simulated)" in text for text in by_source.values())
    keyed = cell_text(code[-1])
    assert "POST https://openrouter.ai/api/v1/chat/completions" in keyed
    assert "Authorization: Bearer sk-or-v1-…5eed" in keyed
    saved = json.dumps(nbformat.v4.new_notebook(cells=notebook.cells), ensure_ascii=False)
    assert fake not in saved and fake[-20:] not in saved
