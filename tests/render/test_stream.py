"""The streamer: nothing dropped, blocks never cut, bounded outputs, bytes and messages."""

from __future__ import annotations

import asyncio
import re

import pytest

from or_magics.render import AnswerInfo, Citation, MarkdownStreamer, ToolCallView

from .fakes import FakeClock, FakeSink, block_starts, boundaries, chunks, realistic

INFO = AnswerInfo(model="openai/gpt-4o", simulated=True)
DONE = AnswerInfo(
    model="openai/gpt-4o",
    provider="OpenAI",
    simulated=True,
    prompt_tokens=12,
    completion_tokens=2048,
    cost=0.00123,
    latency_s=8.2,
    ttft_s=0.31,
    tokens_per_s=250.0,
    finish_reason="stop",
)


def stream(text: str, *, delta: int = 16, rate: float = 500.0, **options: object) -> FakeSink:
    """Feed `text` in `delta`-char pieces at `rate` pieces per (fake) second, then finish."""
    clock = FakeClock()
    sink = FakeSink(clock)
    streamer = MarkdownStreamer(sink, INFO, clock=clock, **options)  # type: ignore[arg-type]
    for piece in chunks(text, delta):
        streamer.feed(piece)
        clock.advance(1 / rate)
    streamer.finish(DONE)
    return sink


def max_per_window(sink: FakeSink, window: float = 1.0) -> int:
    times = [m.time for m in sink.messages]
    return max(sum(1 for t in times if start <= t < start + window) for start in times)


@pytest.mark.parametrize("size", [8_000, 64_000])
def test_budgets(size: int) -> None:
    """Reference scenario: 16-char deltas at 500/s (8 KB/s), measured with a fake clock."""
    sink = stream(realistic(size))
    duration = size / 16 / 500
    assert sink.plain == realistic(size)
    assert len(sink.outputs) <= 20
    assert sink.bytes_sent <= 4 * sink.final_bytes
    assert max_per_window(sink) <= 11  # 10/s, plus the forced final flush
    assert len(sink.messages) <= duration / 0.1 + 3
    assert sink.updates_after_final() == []


@pytest.mark.parametrize("tokens_per_s", [10, 30, 100, 300, 1000, 2000])
def test_budgets_hold_at_any_pace(tokens_per_s: int) -> None:
    """64 KB in 12-char deltas (3 tokens each): ≤ 4x the kept bytes, ≤ 12 messages/s and
    ≤ 20 outputs whether the model is slow or fast; the first text shows at once."""
    text = realistic(64_000)
    sink = stream(text, delta=12, rate=tokens_per_s / 3)
    assert sink.plain == text
    assert sink.bytes_sent <= 4 * sink.final_bytes
    assert max_per_window(sink) <= 12
    assert len(sink.outputs) <= 20
    first_text = next(m for m in sink.messages if "Here is" in m.bundle.get("text/html", ""))
    assert first_text.time == sink.messages[0].time  # fed at once, shown at once


def test_long_answer_stays_linear_and_under_20_outputs() -> None:
    text = realistic(400_000)
    sink = stream(text, delta=64)
    assert sink.plain == text
    assert len(sink.outputs) <= 22
    assert sink.bytes_sent <= 4 * sink.final_bytes


def test_single_huge_delta_freezes_at_most_once() -> None:
    """A cached answer replayed in one piece: one frozen segment and a tail, not dozens."""
    text = realistic(64_000)
    sink = stream(text, delta=len(text))
    assert sink.plain == text
    assert len(sink.outputs) == 2


def test_first_token_is_shown_immediately() -> None:
    clock = FakeClock()
    sink = FakeSink(clock)
    streamer = MarkdownStreamer(sink, INFO, clock=clock)
    streamer.start()
    assert len(sink.messages) == 1 and "…" in sink.messages[0].bundle["text/html"]
    streamer.feed("Hel")  # within the throttle window, but the first text skips it
    assert len(sink.messages) == 2 and "Hel" in sink.messages[1].bundle["text/html"]
    streamer.feed("lo")  # now throttled
    assert len(sink.messages) == 2
    clock.advance(0.1)
    streamer.tick()
    assert len(sink.messages) == 3 and "Hello" in sink.messages[2].bundle["text/html"]
    streamer.tick()
    assert len(sink.messages) == 3  # nothing new: nothing sent


