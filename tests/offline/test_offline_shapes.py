"""Answers take the shape the prompt asks for: a haiku, one sentence, a list, a table, code, an
explanation, a short fact; the rich demo document only for a long or formatted request."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx2
import pytest

from or_magics.offline import snippets

from .helpers import content_of, data_chunks

Chat = Callable[..., dict[str, Any]]


def _text(body: dict[str, Any]) -> str:
    return str(body["choices"][0]["message"]["content"])


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


def _syllables(word: str) -> int:
    """Vowel groups, less a silent final e: rough, but independent of the simulator's."""
    word = re.sub(r"[^a-z]", "", word.lower())
    groups = len(re.findall(r"[aeiouy]+", word))
    silent = word.endswith("e") and not word.endswith(("le", "ee"))
    if groups > 1 and (silent or re.search(r"[^aeiouyscgzxh]es$", word)):
        groups -= 1
    return max(groups, 1)


def _is_plain(text: str) -> bool:
    """No heading, table or code block: what a short answer must not carry."""
    return not re.search(r"^#|^\|.*\|$|```", text, re.M)


# -- the label is the client's, not the text's ---------------------------------------------------
PROMPTS = [
    "Write a haiku about the sea.",
    "Is 97 prime?",
    "What is 12*7?",
    "Name three uses of linear regression",
    "Explain recursion",
    "Explain recursion in detail",
    "hi",
]


@pytest.mark.parametrize("prompt", PROMPTS)
def test_no_answer_labels_itself_the_header_does(tclient: httpx2.Client, prompt: str) -> None:
    response = tclient.post(
        "/chat/completions",
        json={"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": prompt}]},
    )
    assert response.headers["x-simulator"] == "or_magics"
    text = response.json()["choices"][0]["message"]["content"]
    assert not text.startswith("*Simulated") and "or_magics simulator" not in text


# -- short forms ---------------------------------------------------------------------------------
def test_a_haiku_is_three_short_lines_of_five_seven_five(chat: Chat) -> None:
    text = _text(chat("Write a haiku about the sea.", model="anthropic/claude-haiku-4.5"))
    lines = [line.rstrip() for line in text.strip().splitlines()]
    assert len(lines) == 3 and _is_plain(text)
    assert [sum(_syllables(w) for w in line.split()) for line in lines] == [5, 7, 5]
    assert "sea" in lines[0].lower()
    assert all(line.endswith("  ") for line in text.splitlines()[:2])  # Markdown line breaks


def test_different_models_write_different_haiku_for_the_same_prompt(chat: Chat) -> None:
    texts = {
        _text(chat("Write a haiku about autumn", model=m))
        for m in ("openai/gpt-4o-mini", "anthropic/claude-haiku-4.5", "google/gemini-2.5-flash")
    }
    assert len(texts) >= 2


@pytest.mark.parametrize(
    ("prompt", "start", "needle"),
    [
        ("Is 97 prime?", "Yes", "97 is prime"),
        ("Is 91 prime?", "No", "7 × 13"),
        ("Is 12 even?", "Yes", "12 is even"),
        ("Is Sydney the capital of Australia?", "No", "Canberra"),
        ("Is the earth flat?", "No", "sphere"),
    ],
)
def test_a_yes_no_question_gets_one_sentence(
    chat: Chat, prompt: str, start: str, needle: str
) -> None:
    text = _text(chat(prompt))
    assert text.startswith(start) and needle in text
    assert len(_sentences(text)) == 1 and _is_plain(text)


def test_an_unknown_yes_no_question_is_one_hedged_sentence(chat: Chat) -> None:
    text = _text(chat("Is Python good for beginners?"))
    assert len(_sentences(text)) == 1
    assert "whether Python is good for beginners" in text


