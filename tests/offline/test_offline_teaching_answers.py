"""What a class sees from the simulator when it asks for a list, uses a tool or asks
``%openrouter explain``: answers that fit the question, not a template's words."""

from __future__ import annotations

from typing import Literal

import pytest

import or_magics


@pytest.fixture(scope="module")
def client():
    with or_magics.Client(offline=True) as c:
        yield c


@pytest.mark.parametrize(("prompt", "kind", "expected"), [
    ("Three colours of the French flag", list[str], ["Blue", "White", "Red"]),
    ("The first five prime numbers", list[int], [2, 3, 5, 7, 11]),
    ("Name three planets", list[str], ["Mercury", "Venus", "Earth"]),
])
def test_a_typed_list_is_the_list_asked_for_as_many_as_asked(client, prompt, kind, expected):
    assert client.chat(prompt, schema=kind).parsed == expected


def test_a_tool_is_called_with_the_value_the_prompt_names_and_its_table_read(client):
    rows = "| | product | region | units |\n|---|---|---|---|\n| 2 | toaster | US | 95 |"

    def top_products(n: int = 5, region: Literal["EU", "US"] = "EU") -> str:
        """The best-selling products of a region, as a table."""
        return rows

    r = client.chat("Which product sold best in the US?", tools=[top_products])
    assert r.steps[0].arguments["region"] == "US"  # named in the prompt, over the default
    assert "product **toaster**" in r.text and rows.splitlines()[2] in r.text.splitlines()


def test_a_traceback_is_explained_by_its_error_and_a_fix(client):
    prompt = ("This code failed with:\n\n```\nTraceback (most recent call last):\n"
              '  File "<cell>", line 1, in <module>\nZeroDivisionError: division by zero\n'
              "```\n\nExplain the cause in a few sentences and show the fix.")
    text = client.chat(prompt).text
    assert text.startswith("The cell raised **ZeroDivisionError**: division by zero.")
    assert "**Fix:**" in text and "divisor" in text


@pytest.mark.parametrize("topic", ["databases", "gardening", "music", "graphs"])
def test_a_short_answer_keeps_its_bold_in_pairs(client, topic):
    for count in ("two", "three"):
        text = client.chat(f"Tell me about {topic} in {count} sentences").text
        assert text.count("**") % 2 == 0, text