def test_live_updates_are_html_only_and_finals_carry_three_types() -> None:
    sink = stream(realistic(20_000))
    assert all(set(b) == {"text/plain", "text/markdown", "text/html"} for b in sink.outputs)
    live = [m for m in sink.messages if "text/plain" not in m.bundle]
    assert live and all(set(m.bundle) == {"text/html"} for m in live)
    finals = [m.index for m in sink.messages if "text/plain" in m.bundle]
    assert sorted(finals) == list(range(len(sink.outputs)))  # exactly one final per output


def test_frozen_segments_never_split_blocks() -> None:
    sink = stream(realistic(30_000), segment=500)
    assert len(sink.outputs) > 5
    for bundle in sink.outputs[:-1]:
        raw = bundle["text/plain"]
        assert raw.endswith("\n\n")
        assert raw.count("```") % 2 == 0 and raw.count("$$") % 2 == 0
        assert raw.rstrip().splitlines()[-1].strip() not in ("|-------|-------|",)


def test_header_in_first_output_footer_in_last() -> None:
    sink = stream(realistic(20_000))
    first, last = sink.outputs[0], sink.outputs[-1]
    assert "orm-head" in first["text/html"] and "openai/gpt-4o" in first["text/html"]
    assert "simulated" in first["text/html"] and "simulated" in first["text/markdown"]
    assert all("orm-head" not in b["text/html"] for b in sink.outputs[1:])
    foot = last["text/html"]
    assert "orm-foot" in foot and "12 → 2,048 tokens" in foot and "$0.00123" in foot
    assert "8.2 s" in foot and "250 tok/s" in foot and "first token 310 ms" in foot
    assert "OpenAI" in foot  # the provider was unknown when the header was sent
    assert all("orm-foot" not in b["text/html"] for b in sink.outputs[:-1])
    assert "2,048 tokens" in last["text/markdown"]


def test_short_answer_is_one_output_with_header_and_footer() -> None:
    sink = stream("Just **one** line.")
    assert len(sink.outputs) == 1
    html = sink.outputs[0]["text/html"]
    assert "orm-head" in html and "orm-foot" in html and "<strong>one</strong>" in html
    assert "OpenAI" in html and html.count("OpenAI") == 1
    assert sink.outputs[0]["text/plain"] == "Just **one** line."


def test_style_block_has_only_the_rules_the_output_uses() -> None:
    sink = stream("plain\n\n```python\nx = 1  # one\n```\n")
    html = sink.outputs[0]["text/html"]
    style = html[html.index("<style>") : html.index("</style>")]
    assert html.count("<style>") == 1 and "--jp-mirror-editor-comment-color" in style
    assert ".orm .s{" in style and ".orm .k{" not in style  # no keyword in this code
    assert ".orm-meta{" in style and ".orm-reasoning" not in style and ".orm-error" not in style
    plain = stream("no code here").outputs[0]["text/html"]
    assert "--jp-mirror-editor" not in plain


def test_a_saved_answer_carries_little_beyond_its_own_html() -> None:
    """Style, wrapper and header/footer markup: under ~400 bytes (nbconvert repeats them)."""
    from or_magics.render import render_answer, to_html

    text = ("Use `sorted`:\n\n```python\ndef top(xs, n=3):\n    # largest first\n"
            "    return sorted(xs, reverse=True)[:n]\n```\n\n| n | ok |\n|---|---|\n| 3 | yes |\n")
    html = render_answer(text, DONE)["text/html"]
    facts = ["openai/gpt-4o · OpenAI", '<span class="orm-sim">simulated</span>',
             "12 → 2,048 tokens · $0.00123 · 8.2 s · first token 310 ms · 250 tok/s"]
    overhead = len(html) - len(to_html(text)) - sum(len(f) for f in facts if f in html)
    assert overhead <= 400, html


