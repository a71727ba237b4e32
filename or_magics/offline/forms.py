"""The short answer forms: greetings, labels, yes/no, facts, haiku, poems, jokes, stories.

Each writer takes the answer context and the prompt's `Shape` and returns Markdown. Choices
between equally good phrasings follow `ctx.seed`, so the same request gets the same bytes while
two models asked the same thing word it differently.
"""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING

from . import knowledge
from . import knowledge_data as data
from .shapes import Shape, topic_of
from .text import clip, keywords

if TYPE_CHECKING:
    from .answers import AnswerContext

LIVE_WORDS = (
    "today",
    "tonight",
    "tomorrow",
    "right now",
    "currently",
    "weather",
    "stock price",
    "latest",
    "this week",
    "news",
    "score",
)


def greeting(ctx: AnswerContext, shape: Shape) -> str:
    return data.GREETINGS[ctx.seed % len(data.GREETINGS)] + "\n"


def thanks(ctx: AnswerContext, shape: Shape) -> str:
    return ("You're welcome!", "Glad I could help!", "Any time!")[ctx.seed % 3] + "\n"


def joke(ctx: AnswerContext, shape: Shape) -> str:
    """A programmer joke when the prompt is about code or computers, a general one otherwise."""
    nerdy = set(w.lower().rstrip("s") for w in ctx.words) & (
        data.CODE_WORDS | {"programmer", "developer", "coder", "computer", "engineer"}
    )
    jokes = data.JOKES["code" if nerdy else "general"]
    return jokes[ctx.seed % len(jokes)] + "\n"


def translate(ctx: AnswerContext, shape: Shape) -> str:
    """A common phrase in French, Spanish, German or Italian; honest about anything else."""
    low = ctx.prompt.lower()
    language = next((lang for lang in ("french", "spanish", "german", "italian") if lang in low),
                    None)  # fmt: skip
    quoted = re.search(r"[\"“'‘]([^\"”'’]+)[\"”'’]", ctx.prompt)
    phrase = quoted.group(1) if quoted else ""
    if not phrase:
        match = re.search(r"(?:translate|say)\s+(.+?)\s+(?:in|into|to)\s+\w+", low)
        phrase = match.group(1) if match else ""
    key = phrase.lower().strip(" ?!.,")
    found = data.TRANSLATIONS.get(key, {}).get(language or "")
    if found and language:
        return f"In {language.title()}, “{phrase.strip()}” is **{found}**.\n"
    target = language.title() if language else "that language"
    return (
        f"I don't have a reliable {target} translation of “{phrase.strip() or ctx.prompt}” to "
        "hand, so I'd rather not guess.\n"
    )


def sentiment(text: str, allowed: list[str]) -> str:
    """"positive", "negative" or (when allowed) "neutral", from a small word list with
    negation ("not good")."""
    words = re.findall(r"[a-z']+", text.lower())
    score = sum(w in data.POSITIVE for w in words) - sum(w in data.NEGATIVE for w in words)
    score -= 2 * sum(
        1
        for a, b in itertools.pairwise(words)
        if a in ("not", "never", "no") and b in data.POSITIVE
    )
    wanted = "positive" if score > 0 else "negative" if score < 0 else "neutral"
    if wanted not in allowed:
        wanted = "positive" if score >= 0 else "negative"
    return wanted


def label(ctx: AnswerContext, shape: Shape) -> str:
    """Exactly one of the offered labels, spelled as the prompt spelled it."""
    options = shape.options
    lowered = [o.lower() for o in options]
    text = ctx.prompt
    for option in options:
        text = re.sub(rf"\b{re.escape(option)}\b", " ", text, flags=re.I)
    if {"positive", "negative"} <= set(lowered):
        return options[lowered.index(sentiment(text, lowered))] + "\n"
    if set(lowered) == {"yes", "no"}:
        fact = knowledge.yes_no(text)
        wanted = fact.value if fact else ("yes", "no")[ctx.seed % 2]
        return options[lowered.index(wanted)] + "\n"
    mentioned = [o for o in options if re.search(rf"\b{re.escape(o.lower())}\w*", text.lower())]
    chosen = mentioned[0] if mentioned else options[ctx.seed % len(options)]
    return chosen + "\n"