@pytest.mark.parametrize(
    ("prompt", "answer"),
    [
        ("Which prime comes right after 7?", "**11**"),
        ("What is the next prime after 89?", "**97**"),
        ("What is 12*7?", "**84**"),
        ("What is 2^10?", "**1024**"),
        ("What is 999999^300?", "**9.997000E+1799**"),
        ("What is 15% of 80?", "**12**"),
        ("What is the square root of 144?", "**12**"),
        ("What is the capital of France?", "**Paris**"),
        ("What's the capital of Japan?", "**Tokyo**"),
        ("Who wrote Hamlet?", "Shakespeare"),
        ("How many legs does a spider have?", "eight"),
    ],
)
def test_a_short_factual_question_gets_a_short_direct_answer(
    chat: Chat, prompt: str, answer: str
) -> None:
    text = _text(chat(prompt))
    assert answer in text
    assert len(text.split()) <= 25 and _is_plain(text)


@pytest.mark.parametrize(
    ("prompt", "answer"),
    [
        ("Convert 100 celsius to fahrenheit", "100 °C is **212 °F**."),
        ("How many miles is 10 km?", "10 km is **6.2137 miles**."),
        ("Translate hello into French", "In French, “hello” is **bonjour**."),
        ("How do you say 'thank you' in Spanish?", "In Spanish, “thank you” is **gracias**."),
    ],
)
def test_conversions_and_common_phrases(chat: Chat, prompt: str, answer: str) -> None:
    assert _text(chat(prompt)).strip() == answer


def test_why_gets_the_working(chat: Chat) -> None:
    text = _text(chat("Which prime comes right after 7, and why?"))
    assert "**11**" in text and "8 = 2 × 4" in text and "9 = 3 × 3" in text


def test_the_quickstart_median_question(chat: Chat) -> None:
    prompt = "What is the median of [3, 1, 4, 1, 5, 9, 2, 6], and how many values are there (8)?"
    text = _text(chat(prompt))
    assert "median is **3.5**" in text and "**8** values" in text


def test_a_definition_with_a_system_prompt(chat: Chat) -> None:
    messages = [
        {"role": "system", "content": "You are a patient maths tutor."},
        {"role": "user", "content": "What is a prime number?"},
    ]
    text = _text(chat(messages))
    assert "divisors are 1 and itself" in text and _is_plain(text)


def test_a_follow_up_uses_the_previous_question(chat: Chat) -> None:
    messages = [
        {"role": "user", "content": "What is the capital of France?"},
        {"role": "assistant", "content": "The capital of France is **Paris**."},
        {"role": "user", "content": "And of Japan?"},
    ]
    assert "**Tokyo**" in _text(chat(messages))


def test_a_live_question_is_answered_honestly(chat: Chat) -> None:
    text = _text(chat("What's the weather in Lisbon today?"))
    assert "can't look up live information" in text


def test_a_greeting_is_short(chat: Chat) -> None:
    text = _text(chat("hi"))
    assert text.startswith(("Hello", "Hi")) and len(text.split()) < 30


# -- labels (batch columns) ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("review", "label"),
    [("I loved it, wonderful service", "positive"), ("Awful food, never again", "negative")],
)
def test_a_classification_prompt_gets_exactly_one_label(
    chat: Chat, review: str, label: str
) -> None:
    prompt = f"Classify the sentiment of this review as positive, negative or neutral: {review}"
    assert _text(chat(prompt)).strip() == label


def test_a_one_word_answer_is_one_word(chat: Chat) -> None:
    text = _text(chat("In one word, what is the capital of Italy?"))
    assert text.strip() == "Rome"


# -- lists, tables, code --------------------------------------------------------------------
def _numbered(text: str) -> list[str]:
    return re.findall(r"^\d+\. (.+)$", text, re.M)


def test_a_list_has_exactly_the_count_asked_for(chat: Chat) -> None:
    text = _text(chat("Name three uses of linear regression"))
    assert len(_numbered(text)) == 3 and "linear regression" in text
    assert len(_numbered(_text(chat("Give me 7 tips for studying")))) == 7
    reasons = _text(chat("Give me three reasons to learn Python"))
    assert reasons.startswith("Here are 3 reasons to learn Python:")
    assert len(_numbered(reasons)) == 3 and "```" not in reasons


