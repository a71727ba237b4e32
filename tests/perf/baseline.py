"""The render package as it was at an earlier commit, importable next to the current one.

Benchmarks print ratios against a baseline measured in the same run; when the baseline
is code that has since changed, it comes from git: `git show COMMIT:or_magics/render/*`
written to a temporary package `render_baseline` (render imports nothing outside itself).
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
BEFORE = "f14e766"  # the last commit with the Python-Markdown pipeline and 2 KB styles


def load(commit: str = BEFORE, module: str = "") -> tuple[ModuleType, Path]:
    """`render_baseline[.module]` from `commit`, and the temporary directory holding it."""
    names = subprocess.run(
        ["git", "ls-tree", "--name-only", commit, "or_magics/render/"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout.split()
    tmp = Path(tempfile.mkdtemp(prefix="render-baseline-"))
    package = tmp / "render_baseline"
    package.mkdir()
    for name in names:
        source = subprocess.run(["git", "show", f"{commit}:{name}"], cwd=ROOT, check=True,
                                capture_output=True, text=True).stdout
        (package / Path(name).name).write_text(source)
    sys.path.insert(0, str(tmp))
    return importlib.import_module("render_baseline" + (f".{module}" if module else "")), tmp