def fact(ctx: AnswerContext, shape: Shape, found: knowledge.Fact | None = None) -> str:
    """A short direct answer: the fact when known, an honest short reply otherwise."""
    found = found or knowledge.lookup(ctx.prompt, ctx.earlier_questions)
    if found is not None:
        return _with_why(found, ctx.prompt) + "\n"
    low = ctx.prompt.lower()
    if any(w in low for w in LIVE_WORDS):
        return (
            "I can't look up live information such as today's weather, prices or news, so "
            "please check a current source for that.\n"
        )
    if re.match(r"^\s*(?:who|when|where|which|how many|how much|how old|how far)\b", low):
        return (
            f"I'm not certain of the answer to {echo(ctx, 90)} and I'd rather not guess: a "
            "quick look at a reference would settle it.\n"
        )
    return (
        f"Good question: {echo(ctx, 90)} The short answer is that a few factors work "
        "together; ask me to explain it in detail and I'll take them one by one.\n"
    )


def _with_why(found: knowledge.Fact, prompt: str) -> str:
    if found.why and re.search(r"\bwhy\b|\bshow\b|\bexplain\b|\bhow do you know\b", prompt, re.I):
        return f"{found.answer} Why: {found.why}."
    return found.answer


def yes_no(ctx: AnswerContext, shape: Shape) -> str:
    """One sentence: settled when the knowledge base can, an honest "it depends" otherwise."""
    found = knowledge.yes_no(ctx.prompt)
    if found is not None:
        return _with_why(found, ctx.prompt) + "\n"
    clause = whether(ctx.prompt)
    templates = (
        "It depends on the details: {w} varies from case to case, so check yours before "
        "relying on a plain yes or no.",
        "Not always — {w} depends on the circumstances, so it is worth checking your "
        "particular case.",
    )
    return templates[ctx.seed % len(templates)].format(w=clause) + "\n"


_SWAP = {"i": "you", "me": "you", "my": "your", "mine": "yours", "we": "you", "our": "your"}


def whether(question: str) -> str:
    """ "Can dogs eat chocolate?" -> "whether dogs can eat chocolate"; "the answer" when the
    question is not a simple auxiliary-first one."""
    words = question.strip().rstrip("?!. ").split()
    if len(words) < 2:
        return "the answer"
    aux, rest = words[0].lower(), [_SWAP.get(w.lower(), w) for w in words[1:]]
    if aux in ("do", "does", "did") or aux.endswith("n't"):
        return "the answer"
    cut = 2 if rest[0].lower() in ("the", "a", "an", "this", "that", "your", "my") else 1
    if aux in ("am",) and rest[0] == "you":
        aux = "are"
    subject, predicate = rest[:cut], rest[cut:]
    if not predicate:
        return "the answer"
    return "whether " + " ".join([*subject, aux, *predicate])


# -- verse ------------------------------------------------------------------------------------
def syllables(word: str) -> int:
    """A rough English syllable count: vowel groups, less a silent final e."""
    word = re.sub(r"[^a-z]", "", word.lower())
    if not word:
        return 0
    groups = re.findall(r"[aeiouy]+", word)
    count = len(groups)
    if word.endswith("e") and not word.endswith(("le", "ee", "ie")) and count > 1:
        count -= 1
    elif re.search(r"[^aeiouyscgzxh]es$", word) and count > 1:
        count -= 1  # "lines", "stones": the e is silent before a final s
    return max(count, 1)


def _topic_word(ctx: AnswerContext) -> str:
    topic = topic_of(ctx.prompt, limit=3)
    for noise in ("haiku", "poem", "short", "little", "limerick", "this", "that", "these", "my"):
        topic = re.sub(rf"\b{noise}\b", "", topic, flags=re.I)
    topic = " ".join(topic.split()) or (ctx.words[0] if ctx.words else "morning")
    return topic.lower() if not topic.isupper() else topic


def haiku(ctx: AnswerContext, shape: Shape) -> str:
    """Three lines, 5-7-5 syllables; the first names the topic. Hard line breaks (two
    trailing spaces) keep the three lines apart when the Markdown is rendered."""
    topic = _topic_word(ctx)
    theme = "code" if set(topic.split()) & data.CODE_WORDS else "nature"
    weight = sum(syllables(w) for w in topic.split())
    fitting = [t for t, fixed in data.HAIKU_FIRST if fixed + weight == 5]
    seed = ctx.seed
    first = (
        fitting[seed % len(fitting)].format(T=topic)
        if fitting
        else f"{topic}, {'at dawn' if weight < 5 else ''}".rstrip(", ")
    )
    middle = data.HAIKU_MIDDLE[theme][(seed >> 4) % len(data.HAIKU_MIDDLE[theme])]
    last = data.HAIKU_LAST[theme][(seed >> 8) % len(data.HAIKU_LAST[theme])]
    lines = [first[0].upper() + first[1:], middle, last]
    return "  \n".join(lines) + "\n"


