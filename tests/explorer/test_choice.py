"""Choice: the request, the %%openrouter line and the Python call a panel choice stands for."""

from __future__ import annotations

import shlex

import pytest
from hypothesis import given
from hypothesis import strategies as st

import or_magics
from or_magics.client.validate import EFFORTS, QUANTIZATIONS
from or_magics.errors import InvalidParameterError
from or_magics.explorer.choice import Choice, applicable_variants

FULL = Choice(
    model="anthropic/claude-haiku-4.5", variant="nitro", fallbacks=["openai/gpt-4o-mini"],
    sort="price", order=["anthropic", "amazon-bedrock"], ignore=["azure"],
    no_fallbacks=True, require_parameters=True, deny_data_collection=True, zdr=True,
    quantizations=["fp8"], max_price_in=2.0, max_price_out=10.0, temperature=0.3,
    max_tokens=300, reasoning="low", web=True, system="Be brief, it's a demo",
)


def test_a_default_choice_asks_for_the_model_only():
    assert Choice().params() == {"model": "openai/gpt-4o-mini"}
    assert Choice().magic_line() == "%%openrouter openai/gpt-4o-mini"


def test_every_choice_becomes_its_request_field():
    assert FULL.params() == {
        "model": "anthropic/claude-haiku-4.5:nitro",
        "models": ["openai/gpt-4o-mini"],
        "provider": {"sort": "price", "order": ["anthropic", "amazon-bedrock"],
                     "ignore": ["azure"], "quantizations": ["fp8"], "allow_fallbacks": False,
                     "require_parameters": True, "data_collection": "deny", "zdr": True,
                     "max_price": {"prompt": 2.0, "completion": 10.0}},
        "temperature": 0.3, "max_tokens": 300, "reasoning": {"effort": "low"}, "web": True,
        "system": "Be brief, it's a demo",
    }


def test_the_magic_line_reads_well_and_splits_back_into_the_same_options(shell, sim):
    line = FULL.magic_line()
    assert line.startswith("%%openrouter anthropic/claude-haiku-4.5:nitro --fallback ")
    assert "-s \"Be brief, it's a demo\"" in line  # not 'it'"'"'s'
    assert "--no-fallbacks" in line and "--zdr" in line and "--deny-data-collection" in line
    assert "--quantizations fp8" in line and "--max-price-in 2" in line
    assert "-p" not in shlex.split(line)  # every panel option has a flag of its own
    magics = next(c for c in shell.configurables if type(c).__name__ == "OpenRouterMagics")
    args = magics.parse(line.removeprefix("%%openrouter "))
    sent = magics.request_params(args)
    assert sent == FULL.params()  # the line sends exactly the panel's request


def test_the_python_call_is_valid_python_with_the_same_fields():
    code = FULL.python_call("Hi")
    calls = []
    namespace = {"ask": lambda prompt, **params: calls.append((prompt, params))}
    exec(code.replace("from or_magics import ask\n", ""), namespace)
    assert calls == [("Hi", FULL.params())]


def test_a_bad_value_is_one_line_naming_the_field():
    with pytest.raises(InvalidParameterError, match="quantizations"):
        Choice(quantizations=["fp3"]).params()


@given(
    variant=st.sampled_from(["", "nitro", "floor", "online"]),
    sort=st.sampled_from(["", "price", "throughput", "latency"]),
    quantizations=st.lists(st.sampled_from(QUANTIZATIONS), unique=True, max_size=3),
    temperature=st.none() | st.floats(0, 2, allow_nan=False).map(lambda t: round(t, 2)),
    max_tokens=st.none() | st.integers(1, 10_000),
    reasoning=st.sampled_from(["", *EFFORTS]),
    flags=st.lists(st.booleans(), min_size=5, max_size=5),
    system=st.text(max_size=30).filter(lambda s: s == s.strip()),
)
def test_session_defaults_map_back_to_the_same_choice(variant, sort, quantizations,
                                                       temperature, max_tokens, reasoning,
                                                       flags, system):
    choice = Choice(model="openai/gpt-4o", variant=variant, sort=sort,
                    quantizations=quantizations, temperature=temperature,
                    max_tokens=max_tokens, reasoning=reasoning, no_fallbacks=flags[0],
                    require_parameters=flags[1], deny_data_collection=flags[2], zdr=flags[3],
                    web=flags[4], system=system)
    params = choice.params()
    assert Choice.from_params(params.pop("model"), params) == choice


def test_only_the_variants_that_mean_something_are_offered():
    models = {m.id: m for m in or_magics.Client(offline=True).models()}
    catalogue = models.values()
    gemma = applicable_variants(models["google/gemma-3-27b-it"], catalogue)
    assert "free" in gemma  # the catalogue lists google/gemma-3-27b-it:free
    assert "free" not in applicable_variants(models["openai/gpt-4o"], catalogue)
    assert "thinking" in applicable_variants(models["deepseek/deepseek-r1"], catalogue)
    assert "thinking" not in applicable_variants(models["openai/gpt-4o"], catalogue)
    assert "thinking" not in applicable_variants(models["anthropic/claude-sonnet-4.5"],
                                                 catalogue)
    assert "exacto" not in applicable_variants(models["microsoft/phi-4"], catalogue)
    assert applicable_variants(models["openai/gpt-oss-20b:free"], catalogue) == []
    assert applicable_variants(models["openrouter/auto"], catalogue) == []
