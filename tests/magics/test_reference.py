"""README's option reference is generated from the code and fails here when it is stale."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

from or_magics import options
from or_magics.notebook import subcommands
from or_magics.notebook.magics import OpenRouterMagics
from or_magics.notebook.reference import (
    END,
    REGENERATE,
    START,
    in_document,
    main,
    reference_markdown,
)

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"


def test_readme_holds_the_reference_the_code_generates():
    text = README.read_text(encoding="utf-8")
    assert text.count(START) == text.count(END) == 1
    assert text == in_document(text), f"README's option reference is stale: run {REGENERATE}"
    assert "\n## Option reference\n" in text and "\n### `%%openrouter` options\n" in text


def test_every_option_subcommand_and_setting_is_in_the_reference():
    text = reference_markdown()
    for option in options.OPTIONS:
        for flag in option.flags:
            assert f"`{flag}`" in text, flag
        assert " ".join(option.help.split()).replace("|", "\\|").replace("%%", "%") in text
    for name, command in subcommands.COMMANDS.items():
        assert f"### %openrouter {name}\n" in text and f"(#openrouter-{name})" in text
        for action in command.parser._actions:
            if action.help == argparse.SUPPRESS or action.dest == "help":
                continue  # every subcommand has -h; %openrouter key VALUE is not advertised
            for flag in action.option_strings:
                assert f"`{flag}`" in text, (name, flag)
    for name in OpenRouterMagics.class_traits(config=True):
        assert f"| `{name}` |" in text


def test_every_table_row_has_as_many_cells_as_its_header():
    """A ``|`` in a choice list (``on|off|clear``) must not split a cell on GitHub."""
    def cells(row: str) -> int:
        return len(re.split(r"(?<!\\)\|", row.strip())) - 2

    header = None
    for line in reference_markdown().splitlines():
        if not line.startswith("|"):
            header = None
        elif header is None:
            header = cells(line)
        else:
            assert cells(line) == header, line


def test_the_script_writes_the_file_and_check_says_when_it_is_stale(tmp_path, capsys):
    path = tmp_path / "README-reference.md"
    path.write_text("# Option reference\n\nan old copy\n", encoding="utf-8")
    assert main(["--check", str(path)]) == 1
    assert f"is stale: run {REGENERATE}" in capsys.readouterr().err
    assert main([str(path)]) == 0
    assert main(["--check", str(path)]) == 0
    assert path.read_text(encoding="utf-8") == reference_markdown()


def test_the_script_rewrites_only_the_section_between_the_markers(tmp_path):
    path = tmp_path / "README.md"
    path.write_text(f"# Tool\n\nintro\n\n{START}\nan old copy\n{END}\n\n## Licence\n", "utf-8")
    assert main([str(path)]) == 0
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Tool\n\nintro\n\n") and text.endswith(f"{END}\n\n## Licence\n")
    assert "an old copy" not in text and "\n## Option reference\n" in text
    assert main(["--check", str(path)]) == 0


def test_python_m_prints_the_reference():
    done = subprocess.run([sys.executable, "-m", "or_magics.notebook.reference"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout == reference_markdown()
