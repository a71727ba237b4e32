"""What shape of answer a prompt asks for: a haiku, one sentence, a list, a table, code...

The simulator used to answer every prompt with the same long demo document; a teacher who
asks for a haiku or "Is 97 prime?" then sees something that looks broken. `shape_of` reads the
prompt the way a person would skim it and returns the form the answer should take; `forms.py`
writes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "a few": 3,
    "a couple of": 2,
    "several": 4,
}
_COUNT = r"(\d+|" + "|".join(_NUMBER_WORDS) + r")"
_PLURALS = (
    r"(?:ways|tips|reasons|examples|ideas|uses|benefits|steps|facts|things|types|kinds|"
    r"advantages|disadvantages|applications|causes|options|questions|books|names|words|"
    r"risks|pros|cons|features|mistakes|strategies)"
)
RICH_WORDS = (
    "in detail",
    "detailed",
    "in depth",
    "in-depth",
    "thorough",
    "comprehensive",
    "long answer",
    "at length",
    "full overview",
    "deep dive",
    "markdown demo",
    "long document",
    "everything you know",
)
WRITE_DOCUMENT = re.compile(
    r"\b(?:write|draft|prepare|produce|compose|create|give me)\b[^.?!]*\b(?:report|essay|"
    r"article|tutorial|white paper|guide|handout|lecture notes)\b|\bas a (?:report|document)\b"
)
FORMAT_WORDS = {
    "table": ("table",),
    "code": ("code", "python", "snippet", "program"),
    "math": ("math", "formula", "equation", "latex"),
    "headings": ("heading", "headings", "sections"),
    "list": ("bullet", "bullets", "list"),
}
AUXILIARIES = (
    "is",
    "are",
    "am",
    "was",
    "were",
    "do",
    "does",
    "did",
    "can",
    "could",
    "should",
    "would",
    "will",
    "has",
    "have",
    "had",
    "may",
    "might",
    "must",
    "shall",
    "isn't",
    "aren't",
    "doesn't",
    "don't",
    "can't",
    "won't",
)
LANGUAGES = {
    "python": "python",
    "javascript": "javascript",
    "js": "javascript",
    "node": "javascript",
    "typescript": "typescript",
    "sql": "sql",
    "bash": "bash",
    "shell": "bash",
    "rust": "rust",
    "go": "go",
    "golang": "go",
    "java": "java",
    "c++": "cpp",
    "cpp": "cpp",
    "c#": "csharp",
    "ruby": "ruby",
    "r": "r",
    "c": "c",
}
CODE_NOUNS = (
    "code",
    "function",
    "script",
    "program",
    "snippet",
    "class",
    "regex",
    "query",
    "method",
    "implementation",
    "one-liner",
    "hello world",
)
IMPERATIVES = (
    "write",
    "create",
    "implement",
    "generate",
    "give",
    "show",
    "make",
    "build",
    "code",
    "draft",
    "produce",
    "print",
    "compose",
    "can you",
    "could you",
    "please",
)
GREETINGS = (
    "hi",
    "hello",
    "hey",
    "hiya",
    "good morning",
    "good afternoon",
    "good evening",
    "greetings",
    "yo",
    "how are you",
    "hello there",
    "hi there",
    "howdy",
)


@dataclass
class Shape:
    """The form of the answer and the limits the prompt sets on it."""

    kind: str = "chat"
    """rich, label, greeting, thanks, haiku, poem, joke, story, translate, code, table,
    compare, list, summary, yesno, fact, explain or chat."""
    count: int | None = None
    """Items asked for ("three uses", "top 5")."""
    sentences: int | None = None
    words: int | None = None
    brief: bool = False
    long: bool = False
    language: str | None = None
    options: list[str] = field(default_factory=list)
    """The labels a classification prompt allows ("positive, negative or neutral")."""
    wants_code: bool = False
    """An explanation that should include a code example."""


# compiled once: building these patterns on every prompt was a tenth of the simulator's time
_FORMAT_CUES = {name: tuple(re.compile(rf"\b{c}s?\b") for c in cues)
                for name, cues in FORMAT_WORDS.items()}
_CODE_NOUNS = tuple(re.compile(rf"\b{re.escape(n)}\b") for n in CODE_NOUNS)


def shape_of(prompt: str) -> Shape:
    """Classify a prompt; the first matching rule wins (the order is the judgement)."""
    text = " ".join(prompt.split())
    low = text.lower()
    words = re.findall(r"[a-z0-9'#+]+", low)
    shape = Shape()
    _limits(shape, low)
    shape.language = _language(low, words)
    shape.wants_code = bool(
        re.search(
            r"\b(?:code|python|snippet|program)\b|example in \w+|with (?:a |an )?"
            r"(?:small |short |simple )?(?:python |code )?example",
            low,
        )
        and not re.search(r"without code|no code", low)
    )
    if _rich(low):
        shape.kind = "rich"
    elif options := _options(text, low):
        shape.kind, shape.options = "label", options
    elif "hello world" in low or "hello, world" in low:
        shape.kind = "code"
    elif _greeting(low, words):
        shape.kind = "greeting"
    elif re.match(r"^(?:thanks|thank you|thx|cheers)\b", low) and len(words) <= 6:
        shape.kind = "thanks"
    elif "haiku" in words:
        shape.kind = "haiku"
    elif re.search(r"\b(?:poem|limerick|sonnet|verse|rhyme)\b", low):
        shape.kind = "poem"
    elif re.search(r"\bjokes?\b|\bpun\b|make me laugh|something funny", low):
        shape.kind = "joke"
    elif re.search(r"\b(?:story|tale|fable|bedtime)\b", low):
        shape.kind = "story"
    elif _counted(low) and not re.search(r"\b(?:functions?|scripts?|programs?|snippets?)\b", low):
        _list(shape, low)
        shape.kind = "list"
    elif re.match(
        r"^(?:translate|how do you say|what is .+ in (?:french|spanish|german|italian))", low
    ):
        shape.kind = "translate"
    elif _code(low, words):
        shape.kind = "code"
    elif re.search(r"(?<!hash )\btables?\b|\btabulate\b|\bas a grid\b", low):
        shape.kind = "table"
    elif (
        re.search(r"\bcompare\b|\bcomparison\b|\bvs\.?\b|\bversus\b|differences? between", low)
        and shape.sentences is None
    ):
        shape.kind = "compare"
    elif _list(shape, low):
        shape.kind = "list"
    elif re.match(r"^(?:summari[sz]e|summary|tl;?dr|sum up)\b", low):
        shape.kind = "summary"
    elif words and words[0] in AUXILIARIES and "?" in text and len(words) <= 25:
        shape.kind = "yesno"
    elif re.match(
        r"^(?:and\s+)?(?:explain|describe|teach|help me understand|walk me through|why|how "
        r"(?:does|do|did|can|is|are|would))\b",
        low,
    ):
        shape.kind = "explain"
    elif (
        re.match(
            r"^(?:what|who|whom|when|where|which|how many|how much|how old|how far|"
            r"how long|how big|how tall|name the|define|calculate|compute|"
            r"evaluate)\b",
            low,
        )
        and len(words) <= 16
    ) or (re.match(r"^[\d\s.+\-*/^()x×÷%=?]+$", low) and re.search(r"\d", low)):
        shape.kind = "fact"
    elif re.match(r"^(?:what|how)\b", low):
        shape.kind = "explain"
    return shape


def _limits(shape: Shape, low: str) -> None:
    sentences = re.search(
        rf"\b(?:in|with|using)\s+(?:just\s+|only\s+|exactly\s+)?{_COUNT}\s+"
        r"sentences?\b",
        low,
    ) or re.search(r"\b(one)[- ]sentence\b", low)
    if sentences:
        shape.sentences = _number(sentences.group(1))
    limit = re.search(rf"\b(?:in|under|at most|no more than|within)\s+{_COUNT}\s+words\b", low)
    if limit:
        shape.words = _number(limit.group(1))
    if re.search(r"\b(?:one|single|1)[- ]word\b", low):
        shape.words = 1
    shape.brief = bool(
        re.search(
            r"\b(?:briefly|brief|short|shortly|concise|concisely|in a nutshell|quick|"
            r"quickly|tl;?dr|summary|simple terms|eli5)\b",
            low,
        )
    )
    shape.long = bool(re.search(r"\b(?:long|longer|lengthy|extended|epic)\b", low))


def _rich(low: str) -> bool:
    if any(w in low for w in RICH_WORDS) or WRITE_DOCUMENT.search(low):
        return True
    asked = {name for name, cues in _FORMAT_CUES.items() if any(c.search(low) for c in cues)}
    return len(asked) >= 2 and bool(re.search(r"\bwith\b|\binclude|\bformatted|\bmarkdown", low))


def _options(text: str, low: str) -> list[str]:
    """Labels offered by "answer with one word: positive, negative or neutral" prompts."""
    cue = re.search(
        r"\b(?:answer|reply|respond|classify|label|categori[sz]e|choose|pick|"
        r"select|output|return|say)\b[^.:\n]*?(?:\bwith\b|\bas\b|\bfrom\b|\bone of\b"
        r"|:|\bonly\b|\beither\b)",
        low,
    )
    yes_no = re.search(r"\b(?:answer|reply|respond|say)\b[^.\n]*\byes or no\b", low)
    if yes_no:
        return ["yes", "no"]
    if not cue:
        return []
    tail = text[cue.end() :]
    tail = re.split(r"[.\n]|\bthe (?:text|review|sentence|message)\b", tail, maxsplit=1)[0]
    tail = re.sub(
        r"^\s*(?:one of|one word|a single word|either|only|just)\s*[:,]?\s*", "", tail, flags=re.I
    )
    tail = tail.strip(" :").split(":", 1)[0]
    parts = re.split(r"\s*(?:,|/|\bor\b|\|)\s*", tail.strip(" :()[]\"'"))
    labels = [re.sub(r"\s+(?:only|please)$", "", p.strip(" \"'*`()[]"), flags=re.I) for p in parts]
    labels = [lab for lab in labels if lab]
    if 2 <= len(labels) <= 8 and all(len(lab.split()) <= 3 for lab in labels):
        return labels
    return []


def _greeting(low: str, words: list[str]) -> bool:
    bare = re.sub(r"[^a-z' ]", "", low).strip()
    return len(words) <= 5 and any(bare == g or bare.startswith(g + " ") for g in GREETINGS)


def _code(low: str, words: list[str]) -> bool:
    imperative = any(low.startswith(w) for w in IMPERATIVES)
    noun = any(pattern.search(low) for pattern in _CODE_NOUNS)
    language = any(w in LANGUAGES and w not in ("r", "c", "go") for w in words)
    asks_about = re.match(r"^(?:what|why|how|explain|describe|is|are|does)\b", low)
    return bool(imperative and (noun or language) and not asks_about) or bool(
        re.match(r"^(?:code|implement)\b", low)
    )


def _language(low: str, words: list[str]) -> str | None:
    for word in words:
        if word in LANGUAGES and word not in ("r", "c", "go"):
            return LANGUAGES[word]
    match = re.search(r"\bin (r|c|go)\b", low)
    return LANGUAGES[match.group(1)] if match else None


def _counted(low: str) -> bool:
    """ "Three reasons to...", "5 tips for...": a count and a plural noun."""
    return bool(re.search(rf"\b{_COUNT}\s+(?:\w+\s+)?{_PLURALS}\b", low))


def _list(shape: Shape, low: str) -> bool:
    asks = re.match(rf"^what are (?:the |some )?(?:main |key |top )?{_PLURALS}\b", low)
    counted = re.search(
        rf"\b(?:list|name|give(?: me)?|suggest|top|what are)\s+(?:the\s+)?"
        rf"(?:top\s+|first\s+|last\s+)?{_COUNT}\b",
        low,
    ) or re.search(rf"\b{_COUNT}\s+(?:\w+\s+)?{_PLURALS}\b", low)
    if counted:
        shape.count = _number(counted.group(1))
    bullets = re.search(rf"\b(?:in\s+)?{_COUNT}\s+bullet(?: point)?s?\b", low)
    if bullets:
        shape.count = _number(bullets.group(1))
    return bool(
        counted
        or asks
        or bullets
        or re.match(
            r"^(?:list|enumerate|name (?:some|all|the)|give me (?:some|a list)|plan|"
            r"how (?:to|do i|can i|should i))\b",
            low,
        )
        or re.search(r"\bbullet(?: point)?s?\b|\bas a list\b|\bchecklist\b|steps to\b", low)
    )


def count_in(text: str) -> int | None:
    """The first count a prompt names ("three colours", "the first 5 primes"), if any."""
    found = re.search(rf"\b{_COUNT}\b", text.lower())
    return _number(found.group(1)) if found else None


def _number(word: str) -> int:
    if word.isdigit():
        return max(1, min(int(word), 20))
    return _NUMBER_WORDS.get(word, 3)


_LEADING = frozenset(
    """
    why how what who when where which do does did can could should would will is are was
    were tell me please explain describe write give show list name compare summarise
    summarize make create define a an the
    """.split()  # noqa: SIM905
)


def topic_of(prompt: str, limit: int = 4, articles: bool = False) -> str:
    """The phrase a prompt is about ("Write a haiku about the sea" -> "sea", or "the sea"
    with `articles`), or ""."""
    text = " ".join(prompt.split()).rstrip("?.! ")
    text = re.sub(
        r"^(?:how (?:to|do i|can i|should i)|plan|help me(?: to)?|let's|lets)\s+",
        "",
        text,
        flags=re.I,
    )
    match = re.search(
        r"\b(?:about|on|of|regarding|explain|describe|define|is|are)\s+(.+)$", text, re.I
    )
    phrase = match.group(1) if match else text
    phrase = re.split(
        r"[,;:?!.()]|\b(?:to|for|with|in|using|and why|that|which|so|near|"
        r"from|into|like|as|because|when|while)\b",
        phrase,
        maxsplit=1,
        flags=re.I,
    )[0]
    words = phrase.split()
    kept = ("a", "an", "the") if articles else ()
    while words and words[0].lower() in _LEADING and words[0].lower() not in kept:
        words.pop(0)
    if not articles:
        words = [w for w in words if w.lower() not in ("a", "an", "the", "some", "me", "my")]
    return " ".join(words[: limit + (1 if articles else 0)]).strip(" '\"")
