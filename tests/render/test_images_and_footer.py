"""Generated images as their own outputs, and the footer's reasoning and cache facts."""

from __future__ import annotations

import base64
import io

from or_magics.render import AnswerInfo, MarkdownStreamer, PlainStreamer, render_answer
from or_magics.render.meta import footer_parts

from .fakes import FakeSink

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
URL = "data:image/png;base64," + base64.b64encode(PNG).decode()


def test_each_image_is_an_image_png_output_between_the_answer_and_its_footer():
    sink = FakeSink()
    streamer = MarkdownStreamer(sink, AnswerInfo(model="google/gemini-2.5-flash-image",
                                                 prompt_tokens=12, completion_tokens=1300))
    streamer.start()
    streamer.feed("Here is a lighthouse.")
    streamer.finish(images=[URL, "https://evil.example/x.png"])
    answer, picture, remote, footer = sink.outputs
    assert answer["text/plain"] == "Here is a lighthouse." and "tokens" not in answer["text/html"]
    assert base64.b64decode(picture["image/png"]) == PNG and "text/html" not in picture
    assert picture["text/plain"] == f"[image 1: PNG, {len(PNG)} bytes — response.images[0]]"
    assert not any(k.startswith("image/") for k in remote) and "<img" not in remote["text/html"]
    assert "12 → 1,300 tokens" in footer["text/html"] and footer["text/plain"] == ""
    assert "12 → 1,300 tokens" in footer["text/markdown"]


def test_without_images_the_footer_stays_in_the_answer():
    sink = FakeSink()
    streamer = MarkdownStreamer(sink, AnswerInfo(prompt_tokens=3, completion_tokens=4))
    streamer.start()
    streamer.feed("Hi.")
    streamer.finish()
    (answer,) = sink.outputs
    assert "3 → 4 tokens" in answer["text/html"]


def test_a_saved_answer_shows_its_image_inline():
    bundle = render_answer("Here it is.", AnswerInfo(completion_tokens=5), images=[URL])
    assert bundle["text/plain"] == "Here it is."
    assert f'<img src="{URL}"' in bundle["text/html"] and "5 tokens" in bundle["text/html"]


def test_terminals_name_the_image():
    out = io.StringIO()
    streamer = PlainStreamer(AnswerInfo(completion_tokens=5), stream=out)
    streamer.feed("Here it is.")
    streamer.finish(images=[URL])
    assert "[image 1: PNG" in out.getvalue() and "iVBOR" not in out.getvalue()


def test_the_footer_counts_reasoning_cached_and_written_tokens_and_the_saving():
    info = AnswerInfo(prompt_tokens=2000, completion_tokens=50, reasoning_tokens=30,
                      cached_tokens=1536, cost=0.0002, cache_saving=0.000115)
    parts = footer_parts(info)
    assert parts[0] == "2,000 → 50 tokens (30 reasoning, 1,536 cached)"
    assert "cache saved $0.000115" in parts
    writing = footer_parts(AnswerInfo(prompt_tokens=2000, completion_tokens=50,
                                      cache_write_tokens=1900, cache_saving=-0.0014))
    assert writing[0] == "2,000 → 50 tokens (1,900 written to cache)"
    assert "cache write cost $0.0014" in writing


def test_the_billed_figure_replaces_the_estimate_in_the_footer_after_images():
    """A stopped answer's footer is redrawn in place (the footer's own output after
    generated images), the answer and its images untouched."""
    sink = FakeSink()
    streamer = MarkdownStreamer(sink, AnswerInfo(prompt_tokens=12, completion_tokens=40,
                                                 estimated=True))
    streamer.start()
    streamer.feed("Here is a lighthouse.")
    streamer.finish(images=[URL], interrupted=True)
    answer, picture = sink.outputs[:2]
    assert "≈ 12 → 40 tokens" in sink.outputs[-1]["text/html"]
    streamer.revise(AnswerInfo(prompt_tokens=12, completion_tokens=55, cost=0.001))
    assert sink.outputs[:2] == [answer, picture] and len(sink.outputs) == 3
    footer = sink.outputs[-1]
    assert "12 → 55 tokens" in footer["text/html"] and "≈" not in footer["text/html"]
    assert "12 → 55 tokens" in footer["text/markdown"]


def test_the_billed_figure_replaces_the_estimate_in_an_answer_without_images():
    sink = FakeSink()
    streamer = MarkdownStreamer(sink, AnswerInfo(prompt_tokens=3, completion_tokens=4,
                                                 estimated=True))
    streamer.start()
    streamer.feed("Hi.")
    streamer.finish(interrupted=True)
    streamer.revise(AnswerInfo(prompt_tokens=3, completion_tokens=9))
    (answer,) = sink.outputs
    assert answer["text/plain"] == "Hi." and "3 → 9 tokens" in answer["text/html"]
    assert "≈" not in answer["text/html"]
