"""Subcommands as parsers: generated help for each, one overview, one-line errors."""

from __future__ import annotations

import pytest
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output

import or_magics
from or_magics.notebook.subcommands import COMMANDS


def shown(captured) -> str:
    return captured.stdout + "".join(o.data.get("text/plain", "") for o in captured.outputs)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_subcommand_prints_its_own_help_and_does_nothing_else(shell, sim, name):
    before = sim.stats.snapshot()["requests"]
    with capture_output() as captured:
        result = shell.run_line_magic("openrouter", f"{name} --help")
    text = shown(captured)
    assert result is None
    assert text.startswith(f"usage: %openrouter {name}")
    assert COMMANDS[name].parser.description in text
    assert sim.stats.snapshot()["requests"] == before  # nothing sent, not even for "ask"


def test_models_help_lists_its_options():
    text = COMMANDS["models"].parser.format_help()
    for option in ("--sort", "--free", "--supports", "--author", "--limit", "WORDS"):
        assert option in text
    assert "name" in text and "price" in text  # the sort choices


def test_the_overview_is_generated_from_the_same_parsers(shell, sim):
    with capture_output() as captured:
        shell.run_line_magic("openrouter", "help")
    text = shown(captured)
    for command in COMMANDS.values():
        assert command.usage.startswith(f"%openrouter {command.name}") and command.usage in text
        assert command.parser.description in text
    with capture_output() as captured:
        shell.run_line_magic("openrouter", "help offline")
    assert "--token-rate" in shown(captured)
    with pytest.raises(UsageError, match="no subcommand 'bogus'"):
        shell.run_line_magic("openrouter", "help bogus")


def test_a_bad_argument_is_one_line_naming_the_subcommand(shell, sim):
    with pytest.raises(UsageError) as raised:
        shell.run_line_magic("openrouter", "models --sort cheapest")
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith("%openrouter models:") and "cheapest" in message
    with pytest.raises(UsageError, match="%openrouter offline: argument --latency"):
        shell.run_line_magic("openrouter", "offline --latency soon")


def test_a_subcommand_given_words_it_cannot_use_says_how_to_ask_instead(shell, sim):
    before = sim.stats.snapshot()["requests"]
    with pytest.raises(UsageError, match="write %openrouter ask usage of the word"):
        shell.run_line_magic("openrouter", "usage of the word")
    assert sim.stats.snapshot()["requests"] == before


def test_the_key_is_never_echoed_by_a_parse_error(shell, sim):
    secret = "sk-or-v1-test-" + "77" * 20
    with pytest.raises(UsageError) as raised:
        shell.run_line_magic("openrouter", f"key {secret}")
    assert secret not in str(raised.value) and "hidden prompt" in str(raised.value)


def test_the_magics_hold_their_own_session(shell, sim):
    """A Session is an object: magics made with one leave the process's session alone."""
    from or_magics.notebook.magics import OpenRouterMagics

    mine = or_magics.Session()
    mine.use(or_magics.session.client())
    magics = OpenRouterMagics(shell, session=mine)
    magics.model = "anthropic/claude-haiku-4.5"
    assert mine.model == "anthropic/claude-haiku-4.5"
    assert or_magics.session.model is None
    with capture_output():
        magics.openrouter("--no-stream", "Hello")
    assert mine.last is not None and or_magics.session.last is None
    assert mine.last.request["model"] == "anthropic/claude-haiku-4.5"
    mine.reset()
    assert (mine.last, mine.usage, mine.model) == (None, {}, None)


@pytest.mark.parametrize(("line", "meant"), [("modles", "models"), ("usgae", "usage"),
                                             ("confg --reset", "config"), ("pannel", "panel")])
def test_a_typo_of_a_subcommand_is_did_you_mean_and_sends_nothing(shell, sim, line, meant):
    before = sim.stats.snapshot()["chat_requests"]
    with pytest.raises(UsageError, match=f"did you mean %openrouter {meant}\\?"):
        shell.run_line_magic("openrouter", line)
    assert sim.stats.snapshot()["chat_requests"] == before


@pytest.mark.parametrize("prompt", ["Explain recursion", "user stories for a login page",
                                    "keys to a good README", "What is the capital of France?"])
def test_a_prompt_that_starts_like_a_subcommand_is_still_a_prompt(shell, sim, prompt):
    with capture_output():
        shell.run_cell(f"%openrouter {prompt}")
    assert or_magics.session.last.request["messages"][-1]["content"] == prompt


def test_a_question_mark_at_the_end_is_part_of_the_prompt(shell, sim):
    """IPython would take "France?" as a help request; the question must be sent."""
    for line in ("%openrouter What is the capital of France?",
                 "%openrouter ask -t 0.2 -- Which prime comes after 7?"):
        with capture_output() as captured:
            shell.run_cell(line)
        assert "not found" not in captured.stdout
        sent = or_magics.session.last.request["messages"][-1]["content"]
        assert sent.endswith("?") and sent.split()[-1] in ("France?", "7?")
    assert shell.input_transformer_manager.transform_cell("%openrouter?\n").startswith(
        "get_ipython().run_line_magic('pinfo'")  # the magic's own help still works


def test_a_search_with_no_match_says_how_to_ask_instead(shell, sim):
    with pytest.raises(UsageError, match="write %openrouter ask models of the atom"):
        shell.run_line_magic("openrouter", "models of the atom")


def test_usage_reset_starts_counting_again(shell, sim):
    with capture_output():
        shell.run_cell("%openrouter Hello")
    assert or_magics.session.usage
    with capture_output() as captured:
        shell.run_line_magic("openrouter", "usage --reset")
    assert or_magics.session.usage == {} and "reset" in captured.stdout


def test_the_panel_in_terminal_ipython_says_it_needs_jupyter(shell, sim):
    with pytest.raises(UsageError, match="needs Jupyter"):
        shell.run_line_magic("openrouter", "panel")
