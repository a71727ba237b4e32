"""Easy facts a simulated model gets right: numbers (`maths.py`), capitals, definitions and
a table of well-known facts.

A teacher's first prompts are often "What is 12*7?" or "Which prime comes after 7?"; an
answer that dodges them reads as broken. Everything here is exact and deterministic; a
prompt nothing here knows returns None and the answer falls back to its generic shape.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from . import knowledge_data as data
from .maths import (
    NUMBER,
    Fact,
    arithmetic,
    comparison,
    conversion,
    is_prime,
    numbers_stats,
    parity,
    primes,
)

__all__ = ["Fact", "define", "is_prime", "known_list", "lookup", "yes_no"]


def lookup(prompt: str, history: Sequence[str] = ()) -> Fact | None:
    """The fact a short question asks for, trying a follow-up ("And of Japan?") against the
    previous question when the prompt alone says too little."""
    fact = _lookup(prompt)
    if fact is None and history:
        follow = follow_up(prompt, history[-1])
        if follow is not None:
            fact = _lookup(follow)
    return fact


def _lookup(prompt: str) -> Fact | None:
    low = prompt.lower()
    for finder in _FINDERS:
        fact = finder(prompt, low)
        if fact is not None:
            return fact
    return None


def follow_up(prompt: str, previous: str) -> str | None:
    """Rewrite "And of Japan?" / "What about 13?" as the previous question about the new
    subject, or None when the prompt is not such a fragment."""
    short = prompt.strip().rstrip("?.! ")
    match = re.match(
        r"^(?:and|what about|how about|and what about)\s+(?:of|for|after)?\s*(.+)$", short, re.I
    )
    if not match or len(short.split()) > 8:
        return None
    subject = match.group(1).strip()
    numbers = re.findall(NUMBER, previous)
    if re.fullmatch(NUMBER, subject) and numbers:
        return _replace_last(previous, numbers[-1], subject)
    names = re.findall(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*", previous)
    names = [n for n in names if n.split()[0] not in ("What", "Which", "Who", "How", "Is")]
    if names:
        return _replace_last(previous, names[-1], subject)
    return None


def _replace_last(text: str, old: str, new: str) -> str:
    head, _, tail = text.rpartition(old)
    return head + new + tail


# -- capitals, facts, definitions --------------------------------------------------------------
def capital(prompt: str, low: str) -> Fact | None:
    match = re.search(r"capital(?: city)? of (?:the )?([a-z .]+?)(?:\?|$|,| and\b| is\b)", low)
    country = match.group(1).strip(" .") if match else None
    if country is None:
        own = re.search(r"(\b[a-z ]+?)'s capital", low)
        country = own.group(1).strip().split()[-1] if own else None
    if country is None or country not in data.CAPITALS:
        return None
    city = data.CAPITALS[country]
    name = _country_name(country)
    named = re.search(r"\bis ([a-z .]+?) the capital", low)
    if named:
        guess = named.group(1).strip().title()
        if guess.lower() == city.lower():
            return Fact(f"Yes — {city} is the capital of {name}.", "", "yes")
        return Fact(f"No — the capital of {name} is {city}, not {guess}.", "", "no")
    return Fact(f"The capital of {name} is **{city}**.", "", city)


def _country_name(key: str) -> str:
    special = {
        "uk": "the UK",
        "usa": "the USA",
        "the us": "the US",
        "united states": "the United States",
        "united kingdom": "the United Kingdom",
        "netherlands": "the Netherlands",
        "philippines": "the Philippines",
        "czech republic": "the Czech Republic",
    }
    return special.get(key, key.title())


def known_fact(prompt: str, low: str) -> Fact | None:
    best: tuple[int, str] | None = None
    for keys, answer in data.FACTS:
        if all(k in low for k in keys):
            score = sum(len(k) for k in keys)
            if best is None or score > best[0]:
                best = (score, answer)
    return Fact(best[1]) if best else None


def yes_no(prompt: str) -> Fact | None:
    """A yes/no question this module can settle, answered in one sentence."""
    low = prompt.lower()
    for finder in (primes, parity, capital, comparison):
        fact = finder(prompt, low)
        if fact is not None and fact.value in ("yes", "no"):
            return fact
    for keys, yes, reason in data.YES_NO:
        if all(re.search(rf"\b{re.escape(k)}", low) for k in keys):
            word = "Yes" if yes else "No"
            return Fact(f"{word} — {reason}.", reason, word.lower())
    return None


def define(text: str) -> tuple[str, str] | None:
    """(term, definition) for the longest known term the text mentions; the term as the
    text spells it ("Fourier transform", "recursion")."""
    low = " " + re.sub(r"[^a-z0-9+ -]", " ", text.lower()) + " "
    best: tuple[int, str, str] | None = None
    for names, definition in data.DEFINITIONS.items():
        for name in names.split("|"):
            if f" {name} " in low and (best is None or len(name) > best[0]):
                best = (len(name), name, definition)
    if best is None:
        return None
    spelled = re.search(rf"\b{re.escape(best[1])}\b", text, re.I)
    return (spelled.group(0) if spelled else best[1]), best[2]


def definition(prompt: str, low: str) -> Fact | None:
    """ "What is a prime number?", "Define recursion", "What does API mean?"."""
    asks = re.match(r"^\s*(?:what(?:'s| is| are)|define|what does|meaning of|who is)\b", low)
    if not asks or len(low.split()) > 12:
        return None
    found = define(prompt)
    return Fact(found[1], "", found[0], definition=True) if found else None


def known_list(text: str) -> tuple[str, list[str]] | None:
    """(name, items) when the text asks for a list this module knows (planets, months...)."""
    low = text.lower()
    for names, items in data.LISTS.items():
        for name in names.split("|"):
            if re.search(rf"\b{re.escape(name)}s?\b", low):
                return names.split("|")[0], items
    return None


_FINDERS: tuple[Callable[[str, str], Fact | None], ...] = (
    numbers_stats,
    primes,
    parity,
    comparison,
    conversion,
    capital,
    arithmetic,
    known_fact,
    definition,
)
