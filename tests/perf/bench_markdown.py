"""Markdown renderer benchmark: markdown-it-py (now) against the Python-Markdown pipeline.

    PYTHONPATH=. python tests/perf/bench_markdown.py [BASELINE_COMMIT]

The baseline is the Python-Markdown + prepare.py pipeline as it was at BASELINE_COMMIT
(default f14e766, the last commit that had it), taken from git into a temporary package
(tests/perf/baseline.py), so both run in this process on this machine. Printed: render
time of a 3 KB live tail and a 64 KB answer, the first render's cost (its imports) after
IPython, and a correctness corpus of LLM-style Markdown, each pipeline on the same checks.
"""

from __future__ import annotations

import html
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from or_magics.render import to_html  # noqa: E402
from tests.perf.baseline import BEFORE, load  # noqa: E402
from tests.render.fakes import realistic  # noqa: E402


def baseline(commit: str) -> tuple[Callable[[str], str], Path]:
    """The old pipeline's `to_html`, from git (see baseline.py)."""
    module, tmp = load(commit, "markdown")
    return module.to_html, tmp


def timed(render: Callable[[str], str], text: str, runs: int) -> float:
    render(text)  # warm caches (Pygments lexers, parser instances)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        render(text)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


IMPORT_NEW = "from or_magics.render.markdown import to_html"
IMPORT_OLD = "from render_baseline.markdown import to_html"
IMPORT_CODE = """
import sys, time
sys.path[:0] = {paths!r}
import IPython, or_magics.render
{import_line}  # the module only: each pipeline imports its libraries on first render
started = time.perf_counter()
to_html("Hello *world*")
print(time.perf_counter() - started)
"""


def import_time(import_line: str, paths: list[str], runs: int = 5) -> float:
    """Median seconds of a pipeline's first render (its imports), IPython already loaded."""
    code = IMPORT_CODE.format(paths=paths, import_line=import_line)
    samples = [
        float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                             text=True).stdout)
        for _ in range(runs)
    ]
    return statistics.median(samples)


def _flat(out: str) -> str:
    return re.sub(r"\s", "", out)


