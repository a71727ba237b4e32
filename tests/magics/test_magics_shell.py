"""%%openrouter and %openrouter in an InteractiveShell (terminal IPython: plain streaming)."""

from __future__ import annotations

import json

import pytest
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output

import or_magics
from or_magics.render.meta import money


def shown(captured) -> str:
    """Everything a person would see: printed text and the plain text of displays."""
    return captured.stdout + "".join(o.data.get("text/plain", "") for o in captured.outputs)


def cell(shell, line: str, body: str = "Explain recursion briefly") -> tuple[str, object]:
    with capture_output() as captured:
        result = shell.run_cell_magic("openrouter", line, body)
    return shown(captured), result


def sent(field: str | None = None):
    body = or_magics.session.last.request
    return body if field is None else body.get(field)


def test_the_answer_streams_as_text_with_a_footer_and_lands_in_underscore(shell, sim):
    out, result = cell(shell, "openai/gpt-4o-mini")
    response = or_magics.session.last
    assert result is None  # displayed once, by streaming; not again as Out
    assert response.text.strip()[:40] in out and "simulated" in out
    assert shell.user_ns["_"] is response
    assert sent("model") == "openai/gpt-4o-mini"


@pytest.mark.parametrize(
    ("line", "field", "value"),
    [
        ("-m openai/gpt-4o", "model", "openai/gpt-4o"),
        ("openai/gpt-4o:nitro", "model", "openai/gpt-4o:nitro"),
        ("--fallback anthropic/claude-haiku-4.5 --fallback x-ai/grok-4", "models",
         ["anthropic/claude-haiku-4.5", "x-ai/grok-4"]),
        ("-t 0.2", "temperature", 0.2),
        ("--max-tokens 50", "max_tokens", 50),
        ("--top-p 0.9", "top_p", 0.9),
        ("--seed 7", "seed", 7),
        ("--stop END --stop STOP", "stop", ["END", "STOP"]),
        ("-r high", "reasoning", {"effort": "high"}),
        ("--web", "tools", [{"type": "openrouter:web_search"}]),
        ("-p top_k=40", "top_k", 40),
        ("-p 'provider={\"zdr\": true}'", "provider", {"zdr": True}),
    ],
)
def test_each_option_becomes_its_request_field(shell, sim, line, field, value):
    cell(shell, line)
    assert sent(field) == value


def test_provider_routing_shortcuts(shell, sim):
    cell(shell, "meta-llama/llama-3.3-70b-instruct --sort price --order groq,deepinfra "
                "--ignore novita --no-fallbacks --zdr --deny-data-collection")
    assert sent("provider") == {"sort": "price", "order": ["groq", "deepinfra"],
                                "ignore": ["novita"], "allow_fallbacks": False, "zdr": True,
                                "data_collection": "deny"}
    cell(shell, "meta-llama/llama-3.3-70b-instruct --only groq")
    assert sent("provider") == {"only": ["groq"]}
    assert or_magics.session.last.provider == "Groq"


def test_system_prompt_from_option_and_from_config(shell, sim):
    cell(shell, "-s 'You are terse.'")
    assert sent("messages")[0] == {"role": "system", "content": "You are terse."}
    shell.run_line_magic("config", "OpenRouterMagics.system = 'Answer in French.'")
    try:
        cell(shell, "")
        assert sent("messages")[0]["content"] == "Answer in French."
    finally:
        shell.run_line_magic("config", "OpenRouterMagics.system = ''")


def test_config_traitlets_set_the_session_default_model(shell, sim):
    shell.run_line_magic("config", "OpenRouterMagics.model = 'openai/gpt-4.1'")
    cell(shell, "")
    assert sent("model") == "openai/gpt-4.1" and or_magics.session.model == "openai/gpt-4.1"
    shell.run_line_magic("openrouter", "use openai/gpt-4o-mini")
    cell(shell, "")
    assert sent("model") == "openai/gpt-4o-mini"


def test_interpolation_once_with_escapes_and_opt_out(shell, sim):
    shell.user_ns.update(topic="{danger}", n=3)
    cell(shell, "", "Explain {topic} in {n + 1} points, {{literally}}")
    assert sent("messages")[-1]["content"] == "Explain {danger} in 4 points, {literally}"
    cell(shell, "--no-interpolate", "Explain {topic}")
    assert sent("messages")[-1]["content"] == "Explain {topic}"