def test_a_known_list_is_the_real_one(chat: Chat) -> None:
    items = _numbered(_text(chat("List the planets")))
    assert items[0] == "Mercury" and "Jupiter" in items and len(items) == 8
    assert _numbered(_text(chat("List the first 5 primes"))) == ["2", "3", "5", "7", "11"]


def test_a_table_request_gets_a_markdown_table(chat: Chat) -> None:
    text = _text(chat("Make a table of the planets"))
    rows = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) == 9 and "| 5 | Jupiter | gas giant |" in text
    times = _text(chat("Show the multiplication table for 7"))
    assert "| 7 × 7 | 49 |" in times


def test_a_comparison_gets_a_side_by_side_table(chat: Chat) -> None:
    text = _text(chat("Compare quicksort and mergesort for large datasets"))
    assert text.startswith("| Aspect | Quicksort | Mergesort |")
    assert "| Worst case | $O(n^2)$ | $O(n \\log n)$ |" in text


def test_in_three_sentences_means_three_sentences(chat: Chat) -> None:
    prompt = "Explain the difference between a list and a tuple in Python, in three sentences."
    text = _text(chat(prompt))
    assert len(_sentences(text)) == 3 and "mutable" in text and _is_plain(text)


def test_code_is_one_runnable_block(chat: Chat) -> None:
    text = _text(chat("Write a Python function that reverses a string"))
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) == 1 and text.count("```") == 2
    namespace: dict[str, Any] = {}
    exec(compile(blocks[0], "<answer>", "exec"), namespace)  # the answer's code runs
    assert namespace["reverse"]("abc") == "cba"


def test_code_in_another_language(chat: Chat) -> None:
    assert "console.log" in _text(chat("Write a JavaScript hello world program"))
    assert "```sql" in _text(chat("Write a SQL query that counts orders per customer"))


@pytest.mark.parametrize(("phrases", "does", "source"), snippets.PYTHON)
def test_every_python_snippet_runs(phrases: tuple[str, ...], does: str, source: str) -> None:
    exec(compile(source, phrases[0], "exec"), {})


# -- explanations and the rich document ---------------------------------------------------------
def test_an_explanation_is_not_the_demo_document(chat: Chat) -> None:
    explained = _text(chat("Explain recursion"))
    rich = _text(chat("Explain recursion in detail"))
    assert "base case" in explained and "```python" in explained
    assert not re.search(r"^#|^\|", explained, re.M)
    assert re.search(r"^## ", rich, re.M) and re.search(r"^\|---", rich, re.M)
    assert "$$" in rich and len(rich) > len(explained)


@pytest.mark.parametrize(
    "prompt",
    [
        "Explain caching in detail",
        "Write a report on coral reefs",
        "Describe photosynthesis, with a table and code",
        "Give me a comprehensive overview of sorting",
    ],
)
def test_long_or_formatted_requests_get_the_rich_document(chat: Chat, prompt: str) -> None:
    text = _text(chat(prompt))
    assert re.search(r"^## ", text, re.M) and "```" in text and "|---|" in text


def test_gradient_descent_for_a_first_year_student(chat: Chat) -> None:
    prompt = "Explain gradient descent to a first-year student, with a small Python example."
    text = _text(chat(prompt))
    assert text.startswith("Gradient descent is") and "\\nabla" in text
    code = text.split("```python\n", 1)[1].split("```", 1)[0]
    exec(compile(code, "<answer>", "exec"), {})


# -- limits ---------------------------------------------------------------------------------------
def test_max_tokens_bounds_every_shape(chat: Chat) -> None:
    for prompt in ("Explain recursion", "Name five uses of linear regression"):
        body = chat(prompt, max_tokens=12)
        assert body["choices"][0]["finish_reason"] == "length"
        assert body["usage"]["completion_tokens"] <= 12
    short = chat("What is 12*7?", max_tokens=50)
    assert short["choices"][0]["finish_reason"] == "stop"


def test_the_same_prompt_streams_the_same_shape(stream: Callable[..., Any], chat: Chat) -> None:
    streamed = content_of(data_chunks(stream("Write a haiku about the sea.")))
    assert streamed == _text(chat("Write a haiku about the sea."))
