"""Bad input to the magics: a one-line UsageError, nothing sent, the session untouched."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output

import or_magics
from or_magics import options
from or_magics.client.request import PARAMETERS


def refused(shell, sim, run) -> str:
    before = sim.stats.snapshot()["requests"]
    with capture_output(), pytest.raises(UsageError) as info:
        run()
    message = str(info.value)
    assert message and "\n" not in message.strip() and "Traceback" not in message
    assert sim.stats.snapshot()["requests"] == before
    return message


@pytest.mark.parametrize(("line", "words"), [
    ("-p stream=yes", ["stream", "--no-stream"]),
    ("-p stream=false --dry-run", ["stream", "--no-stream"]),
    ("-p messages=[]", ["messages", "cell body"]),
    ("-p extra_body=abc", ["extra_body", "dict"]),
    ("-t nan", ["temperature", "nan"]),
    ("-t inf", ["temperature"]),
    ("--top-p nan --dry-run", ["top_p", "nan"]),
    ("-p temperature=NaN", ["temperature", "nan"]),
    ("-p 'logit_bias={\"1\": NaN}'", ["logit_bias.1"]),
])
def test_bad_values_are_one_line_and_send_nothing(shell, sim, line, words):
    message = refused(shell, sim, lambda: shell.run_cell_magic("openrouter", line, "hi"))
    assert all(word in message for word in words), message


@pytest.mark.parametrize(("words", "shown"), [
    (["--image", "\n"], "--image \\n"),
    (["--cache-system", "nan", "--cache-system", "\n"], "unrecognized arguments: \\n"),
])
def test_a_newline_typed_as_a_value_is_shown_escaped_on_one_line(shell, sim, words, shown):
    line = " ".join(options.quote(word) for word in words)
    message = refused(shell, sim, lambda: shell.run_cell_magic("openrouter", line, "hi"))
    assert shown in message, message


@pytest.mark.parametrize("body", ["half an emoji \ud83d", "{v}"])
def test_a_lone_surrogate_in_the_prompt_or_a_variable(shell, sim, body):
    shell.user_ns["v"] = "from a file decoded with surrogateescape: \udcff"
    message = refused(shell, sim, lambda: shell.run_cell_magic("openrouter", "", body))
    assert "surrogate" in message and "messages[0].content" in message


@pytest.mark.parametrize(("line", "words"), [
    ('config "unclosed', ["config takes KEY=VALUE", '"unclosed']),
    ("config temperature=NaN", ["temperature", "nan"]),
    ("config stream=false", ["stream", "--no-stream"]),
    ("config extra_body=3", ["extra_body"]),
])
def test_config_refuses_what_a_request_would(shell, sim, line, words):
    message = refused(shell, sim, lambda: shell.run_line_magic("openrouter", line))
    assert all(word in message for word in words), message
    magics = next(c for c in shell.configurables if type(c).__name__ == "OpenRouterMagics")
    assert magics.params == {}  # nothing half-set


# -- property-based: any line the parser might be given -----------------------------------------

FLAGS = [flag for option in options.OPTIONS for flag in option.flags]
FREE = st.sampled_from(["nan", "inf", "-1", "0", "2.5", "1e309", "openai/gpt-4o-mini", "a,b",
                        "high", "price", "'", '"', "\\", "--", "-", "=", "\udcff"])
KEYS = st.sampled_from(["stream", "messages", "extra_body", "temperature", "logit_bias", "",
                        "provider", "model", "tools", "reasoning", "temprature"]) \
    | st.sampled_from(PARAMETERS)
JSONISH = st.sampled_from(["NaN", "Infinity", "1", "-5", "true", "null", "[]", "{}", "abc",
                           '{"a": NaN}', "[1, 2", '"x"', "1e999"])
PARAM = st.builds(lambda k, v: ["-p", f"{k}={v}"], KEYS, JSONISH)
OPTION = st.builds(lambda flag, value: [flag, value], st.sampled_from(FLAGS),
                   FREE | st.text(alphabet=st.characters(blacklist_categories=("Cs",)),
                                  max_size=6))
WORDS = st.lists(PARAM | OPTION | st.builds(lambda w: [w], FREE), max_size=4).map(
    lambda groups: [word for group in groups for word in group])


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(WORDS)
def test_any_option_line_answers_or_is_one_line_usage_error(shell, sim, words):
    """Whatever the line, the cell answers with a request that is real JSON, or says in one
    line what is wrong and sends nothing."""
    line = " ".join(options.quote(word) for word in words)
    before = sim.stats.snapshot()["chat_requests"]
    or_magics.session.last = None
    try:
        with capture_output():
            shell.run_cell_magic("openrouter", line, "hi")
    except UsageError as exc:
        assert "\n" not in str(exc).strip(), line
        last = or_magics.session.last
        if last is None or last.error is None:  # refused before sending, not by the server
            assert sim.stats.snapshot()["chat_requests"] == before, line
        return
    finally:
        or_magics.session.params.clear()
    if or_magics.session.last is not None:  # not --help or --dry-run
        json.dumps(or_magics.session.last.request, allow_nan=False).encode()
