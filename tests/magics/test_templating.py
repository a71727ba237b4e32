from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from or_magics.notebook.templating import TemplateError, interpolate

NS = {"name": "Ada", "n": 3, "df": {"rows": 10}, "items": [1, 2, 3], "pi": 3.14159,
      "note": "{name} stays literal"}


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("Hello {name}", "Hello Ada"),
        ("{n + 1} items", "4 items"),
        ("rows: {df['rows']}", "rows: 10"),
        ("first: {items[0]}, slice: {items[1:]}", "first: 1, slice: [2, 3]"),
        ("pi ≈ {pi:.2f}", "pi ≈ 3.14"),
        ("repr: {name!r}", "repr: 'Ada'"),
        ("{len(items)} things", "3 things"),
        ("{len('abc')} stays", "{len('abc')} stays"),  # reads no user variable
        ('JSON stays: {"a": 1}', 'JSON stays: {"a": 1}'),
        ("unknown {missing} stays", "unknown {missing} stays"),
        ("math $\\frac{a}{b}$ stays", "math $\\frac{a}{b}$ stays"),
        ("escaped {{name}} and {{ }}", "escaped {name} and { }"),
        ("{note}", "{name} stays literal"),  # filled once, never again
        ("code: def f(): return {x: 1 for x in y}", "code: def f(): return {x: 1 for x in y}"),
    ],
)
def test_interpolation(template, expected):
    assert interpolate(template, NS).text == expected


def test_a_failing_expression_on_a_known_name_is_a_clear_error():
    with pytest.raises(TemplateError, match=r"could not fill \{df\['cols'\]\}: KeyError"):
        interpolate("{df['cols']}", NS)


@pytest.mark.parametrize(
    "template",
    [
        "squares: {x: x**2 for x in range(5)}",  # a dict comprehension, x defined or not
        "a set {n, name} and a dict {'k': n}",
        "display $$\\sum_{n} x_{n}$$ and inline $x^{n}$",
        "brackets \\[ \\frac{n}{2} \\] and parens \\( {n} \\)",
        "bare LaTeX \\frac{n}{2} and x_{n} and \\textbf{name}",
        "code span `f({n})` and ``{name}``",
        "```python\nprint({n})\nd = {name: 1}\n```\nafter",
        "not an expression {n +} or {for} or {1 2}",
        "a bad spec {n:zz} or conversion {n!x}",
    ],
)
def test_what_is_not_a_placeholder_stays_exactly_as_written(template):
    namespace = {**NS, "x": 7}
    assert interpolate(template, namespace).text == template


def test_undefined_names_stay_and_are_reported_once_in_one_line():
    filled = interpolate("Explain {tpoic} to {name} with {tpoic.upper()}", NS)
    assert filled.text == "Explain {tpoic} to Ada with {tpoic.upper()}"
    note = filled.note()
    assert note is not None and "\n" not in note and note.count("tpoic is not defined") == 2
    assert interpolate("no braces here", NS).note() is None


def test_a_bad_format_spec_on_a_known_value_is_reported_not_raised():
    filled = interpolate("{name:.2f}", NS)
    assert filled.text == "{name:.2f}" and "format spec '.2f'" in filled.note()


def test_a_dataframe_becomes_a_bounded_table_with_its_shape_and_dtypes():
    import pandas
    frame = pandas.DataFrame({"city": [f"c{i}" for i in range(10_000)],
                              "temp": range(10_000)})
    filled = interpolate("Summarise {frame}", {"frame": frame})
    text = filled.text
    assert "10,000 rows × 2 columns" in text and "showing 10 of 10,000 rows" in text
    assert f"city: {frame['city'].dtype}" in text and "temp: int64" in text
    assert "| 0 | c0 | 0 |" in text and "| 9999 | c9999 | 9999 |" in text
    assert "| … | … | … |" in text  # where the middle rows were left out
    assert "c5000" not in text and len(text) < 2000
    assert filled.cut == ["{frame}: showing 10 of 10,000 rows"]
    assert "showing 10 of 10,000 rows" in filled.note()


def test_long_strings_and_lists_are_cut_with_a_note():
    filled = interpolate("{text} and {values}", {"text": "x" * 10_000,
                                                 "values": list(range(500))})
    assert "showing 4,000 of 10,000 characters" in filled.text
    assert "showing 50 of 500 items" in filled.text and len(filled.cut) == 2


def test_a_figure_is_handed_back_as_an_attachment():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure()
    filled = interpolate("Describe {fig}", {"fig": fig})
    assert filled.attachments == [fig] and "Figure(" not in filled.text


@given(st.text(alphabet=st.sampled_from(list("{}$`\\ab:!_^x \n")), max_size=40))
def test_filling_never_raises_and_never_changes_what_names_nothing(template):
    """Whatever braces a prompt holds, with no variable it is sent exactly as written."""
    filled = interpolate(template, {"a": 1} if "a" not in template else {})
    if "{{" not in template and "}}" not in template:
        assert filled.text == template


def test_double_braces_inside_code_stay_double():
    template = "literal {{x}} but `{{x}}` and\n```\n{{ jinja }}\n```"
    assert interpolate(template, NS).text == "literal {x} but `{{x}}` and\n```\n{{ jinja }}\n```"
