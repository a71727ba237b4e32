"""Markdown rendering: math passes through for MathJax, code is highlighted, LLM syntax works."""

from __future__ import annotations

import html
import re

import pytest

from or_magics.render import to_html

_PLACEHOLDER = re.compile(r"orm[0-9a-f]{8}[cm]\d+z")

# (Markdown, math text that must appear verbatim in the HTML text)
MATH = [
    ("Euler: $e^{i\\pi} + 1 = 0$.", "$e^{i\\pi} + 1 = 0$"),
    ("$a_1 + b_2 = c_3$ and $x_i$", "$a_1 + b_2 = c_3$"),
    ("$a_1 + b_2 = c_3$ and $x_i$", "$x_i$"),
    ("stars $a*b*c$ stay", "$a*b*c$"),
    ("$a_b$ then _real emphasis_", "$a_b$"),
    ("inline \\(x_1^2 * y_2\\) parens", "\\(x_1^2 * y_2\\)"),
    ("display \\[\\sum_{i=1}^n i\\]", "\\[\\sum_{i=1}^n i\\]"),
    ("$$\n\\frac{a_1}{b_2} * c\n$$", "$$\n\\frac{a_1}{b_2} * c\n$$"),
    ("$$\na_1\n\n= b_2\n$$", "$$\na_1\n\n= b_2\n$$"),  # blank line inside
    ("\\[\na_1\n\n= b_2\n\\]", "\\[\na_1\n\n= b_2\n\\]"),
    ("$$x_1$$ on one line", "$$x_1$$"),
    ("set $\\{a_1, a_2\\}$ braces", "$\\{a_1, a_2\\}$"),
    ("newline $a \\\\ b$ kept", "$a \\\\ b$"),
    ("compare $x<y$ and $a>b$", "$x<y$"),
    ("amp $a & b$", "$a & b$"),
    ("# Title with $x_1$", "$x_1$"),
    ("- item $a_1$\n- item $b_2$", "$b_2$"),
    ("1. step $\\alpha_1$\n\n   $$\n   x_1\n   $$", "$\\alpha_1$"),
    ("| a | b |\n|---|---|\n| $\\|x\\|_2$ | $y_1$ |", "$y_1$"),
    ("> quote $q_1 * q_2$", "$q_1 * q_2$"),
    ("**bold $b_1$**", "$b_1$"),
    ("[link $l_1$](https://example.com)", "$l_1$"),
]


@pytest.mark.parametrize(("text", "math"), MATH)
def test_math_survives_untouched(text: str, math: str) -> None:
    out = to_html(text)
    assert math in html.unescape(out)
    assert not _PLACEHOLDER.search(out)


@pytest.mark.parametrize(
    "text",
    ["costs $5 and $10", "$5-$6 range", "escaped \\$x_1\\$ dollars", "just one $ sign_here_"],
)
def test_dollars_that_are_not_math(text: str) -> None:
    out = html.unescape(to_html(text))
    assert not _PLACEHOLDER.search(out)
    assert "$" in out


def test_underscores_in_math_never_become_emphasis() -> None:
    out = to_html("$a_1 b_2$ and $c_3 d_4$ and $e*f*g$")
    assert "<em>" not in out


def test_math_inside_code_is_code() -> None:
    out = to_html("`$x_y$` and\n\n```\n$$a_b$$\n```")
    assert "<code>$x_y$</code>" in out
    assert "$$a_b$$" in out


def test_code_is_highlighted_with_a_few_classes() -> None:
    out = to_html("```python\nimport os\n\ndef f(x):\n    return x  # done\n```")
    assert '<div class="highlight">' in out
    assert '<span class="k">import' in out and '<span class="k">def' in out
    assert '<span class="c"># done' in out
    assert "<span>" not in out and 'class="n"' not in out  # plain names are bare text
    assert "style=" not in out


@pytest.mark.parametrize("fence", ["```", "~~~", "````"])
def test_fence_kinds_and_blank_lines(fence: str) -> None:
    out = to_html(f"{fence}js\nlet a = 1;\n\n\nlet b = 2;\n{fence}\n\nafter")
    assert out.count('<div class="highlight">') == 1
    assert "let" in out and "<p>after</p>" in out


def test_longer_fence_contains_shorter_one() -> None:
    out = to_html("````md\n```python\nx\n```\n````\nafter")
    assert out.count('<div class="highlight">') == 1
    assert "```python" in out and "<p>after</p>" in out


def test_unclosed_fence_runs_to_the_end() -> None:
    out = to_html("intro\n\n```python\ndef f():\n\n    pass")
    assert out.count('<div class="highlight">') == 1 and "pass" in out


def test_unknown_language_is_plain() -> None:
    assert '<div class="highlight">' in to_html("```nosuchlang\nx\n```")


def test_tables_render_with_alignment() -> None:
    out = to_html("Intro:\n| left | right |\n|:-----|------:|\n| a | 1 |\n| b | 2 |")
    assert "<table>" in out and "<p>Intro:</p>" in out
    assert '<th align="left">left</th>' in out and '<td align="right">2</td>' in out


def test_list_after_paragraph_without_blank_line() -> None:
    out = to_html("Steps:\n1. one\n2. two\n\nItems:\n- a\n- b")
    assert "<ol>" in out and "<ul>" in out and "<p>Steps:</p>" in out


def test_year_is_not_a_list() -> None:
    assert "<ol" not in to_html("It happened in\n2019. Then more.")


@pytest.mark.parametrize("step", [2, 3, 4])
def test_nested_lists_with_any_indent(step: int) -> None:
    pad = " " * step
    out = to_html(f"- a\n{pad}- b\n{pad}{pad}- c\n- d")
    assert re.sub(r"\s", "", out) == (
        "<ul><li>a<ul><li>b<ul><li>c</li></ul></li></ul></li><li>d</li></ul>"
    )


def test_ordered_list_keeps_its_start() -> None:
    assert '<ol start="7">' in to_html("7. seven\n8. eight")


def test_fence_inside_list_item() -> None:
    out = to_html("1. Install:\n   ```bash\n   pip install x\n   ```\n2. Run it")
    assert out.count("<li>") == 2 and '<div class="highlight">' in out
    assert "```" not in out


def test_loose_list_is_one_list() -> None:
    out = to_html("- a\n\n- b\n\n  continued\n\n- c")
    assert out.count("<ul>") == 1 and out.count("<li>") == 3 and "continued" in out


def test_strikethrough_and_emphasis() -> None:
    out = to_html("~~gone~~ *em* **strong**")
    assert "<s>gone</s>" in out and "<em>em</em>" in out and "<strong>strong</strong>" in out


def test_no_nl2br() -> None:
    assert "<br" not in to_html("line one\nline two")


def test_setext_heading_and_rule() -> None:
    out = to_html("Title\n---\n\ntext\n\n***")
    assert "<h2>Title</h2>" in out and "<hr>" in out


def test_empty() -> None:
    assert to_html("") == "" and to_html(" \n\n") == ""
