"""Terminal IPython with rich: Markdown rendered as it streams, and nothing hostile passes."""

from __future__ import annotations

import io
import os
import re
import sys

import pytest

from or_magics.render import AnswerInfo, PlainStreamer, open_streamer
from or_magics.render.terminal import RichStreamer

from .fakes import FakeClock, chunks
from .test_plain_and_sinks import ESCAPES

pytest.importorskip("rich")

ANSWER = (
    "# Rivers\n\nA *river* is a natural stream of **water**.\n\n"
    "| river | km |\n|---|---|\n| Nile | 6650 |\n| Amazon | 6400 |\n\n"
    "```python\nfor r in rivers:\n    print(r)\n```\n\n"
    "1. one\n2. two\n\nSee [the docs](https://evil.example/x).\n"
)


def streamed(text: str, *, terminal: bool, info: AnswerInfo | None = None) -> str:
    from rich.console import Console

    out = io.StringIO()
    console = Console(file=out, force_terminal=terminal, width=60, color_system=None)
    clock = FakeClock()
    streamer = RichStreamer(info or AnswerInfo(model="m/x"), console=console, clock=clock)
    for piece in chunks(text, 7):
        streamer.feed(piece)
        clock.advance(0.05)
    streamer.finish(AnswerInfo(model="m/x", completion_tokens=42, latency_s=1.5))
    return out.getvalue()


def test_markdown_is_rendered_not_shown_raw() -> None:
    out = streamed(ANSWER, terminal=False)
    assert "|---|" not in out and "```" not in out and "**" not in out
    assert "─" in out and "Amazon" in out and "6400" in out  # a drawn table
    assert "for r in rivers:" in out and "print(r)" in out
    assert "the docs (https://evil.example/x)" in out  # the URL is shown, not hidden
    assert out.index("Rivers") < out.index("Nile") < out.index("rivers:") < out.index("docs")
    assert out.rstrip().endswith("— 42 tokens · 1.5 s")


def test_every_block_is_printed_once() -> None:
    out = streamed(ANSWER, terminal=False)
    assert out.count("Amazon") == 1 and out.count("print(r)") == 1 and out.count("two") == 1


def test_no_control_sequence_of_the_model_reaches_the_terminal() -> None:
    out = streamed(f"Hi {ESCAPES} there\n\n| a |\n|---|\n| {ESCAPES} |\n", terminal=True,
                   info=AnswerInfo(model=ESCAPES, provider=ESCAPES))
    assert re.findall(r"\x1b[^\[]", out) == []  # only rich's own CSI (colours, cursor)
    assert [c for c in out if ord(c) in (0x07, 0x08, 0x00, 0x7F) or 0x80 <= ord(c) < 0xA0] == []
    assert "Hi " in out and " there" in out


def test_open_streamer_uses_rich_on_a_terminal_and_plain_text_elsewhere(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Terminal:
        pass

    leader, follower = os.openpty()
    with os.fdopen(follower, "w") as tty:
        monkeypatch.setattr(sys, "stdout", tty)
        assert isinstance(open_streamer(shell=Terminal()), RichStreamer)
        assert isinstance(open_streamer(shell=Terminal(), plain=True), PlainStreamer)
    os.close(leader)
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert isinstance(open_streamer(shell=Terminal()), PlainStreamer)


def test_every_streamer_takes_every_call_the_answer_makes() -> None:
    """A cell's answer calls these on whatever streamer it got: a slow first token in a
    terminal with rich once raised AttributeError (no set_status)."""
    calls = ("start", "feed", "feed_reasoning", "set_status", "set_citations",
             "set_tool_calls", "tick", "finish")
    from or_magics.render.stream import MarkdownStreamer

    for kind in (PlainStreamer, RichStreamer, MarkdownStreamer):
        assert all(callable(getattr(kind, name, None)) for name in calls), kind


def test_a_status_line_waits_in_the_live_region_and_the_answer_replaces_it() -> None:
    from rich.console import Console

    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=60, color_system=None)
    streamer = RichStreamer(AnswerInfo(model="m/x"), console=console, clock=FakeClock())
    streamer.set_status(f"waiting for the first token… 2 s {ESCAPES}")
    streamer.feed("The answer.\n")
    streamer.finish(AnswerInfo(model="m/x", completion_tokens=3))
    shown = out.getvalue()
    assert "waiting for the first token" in shown and "The answer." in shown
    assert re.findall(r"\x1b[^\[]", shown) == []
