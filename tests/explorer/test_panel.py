"""The panel as a person uses it: set widget values, click, and read what changed.

ipywidgets run without a frontend here; the same panel in real JupyterLab is covered by
tests/browser.
"""

from __future__ import annotations

import html
import re

import pytest
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output

import or_magics
from or_magics.explorer.panel import Panel


@pytest.fixture
def panel(shell, sim) -> Panel:
    return Panel(shell=shell)


def listed(panel: Panel) -> list[or_magics.Model]:
    by_id = {m.id: m for m in panel.catalogue}
    return [by_id[value] for _, value in panel.models.options]


def code(panel: Panel) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", panel.code.value))


def status(panel: Panel) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", panel.status.value))


def test_it_opens_on_the_whole_simulated_catalogue(panel):
    assert len(listed(panel)) == len(panel.catalogue) > 40
    assert "simulated" in panel.children[0].value
    assert panel.models.value == "openai/gpt-4o-mini"  # the default model, selected
    assert "GPT-4o-mini" in panel.details.value


@pytest.mark.parametrize(
    ("widget", "value", "check"),
    [
        ("search", "claude", lambda m: "claude" in f"{m.id} {m.name} {m.description}".lower()),
        ("author", "google", lambda m: m.author == "google"),
        ("modality", "image", lambda m: "image" in m.input_modalities),
        ("modality", "audio", lambda m: "audio" in m.input_modalities),
        ("min_context", 1_000_000, lambda m: m.context_length >= 1_000_000),
        ("max_price", 0.5, lambda m: m.prompt_price is not None and m.prompt_price <= 0.5),
        ("free", True, lambda m: m.is_free),
    ],
)
def test_each_filter_keeps_exactly_the_models_that_match(panel, widget, value, check):
    getattr(panel, widget).value = value
    shown = listed(panel)
    assert shown and all(check(m) for m in shown)
    assert len(shown) == sum(map(check, panel.catalogue))
    assert status(panel).startswith(f"{len(shown)} of {len(panel.catalogue)} models")


@pytest.mark.parametrize("feature", ["tools", "structured outputs", "reasoning"])
def test_feature_filters_keep_models_that_support_the_parameter(panel, feature):
    panel.features[feature].value = True
    parameter = {"structured outputs": "structured_outputs"}.get(feature, feature)
    shown = listed(panel)
    assert shown and len(shown) < len(panel.catalogue)
    assert all(m.supports(parameter) for m in shown)


def test_filters_combine_and_sorting_orders_the_list(panel):
    panel.free.value = True
    panel.features["reasoning"].value = True
    assert {m.id for m in listed(panel)} == {
        m.id for m in panel.catalogue if m.is_free and m.supports("reasoning")}
    panel.free.value = False
    panel.sort.value = "price"
    prices = [m.prompt_price for m in listed(panel) if m.prompt_price is not None]
    assert prices == sorted(prices)
    panel.sort.value = "context"
    contexts = [m.context_length for m in listed(panel)]
    assert contexts == sorted(contexts, reverse=True)


def test_no_match_says_so(panel):
    panel.search.value = "no such model anywhere"
    assert listed(panel) == [] and "no model matches" in status(panel)


def test_selecting_a_model_shows_its_details_providers_and_variants(panel):
    panel.search.value = "haiku"
    panel.models.value = "anthropic/claude-haiku-4.5"
    details = html.unescape(panel.details.value)
    endpoints = panel.client.endpoints("anthropic/claude-haiku-4.5")["endpoints"]
    assert "Claude Haiku 4.5" in details and "context 200K" in details
    assert "in $1.00/M · out $5.00/M" in details and "text+image → text" in details
    assert details.count("<tr>") == 1 + len(endpoints)  # header + one row per provider
    for endpoint in endpoints:
        assert endpoint["provider_name"] in details
        ms = endpoint["latency_last_30m"]["p50"]  # milliseconds, as the API reports them
        assert (f"{ms:,.0f} ms" if ms < 1000 else f"{ms / 1000:.1f} s") in details
    assert "uptime" in details and "tok/s" in details and " ms" in details
    variants = [value for _, value in panel.variant.options]
    assert "nitro" in variants and "thinking" not in variants and "free" not in variants


