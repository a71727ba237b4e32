"""The block splitter: the stable prefix never ends inside a block that can still change."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from or_magics.render import BlockScanner, stable_prefix_len


def cut(text: str) -> tuple[str, str]:
    n = stable_prefix_len(text)
    return text[:n], text[n:]


# (text, expected frozen prefix): the tail is always the last block plus any partial line.
PITFALLS = [
    # paragraphs: a paragraph is final only once the next block starts
    ("one\n\ntwo\n", "one\n\n"),
    ("one\n\ntwo", ""),  # the partial line is not scanned
    ("one\ntwo\n", ""),
    # fenced code: blank lines inside, tildes, longer fences, unclosed fences
    ("```py\na\n\n\nb\n```\n\nnext\n", "```py\na\n\n\nb\n```\n\n"),
    ("```py\na\n\nb\n", ""),
    ("para\n\n```py\na\n\nb\n", "para\n\n"),
    ("~~~\na\n\n~~~\nnext\n", "~~~\na\n\n~~~\n"),
    ("````md\n```py\nx\n```\n\nstill code\n", ""),
    ("````md\n```py\nx\n```\n\nstill\n````\nnext\n", "````md\n```py\nx\n```\n\nstill\n````\n"),
    ("~~~\n```\n~~~\nnext\n", "~~~\n```\n~~~\n"),
    ("```\n~~~\n\nx\n", ""),
    ("```py\ncode\n```\npara right after\n", "```py\ncode\n```\n"),
    # lists: loose lists, nested continuation, numbering, fences in items
    ("- a\n\n- b\n\n- c\n", ""),
    ("- a\n\n  more a\n\n- b\n", ""),
    ("1. one\n\n2. two\n\n   detail\n\n3. three\n", ""),
    ("- a\n  - nested\n\n    nested para\n- b\n", ""),
    ("- a\n- b\n\nafter\n", "- a\n- b\n\n"),
    ("intro\n- a\n- b\n", "intro\n"),
    ("intro\n2. not a list\n", ""),
    ("1. a\n   ```py\n   x\n\n   y\n   ```\n2. b\n", ""),
    # an unindented line ends the item (and its fence); what follows is a new block
    ("1. a\n   ```py\n   x\n\nunindented\n   ```\n2. b\n", "1. a\n   ```py\n   x\n\nunindented\n"),
    ("- a\nlazy continuation\n", ""),
    ("- a\n\n---\n", "- a\n\n"),
    # tables: the header row is never frozen apart from the delimiter and rows
    ("| a | b |\n", ""),
    ("| a | b |\n|---|---|\n", ""),
    ("| a | b |\n|---|---|\n| 1 | 2 |\n", ""),
    ("| a | b |\n|---|---|\n| 1 | 2 |\n\nafter\n", "| a | b |\n|---|---|\n| 1 | 2 |\n\n"),
    ("para\n\n| a |\n|---|\n| 1 |\n", "para\n\n"),
    # setext headings and thematic breaks
    ("Title\n", ""),
    ("Title\n---\n", ""),
    ("Title\n===\nbody\n", "Title\n===\n"),
    ("para\n\n---\n", "para\n\n"),
    ("para\n\n***\nnext\n", "para\n\n***\n"),
    ("## Heading\nbody\n", "## Heading\n"),
    # display math with blank lines inside behaves like a fence
    ("$$\na\n\nb\n", ""),
    ("$$\na\n\nb\n$$\n", ""),
    ("$$\na\n\nb\n$$\n\nafter\n", "$$\na\n\nb\n$$\n\n"),
    ("text\n\n$$\na\n\nb\n", "text\n\n"),
    ("\\[\na\n\nb\n", ""),
    ("\\[\na\n\nb\n\\]\n\nafter\n", "\\[\na\n\nb\n\\]\n\n"),
    ("inline $$x$$ closed\n\nafter\n", "inline $$x$$ closed\n\n"),
    ("`$$` in code\n\nafter\n", "`$$` in code\n\n"),
    ("- item\n\n  $$\n  a\n\n  b\n", ""),
    # blockquotes: lazy continuation, and quotes split by blank lines merge
    ("> q\nlazy\n", ""),
    ("> q\n\n> q2\n", "> q\n\n"),  # two quotes, as CommonMark reads them
    ("> q\n\nafter\n", "> q\n\n"),
    ("> q\n# heading\n", "> q\n"),
    # indented code, with blank lines, and not after a paragraph
    ("    code\n\n    more\n", ""),
    ("    code\n\n    more\n\nafter\n", "    code\n\n    more\n\n"),
    ("para\n    not code\n", ""),
    # raw HTML is text: <pre> and comments are paragraphs, ended by a blank line
    ("<pre>\n\nx\n", "<pre>\n\n"),
    ("<pre>\n\nx\n</pre>\n\nafter\n", "<pre>\n\nx\n</pre>\n\n"),
    ("<!--\n\nc\n-->\n\nafter\n", "<!--\n\nc\n-->\n\n"),
    ("<pre>\nx\n</pre>\nrenders as escaped text, so this continues it\n", ""),
    ("<div>\nx\n</div>\n\nafter\n", "<div>\nx\n</div>\n\n"),
]


@pytest.mark.parametrize(("text", "frozen"), PITFALLS)
def test_pitfalls(text: str, frozen: str) -> None:
    assert cut(text)[0] == frozen


def test_fence_split_point_and_fixups() -> None:
    scan = BlockScanner().scan("intro\n\n~~~~python\nline 1\nline 2\nline 3\n")
    assert scan.kind == "fence" and scan.stable == len("intro\n\n")
    assert scan.split == len("intro\n\n~~~~python\nline 1\nline 2\n")
    assert scan.close == "~~~~\n" and scan.reopen == "~~~~python\n"


def test_list_split_point_is_an_outer_item() -> None:
    text = "1. a\n   - nested\n\n2. b\n   - nested\n3. c\n"
    scan = BlockScanner().scan(text)
    assert scan.kind == "list" and scan.stable == 0
    assert scan.split == text.index("3. c")


def test_closed_fence_has_no_split() -> None:
    assert BlockScanner().scan("```\na\nb\n```\n").split is None


BLOCKS = [
    "Para with *em* and `code`.",
    "## Heading",
    "Setext\n---",
    "```python\ndef f():\n\n    return 1\n```",
    "~~~\ntilde\n\n~~~",
    "````\n```\nnested\n```\n````",
    "- a\n- b\n  - c",
    "- loose\n\n- list\n\n  cont",
    "3. three\n4. four",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "$$\nx\n\ny\n$$",
    "\\[\na\n\\]",
    "> quote\nlazy",
    "    indented\n\n    code",
    "<pre>\nraw\n</pre>",
    "***",
]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(BLOCKS), min_size=1, max_size=12),
    st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=50),
)
def test_incremental_scan_equals_one_shot(blocks: list[str], sizes: list[int]) -> None:
    text = "\n\n".join(blocks) + "\n"
    scanner, pos, i = BlockScanner(), 0, 0
    while pos < len(text):
        pos = min(len(text), pos + sizes[i % len(sizes)])
        i += 1
        assert scanner.scan(text[:pos]) == BlockScanner().scan(text[:pos])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(BLOCKS), min_size=2, max_size=10))
def test_stable_prefix_is_a_block_boundary(blocks: list[str]) -> None:
    """With blank-line separated blocks, the cut falls exactly before the last block."""
    text = "\n\n".join(blocks) + "\n"
    frozen, tail = cut(text)
    assert text == frozen + tail
    assert frozen == "" or frozen.endswith("\n\n")
    last = blocks[-1]
    # the last block always stays in the tail (some blocks merge with the one before)
    assert tail.endswith(last + "\n")
