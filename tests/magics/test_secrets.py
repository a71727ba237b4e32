"""Secrets in the magics: %openrouter config, --dry-run and %openrouter key show none."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output

import or_magics

KEY = "sk-or-v1-test-" + "5ec2e7" * 8
URL = "https://alice:hunter2-secret@gw.example.org/api/v1"


def magics_of(shell):
    return next(c for c in shell.configurables if type(c).__name__ == "OpenRouterMagics")


@pytest.fixture
def configured(shell, monkeypatch) -> Iterator[object]:
    """The session on a base URL set with %config, and OPENROUTER_API_KEY in the environment."""
    monkeypatch.setenv("OPENROUTER_API_KEY", KEY)
    monkeypatch.delenv("OPENROUTER_BASE_URL", raising=False)
    magics = magics_of(shell)
    or_magics.session.reset()
    magics.offline, magics.params = False, {}
    shell.run_line_magic("config", f"OpenRouterMagics.base_url = '{URL}'")
    yield magics
    shell.config.OpenRouterMagics.pop("base_url", None)  # %config writes the shell's config
    magics.base_url = None
    magics.offline = None
    or_magics.session.reset()


def everything(captured) -> str:
    return captured.stdout + captured.stderr + "".join(
        "".join(o.data.values()) for o in captured.outputs)


def test_config_and_dry_run_show_no_password_and_no_key(shell, configured):
    with capture_output() as captured:
        shell.run_line_magic("openrouter", "config")
        shell.run_cell_magic("openrouter", "openai/gpt-4o-mini --dry-run", "hi")
    out = everything(captured)
    assert "hunter2-secret" not in out and KEY not in out and KEY[-4:] not in out
    assert "https://alice:***@gw.example.org/api/v1" in out
    assert "not sent to gw.example.org" in out  # the config table
    assert "no API key sent: OPENROUTER_API_KEY goes only to OpenRouter" in out  # dry run
    assert "Authorization" not in out


@pytest.mark.parametrize("typed", ["sk-or-v1-abc def0123456789", "sk-or-v1-abcdé0123456789"])
def test_a_mistyped_key_at_the_prompt_is_one_line_and_changes_nothing(shell, sim, monkeypatch,
                                                                       typed):
    monkeypatch.setattr("or_magics.notebook.keyprompt.ask_for_key", lambda: typed)
    with pytest.raises(UsageError) as info:
        shell.run_line_magic("openrouter", "key")
    text = str(info.value)
    assert "\n" not in text and "nothing changed" in text and "copy it again" in text
    assert typed[9:15] not in text and or_magics.session._api_key is None


def test_a_pasted_key_with_a_newline_is_stripped(shell, sim, monkeypatch):
    monkeypatch.setattr("or_magics.notebook.keyprompt.ask_for_key", lambda: KEY + "\n")
    with capture_output() as captured:
        shell.run_line_magic("openrouter", "key")
    assert or_magics.session._api_key == KEY and KEY not in everything(captured)


@pytest.mark.parametrize("line", [f"key = {KEY}", f"key {KEY} now", f"modles --x {KEY}",
                                  f"usage {KEY}"])
def test_a_key_typed_where_it_does_not_belong_is_never_repeated(shell, sim, line):
    with capture_output() as captured, pytest.raises(UsageError) as info:
        shell.run_line_magic("openrouter", line)
    shown = str(info.value) + captured.stdout + captured.stderr
    assert KEY not in shown and KEY[-12:] not in shown
    assert "ask key" not in shown  # and never offered to a model as a prompt
