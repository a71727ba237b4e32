"""Terminal fallback, the IPython sink adapter, data coercion and cheap imports."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from or_magics.render import AnswerInfo, Citation, IPythonSink, PlainStreamer, ToolCallView
from or_magics.render.info import as_citation, as_tool_call
from or_magics.render.meta import footer_parts, money

DONE = AnswerInfo(
    model="m/x", provider="P", prompt_tokens=3, completion_tokens=5, cost=0.0001, latency_s=1.5
)


def test_plain_streamer_prints_deltas_once_then_a_footer() -> None:
    out = io.StringIO()
    with PlainStreamer(AnswerInfo(model="m/x", simulated=True), stream=out) as s:
        s.feed_reasoning("hidden by default")
        for piece in ["Hel", "lo ", "**world**"]:
            s.feed(piece)
        s.finish(DONE, citations=[("https://a.example", "A")], tool_calls=[ToolCallView("f", {})])
    text = out.getvalue()
    assert text.startswith("[m/x · simulated]\nHello **world**\n")
    assert "hidden" not in text
    assert "[1] A — https://a.example" in text and "→ f({})" in text
    assert text.rstrip().endswith("— P · 3 → 5 tokens · $0.0001 · 1.5 s")
    assert s.text == "Hello **world**"


def test_plain_streamer_interrupt_and_error() -> None:
    out = io.StringIO()
    with pytest.raises(KeyboardInterrupt), PlainStreamer(stream=out) as s:
        s.feed("partial")
        raise KeyboardInterrupt
    assert out.getvalue() == "partial\n\n— ⏹ interrupted\n"
    out = io.StringIO()
    PlainStreamer(stream=out).finish(error="boom")
    assert out.getvalue() == "\n⚠ boom\n"


class FakeHandle:
    def __init__(self) -> None:
        self.updates: list[tuple[object, dict[str, object]]] = []

    def update(self, obj: object, **kwargs: object) -> None:
        self.updates.append((obj, kwargs))


def test_ipython_sink_uses_raw_display_with_display_id(monkeypatch: pytest.MonkeyPatch) -> None:
    import IPython.display

    calls = []
    handle = FakeHandle()

    def fake_display(obj: object, **kwargs: object) -> FakeHandle:
        calls.append((obj, kwargs))
        return handle

    monkeypatch.setattr(IPython.display, "display", fake_display)
    sink = IPythonSink()
    opened = sink.open({"text/html": "<p>x</p>"})
    sink.update(opened, {"text/plain": "x"})
    assert calls == [({"text/html": "<p>x</p>"}, {"raw": True, "display_id": True})]
    assert handle.updates == [({"text/plain": "x"}, {"raw": True})]


def test_coercion_of_wire_shapes() -> None:
    wire = {"type": "url_citation", "url_citation": {"url": "https://x.example", "title": "X"}}
    assert as_citation(wire) == Citation("https://x.example", "X")
    assert as_citation({"url": ""}) is None
    call = as_tool_call({"id": "c", "function": {"name": "f", "arguments": '{"a": 1}'}})
    assert call is not None and call.arguments_json() == '{"a": 1}'
    assert ToolCallView("f", "").arguments_json() == "{}"
    assert ToolCallView("f", "not json").arguments_json() == "not json"

    class Obj:
        def __init__(self) -> None:
            self.name = "g"
            self.arguments = {"b": [1, 2]}

    assert as_tool_call(Obj()) == ToolCallView("g", {"b": [1, 2]})


@pytest.mark.parametrize(
    ("usd", "text"),
    [(0, "$0"), (0.000012, "$0.000012"), (0.00123, "$0.00123"), (0.5, "$0.500"), (12.3, "$12.30")],
)
def test_money(usd: float, text: str) -> None:
    assert money(usd) == text


def test_footer_only_flags_unusual_finish_reasons() -> None:
    assert footer_parts(AnswerInfo(finish_reason="stop")) == []
    assert footer_parts(AnswerInfo(finish_reason="length")) == ["⚠ finish: length"]


def test_importing_render_is_cheap() -> None:
    """markdown-it, nh3, pygments and IPython load on first render or display, not on import."""
    code = (
        "import sys, json, or_magics; before = set(sys.modules); import or_magics.render; "
        "print(json.dumps(sorted(set(sys.modules) - before)))"
    )
    new = json.loads(subprocess.check_output([sys.executable, "-c", code], text=True))
    heavy = {m.split(".")[0] for m in new} & {"markdown_it", "nh3", "pygments", "IPython", "rich"}
    assert heavy == set()


def test_open_streamer_picks_by_environment() -> None:
    class Terminal:
        pass

    class Kernel:
        kernel = object()

    from or_magics.render import MarkdownStreamer, in_kernel, open_streamer

    assert not in_kernel(Terminal()) and in_kernel(Kernel())
    assert isinstance(open_streamer(shell=Terminal()), PlainStreamer)
    streamer = open_streamer(shell=Kernel(), segment=1000)
    assert isinstance(streamer, MarkdownStreamer) and streamer._segment == 1000
    assert isinstance(open_streamer(shell=Kernel(), plain=True), PlainStreamer)


def test_answer_info_from_a_response_like_object() -> None:
    class Usage:
        prompt_tokens, completion_tokens, reasoning_tokens, cost = 1, 2, 3, 0.5

    class Response:
        model, provider, finish_reason, usage = "m", "p", "length", Usage()

    info = AnswerInfo.from_response(Response(), simulated=True, latency_s=1.0)
    assert info == AnswerInfo(
        model="m",
        provider="p",
        simulated=True,
        prompt_tokens=1,
        completion_tokens=2,
        reasoning_tokens=3,
        cost=0.5,
        latency_s=1.0,
        finish_reason="length",
    )
    assert AnswerInfo.from_response(object()) == AnswerInfo()


ESCAPES = (
    "\x1b[2J\x1b[H"  # clear the screen, cursor home
    "\x1b]0;pwned title\x07"  # window title
    "\x1b]52;c;ZXZpbA==\x07"  # OSC 52: write the clipboard
    "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\"  # OSC 8 hyperlink
    "\x9b31m\x9d0;c1 title\x9c"  # the same as C1 controls
    "\r\x08\x00\x7f"
)


def assert_no_controls(text: str) -> None:
    assert [c for c in text if (ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) < 0xA0] == []


def test_plain_streamer_writes_no_control_characters() -> None:
    out = io.StringIO()
    info = AnswerInfo(model=f"m{ESCAPES}", provider=ESCAPES)
    with PlainStreamer(info, stream=out) as s:
        s.feed(f"Hello {ESCAPES} world\n\tindented")
        s.finish(AnswerInfo(model=ESCAPES, error=ESCAPES),
                 citations=[(f"https://a.example/{ESCAPES}", ESCAPES)],
                 tool_calls=[ToolCallView(ESCAPES, {"a": ESCAPES})])
    text = out.getvalue()
    assert_no_controls(text)
    assert "Hello " in text and "link" in text and " world\n\tindented" in text


def test_plain_grid_writes_no_control_characters() -> None:
    from or_magics.render.grid import PlainGrid

    out = io.StringIO()
    grid = PlainGrid([AnswerInfo(model=ESCAPES), AnswerInfo(model="b")], stream=out)
    grid.start()
    grid.feed(0, f"answer {ESCAPES}")
    grid.end(0, AnswerInfo(model=ESCAPES, error=ESCAPES))
    grid.finish()
    assert_no_controls(out.getvalue())
    assert "answer " in out.getvalue()
