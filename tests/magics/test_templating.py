from __future__ import annotations

import pytest

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
    assert interpolate(template, NS) == expected


def test_a_failing_expression_on_a_known_name_is_a_clear_error():
    with pytest.raises(TemplateError, match=r"could not fill \{df\['cols'\]\}: KeyError"):
        interpolate("{df['cols']}", NS)
