"""Reading requests as text: message text, keywords, token estimates, stable hashing."""

from __future__ import annotations

import hashlib
import json
import math
import re
import secrets
import string
import time
from collections.abc import Iterable
from typing import Any

STOPWORDS = frozenset(
    """
    a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if
    in into is it its itself just me more most my myself no nor not now of off on once
    only or other our ours out over own please same she should so some such than that
    the their theirs them then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your
    yours explain tell give show write make using use let lets need want like also get
    into one two three me us can't don't what's how's briefly short describe list
    happened happen happens year years today latest recent new news really thing things
    way ways know think tell say said many much lot lots kind sort
    """.split()  # noqa: SIM905
)

QUESTION_WORDS = frozenset(
    """
    What Why How When Where Who Which Is Are Can Could Should Would Will Do Does Did
    Please Tell Explain Give Write Show List Compare Describe The A An I In On For And
    Call Get Use Find Look Check Make Summarize Summarise Extract Parse Classify Return Pull
    Name Read Translate
    """.split()  # noqa: SIM905
)

_ALNUM = string.ascii_letters + string.digits


def stable_hash(*parts: Any) -> int:
    """A 64-bit hash that is the same in every process (unlike `hash`)."""
    blob = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False).encode()
    return int.from_bytes(hashlib.sha256(blob).digest()[:8], "big")


def generation_id(now: float | None = None) -> str:
    """`gen-<unix>-<20 alnum>` like every recorded OpenRouter id."""
    stamp = int(now if now is not None else time.time())
    return f"gen-{stamp}-" + _random_alnum(20)


def _random_alnum(count: int) -> str:
    """``count`` characters drawn uniformly from `_ALNUM`, from one read of the system's
    random source (a `secrets.choice` each read it 20 times: a tenth of a request)."""
    out: list[str] = []
    while len(out) < count:  # bytes past the last whole multiple of 62 would bias it
        out += [_ALNUM[b % 62] for b in secrets.token_bytes(count + 8) if b < 248]
    return "".join(out[:count])


def estimate_tokens(text: str) -> int:
    """Roughly 4 characters per token, at least 1 for non-empty text."""
    return math.ceil(len(text) / 4) if text else 0


def content_text(content: Any) -> str:
    """The text of a message's content, whether a string or a list of parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = [
            p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text"
        ]
        return "\n".join(t for t in texts if isinstance(t, str))
    return ""


def content_parts(content: Any) -> list[dict[str, Any]]:
    """The non-text parts of a message's content (images, files, audio, video)."""
    if not isinstance(content, list):
        return []
    return [p for p in content if isinstance(p, dict) and p.get("type") not in (None, "text")]


def words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z][A-Za-z0-9_\-']*", text)


def keywords(text: str, limit: int = 6) -> list[str]:
    """Distinct content words of a prompt, in order, for answers that echo the question."""
    seen: set[str] = set()
    out: list[str] = []
    for word in words(text):
        if word.lower() in STOPWORDS:
            continue
        clean = (word[:-2] if word.endswith("'s") else word).strip("'-")
        low = clean.lower()
        if len(low) < 3 or low in STOPWORDS or low in seen:
            continue
        seen.add(low)
        out.append(clean)
        if len(out) >= limit:
            break
    return out


def entities(text: str, limit: int = 4) -> list[str]:
    """Capitalised names in a prompt ("Paris", "Tokyo"): the likely subjects of a tool call.

    A capitalised word opening a sentence counts only when nothing else does.
    """
    inner: list[str] = []
    initial: list[str] = []
    for match in re.finditer(r"\b[A-Z][a-zA-Z\-]+(?:\s+[A-Z][a-zA-Z\-]+){0,2}\b", text):
        parts = match.group(0).split()
        before = text[: match.start()].rstrip()
        at_start = not before or before[-1] in ".!?:\n"
        if parts[0] in QUESTION_WORDS:
            parts, at_start = parts[1:], False
        if not parts:
            continue
        name = " ".join(parts)
        bucket = initial if at_start else inner
        if name not in bucket:
            bucket.append(name)
    return (inner or initial)[:limit]


ORG_SUFFIXES = frozenset((
    "Ltd", "Inc", "Corp", "Corporation", "LLC", "GmbH", "AG", "SA", "Co", "Company", "Labs",
    "Group", "Systems", "Engines", "University", "Institute", "Bank", "Foundation", "Partners",
    "Industries", "Technologies",
))
_ORG_CUE = re.compile(r"\b(?:at|for|from|joined|with|of)\s*$")


def people_and_organisations(text: str) -> tuple[list[str], list[str]]:
    """The prompt's capitalised names split into people and organisations: a name with a
    company suffix ("Analytical Engines Ltd") or after "at"/"for"/"joined" is an
    organisation, so an extracted contact gets its name and its company right."""
    people: list[str] = []
    orgs: list[str] = []
    for match in re.finditer(r"\b[A-Z][a-zA-Z\-]+(?:\s+[A-Z][a-zA-Z\-]+){0,3}\b", text):
        parts = match.group(0).split()
        while parts and parts[0] in QUESTION_WORDS:
            parts = parts[1:]
        if not parts:
            continue
        name = " ".join(parts)
        before = text[: match.start()]
        org = parts[-1] in ORG_SUFFIXES or bool(_ORG_CUE.search(before))
        bucket = orgs if org else people
        if name not in bucket:
            bucket.append(name)
    return people, orgs


def snake(words_: Iterable[str]) -> str:
    """Join words into a valid Python identifier."""
    name = "_".join(re.sub(r"[^a-z0-9]+", "_", w.lower()).strip("_") for w in words_)
    name = re.sub(r"_+", "_", name).strip("_") or "answer"
    return name if not name[0].isdigit() else f"n_{name}"


def clip(text: str, limit: int) -> str:
    """Shorten to `limit` characters on a word boundary, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"
