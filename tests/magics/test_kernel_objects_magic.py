"""--tools, --schema, templating and the prompt-size check in %%openrouter, in a shell."""

from __future__ import annotations

import dataclasses

import pytest
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output

import or_magics

from .test_magics_shell import cell, shown


def define(shell, code: str) -> None:
    shell.run_cell(code, store_history=False)


WEATHER = '''
def get_weather(location: str) -> dict:
    """Current weather for a place.

    Args:
        location: a city name.
    """
    calls.append(location)
    return {"location": location, "temperature": 21}
calls = []
'''


def test_tools_names_functions_of_the_notebook_and_the_loop_runs_them(shell, sim):
    define(shell, WEATHER)
    out, _ = cell(shell, "--tools get_weather -o r", "Weather in Paris and Tokyo?")
    response = shell.user_ns["r"]
    assert shell.user_ns["calls"] == ["Paris", "Tokyo"]
    assert [s.name for s in response.steps] == ["get_weather", "get_weather"]
    assert "get_weather" in out and "21" in out
    assert or_magics.session.last is response


def test_a_missing_tool_or_schema_name_is_one_line_and_sends_nothing(shell, sim):
    before = sim.stats.snapshot()["chat_requests"]
    with pytest.raises(UsageError, match="--tools: nothing called 'get_wether'"):
        cell(shell, "--tools get_wether")
    with pytest.raises(UsageError, match="--schema: nothing called 'Persn'"):
        cell(shell, "--schema Persn")
    assert sim.stats.snapshot()["chat_requests"] == before


def test_a_function_that_cannot_be_a_tool_is_one_line(shell, sim):
    define(shell, "def varargs(*things): pass")
    with pytest.raises(UsageError, match=r"varargs\(things\)"):
        cell(shell, "--tools varargs")


def test_confirm_asks_before_each_call(shell, sim, monkeypatch):
    define(shell, WEATHER)
    answers = iter(["y", "n"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    cell(shell, "--tools get_weather --confirm -o r", "Weather in Paris and Tokyo?")
    steps = shell.user_ns["r"].steps
    assert shell.user_ns["calls"] == ["Paris"]
    assert steps[1].error.startswith("PermissionError")


@dataclasses.dataclass
class Person:
    name: str
    age: int


def test_schema_gives_the_parsed_object_to_o_and_f_json(shell, sim):
    shell.user_ns["Person"] = Person
    cell(shell, "--schema Person -o r", "Ada Lovelace, 36")
    assert isinstance(shell.user_ns["r"].parsed, Person)
    with capture_output():
        result = shell.run_cell_magic("openrouter", "--schema Person -f json", "Ada, 36")
    assert isinstance(result, Person)
    assert or_magics.session.last.request["response_format"]["type"] == "json_schema"


def test_dry_run_shows_the_tools_and_schema_it_would_send(shell, sim):
    define(shell, WEATHER)
    shell.user_ns["Person"] = Person
    before = sim.stats.snapshot()["chat_requests"]
    out, _ = cell(shell, "--tools get_weather --schema Person --dry-run")
    assert '"name": "get_weather"' in out and '"json_schema"' in out
    assert sim.stats.snapshot()["chat_requests"] == before


def test_unfilled_placeholders_are_one_line_under_the_cell(shell, sim):
    shell.user_ns["topic"] = "entropy"
    out, _ = cell(shell, "", "Explain {topic} and {tpoic} with {x: x**2 for x in range(3)}")
    notes = [line for line in out.splitlines() if "left as written" in line]
    assert notes == ["left as written: {tpoic} (tpoic is not defined)"]
    assert or_magics.session.last.request["messages"][-1]["content"] == (
        "Explain entropy and {tpoic} with {x: x**2 for x in range(3)}")


def test_a_dataframe_in_the_prompt_is_sent_as_a_bounded_table(shell, sim):
    import pandas

    shell.user_ns["sales"] = pandas.DataFrame({"region": ["n", "s"] * 5000,
                                               "total": range(10_000)})
    out, _ = cell(shell, "", "Summarise {sales}")
    sent = or_magics.session.last.request["messages"][-1]["content"]
    assert "10,000 rows × 2 columns (showing 10 of 10,000 rows)" in sent
    assert "{sales}: showing 10 of 10,000 rows" in out
    shell.run_line_magic("config", "OpenRouterMagics.max_rows = 4")
    try:
        cell(shell, "", "Summarise {sales}")
        assert "showing 4 of 10,000 rows" in or_magics.session.last.request["messages"][-1][
            "content"]
    finally:
        shell.run_line_magic("config", "OpenRouterMagics.max_rows = 10")


def test_a_prompt_over_the_context_length_is_one_line_naming_both_sizes(shell, sim):
    shell.user_ns["book"] = "word " * 800_000  # ~1M tokens, more than gpt-4o-mini takes
    before = sim.stats.snapshot()["chat_requests"]
    shell.run_line_magic("config", "OpenRouterMagics.max_rows = 10")
    with pytest.raises(UsageError) as raised:
        cell(shell, "openai/gpt-4o-mini --no-interpolate", "x" * 1_000_000)
    message = str(raised.value)
    assert "about 250,001 tokens" in message and "128,000" in message and "\n" not in message
    assert sim.stats.snapshot()["chat_requests"] == before


def test_a_long_prompt_gets_one_warning_line_with_its_cost(shell, sim):
    shell.run_line_magic("config", "OpenRouterMagics.warn_tokens = 1000")
    try:
        with capture_output() as captured:
            shell.run_cell_magic("openrouter", "openai/gpt-4o-mini --no-interpolate",
                                 "y" * 40_000)
    finally:
        shell.run_line_magic("config", "OpenRouterMagics.warn_tokens = 20000")
    warnings = [line for line in shown(captured).splitlines() if "This prompt is about" in line]
    assert len(warnings) == 1 and "10,001 tokens, about $0.0015 to send" in warnings[0]


def test_a_cached_answer_says_so_and_costs_nothing(shell, sim, tmp_path, monkeypatch):
    monkeypatch.setenv("OR_MAGICS_CACHE", str(tmp_path / "answers.sqlite"))
    with capture_output():
        shell.run_line_magic("openrouter", "cache on")
    try:
        cell(shell, "", "What is 12*7?")
        cost = or_magics.session.total_usage().cost
        before = sim.stats.snapshot()["chat_requests"]
        again, _ = cell(shell, "", "What is 12*7?")
        assert sim.stats.snapshot()["chat_requests"] == before
        assert "from the cache, nothing spent" in again and "84" in again
        assert "tok/s" not in again and "first token" not in again  # nothing was generated
        assert or_magics.session.total_usage().cost == cost
        assert or_magics.session.last.cached
        with capture_output() as captured:
            shell.run_line_magic("openrouter", "cache")
        assert "1 answer," in shown(captured) and "1 hit and 1 miss" in shown(captured)
    finally:
        with capture_output():
            shell.run_line_magic("openrouter", "cache clear")
            shell.run_line_magic("openrouter", "cache off")


def test_a_batch_in_a_terminal_shows_a_text_progress_bar(shell, sim):
    with capture_output() as captured:
        result = or_magics.batch([f"Name a colour, take {i}" for i in range(5)],
                                 concurrency=2)
    assert result.done == 5
    bar = captured.stderr.replace("\r", "\n").splitlines()
    last = [line for line in bar if "5/5" in line]
    assert last and "5 done, 0 failed" in last[-1] and "tokens" in last[-1]
    with capture_output() as quiet:
        or_magics.batch(["one more", "and another"], progress=False)
    assert quiet.stderr == ""
