"""The side-by-side view on a fake sink and clock: throttle, table, saved text, safety."""

from __future__ import annotations

import io
import itertools
import re

from or_magics.render import AnswerInfo, to_html
from or_magics.render.grid import GridStreamer, PlainGrid

from .fakes import FakeClock, FakeSink, chunks, realistic
from .safety import unsafe

MODELS = ("openai/gpt-4o-mini", "anthropic/claude-haiku-4.5", "x-ai/grok-4")


def infos(simulated: bool = True) -> list[AnswerInfo]:
    return [AnswerInfo(model=m, simulated=simulated) for m in MODELS]


def done(model: str, **facts) -> AnswerInfo:
    base = dict(model=model, provider=model.split("/")[0].title(), simulated=True,
                prompt_tokens=12, completion_tokens=345, cost=0.00042, latency_s=1.5,
                ttft_s=0.25, tokens_per_s=276.0, finish_reason="stop")
    return AnswerInfo(**{**base, **facts})


def grid(**options) -> tuple[GridStreamer, FakeSink, FakeClock]:
    clock = FakeClock()
    sink = FakeSink(clock=clock)
    return GridStreamer(sink, infos(), clock=clock, **options), sink, clock


def rows(html: str) -> list[str]:
    """The table's header row, answer row and footer row."""
    return re.findall("<tr>(.*?)</tr>", html, re.S)


def stream_all(view: GridStreamer, clock: FakeClock, texts: list[str], step: float,
               size: int = 16) -> None:
    """Interleave the answers' deltas, as three models streaming at once would."""
    parts = [chunks(text, size) for text in texts]
    for i in range(max(map(len, parts))):
        for index, column in enumerate(parts):
            if i < len(column):
                view.feed(index, column[i])
        clock.advance(step)
        view.tick()


def test_one_output_holds_the_whole_comparison():
    view, sink, clock = grid()
    view.start()
    stream_all(view, clock, [realistic(3000)] * 3, step=0.002)
    view.finish([done(m) for m in MODELS])
    assert len(sink.outputs) == 1
    assert [m.kind for m in sink.messages].count("open") == 1
    assert set(sink.outputs[0]) == {"text/plain", "text/markdown", "text/html"}
    assert all(set(m.bundle) == {"text/html"} for m in sink.messages[:-1])  # live: html only


def test_at_most_ten_updates_a_second_however_fast_the_tokens_come():
    view, sink, clock = grid()
    view.start()
    stream_all(view, clock, [realistic(6000)] * 3, step=0.001)  # 3,000 deltas/s
    elapsed = clock.now - sink.messages[0].time
    assert len(sink.messages) <= 10 * elapsed + 3
    gaps = [b.time - a.time for a, b in itertools.pairwise(sink.messages[1:])]
    assert min(gaps) >= 0.1 - 1e-9


def test_the_interval_grows_with_the_table_so_bytes_per_second_stay_bounded():
    view, sink, clock = grid(byte_rate=100_000)
    view.start()
    stream_all(view, clock, [realistic(20_000)] * 3, step=0.001)
    live = sink.messages[1:-1]  # after the forced first text
    for before, after in itertools.pairwise(live):
        size = len(before.bundle["text/html"])
        assert after.time - before.time >= max(0.1, size / 100_000) - 1e-9
    assert max(len(m.bundle["text/html"]) for m in live) > 30_000  # the bound did matter
    sent = sum(len(m.bundle["text/html"]) for m in live[:-1])
    assert sent <= 100_000 * (live[-1].time - live[0].time) + 10 * 1000


def test_the_table_has_a_column_per_model_with_header_answer_and_footer():
    view, sink, _ = grid()
    view.start()
    for index, model in enumerate(MODELS):
        view.feed(index, f"Answer from **{model}**")
    view.finish([done(m) for m in MODELS])
    html = sink.outputs[0]["text/html"]
    assert html.count("<table") == 1 and "orm-cols-3" in html
    head, body, foot = rows(html)
    assert head.count("<th>") == body.count("<td>") == foot.count("<td>") == 3
    for model in MODELS:
        assert model in head and f"<strong>{model}</strong>" in body
    assert head.count('class="orm-sim">simulated') == 3 and "Openai" in head
    assert foot.count("345 tokens") == 3 and "$0.00042" in foot and "1.5 s" in foot
    assert "first token 250 ms" in foot and "276 tok/s" in foot
    assert "table-layout:fixed" in html and "overflow-x:auto" in html  # equal, scrolls
    assert "vertical-align:top" in html


def test_markdown_and_plain_text_read_well_without_a_frontend():
    view, sink, _ = grid()
    view.start()
    for index, model in enumerate(MODELS):
        view.feed_reasoning(index, "thinking it over")
        view.feed(index, f"# Title\n\nAnswer from {model}.")
    view.finish([done(m) for m in MODELS])
    md, plain = sink.outputs[0]["text/markdown"], sink.outputs[0]["text/plain"]
    sections = md.split("### ")[1:]
    assert [s.split("\n", 1)[0] for s in sections] == list(MODELS)
    for model, section in zip(MODELS, sections, strict=True):
        assert f"Answer from {model}." in section and "345 tokens" in section
        assert "<details><summary>Reasoning</summary>" in section
    for model in MODELS:
        assert f"[{model} · " in plain and f"Answer from {model}." in plain
    assert plain.count("— ") >= 3 and "thinking" not in plain