def test_the_code_shows_the_same_request_as_a_cell_and_in_python(panel):
    panel.models.value = "openai/gpt-4o"
    panel.variant.value = "nitro"
    panel.inputs["fallbacks"].inputs[0].value = ["anthropic/claude-haiku-4.5"]
    panel.inputs["sort"].inputs[0].value = "throughput"
    panel.inputs["zdr"].inputs[0].value = True
    panel.inputs["temperature"].enabled.value = True
    panel.inputs["temperature"].slider.value = 0.4
    panel.try_prompt.value = "Name three sorting algorithms"
    shown = code(panel)
    line = ("%%openrouter openai/gpt-4o:nitro --fallback anthropic/claude-haiku-4.5 -t 0.4 "
            "--sort throughput --zdr\nName three sorting algorithms")
    assert line in shown
    assert "ask(\n    'Name three sorting algorithms',\n    model='openai/gpt-4o:nitro'," in shown


def test_the_shown_cell_and_python_call_send_exactly_the_panel_request(shell, panel):
    panel.models.value = "deepseek/deepseek-r1"
    panel.inputs["order"].inputs[0].value = ["deepinfra", "together"]
    panel.inputs["require_parameters"].inputs[0].value = True
    panel.inputs["quantizations"].inputs[0].value = ["fp8"]
    panel.inputs["max_price_in"].inputs[0].value = "1.5"
    panel.inputs["max_tokens"].inputs[0].value = "200"
    panel.inputs["reasoning"].inputs[0].value = "high"
    panel.inputs["system"].inputs[0].value = "You are terse."
    choice = panel.choice()
    magic, _, line = choice.magic_line().partition(" ")
    assert magic == "%%openrouter"
    with capture_output():
        shell.run_cell_magic("openrouter", line, "Hello")
    from_cell = or_magics.session.last.request
    with capture_output():
        from_python = eval(choice.python_call("Hello").split("= ", 1)[1],
                           {"ask": or_magics.ask}).request
    assert from_cell == from_python
    assert from_cell["provider"]["quantizations"] == ["fp8"]
    assert from_cell["provider"]["max_price"] == {"prompt": 1.5}
    assert from_cell["messages"][0] == {"role": "system", "content": "You are terse."}


def test_use_makes_the_choice_the_default_for_cells_and_helpers(shell, panel):
    shell.run_line_magic("openrouter", "config top_k=40")  # not the panel's: must survive
    panel.models.value = "mistralai/mistral-large-2411"
    panel.inputs["sort"].inputs[0].value = "price"
    panel.inputs["temperature"].enabled.value = True
    panel.inputs["temperature"].slider.value = 0.2
    panel.inputs["system"].inputs[0].value = "Answer in French."
    panel.use_button.click()
    assert "mistralai/mistral-large-2411 is now the default" in status(panel)
    with capture_output():
        shell.run_cell_magic("openrouter", "", "Hello")
    body = or_magics.session.last.request
    assert body["model"] == "mistralai/mistral-large-2411"
    assert body["provider"] == {"sort": "price"} and body["temperature"] == 0.2
    assert body["top_k"] == 40
    assert body["messages"][0] == {"role": "system", "content": "Answer in French."}
    with capture_output() as captured:
        or_magics.session.notified = False
        response = or_magics.ask("Hello again")
    assert "simulator" in captured.stdout
    assert response.request["model"] == "mistralai/mistral-large-2411"
    assert response.request["provider"] == {"sort": "price"}
    again = Panel(shell=shell)  # a new panel starts from the session's defaults
    assert again.choice() == panel.choice()


def test_a_bad_number_is_one_line_and_changes_nothing(shell, panel):
    before = (or_magics.session.model, dict(or_magics.session.params))
    panel.inputs["max_tokens"].inputs[0].value = "lots"
    panel.use_button.click()
    assert status(panel).endswith(
        "max tokens: 'lots' is not a number; leave it blank for the default")
    assert (or_magics.session.model, or_magics.session.params) == before
    panel.inputs["max_tokens"].inputs[0].value = "-5"
    assert "must be ≥ 0" in status(panel)


def test_reasoning_effort_is_only_offered_to_reasoning_models(panel):
    panel.models.value = "openai/gpt-4o"
    assert panel.inputs["reasoning"].disabled
    panel.models.value = "openai/o3"
    assert not panel.inputs["reasoning"].disabled
    panel.inputs["reasoning"].inputs[0].value = "high"
    assert panel.choice().params()["reasoning"] == {"effort": "high"}


