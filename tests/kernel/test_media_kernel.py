"""In a real kernel, saved with nbclient: a chart goes to the model, a generated image is
kept as image/png in the notebook, the footer counts hidden reasoning, and `--image plt`
after the inline backend closed the figure is one line."""

from __future__ import annotations

import base64
import json

import nbformat
import pytest
from nbclient import NotebookClient

from ..offline import samples

CELLS = [
    "%load_ext or_magics",
    "import matplotlib.pyplot as plt\nfig, ax = plt.subplots(figsize=(4, 3))\n"
    "ax.plot([1, 4, 2])",
    "%%openrouter openai/gpt-4o-mini --image fig\nDescribe this chart",
    "%%openrouter google/gemini-2.5-flash-image --modalities image,text -o pic\n"
    "A lighthouse at dusk",
    "%%openrouter deepseek/deepseek-r1 --hide-reasoning\nWhy is the sky blue?",
    "%%openrouter openai/gpt-4o-mini --image plt\nAnd this one?",
]


@pytest.fixture(scope="module")
def saved(tmp_path_factory) -> nbformat.NotebookNode:
    """The notebook run offline (no key), written to disk and read back."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    path = tmp_path_factory.mktemp("media") / "media.ipynb"
    with pytest.MonkeyPatch.context() as patch:  # no key: the kernel answers offline
        for name in ("OPENROUTER_API_KEY", "OPENROUTER_BASE_URL"):
            patch.delenv(name, raising=False)
        NotebookClient(notebook, timeout=120, kernel_name="python3",
                       allow_errors=True).execute()
    nbformat.write(notebook, path)
    return nbformat.read(path, as_version=4)


def displays(cell: nbformat.NotebookNode) -> list[dict]:
    return [o for o in cell.outputs if o.output_type == "display_data"]


def test_a_chart_is_sent_and_described(saved):
    plain = "".join(o.data.get("text/plain", "") for o in displays(saved.cells[2]))
    assert "You sent an image: a PNG of" in plain


def test_a_generated_image_is_kept_as_image_png(saved):
    answer, picture, footer = displays(saved.cells[3])
    assert "lighthouse" in answer.data["text/plain"]
    assert set(picture.data) == {"image/png", "text/plain"}
    raw = base64.b64decode(picture.data["image/png"])
    assert samples.png_size(raw) == (64, 64)
    assert "tokens" in footer.data["text/markdown"] and "simulated" in answer.data["text/html"]
    assert "<img" not in json.dumps(saved.cells[3].outputs)  # the picture is not in the HTML


def test_the_footer_counts_hidden_reasoning(saved):
    (answer,) = displays(saved.cells[4])
    assert " reasoning)" in answer.data["text/markdown"]
    assert "Reasoning" not in answer.data["text/html"]  # hidden: no collapsed section


def test_the_current_figure_after_its_cell_is_one_line(saved):
    """IPython prints a UsageError as one line on stderr, not as a traceback."""
    (said,) = [o.text for o in saved.cells[5].outputs
               if o.output_type == "stream" and o.name == "stderr"]
    assert said.strip().startswith("UsageError: --image plt: there is no current matplotlib "
                                   "figure (the inline backend closes figures when their "
                                   "cell ends)")
    assert said.strip().count("\n") == 0
    assert not [o for o in saved.cells[5].outputs if o.output_type == "display_data"]