def test_interrupt_keeps_partial_answer_and_marks_it() -> None:
    clock = FakeClock()
    sink = FakeSink(clock)
    with pytest.raises(KeyboardInterrupt), MarkdownStreamer(sink, INFO, clock=clock) as s:
        for piece in chunks(realistic(10_000), 16):
            s.feed(piece)
            clock.advance(0.002)
            if len(s.text) > 7000:
                raise KeyboardInterrupt
    assert s.finished and sink.plain == s.text and len(s.text) > 7000
    last = sink.outputs[-1]
    assert "⏹ interrupted" in last["text/html"] and "⏹ interrupted" in last["text/markdown"]
    assert "text/plain" in last and sink.updates_after_final() == []


def test_cancelled_error_counts_as_interrupt() -> None:
    sink = FakeSink()
    with pytest.raises(asyncio.CancelledError), MarkdownStreamer(sink, INFO) as s:
        s.feed("partial")
        raise asyncio.CancelledError
    assert "interrupted" in sink.outputs[-1]["text/html"]


def test_error_line_below_partial_answer() -> None:
    sink = FakeSink()
    with pytest.raises(RuntimeError), MarkdownStreamer(sink, INFO) as s:
        s.feed("partial answer")
        raise RuntimeError("provider <b>exploded</b>")
    html = sink.outputs[-1]["text/html"]
    assert html.index("partial answer") < html.index('class="orm-error"')
    assert "provider &lt;b&gt;exploded&lt;/b&gt;" in html
    assert sink.outputs[-1]["text/plain"] == "partial answer"


def test_finish_is_idempotent_and_always_flushes() -> None:
    clock = FakeClock()
    sink = FakeSink(clock)
    s = MarkdownStreamer(sink, INFO, clock=clock)
    s.feed("a")
    s.feed("b")  # throttled: not sent yet
    assert "ab" not in sink.messages[-1].bundle["text/html"]
    s.finish(error="late error")
    s.finish(interrupted=True)
    assert sink.outputs[-1]["text/plain"] == "ab"
    assert "late error" in sink.outputs[-1]["text/html"]
    assert "interrupted" not in sink.outputs[-1]["text/html"]
    with pytest.raises(RuntimeError):
        s.feed("more")


def test_finish_without_any_text_still_shows_header_and_footer() -> None:
    sink = FakeSink()
    MarkdownStreamer(sink, INFO).finish(DONE, error="401: no key")
    assert len(sink.outputs) == 1
    html = sink.outputs[0]["text/html"]
    assert "orm-head" in html and "401: no key" in html and sink.outputs[0]["text/plain"] == ""


def test_reasoning_is_collapsed_cheap_while_live_and_full_at_the_end() -> None:
    clock = FakeClock()
    sink = FakeSink(clock)
    s = MarkdownStreamer(sink, INFO, clock=clock)
    thinking = "Let me think about *this* step by step. " * 200  # 8 KB
    for piece in chunks(thinking, 16):
        s.feed_reasoning(piece)
        clock.advance(0.002)
    live = [m.bundle["text/html"] for m in sink.messages]
    assert all(len(h) < 3000 for h in live)  # a preview, not the whole reasoning
    assert all("<details" in h and "Reasoning…" in h for h in live)
    for piece in chunks(realistic(5000), 16):
        s.feed(piece)
        clock.advance(0.002)
    s.finish(DONE)
    final = sink.outputs[0]["text/html"]
    assert final.index("<details") < final.index("Here is a paragraph")
    assert "<summary>Reasoning</summary>" in final and "<em>this</em>" in final
    assert "open" not in re.findall(r"<details[^>]*>", final)[0]
    assert sink.plain == realistic(5000)  # reasoning is not part of the answer text
    assert "<details><summary>Reasoning</summary>" in sink.outputs[0]["text/markdown"]