def test_earlier_cell_outputs_and_inputs_can_be_referenced(shell, sim):
    shell.run_cell("41 + 1", store_history=True)
    n = shell.execution_count - 1
    cell(shell, "", f"Is {{Out[{n}]}} the answer? The code was {{In[{n}]}}")
    assert sent("messages")[-1]["content"] == "Is 42 the answer? The code was 41 + 1"


def test_output_variable_holds_the_response(shell, sim):
    cell(shell, "-o answer")
    assert shell.user_ns["answer"] is or_magics.session.last
    assert shell.user_ns["answer"].usage.total_tokens > 0


def test_json_format_returns_a_python_object(shell, sim):
    _, result = cell(shell, "-f json", "A person with a name and an age")
    assert isinstance(result, dict) and result
    assert sent("response_format") == {"type": "json_object"}


def test_code_format_puts_the_answers_code_in_a_new_cell(shell, sim, monkeypatch):
    placed = []
    monkeypatch.setattr(shell, "set_next_input", lambda text, replace=False: placed.append(text))
    cell(shell, "-f code", "Write a Python function")
    assert placed and "def " in placed[0] and "```" not in placed[0]


def test_text_format_and_no_stream(shell, sim):
    out, _ = cell(shell, "-f text --no-stream")
    assert sent("stream") is False and or_magics.session.last.text.strip()[:30] in out


def test_dry_run_shows_the_request_with_a_masked_key_and_sends_nothing(shell, sim):
    before = sim.stats.snapshot()["chat_requests"]
    out, _ = cell(shell, "--dry-run -t 0.5 --sort price")
    assert sim.stats.snapshot()["chat_requests"] == before
    assert '"temperature": 0.5' in out and '"sort": "price"' in out
    assert "Authorization: (simulator: no key needed)" in out and "sk-or-v1-" not in out


def test_dry_run_and_config_tell_one_story_of_the_simulator_key(shell, sim):
    """Not a key "sk-or-v1-…ator" in one place and "(none)" in the other: the simulator
    needs no key, said the same way in both."""
    out, _ = cell(shell, "--dry-run")
    with capture_output() as captured:
        shell.run_line_magic("openrouter", "config")
    config = shown(captured)
    assert "(simulator: no key needed)" in out and "(simulator: no key needed)" in config
    assert "…ator" not in out + config and "(none)" not in config.split("API key:")[1][:40]


def test_a_named_conversation_continues_across_cells(shell, sim):
    cell(shell, "-c tutor", "What is a prime?")
    first = or_magics.session.last
    cell(shell, "-c tutor", "And the next one after 7?")
    roles = [m["role"] for m in sent("messages")]
    assert roles == ["user", "assistant", "user"]
    assert sent("messages")[1]["content"] == first.text
    with capture_output() as captured:
        shell.run_line_magic("openrouter", "history tutor")
    assert "2 turns" in shown(captured)
    shell.run_line_magic("openrouter", "reset tutor")
    assert "tutor" not in or_magics.session.conversations


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("-t hot", ["-t/--temperature", "invalid float value"]),
        ("-t 5", ["temperature", "between 0 and 2"]),
        ("--sort cheap", ["--sort", "invalid choice", "price"]),
        ("-r huge", ["-r/--reasoning", "invalid choice"]),
        ("openai/gpt-4o:cheap", ["unknown variant ':cheap'", ":nitro"]),
        ("gpt-4o", ["author/slug"]),
        ("-f yaml", ["--format", "invalid choice"]),
        ("--bogus", ["unrecognized arguments: --bogus"]),
        ("-p nonsense", ["KEY=VALUE"]),
        ("-p temprature=1", ["'temperature'"]),
        ("-m openai/gpt-4o openai/gpt-4o-mini", ["give the model once"]),
        ("openai/gpt-4o extra words", ["unexpected 'extra words'"]),
        ("-s 'unclosed", ["could not read the options"]),
        ("--compare a/one", ["at least two models"]),
        ("--compare a/one,", ["at least two models"]),
        ("-m c/three --compare a/one b/two", ["--compare names every model"]),
        ("c/three --compare a/one b/two", ["--compare names every model"]),
        ("--compare a/one b/two -c chat", ["conversation (-c)"]),
        ("--compare a/one b/two -f json", ["-f json", "-o VAR"]),
        ("--compare a/one b/two -f code", ["-f code"]),
        ("--compare a/one b/two --fallback c/three", ["--fallback is for one model"]),
        ("--compare a/one gpt-4o", ["author/slug"]),
        ("--compare a/one b/two -p temprature=1", ["'temperature'"]),
        ("--compare", ["expected at least one argument"]),
    ],
)
def test_bad_options_are_one_line_usage_errors_and_send_nothing(shell, sim, line, words):
    before = sim.stats.snapshot()["requests"]
    with pytest.raises(UsageError) as info:
        shell.run_cell_magic("openrouter", line, "hi")
    message = str(info.value)
    assert "\n" not in message.strip()
    for word in words:
        assert word in message
    assert sim.stats.snapshot()["requests"] == before