def test_reasoning_is_collapsed():
    view, sink, _ = grid()
    view.start()
    view.feed_reasoning(0, "Let me think step by step")
    view.tick(force=True)
    assert '<details class="orm-reasoning">' in sink.outputs[0]["text/html"]
    view.finish([done(m) for m in MODELS])
    assert "<details" in sink.outputs[0]["text/html"] and "step by step" in \
        sink.outputs[0]["text/html"]


def test_model_output_cannot_inject_markup():
    attack = '<img src=x onerror=alert(1)> and <script>alert(2)</script> [x](javascript:alert(3))'
    view, sink, clock = grid()
    view.start()
    view.feed(0, attack)
    view.feed_reasoning(1, attack)
    view.set_info(2, AnswerInfo(model='<img src=x onerror="alert(4)">', provider="<b>p</b>"))
    clock.advance(1)
    view.tick()
    live = sink.outputs[0]["text/html"]
    view.finish([done(MODELS[0]), done(MODELS[1]),
                 done(MODELS[2], error='<img src=x onerror=alert(5)>')])
    final = sink.outputs[0]["text/html"]
    for html in (live, final):
        assert unsafe(html, allow_style_tag=True) == []
        assert "<img" not in html and "<script" not in html and "href=\"javascript" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in final  # shown as text, not dropped


def test_a_failed_column_shows_its_error_while_the_others_go_on():
    view, sink, clock = grid()
    view.start()
    view.feed(0, "partial answer")
    view.end(1, done(MODELS[1], error="404 Not found — no such model", completion_tokens=None,
                     prompt_tokens=None))
    view.feed(0, " keeps growing")
    view.feed(2, "third model")
    clock.advance(1)
    view.tick()
    html = sink.outputs[0]["text/html"]
    assert html.count('class="orm-error"') == 1 and "404 Not found — no such model" in html
    assert "404 Not found" in rows(html)[1].split("<td>")[2]  # at the top, not below the others
    assert "partial answer keeps growing" in html and "third model" in html
    view.finish([done(MODELS[0]), done(MODELS[1], error="404 Not found — no such model"),
                 done(MODELS[2])])
    assert "**⚠ 404 Not found — no such model**" in sink.outputs[0]["text/markdown"]
    assert "⚠ 404 Not found — no such model" in sink.outputs[0]["text/plain"]


def test_interrupted_columns_are_marked_and_ended_ones_are_not():
    view, sink, _ = grid()
    view.start()
    view.feed(0, "finished answer")
    view.end(0, done(MODELS[0]))
    view.feed(1, "half an ans")
    view.finish([done(MODELS[0]), AnswerInfo(model=MODELS[1]), AnswerInfo(model=MODELS[2])],
                interrupted=True)
    final = sink.outputs[0]
    _, body, foot = (row.split("<td>")[1:] for row in rows(final["text/html"]))
    columns = [b + f for b, f in zip(body, foot, strict=True)]
    assert "interrupted" not in columns[0] and "interrupted" in columns[1]
    assert "interrupted" in body[2]  # nothing written: the mark is where the answer would be
    assert "half an ans" in final["text/plain"] and final["text/plain"].count("interrupted") == 2
    view.finish([done(m) for m in MODELS])  # only the first finish counts
    assert sink.outputs[0] is final


def test_finished_columns_are_not_rendered_again():
    calls: list[str] = []

    def render(text: str) -> str:
        calls.append(text)
        return to_html(text)

    view, _, clock = grid(render=render)
    view.start()
    view.feed(0, "first model, done")
    view.end(0, done(MODELS[0]))
    view.tick(force=True)
    renders = calls.count("first model, done")
    for _ in range(20):
        view.feed(1, "more ")
        clock.advance(0.2)
        view.tick()
    view.finish([done(m) for m in MODELS])
    assert calls.count("first model, done") == renders <= 2  # live, then once more settled


def test_live_bytes_stay_small_next_to_the_naive_way():
    view, sink, clock = grid()
    view.start()
    texts = [realistic(8192)] * 3
    stream_all(view, clock, texts, step=0.0005)  # 2,000 deltas/s per model
    view.finish([done(m) for m in MODELS])
    # one update per delta, each at least the Markdown so far (its HTML is longer still)
    naive = sum(i + 16 for t in texts for i in range(0, len(t), 16))
    assert sink.bytes_sent * 5 < naive


def test_plain_grid_prints_each_answer_as_it_ends_then_the_rest():
    out = io.StringIO()
    view = PlainGrid(infos(), stream=out)
    view.start()
    assert "3 models" in out.getvalue() and MODELS[2] in out.getvalue()
    view.feed(2, "third answer")
    view.feed(0, "first, still going")
    view.end(2, done(MODELS[2]))
    printed = out.getvalue()
    assert "third answer" in printed and "first, still going" not in printed
    assert f"[{MODELS[2]} · X-Ai · simulated]" in printed and "345 tokens" in printed
    view.finish([AnswerInfo(model=MODELS[0]), AnswerInfo(model=MODELS[1]), done(MODELS[2])],
                interrupted=True)
    printed = out.getvalue()
    assert printed.count("third answer") == 1 and "first, still going" in printed
    assert printed.count("interrupted") == 2
