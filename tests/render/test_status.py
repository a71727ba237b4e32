"""set_status: the client's "waiting… 45 s" / "retrying in 2 s" line while no text has come."""

from __future__ import annotations

import io

from or_magics.render import AnswerInfo, MarkdownStreamer
from or_magics.render.grid import GridStreamer
from or_magics.render.plain import PlainStreamer

from .fakes import FakeClock, FakeSink


def test_the_status_replaces_the_waiting_mark_until_text_comes():
    clock = FakeClock()
    sink = FakeSink(clock)
    streamer = MarkdownStreamer(sink, AnswerInfo(model="m/x"), clock=clock)
    streamer.start()
    streamer.set_status("waiting for the first token… 3 s <b>")
    clock.advance(1)
    streamer.tick()
    live = sink.outputs[-1]["text/html"]
    assert "waiting for the first token… 3 s &lt;b&gt;" in live and "<b>" not in live
    streamer.feed("Hello")
    clock.advance(1)
    streamer.tick()
    assert "waiting for" not in sink.outputs[-1]["text/html"]
    streamer.finish()
    assert "waiting for" not in "".join("".join(o.values()) for o in sink.outputs)


def test_each_grid_column_has_its_own_status():
    clock = FakeClock()
    sink = FakeSink(clock)
    grid = GridStreamer(sink, [AnswerInfo(model="a/x"), AnswerInfo(model="b/y")], clock=clock)
    grid.start()
    grid.set_status(1, "retrying in 2 s (429 Rate limited)")
    clock.advance(1)
    grid.tick()
    html = sink.outputs[-1]["text/html"]
    assert html.count("retrying in 2 s (429 Rate limited)") == 1
    grid.finish()
    assert "retrying" not in sink.outputs[-1]["text/html"]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_rewrites_one_status_line_and_a_capture_gets_none():
    terminal = Terminal()
    streamer = PlainStreamer(AnswerInfo(model="m/x"), stream=terminal)
    streamer.set_status("waiting for the first token… 1 s")
    streamer.set_status("waiting for the first token… 2 s")
    streamer.feed("Hello")
    streamer.finish()
    out = terminal.getvalue()
    assert out.count("\r\x1b[2K") == 3 and out.rstrip().split("\x1b[2K")[-1].startswith("Hello")
    captured = io.StringIO()
    quiet = PlainStreamer(AnswerInfo(model="m/x"), stream=captured)
    quiet.set_status("waiting for the first token… 1 s")
    quiet.feed("Hello")
    quiet.finish()
    assert "waiting" not in captured.getvalue()