def test_empty_prompt_and_failed_interpolation(shell, sim):
    with pytest.raises(UsageError, match="prompt is empty"):
        shell.run_cell_magic("openrouter", "", "  \n")
    shell.user_ns["d"] = {}
    with pytest.raises(UsageError, match="could not fill"):
        shell.run_cell_magic("openrouter", "", "{d['missing']}")


def test_api_errors_are_one_line_and_keep_the_partial_answer(shell, sim):
    sim.inject({"status": 402})
    with pytest.raises(UsageError) as info:
        cell(shell, "")
    assert str(info.value).startswith("402 Insufficient credits —")
    sim.inject({"mid_stream_error": "documented", "after_chunks": 4, "code": 502}, times=3)
    with capture_output() as captured, pytest.raises(UsageError, match="502"):
        shell.run_cell_magic("openrouter", "", "Tell me about rivers")
    partial = or_magics.session.last
    assert partial.error is not None and partial.text and partial.text[:20] in shown(captured)


def test_line_magic_prompt_forms(shell, sim):
    with capture_output():
        shell.run_line_magic("openrouter", "What's 2+2? Don't hedge.")
    assert sent("messages")[-1]["content"] == "What's 2+2? Don't hedge."
    with capture_output():
        shell.run_line_magic("openrouter", "ask -m openai/gpt-4o -t 0.1 -- What's new?")
    assert (sent("model"), sent("temperature")) == ("openai/gpt-4o", 0.1)
    assert sent("messages")[-1]["content"] == "What's new?"


def test_models_subcommand_lists_filters_and_sorts(shell, sim):
    with capture_output() as captured:
        shell.run_line_magic("openrouter", "models claude --sort price")
    out = shown(captured)
    assert "anthropic/claude" in out and "$/M in" in out and "simulated catalogue" in out
    with capture_output() as captured:
        shell.run_line_magic("openrouter", "models --free --limit 3")
    lines = [line for line in shown(captured).splitlines() if ":free" in line]
    assert 0 < len(lines) <= 3
    with pytest.raises(UsageError, match="invalid choice"):
        shell.run_line_magic("openrouter", "models --sort size")


def test_use_checks_the_model_against_the_catalogue(shell, sim):
    with pytest.raises(UsageError, match="did you mean"):
        shell.run_line_magic("openrouter", "use openai/gpt-4o-mimi")
    with capture_output() as captured:
        shell.run_line_magic("openrouter", "use meta-llama/llama-3.3-70b-instruct:free")
    assert "Default model" in shown(captured)


def test_config_shows_and_sets_request_defaults(shell, sim):
    with capture_output() as captured:
        shell.run_line_magic("openrouter", "config temperature=0.3 max_tokens=100")
    assert '"temperature": 0.3' in shown(captured) and "built-in simulator" in shown(captured)
    cell(shell, "")
    assert (sent("temperature"), sent("max_tokens")) == (0.3, 100)
    cell(shell, "-t 0.9")
    assert sent("temperature") == 0.9
    with pytest.raises(UsageError, match="temperature"):
        shell.run_line_magic("openrouter", "config temperature=9")
    shell.run_line_magic("openrouter", "config --reset")
    cell(shell, "")
    assert sent("temperature") is None