def poem(ctx: AnswerContext, shape: Shape) -> str:
    """Two short stanzas built like haiku, with a title."""
    topic = _topic_word(ctx)
    theme = "code" if set(topic.split()) & data.CODE_WORDS else "nature"
    middles, lasts = data.HAIKU_MIDDLE[theme], data.HAIKU_LAST[theme]
    named = topic_of(ctx.prompt, limit=3, articles=True) or topic
    named = re.sub(r"\b(?:poem|limerick|sonnet|short|little)\b", "", named).strip() or topic
    seed = ctx.seed
    stanzas = []
    for n in range(2):
        opening = f"I think of {named} {'at night' if n else 'at dawn'}"
        body = [
            opening,
            middles[(seed + 2 * n) % len(middles)],
            middles[(seed + 2 * n + 1) % len(middles)],
            lasts[(seed + n) % len(lasts)] + ("." if n else ","),
        ]
        stanzas.append("  \n".join(body))
    return f"**{topic.title()}**\n\n" + "\n\n".join(stanzas) + "\n"


STORY_BEATS = (
    "Once, in a town where nothing much happened, someone decided to learn everything about {t}.",
    "At first it went badly: every attempt at {t} ended in a small, funny disaster.",
    "Then an old neighbour shared a trick — start with the simplest version and only then "
    "add the rest.",
    "Slowly the pieces fell into place, and {t} began to make sense.",
    "By the end of the summer, people came from the next valley to ask about {t}.",
    "Years later, the story was still told whenever someone was about to give up too early.",
    "And the lesson stayed the same: patience turns a puzzle into a craft.",
)


def story(ctx: AnswerContext, shape: Shape) -> str:
    """A short story (three paragraphs), longer when the prompt asks for a long one."""
    match = re.search(r"\babout\s+(.+?)(?:[.?!,;]|$)", ctx.prompt, re.I)
    topic = match.group(1).strip() if match else "the lighthouse"
    if (
        not re.match(r"^(?:the|a|an|my|our|his|her|their)\b", topic, re.I)
        and len(topic.split()) == 1
        and not topic.endswith("s")
    ):
        topic = "the " + topic
    beats = [b.format(t=topic) for b in STORY_BEATS]
    if shape.long:
        paragraphs = [" ".join(beats[i : i + 2]) for i in range(0, len(beats), 2)]
        paragraphs += [
            f"Much later, someone asked what {topic} had really taught them. "
            "The answer was short: that every hard thing is a row of easy ones."
        ]
    elif shape.brief:
        paragraphs = [" ".join(beats[:2]) + " " + beats[3]]
    else:
        paragraphs = [" ".join(beats[:2]), " ".join(beats[2:4]), beats[6]]
    title = f"**{_title(topic)}: a short story**"
    return title + "\n\n" + "\n\n".join(paragraphs) + "\n"


def _title(topic: str) -> str:
    return " ".join(w if w.isupper() else w.capitalize() for w in topic.split())


def limit_words(text: str, words: int) -> str:
    """Keep at most `words` words (a one-word answer loses its Markdown and punctuation)."""
    parts = text.split()
    if len(parts) <= words:
        return text
    if words == 1:
        bold = re.search(r"\*\*([^*]+)\*\*", text)
        word = bold.group(1) if bold else parts[0]
        return word.strip(".,;:!?*_") + "\n"
    return " ".join(parts[:words]).rstrip(",;:") + "…\n"


_MARKER = re.compile(r"^\s*(?:[-*+]\s+|#+\s+|\d+[.)]\s+)")  # a bullet or heading, not **bold**


def first_sentences(text: str, count: int) -> str:
    """The first `count` sentences of plain prose, as one paragraph."""
    flat = " ".join(_MARKER.sub("", line).strip() for line in text.splitlines() if line.strip())
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z*`$(])", flat)
    return " ".join(sentences[:count]).strip() + "\n"


def keywords_phrase(ctx: AnswerContext) -> str:
    """The prompt's topic as a short phrase, for sentences that name it."""
    return topic_of(ctx.prompt) or " ".join(keywords(ctx.prompt)[:2]) or "your question"


def echo(ctx: AnswerContext, limit: int = 100) -> str:
    """The prompt quoted without doubling its final punctuation ("…sea.”", not "…sea.”.")."""
    quoted = clip(ctx.prompt, limit)
    return f"“{quoted}”" + ("" if quoted[-1:] in ".?!…" else ".")
