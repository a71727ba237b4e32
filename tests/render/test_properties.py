"""Property tests: random Markdown documents streamed in random deltas at random speeds."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from or_magics.render import AnswerInfo, MarkdownStreamer, to_html

from .fakes import FakeClock, FakeSink, block_starts

word = st.sampled_from(["alpha", "beta_x", "*em*", "`co de`", "$a_1$", "**b**", "x|y", "42"])
words = st.lists(word, min_size=1, max_size=8).map(" ".join)


@st.composite
def fence(draw: st.DrawFn) -> str:
    char = draw(st.sampled_from("`~"))
    n = draw(st.integers(3, 5))
    body = draw(st.lists(st.sampled_from(["x = 1", "", "```", "$$", "| a |", "- b"]), max_size=5))
    if char == "`":
        body = [line for line in body if "`" not in line]
    info = draw(st.sampled_from(["", "python", "js"]))
    return f"{char * n}{info}\n" + "".join(f"{b}\n" for b in body) + char * n


@st.composite
def bullet_list(draw: st.DrawFn) -> str:
    items = draw(st.lists(words, min_size=1, max_size=4))
    loose = draw(st.booleans())
    ordered = draw(st.integers(0, 3))
    lines = []
    for i, item in enumerate(items):
        marker = f"{ordered + i}." if ordered else "-"
        lines.append(f"{marker} {item}")
        if draw(st.booleans()):
            lines.append(f"   - nested {draw(words)}")
    return ("\n\n" if loose else "\n").join(lines)


@st.composite
def table(draw: st.DrawFn) -> str:
    rows = draw(st.lists(st.tuples(words, words), min_size=0, max_size=3))
    out = "| head a | head b |\n|:--|--:|"
    return out + "".join(f"\n| {a.replace('|', '/')} | {b.replace('|', '/')} |" for a, b in rows)


@st.composite
def display_math(draw: st.DrawFn) -> str:
    lines = draw(st.lists(st.sampled_from(["a_1 * b_2", "", "\\frac{x}{y}", "c"]), max_size=4))
    open_, close = draw(st.sampled_from([("$$", "$$"), ("\\[", "\\]")]))
    return open_ + "\n" + "\n".join(lines) + "\n" + close


blocks = st.one_of(
    words,
    words.map(lambda w: f"## {w}"),
    words.map(lambda w: f"{w}\n---"),
    fence(),
    bullet_list(),
    table(),
    display_math(),
    words.map(lambda w: f"> {w}\nlazy {w}"),
    st.just("    indented\n\n    code"),
    st.just("***"),
    # blocks that start without a blank line, where Python-Markdown and CommonMark disagree
    words.map(lambda w: f"intro {w}\n- a {w}\n- b"),
    words.map(lambda w: f"intro {w}\n1. a {w}\n2. b"),
    words.map(lambda w: f"intro {w}\n| h | i |\n|---|---|\n| 1 | 2 |"),
    words.map(lambda w: f"- item {w}\nlazy line"),
    words.map(lambda w: f"> q {w}\n> ```\n> code\n> ```"),
    words.map(lambda w: f"<pre>\n\n{w}\n</pre>"),
    words.map(lambda w: f"para {w}\n    indented continuation"),
    words.map(lambda w: f"1. x\n   ```py\n   {w}\n\n   y\n   ```\n2. z"),
    words.map(lambda w: f"Term {w}\n===\nbody"),
)
joins = st.sampled_from(["\n\n", "\n\n", "\n", "\n\n\n"])


def squash(html: str) -> str:
    return re.sub(r"\s+", "", html)


_ITEM = re.compile(r" {0,3}(?:[-+*]|\d{1,9}[.)])[ \t]")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(blocks, joins), min_size=15, max_size=60),
    st.lists(st.integers(1, 64), min_size=1, max_size=40),
    st.lists(st.floats(0, 0.03), min_size=1, max_size=40),
    st.integers(100, 400),
)
def test_streamed_segments_equal_the_whole(
    parts: list[tuple[str, str]], sizes: list[int], gaps: list[float], segment: int
) -> None:
    text = "".join(block + join for block, join in parts)
    clock = FakeClock()
    sink = FakeSink(clock)
    streamer = MarkdownStreamer(sink, AnswerInfo(), clock=clock, segment=segment)
    pos = i = 0
    while pos < len(text):
        step = sizes[i % len(sizes)]
        streamer.feed(text[pos : pos + step])
        pos += step
        clock.advance(gaps[i % len(gaps)])
        i += 1
    streamer.finish()

    # nothing dropped, nothing duplicated, nothing touched after its final update
    assert sink.plain == text
    assert sink.updates_after_final() == []
    event(f"outputs: {min(len(sink.outputs), 6)}")

    # every cut is a top-level block boundary, or a deliberate split of an over-long block:
    # before an outer list item, or inside a fence that the segment's Markdown closes
    starts = block_starts(text)
    groups, offset = [""], 0
    for bundle in sink.outputs:
        raw, md = bundle["text/plain"], bundle["text/markdown"]
        groups[-1] += raw
        offset += len(raw)
        if bundle is sink.outputs[-1]:
            break
        fence_split = not md.endswith(raw)
        list_split = offset not in starts and _ITEM.match(text[offset:]) is not None
        assert offset in starts or fence_split or list_split
        if offset in starts and not fence_split:
            groups.append("")
        else:
            event("split of a long block")

    # ... so rendering the pieces one by one gives what rendering the whole gives
    assert squash("".join(to_html(g) for g in groups)) == squash(to_html(text))