def test_config_takes_json_values_as_written_spaces_and_quotes_included(shell, sim):
    shell.run_line_magic("openrouter", 'config provider={"sort": "price", "ignore": ["azure"]} '
                                       'temperature=0.2 stop=["\\n\\n", "END"]')
    cell(shell, "")
    assert sent("provider") == {"sort": "price", "ignore": ["azure"]}
    assert (sent("temperature"), sent("stop")) == (0.2, ["\n\n", "END"])
    shell.run_line_magic("openrouter", 'config stop=["a b=c"] seed=7')  # "b=" is in a string
    cell(shell, "")
    assert (sent("stop"), sent("seed")) == (["a b=c"], 7)
    with pytest.raises(UsageError, match=r"^%openrouter config takes KEY=VALUE fields"):
        shell.run_line_magic("openrouter", "config nonsense")
    shell.run_line_magic("openrouter", "config --reset")


def test_usage_subcommand_totals_tokens_and_cost_by_model(shell, sim):
    cell(shell, "openai/gpt-4o-mini")
    cell(shell, "openai/gpt-4o")
    with capture_output() as captured:
        shell.run_line_magic("openrouter", "usage")
    out = shown(captured)
    assert "openai/gpt-4o-mini" in out and "openai/gpt-4o " in out and "total" in out
    total = or_magics.session.total_usage()
    assert f"{total.completion_tokens:,}" in out


def test_usage_draws_a_bar_per_model_and_tells_the_key_limit_and_credits(shell, sim):
    with capture_output() as captured:
        shell.run_line_magic("openrouter", "usage")
    assert "no answers yet" in shown(captured) and "Key: limit $100.00" in shown(captured)
    cell(shell, "openai/gpt-4o")
    cell(shell, "openai/gpt-4o")
    cell(shell, "openai/gpt-4o-mini")
    with capture_output() as captured:
        shell.run_line_magic("openrouter", "usage")
    lines = shown(captured).splitlines()
    big = next(line for line in lines if line.startswith("openai/gpt-4o "))
    small = next(line for line in lines if line.startswith("openai/gpt-4o-mini"))
    assert big.count("█") == 12 and 1 <= small.count("█") < 12  # bars scale with cost
    spent = or_magics.session.total_usage().cost
    assert any(line.startswith("Key: limit $100.00") for line in lines)
    credits = next(line for line in lines if line.startswith("Credits:"))
    assert credits.startswith(f"Credits: $100.00 bought, {money(spent)} used, $")  # simulated
    html = captured.outputs[0].data["text/html"]
    assert html.count("background:var(--jp-brand-color1") == 2  # one bar per model


def test_key_subcommand_uses_a_hidden_prompt_and_shows_only_a_mask(shell, sim, monkeypatch):
    secret = "sk-or-v1-test-" + "9f" * 20
    monkeypatch.setattr("getpass.getpass", lambda prompt: secret)
    with capture_output() as captured:
        shell.run_line_magic("openrouter", "key")
    try:
        assert secret not in shown(captured) and "sk-or-v1-…9f9f" in shown(captured)
        with capture_output() as captured:
            shell.run_line_magic("openrouter", "config")
        assert secret not in shown(captured) and "…9f9f" in shown(captured)
        with pytest.raises(UsageError, match="hidden prompt"):
            shell.run_line_magic("openrouter", f"key {secret}")
    finally:
        shell.run_line_magic("openrouter", "key --clear")


def test_offline_and_online_switch_the_session(shell, sim):
    with capture_output() as captured:
        shell.run_line_magic("openrouter", "offline --token-rate 0")
    assert "simulator" in shown(captured) and or_magics.session.client().offline
    with capture_output() as captured:
        shell.run_line_magic("openrouter", "online")
    assert "no API key yet" in shown(captured)
    assert not or_magics.session.client().offline
    shell.run_line_magic("openrouter", "offline")


def test_explain_sends_the_last_error_and_its_cell(shell, sim):
    shell.run_cell("values = [1, 2]\nvalues[5]", store_history=True)
    with capture_output():
        shell.run_line_magic("openrouter", "explain")
    prompt = sent("messages")[-1]["content"]
    assert "IndexError" in prompt and "values[5]" in prompt


def test_help_and_last(shell, sim):
    with capture_output() as captured:
        shell.run_line_magic("openrouter", "help")
    assert "%openrouter models" in shown(captured)
    cell(shell, "")
    assert shell.run_line_magic("openrouter", "last") is or_magics.session.last
    assert json.dumps(or_magics.session.last.to_dict())