CORPUS: list[tuple[str, str, Callable[[str], bool]]] = [
    ("fence inside a list item", "1. Install:\n   ```bash\n   pip install x\n   ```\n2. Run it",
     lambda h: h.count("<li>") == 2 and "highlight" in h and "```" not in h),
    ("loose list item with a fence and blank lines",
     "- a\n\n  ```py\n  x = 1\n\n  y = 2\n  ```\n- b",
     lambda h: h.count("<li>") == 2 and h.count('class="highlight"') == 1),
    ("table right after a paragraph line", "Intro:\n| a | b |\n|---|---|\n| 1 | 2 |",
     lambda h: "<table>" in h and "<p>Intro:</p>" in h),
    ("list right after a paragraph line", "Steps:\n- a\n- b",
     lambda h: "<ul>" in h and "<p>Steps:</p>" in h),
    ("a year is not a list", "It happened in\n2019. Then more.", lambda h: "<ol" not in h),
    ("setext heading", "Title\n===\n\ntext", lambda h: "<h1>Title</h1>" in h),
    ("setext heading of two lines", "Two\nlines\n---\n", lambda h: "<h2>Two\nlines</h2>" in h
     or "<h2>Two lines</h2>" in h),
    ("nested lists, 2-space indents", "- a\n  - b\n    - c\n- d",
     lambda h: _flat(h) == "<ul><li>a<ul><li>b<ul><li>c</li></ul></li></ul></li><li>d</li></ul>"),
    ("nested ordered list, 3-space indents", "1. a\n   1. b\n2. c",
     lambda h: _flat(h) == "<ol><li>a<ol><li>b</li></ol></li><li>c</li></ol>"),
    ("inline $ math with _ and *", "$a_1 * b_2$ and $c_3 * d_4$",
     lambda h: "$a_1 * b_2$" in html.unescape(h) and "<em>" not in h),
    ("$$ block with a blank line, after a paragraph line", "Consider:\n$$\na_1\n\n= b_2\n$$",
     lambda h: "$$\na_1\n\n= b_2\n$$" in html.unescape(h)),
    ("\\(…\\) and \\[…\\] with _ and *", "\\(x_1 * y_2\\) and \\[a_1 * b_2\\]",
     lambda h: "\\(x_1 * y_2\\)" in h and "\\[a_1 * b_2\\]" in h and "<em>" not in h),
    ("math in a table cell", "| a |\n|---|\n| $x_1 * y_1$ |",
     lambda h: "<td>$x_1 * y_1$</td>" in h),
    ("dollar amounts are not math", "costs $5 and $10, not $5_000_",
     lambda h: "$5 and $10" in h),
    ("HTML in text stays escaped", "Use <b>bold</b> and <img src=x onerror=alert(1)>",
     lambda h: "&lt;b&gt;" in h and "<img" not in h and "<b>" not in h),
    ("HTML block at line start stays escaped", "<div>\n<script>alert(1)</script>\n</div>",
     lambda h: "&lt;div&gt;" in h and "<script" not in h),
    ("HTML in a code span", "`<div>` tag", lambda h: "<code>&lt;div&gt;</code>" in h),
    ("tilde fence", "~~~\ncode\n~~~", lambda h: "highlight" in h),
    ("strikethrough", "~~gone~~", lambda h: "<s>gone</s>" in h or "<del>gone</del>" in h),
    ("underscores inside words", "snake_case_name", lambda h: "<em>" not in h),
    ("list in a blockquote", "> - a\n> - b", lambda h: "<blockquote>" in h and "<ul>" in h),
    ("autolink", "<https://example.org/a>", lambda h: 'href="https://example.org/a"' in h),
    ("hard line break", "one  \ntwo", lambda h: "<br" in h),
    ("code right after a list", "- a\n\n```\ncode\n```",
     lambda h: "<ul>" in h and "highlight" in h),
    ("blockquote lazy continuation", "> quote\nlazy line",
     lambda h: _flat(h) == "<blockquote><p>quote\nlazyline</p></blockquote>".replace("\n", "")),
    ("fence inside a blockquote", "> ```\n> <b>x</b>\n> ```",
     lambda h: "<blockquote>" in h and "highlight" in h and "&lt;b&gt;" in h),
    ("nested blockquote", "> > deep", lambda h: h.count("<blockquote>") == 2),
    ("ordered list with `)`", "1) one\n2) two", lambda h: h.count("<li>") == 2),
    ("`+` bullets", "+ one\n+ two", lambda h: h.count("<li>") == 2),
    ("table without outer pipes", "a | b\n--|--\n1 | 2", lambda h: "<td>2</td>" in h),
    ("link with parentheses in the URL", "[w](https://en.wikipedia.org/wiki/A_(b))",
     lambda h: 'href="https://en.wikipedia.org/wiki/A_(b)"' in h),
    ("backslash hard break", "one\\\ntwo", lambda h: "<br" in h),
    ("#hashtag is not a heading", "#hashtag", lambda h: "<h1>" not in h),
    ("***bold italic***", "***both***",
     lambda h: "<em><strong>both</strong></em>" in h or "<strong><em>both</em></strong>" in h),
    ("entity", "&copy; 2024", lambda h: "©" in h or "&copy;" in h),
    ("paragraph inside an ordered item", "1. one\n\n   more about one\n2. two",
     lambda h: h.count("<li>") == 2 and "more about one" in h and h.count("<ol") == 1),
    ("indented code inside a list item", "- a\n\n      code\n- b",
     lambda h: h.count("<li>") == 2 and "<pre" in h),
]


def main() -> None:
    commit = sys.argv[1] if len(sys.argv) > 1 else BEFORE
    old, tmp = baseline(commit)
    tail, answer = realistic(3000), realistic(65536)
    print(f"{'':34} {'Python-Markdown':>16} {'markdown-it-py':>15} {'ratio':>7}")
    for label, text, runs in (("render 3 KB live tail", tail, 60), ("render 64 KB answer",
                                                                     answer, 8)):
        t_old, t_new = timed(old, text, runs), timed(to_html, text, runs)
        print(f"{label:34} {t_old * 1e3:>13.2f} ms {t_new * 1e3:>12.2f} ms "
              f"{t_new / t_old:>6.2f}x")
    paths = [str(ROOT), str(tmp)]
    i_old, i_new = import_time(IMPORT_OLD, paths), import_time(IMPORT_NEW, paths)
    print(f"{'first render (imports), after IPython':34} {i_old * 1e3:>13.1f} ms "
          f"{i_new * 1e3:>12.1f} ms {i_new / i_old:>6.2f}x")
    print(f"\ncorrectness corpus ({len(CORPUS)} cases)      Python-Markdown  markdown-it-py")
    score = [0, 0]
    for name, text, check in CORPUS:
        marks = []
        for i, render in enumerate((old, to_html)):
            try:
                ok = check(render(text))
            except Exception:  # a crash counts as a failure
                ok = False
            score[i] += ok
            marks.append("pass" if ok else "FAIL")
        print(f"  {name:48} {marks[0]:>5} {marks[1]:>14}")
    print(f"  {'passed':48} {score[0]:>5} {score[1]:>14}")


if __name__ == "__main__":
    main()
