"""The one options table: every row is a flag, a help line, a request field, and (where
marked) a panel control; the flag and the panel send the same request."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from or_magics import options
from or_magics.explorer.choice import Choice
from or_magics.notebook.magics import PARSER

#: A value to try for each kind of option.
SAMPLES = {"str": "Be brief", "int": 7, "float": 0.5, "flag": True, "list": ["a", "b"],
           "append": ["x", "y"]}


def lookup(query: str) -> str:
    """Find rows."""
    return query


@dataclass
class Answer:
    text: str


#: What a name in ``--tools NAMES`` / ``--schema NAME`` finds in the notebook.
NAMESPACE = {"lookup": lookup, "Answer": Answer}


def sample(option: options.Option):
    if option.objects:  # a variable of the notebook, and a path taken as written
        return ["lookup", "chart.png"]
    if option.names:
        return ["lookup"] if option.kind == "list" else "Answer"
    if option.metavar == "MODEL":
        return ["openai/gpt-4o-mini"]
    if option.choices:
        return [option.choices[0]] if option.kind == "list" else option.choices[0]
    return SAMPLES[option.kind]


def args_for(option: options.Option, value) -> list[str]:
    if option.kind == "flag":
        return [option.flag]
    if option.kind == "append":
        return [w for item in value for w in (option.flag, item)]
    if option.kind == "list":
        return [option.flag, ",".join(value)]
    return [option.flag, str(value)]


REQUEST = [o for o in options.OPTIONS if o.field and o.name != "model"]


def test_every_option_has_a_flag_in_the_help_and_in_the_magic_docstring(shell):
    from or_magics.notebook.magics import OpenRouterMagics

    help_text = PARSER.format_help()
    for option in options.OPTIONS:
        for flag in option.flags:
            assert flag in help_text and flag in OpenRouterMagics.openrouter.__doc__
    for title in options.GROUPS.values():
        assert title in help_text  # the help is sectioned by group


@pytest.mark.parametrize("option", REQUEST, ids=lambda o: o.name)
def test_each_flag_becomes_its_request_field(shell, option):
    magics = next(c for c in shell.configurables if type(c).__name__ == "OpenRouterMagics")
    shell.user_ns.update(NAMESPACE)
    value = sample(option)
    args = PARSER.parse(args_for(option, value))
    sent = magics.request_params(args)
    if option.names:  # the names become the notebook's objects
        value = [NAMESPACE[n] for n in value] if isinstance(value, list) else NAMESPACE[value]
    if option.objects:
        value = [NAMESPACE.get(word, word) for word in value]
    expected = options.request_fields({option.name: value})
    for part in option.field.split("."):
        sent, expected = sent[part], expected[part]
    assert sent == expected == (option.value if option.kind == "flag" else value)


@pytest.mark.parametrize("option", options.panel_options(), ids=lambda o: o.name)
def test_each_panel_option_round_trips_through_the_line_the_panel_prints(shell, option):
    magics = next(c for c in shell.configurables if type(c).__name__ == "OpenRouterMagics")
    choice = Choice("openai/gpt-4o", **{option.name: sample(option)})
    line = choice.magic_line().removeprefix("%%openrouter ")
    assert magics.request_params(magics.parse(line)) == choice.params()
    params = choice.params()
    assert Choice.from_params(params.pop("model"), params) == choice


def test_request_fields_nest_paths_and_leave_out_what_is_not_set():
    assert options.request_fields({"sort": "price", "max_price_in": 1.0, "zdr": False,
                                   "order": [], "temperature": None}) == {
        "provider": {"sort": "price", "max_price": {"prompt": 1.0}}}
    assert options.values_from_fields({"provider": {"allow_fallbacks": False}})[
        "no_fallbacks"] is True


def test_the_cell_magics_help_names_the_cell_magic():
    """argparse reads ``%`` as a format: the usage line must still say ``%%openrouter``."""
    text = PARSER.format_help()
    assert text.startswith("usage: %%openrouter [MODEL] [options]")
    assert "%%%%" not in text