def test_question_mark_help_lists_every_option(shell, sim):
    doc = type(next(c for c in shell.configurables
                    if type(c).__name__ == "OpenRouterMagics")).openrouter.__doc__
    for option in ("--sort", "--fallback", "-o", "--dry-run", "--no-interpolate", "-c",
                   "--format", "--zdr", "--deny-data-collection", "-p"):
        assert option in doc


def test_usage_reads_a_key_with_a_limit_but_no_remaining_figure(shell, sim, monkeypatch):
    """/key may give a limit and no limit_remaining (older keys): say the limit, don't crash."""
    client = or_magics.session.client()
    monkeypatch.setattr(type(client), "key_info", lambda self: {"limit": 10, "usage": 1.5})
    with capture_output() as captured:
        shell.run_line_magic("openrouter", "usage")
    assert "Key: limit $10.00; $1.50 used in all" in shown(captured)


def test_the_credits_left_visibly_move_after_an_answer(shell, sim):
    """Answers cost fractions of a cent: "$100.00 left" after spending looks broken."""
    with capture_output() as captured:
        shell.run_line_magic("openrouter", "usage")
    before = next(line for line in shown(captured).splitlines() if line.startswith("Key:"))
    cell(shell, "openai/gpt-4o")
    with capture_output() as captured:
        shell.run_line_magic("openrouter", "usage")
    after = next(line for line in shown(captured).splitlines() if line.startswith("Key:"))
    assert before.startswith("Key: limit $100.00, $100.00 left")
    left = float(after.split(", $")[1].split(" left")[0])
    assert 99.9 < left < 100


@pytest.mark.parametrize("name", ["my-var", "1abc", "class", "a b"])
def test_an_output_variable_python_cannot_use_is_one_line_and_sends_nothing(shell, sim, name):
    before = sim.stats.snapshot()["chat_requests"]
    with pytest.raises(UsageError, match="not a name Python can use"):
        shell.run_cell_magic("openrouter", f"-o '{name}'", "Hello")
    assert sim.stats.snapshot()["chat_requests"] == before


@pytest.mark.parametrize(("fmt", "asks"), [("html", "HTML fragment"), ("code", "code only"),
                                           ("json", "JSON only"), ("text", "plain text")])
def test_each_format_asks_the_model_for_what_it_shows(shell, sim, fmt, asks):
    with capture_output():
        shell.run_cell_magic("openrouter", f"-f {fmt} -s 'Be brief.'", "Show a list of fruit")
    system = sent("messages")[0]
    assert system["role"] == "system" and system["content"].startswith("Be brief.")
    assert asks in system["content"]


def test_explain_sends_the_cell_that_failed_not_the_one_before(shell, sim):
    shell.run_cell("def ratio(a, b):\n    return a / b", store_history=True)
    shell.run_cell("values = [1, 0]", store_history=True)
    shell.run_cell("ratio(*values)", store_history=True)
    shell.run_cell("harmless = 1", store_history=True)  # ran later, not what failed
    with capture_output():
        shell.run_line_magic("openrouter", "explain")
    prompt = sent("messages")[-1]["content"]
    assert "ratio(*values)" in prompt and "return a / b" in prompt
    assert "harmless" not in prompt and "ZeroDivisionError" in prompt


def test_server_cache_flag_and_session_default_ask_openrouters_response_cache(shell, sim):
    out, _ = cell(shell, "--server-cache", "Name a planet")
    assert or_magics.session.last.server_cache == "MISS"
    out, _ = cell(shell, "--server-cache", "Name a planet")
    assert or_magics.session.last.server_cache == "HIT"
    assert "from OpenRouter's response cache, nothing spent" in out
    assert "server_cache" not in sent()  # a header, never a body field
    with capture_output() as captured:
        shell.run_line_magic("openrouter", "config server_cache=true")
    assert '"server_cache": true' in shown(captured)
    cell(shell, "", "Name a comet")
    out, _ = cell(shell, "", "Name a comet")
    assert or_magics.session.last.server_cached and "response cache" in out
    with pytest.raises(UsageError, match="server_cache"):
        shell.run_line_magic("openrouter", "config server_cache=0")
    shell.run_line_magic("openrouter", "config --reset")
    cell(shell, "", "Name a comet")
    assert or_magics.session.last.server_cache is None