def test_reasoning_does_not_change_block_cuts() -> None:
    text = realistic(20_000)
    clock = FakeClock()
    sink = FakeSink(clock)
    s = MarkdownStreamer(sink, INFO, clock=clock, segment=1000)
    for i, piece in enumerate(chunks(text, 16)):
        if i % 3 == 0:
            s.feed_reasoning("```\nthinking $$ | ")  # hostile to a naive block splitter
        s.feed(piece)
        clock.advance(0.002)
    s.finish(DONE)
    assert sink.plain == text and len(sink.outputs) > 3
    assert boundaries(sink) <= block_starts(text)


def test_citations_and_tool_calls_after_the_answer() -> None:
    sink = FakeSink()
    s = MarkdownStreamer(sink, INFO)
    s.feed("Answer.")
    s.finish(
        DONE,
        citations=[
            Citation("https://example.com/a", "Example A"),
            {"type": "url_citation", "url_citation": {"url": "https://b.example/x"}},
            ("https://example.com/a", "duplicate"),
        ],
        tool_calls=[
            {"id": "1", "type": "function", "function": {"name": "get_weather", "arguments": ""}},
            ToolCallView("search", {"query": "x" * 200}),
        ],
    )
    html = sink.outputs[0]["text/html"]
    assert html.index("Answer.") < html.index("Sources") < html.index("orm-foot")
    assert html.count("<li>") == 2 and 'href="https://example.com/a"' in html
    assert ">b.example<" in html  # a citation without title shows its host
    assert "<code>get_weather</code> <code>{}</code>" in html
    assert "<pre><code>{\n  &quot;query&quot;" in html or '<pre><code>{\n  "query"' in html
    md = sink.outputs[0]["text/markdown"]
    assert "1. [Example A](https://example.com/a)" in md and "`get_weather`" in md


def test_long_code_block_is_split_with_fence_fixups() -> None:
    code = "".join(f"x_{i} = {i}  # line {i}\n" for i in range(2000))  # ~50 KB of code
    text = "Intro.\n\n```python\n" + code + "```\n\nDone.\n"
    sink = stream(text, segment=3000)
    assert sink.plain == text
    assert len(sink.outputs) > 2
    for bundle in sink.outputs:
        md = bundle["text/markdown"]
        assert md.count("```") % 2 == 0  # each segment closes what it opens
    middle = sink.outputs[1]
    assert middle["text/markdown"].lstrip("*").find("```python\n") >= 0
    assert "x_" in middle["text/html"] and '<span class="c"># line' in middle["text/html"]
    assert sink.bytes_sent <= 4 * sink.final_bytes


def test_long_list_is_split_between_outer_items() -> None:
    items = "".join(f"{i}. item number {i} with some words\n{' ' * (len(str(i)) + 2)}- detail\n"
                    for i in range(1, 400))
    sink = stream(items, segment=2000)
    assert sink.plain == items and len(sink.outputs) > 2
    for bundle in sink.outputs[1:]:
        assert re.match(r"\d+\. item", bundle["text/plain"])
        start = bundle["text/plain"].split(".")[0]
        assert f'<ol start="{start}">' in bundle["text/html"]


def test_math_block_is_never_split() -> None:
    math = "$$\n" + "".join(f"a_{i} + b_{i} \\\\\n\n" for i in range(600)) + "$$\n\nafter\n"
    sink = stream(math, segment=1000)
    assert sink.plain == math
    assert sink.outputs[0]["text/plain"].count("$$") == 2


def test_a_delta_costs_its_own_size_not_the_answers() -> None:
    """Between ticks a delta is only kept: no copy of the pending text per token (which
    made an answer with no block break quadratic; see tests/perf/bench_stream_scale.py)."""
    import tracemalloc

    clock = FakeClock()
    s = MarkdownStreamer(FakeSink(clock), INFO, clock=clock)
    s.feed("word " * 200_000)  # 1 MB of one paragraph, shown at once (the first text)
    tracemalloc.start()
    try:
        for _ in range(200):
            s.feed("more words. ")  # within the throttle window: nothing is sent
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 200_000
    assert s.text.endswith("more words. " * 200)
