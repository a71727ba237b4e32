"""Answers are deterministic, responsive to the prompt, rich Markdown when asked, and sized on
request; the text never labels itself (the client shows "simulated" from the header)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from .helpers import content_of, data_chunks

Chat = Callable[..., dict[str, Any]]


def _text(body: dict[str, Any]) -> str:
    return body["choices"][0]["message"]["content"]


def test_same_request_same_answer_different_prompt_different_answer(chat: Chat) -> None:
    first = _text(chat("How do hash tables handle collisions?"))
    again = _text(chat("How do hash tables handle collisions?"))
    other = _text(chat("What makes sourdough bread rise?"))
    assert first == again
    assert first != other


RICH = "Compare quicksort and mergesort for large datasets in detail, with a table and code"


def test_a_prompt_asking_for_a_formatted_answer_gets_the_rich_document(chat: Chat) -> None:
    text = _text(chat(RICH))
    assert not text.startswith("*Simulated")
    assert re.search(r"^## ", text, re.M)
    assert re.search(r"^- \*\*", text, re.M)
    assert re.search(r"^1\. ", text, re.M)
    assert re.search(r"^\|---\|---\|---\|$", text, re.M)
    assert "```python\n" in text and text.count("```") == 2
    assert re.search(r"(?<!\$)\$[^$\n]+\$(?!\$)", text)
    assert "$$\n" in text
    assert re.search(r"(?<!\*)_[^_\n]+_", text) or re.search(r"(?<!\*)\*[^*\n]+\*(?!\*)", text)
    assert 150 <= len(text.split()) <= 700


def test_answer_echoes_the_prompt_words(chat: Chat) -> None:
    text = _text(chat("Why do volcanoes erupt near tectonic boundaries?"))
    assert "Volcanoes erupt near tectonic boundaries" in text


def test_the_echoed_question_keeps_its_own_full_stop(chat: Chat) -> None:
    text = _text(chat("Write a report on coral reefs."))
    assert "“Write a report on coral reefs.”" in text and ".”." not in text


def test_python_block_in_answer_runs(chat: Chat) -> None:
    text = _text(chat("Write Python code that counts words in a list"))
    code = text.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, Any] = {}
    exec(compile(code, "<answer>", "exec"), namespace)  # the sample code is valid Python


def test_conversation_acknowledges_earlier_turn(chat: Chat) -> None:
    messages = [
        {"role": "user", "content": "What is a Fourier transform?"},
        {"role": "assistant", "content": "It decomposes a signal into frequencies."},
        {"role": "user", "content": "And how is it used in audio compression?"},
    ]
    text = _text(chat(messages))
    assert "What is a Fourier transform?" in text and "Fourier transform" in text.split("\n\n")[1]


@pytest.mark.parametrize("size", [8192, 65536])
def test_answer_bytes_is_exact_and_still_markdown(chat: Chat, size: int) -> None:
    text = _text(chat("Explain caching strategies", knobs={"answer_bytes": size}))
    assert len(text.encode()) == size
    assert text.count("```") % 2 == 0
    assert text.count("$$") % 2 == 0
    assert text.count("### Part") >= (3 if size > 10000 else 1)


def test_stress_answer_has_exact_chunk_count(stream: Callable[..., Any]) -> None:
    events = stream("bench", knobs={"chunks": 500, "chunk_chars": 7})
    chunks = data_chunks(events)
    pieces = [
        c["choices"][0]["delta"]["content"]
        for c in chunks
        if c["choices"] and c["choices"][0]["delta"].get("content")
    ]
    assert len(pieces) == 500
    assert all(len(p) == 7 for p in pieces)


def test_max_tokens_truncates_with_length(chat: Chat) -> None:
    full = _text(chat("Describe the water cycle"))
    body = chat("Describe the water cycle", max_tokens=20)
    text = _text(body)
    assert body["choices"][0]["finish_reason"] == "length"
    assert full.startswith(text) and len(text) <= 80
    assert body["usage"]["completion_tokens"] <= 20


def test_max_completion_tokens_in_stream(stream: Callable[..., Any]) -> None:
    chunks = data_chunks(stream("Describe the water cycle", max_completion_tokens=10))
    assert len(content_of(chunks)) <= 40
    finishes = [c["choices"][0]["finish_reason"] for c in chunks if c["choices"]]
    assert "length" in finishes


def test_stop_sequence_cuts_answer(chat: Chat) -> None:
    full = _text(chat(RICH))
    text = _text(chat(RICH, stop=["###"]))
    assert "###" in full and "###" not in text and full.startswith(text)


def test_json_object_format_has_no_fences(chat: Chat) -> None:
    import json

    text = _text(chat("Summarise the benefits of tea", response_format={"type": "json_object"}))
    assert not text.startswith("```")
    assert isinstance(json.loads(text), dict)