def test_the_reasoning_menu_offers_the_efforts_the_model_takes(panel):
    def offered() -> list[str]:
        return [value for _, value in panel.inputs["reasoning"].inputs[0].options if value]

    panel.models.value = "openai/gpt-5-mini"
    assert offered() == ["high", "medium", "low", "minimal"]
    panel.inputs["reasoning"].inputs[0].value = "minimal"
    panel.models.value = "openai/o3"
    assert offered() == ["high", "medium", "low"]
    assert panel.inputs["reasoning"].get() == ""  # "minimal" is not offered: back to default
    panel.models.value = "anthropic/claude-sonnet-4.5"  # a budget model: no list, all offered
    assert "none" in offered() and not panel.inputs["reasoning"].disabled


def test_try_it_streams_the_answer_into_the_panel(panel):
    panel.models.value = "openai/gpt-4o"
    panel.try_prompt.value = "What is a monad?"
    panel.try_button.click()
    shown = "".join(child.value for child in panel.try_output.children)
    assert "monad" in shown.lower() and "simulated" in shown
    assert "<script" not in shown and status(panel) == "answered by openai/gpt-4o"
    assert or_magics.session.last.request["model"] == "openai/gpt-4o"
    assert or_magics.session.usage["openai/gpt-4o"].calls == 1


def test_try_it_shows_an_api_error_as_one_line_and_keeps_the_panel_usable(panel, sim):
    panel.try_prompt.value = "Hello"
    sim.inject({"status": 402})
    panel.try_button.click()
    assert status(panel).startswith("402")
    assert "\n" not in status(panel) and not panel.try_button.disabled
    panel.try_button.click()
    assert status(panel).startswith("answered by")


def test_try_it_needs_a_prompt(panel):
    panel.try_button.click()
    assert status(panel) == "write a prompt in the box first"
    assert panel.try_output.children == ()


def test_the_panel_subcommand_shows_it_and_the_saved_text_says_what_it_was(shell, sim,
                                                                          monkeypatch):
    monkeypatch.setattr(shell, "kernel", object(), raising=False)  # as in a notebook
    with capture_output() as captured:
        shell.run_line_magic("openrouter", "panel")
    text = captured.stdout + "".join(o.data.get("text/plain", "") for o in captured.outputs)
    assert "<or_magics panel: openai/gpt-4o-mini — an interactive widget" in text
    with pytest.raises(UsageError, match="no arguments"):
        shell.run_line_magic("openrouter", "panel now")
    assert isinstance(or_magics.panel(), Panel)


def test_each_try_closes_the_widgets_of_the_answer_it_replaces(panel):
    """Widgets nothing shows any more are closed: they would stay in the kernel and in the
    widget state a saved notebook keeps (with their layout and style models)."""
    from ipywidgets.widgets.widget import _instances

    panel.try_prompt.value = "Explain recursion in detail, with a table and code"
    panel.try_button.click()
    first = list(panel.try_output.children)
    ids = {part.model_id for child in first for part in (child, child.layout, child.style)}
    assert first and ids <= set(_instances)
    opened = len(_instances)
    panel.try_button.click()
    assert panel.try_output.children and not set(panel.try_output.children) & set(first)
    assert not ids & set(_instances)  # closed, with their layout and style
    assert len(_instances) <= opened  # the panel does not grow with each answer
    assert panel.try_output.layout.comm is not None  # the box itself stays


def test_a_panel_saves_little_widget_state(shell, sim):
    """A saved notebook keeps the state of every widget model a panel opens: widgets with
    the same layout share one Layout model (each of its own would be ~1 KB of nulls)."""
    import json

    import ipywidgets as w
    from ipywidgets.widgets.widget import _instances

    before = set(_instances)
    Panel(shell=shell)
    opened = [_instances[key] for key in set(_instances) - before]
    size = sum(len(json.dumps(model.get_state(), default=str)) for model in opened)
    layouts = [model for model in opened if isinstance(model, w.Layout)]
    assert size < 70_000, size  # 92 KB with a Layout per widget
    assert len(layouts) <= 14, len(layouts)
    states = [json.dumps(model.get_state(), sort_keys=True) for model in layouts]
    assert len(states) == len(set(states))  # none twice
    again = set(_instances)
    Panel(shell=shell)
    assert not any(isinstance(_instances[key], w.Layout) for key in set(_instances) - again)
