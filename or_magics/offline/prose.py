"""The longer answer forms: explanations, overviews, lists, tables, comparisons, summaries and
code — each in the form the prompt asked for, and no longer than it needs to be.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from . import knowledge, snippets
from . import knowledge_data as data
from .forms import echo, first_sentences, whether
from .shapes import Shape, topic_of
from .text import clip, keywords, snake

if TYPE_CHECKING:
    from .answers import AnswerContext

LEADS = (
    "**{T}** is easiest to understand as a process: something goes in, a few well-defined "
    "steps happen, and a result comes out.",
    "At its heart, **{t}** is about cause and effect: a few key factors interact, and the "
    "outcome follows from them.",
    "**{T}** comes down to a handful of ideas that build on each other; once the first one "
    "clicks, the rest follow.",
)
STEPS = (
    ("Start from what you know", "the inputs, and the goal"),
    ("Apply the core rule", "the one idea above, once"),
    ("Check the result", "compare it with what you expected"),
    ("Repeat or refine", "most of the work is doing the previous step well, again and again"),
)
ASPECTS = (
    ("What it is", "the basic idea behind {t}, in plain words"),
    ("How it works", "the mechanism, step by step"),
    ("Why it matters", "where it makes a difference in practice"),
    ("Common pitfalls", "the misunderstandings people run into most"),
    ("Next steps", "a small experiment to try with {t}"),
)
CLOSINGS = (
    "Try it yourself: change one thing and see what happens — that is the fastest way to "
    "build intuition.",
    "If one part is unclear, ask about just that part and I'll go deeper.",
    "In short: get the core idea right first, and the details become much easier.",
)
LANG_NAMES = {
    "python": "Python",
    "javascript": "JavaScript",
    "typescript": "TypeScript",
    "sql": "SQL",
    "bash": "Bash",
    "rust": "Rust",
    "go": "Go",
    "java": "Java",
    "c": "C",
    "cpp": "C++",
    "csharp": "C#",
    "ruby": "Ruby",
    "r": "R",
}


def _topic(ctx: AnswerContext) -> tuple[str, str | None]:
    """(topic, its definition if the knowledge base has one). A follow-up ("And how is it
    used…?") is about what the previous question was about."""
    found = knowledge.define(ctx.prompt)
    if found is not None:
        return found[0], found[1]
    if _follows_up(ctx):
        earlier = ctx.earlier_questions[-1]
        before = knowledge.define(earlier)
        if before is not None:
            return before[0], None
        return topic_of(earlier) or " ".join(keywords(earlier)[:2]), None
    return topic_of(ctx.prompt) or " ".join(ctx.words[:2]), None


def _follows_up(ctx: AnswerContext) -> bool:
    """ "And how is it used…?": a question about the previous question's subject."""
    return bool(ctx.earlier_questions) and bool(
        re.search(r"^\s*and\b|\b(?:it|this|that|they|them)\b", ctx.prompt, re.I)
    )


def _lead(ctx: AnswerContext, t: str) -> str:
    """The first sentence for a topic the knowledge base does not know: the question turned
    into a statement when it is a simple "why" question, else a plain lead."""
    words = ctx.prompt.strip().rstrip("?!. ").split()
    low = [w.lower() for w in words]
    if len(words) > 3 and low[0] == "why" and low[1] in ("do", "did"):
        clause = " ".join(words[2:])
        return f"{_cap(clause)} because a few factors work together; here is how they fit."
    if len(words) > 3 and low[0] == "why" and low[1] in ("is", "are", "can", "will", "was"):
        clause = whether(" ".join(words[1:]))
        if clause.startswith("whether "):
            return f"{_cap(clause[8:])} because a few factors work together; here is how."
    sentence = " ".join(words)
    how = re.match(
        r"^(?:explain|describe|show me|tell me)\s+how\s+(.+)$|^how (?:do|did)\s+(.+)$",
        sentence,
        re.I,
    )
    if how and len((how.group(1) or how.group(2)).split()) >= 2:
        return f"Here is how {how.group(1) or how.group(2)}, step by step."
    works = re.match(r"^how does\s+(.+)\s+work$", sentence, re.I)
    if works:
        return f"Here is how {works.group(1)} works, step by step."
    if low[0] in ("what", "why", "how", "who", "which", "when", "where") or "?" in ctx.prompt:
        return (
            f"Good question: {echo(ctx, 100)} The short answer is that a few factors work "
            "together; here is how to think about them."
        )
    named = topic_of(ctx.prompt, articles=True) or t
    return LEADS[ctx.seed % len(LEADS)].format(T=_cap(named), t=named)


def _follow_up(ctx: AnswerContext) -> list[str]:
    if not ctx.earlier_questions:
        return []
    earlier = clip(ctx.earlier_questions[-1], 90)
    return [f"Building on your earlier question (“{earlier}”), here is the next part."]


def explain(ctx: AnswerContext, shape: Shape) -> str:
    """A definition (or a plain lead), how it works, an example when one is asked for."""
    pair = _pair(ctx.prompt)
    if pair is not None and shape.sentences is not None:
        return first_sentences(_pair_prose(*pair), shape.sentences)
    topic, definition = _topic(ctx)
    t = topic
    lead = definition or _lead(ctx, t)
    if not definition and _follows_up(ctx):
        lead = f"For **{t}**, the short answer is that a few factors work together; here is how."
    steps = "\n".join(
        f"{i}. **{name}** — {what.format(t=t)}." for i, (name, what) in enumerate(STEPS, 1)
    )
    closing = CLOSINGS[(ctx.seed >> 3) % len(CLOSINGS)].format(t=t)
    if shape.sentences is not None:
        prose = " ".join([lead, *(f"{n}: {w.format(t=t)}." for n, w in STEPS), closing])
        return first_sentences(prose, shape.sentences)
    blocks = [*_follow_up(ctx), lead]
    if not shape.brief:
        blocks += ["Step by step:", steps]
    if shape.wants_code or (definition and _codey(topic) and not shape.brief):
        does, block = code_block(ctx, shape, topic)
        blocks += [f"Here is a small example that {does}:", block]
    if not shape.brief:
        blocks.append(closing)
    return "\n\n".join(blocks) + "\n"


def chat(ctx: AnswerContext, shape: Shape) -> str:
    """The default: a short overview with three key points (and code when asked)."""
    topic, definition = _topic(ctx)
    t = topic
    intros = (
        f"Here is a short overview of **{t}**.",
        f"**{_cap(t)}** is a big subject, so here are the essentials.",
        f"Good question — let's look at **{t}** from three angles.",
    )
    blocks = [*_follow_up(ctx), intros[ctx.seed % len(intros)]]
    if definition:
        blocks.append(definition)
    start = (ctx.seed >> 2) % len(ASPECTS)
    picked = [ASPECTS[(start + i) % len(ASPECTS)] for i in range(3)]
    blocks.append("\n".join(f"- **{name}** — {what.format(t=t)}." for name, what in picked))
    if shape.wants_code:
        does, block = code_block(ctx, shape, topic)
        blocks += [f"For example, this code {does}:", block]
    blocks.append(CLOSINGS[(ctx.seed >> 5) % len(CLOSINGS)].format(t=t))
    text = "\n\n".join(blocks) + "\n"
    return first_sentences(text, shape.sentences) if shape.sentences else text


def listing(ctx: AnswerContext, shape: Shape) -> str:
    """A numbered list of exactly the count asked for (five by default)."""
    low = ctx.prompt.lower()
    if "prime" in low:
        count = shape.count or 10
        items = [str(p) for p in _primes(count)]
        return f"The first {count} primes:\n\n" + _numbered(items) + "\n"
    known = knowledge.known_list(ctx.prompt)
    if known is not None:
        name, items = known
        chosen = items[: shape.count] if shape.count else items
        plural = name if name.endswith("s") or " of " in name else name + "s"
        lead = f"Here are {'the' if not shape.count else shape.count} {plural}:"
        return lead + "\n\n" + _numbered(chosen) + "\n"
    count = shape.count or 5
    if re.match(r"^\s*(?:plan|how (?:to|do i|can i|should i))\b", low):
        steps = data.LIST_ITEMS["plan|plans|step|steps|stage|stages"]
        subject = topic_of(ctx.prompt) or "it"
        rows = [steps[i % len(steps)].format(t=subject) for i in range(count)]
        return f"A plan for {subject} in {count} steps:\n\n" + _numbered(rows) + "\n"
    noun, phrase, subject = _head_noun(ctx.prompt)
    templates = next(
        (items for names, items in data.LIST_ITEMS.items() if noun in names.split("|")),
        data.LIST_ITEMS["tip|tips|way|ways|idea|ideas|strategy|strategies"],
    )
    start = ctx.seed % len(templates)
    rows = [templates[(start + i) % len(templates)].format(t=subject) for i in range(count)]
    if count > len(templates):
        rows = [
            r if i < len(templates) else f"{r} (variation {i // len(templates) + 1})"
            for i, r in enumerate(rows)
        ]
    lead = f"Here are {count} {noun} {phrase}:" if noun else f"Here are {count} points:"
    return lead + "\n\n" + _numbered(rows) + "\n"


def _primes(count: int) -> list[int]:
    out: list[int] = []
    n = 2
    while len(out) < count:
        if knowledge.is_prime(n):
            out.append(n)
        n += 1
    return out


def _numbered(items: list[str]) -> str:
    return "\n".join(f"{i}. {item}" for i, item in enumerate(items, 1))


def _head_noun(prompt: str) -> tuple[str, str, str]:
    """(noun, phrase, subject) from "Name three reasons to learn Python": ("reasons",
    "to learn Python", "Python"); the noun is "" when the prompt names none."""
    text = prompt.strip().rstrip("?.! ")
    nouns = "|".join(n for names in data.LIST_ITEMS for n in names.split("|"))
    match = re.search(rf"\b({nouns})\b(?:\s+(of|for|to|about|on|in|when)\s+(.+))?", text, re.I)
    if not match:
        topic = topic_of(prompt) or "the topic"
        return "", topic, topic
    rest = match.group(3) or topic_of(prompt) or "the topic"
    rest = re.split(r"[,;:]|\b(?:and why|that|which)\b", rest, flags=re.I)[0].strip()
    words = [w for w in rest.split() if w.lower() not in ("a", "an", "the", "my", "your")][:5]
    if match.group(2) == "to" and len(words) > 1:
        words = words[1:]  # "reasons to learn Python": the subject is Python
    subject = " ".join(words) or "the topic"
    return match.group(1).lower(), f"{(match.group(2) or 'of').lower()} {rest}", subject


def table(ctx: AnswerContext, shape: Shape) -> str:
    """A Markdown table: multiplication, squares, planets, capitals, a known list, a pair."""
    low = ctx.prompt.lower()
    times = re.search(r"(?:multiplication|times) table (?:of |for )?(\d+)|(\d+) times table", low)
    count = shape.count or 10
    if times:
        n = int(times.group(1) or times.group(2))
        rows = "\n".join(f"| {i} × {n} | {i * n} |" for i in range(1, count + 1))
        return f"The {n} times table:\n\n| Sum | Result |\n|---|---|\n{rows}\n"
    if re.search(r"\bsquares?\b|\bcubes?\b", low):
        rows = "\n".join(f"| {i} | {i * i} | {i**3} |" for i in range(1, count + 1))
        return f"Squares and cubes from 1 to {count}:\n\n| n | n² | n³ |\n|---|---|---|\n{rows}\n"
    if "capital" in low:
        pairs = [(k, v) for k, v in data.CAPITALS.items() if len(k) > 3 and "," not in v]
        chosen = pairs[:: max(1, len(pairs) // count)][:count]
        rows = "\n".join(f"| {k.title()} | {v} |" for k, v in chosen)
        return f"Some countries and their capitals:\n\n| Country | Capital |\n|---|---|\n{rows}\n"
    if "planet" in low:
        kinds = ["rocky"] * 4 + ["gas giant"] * 2 + ["ice giant"] * 2
        rows = "\n".join(
            f"| {i} | {p} | {k} |"
            for i, (p, k) in enumerate(zip(data.LISTS["planet"], kinds, strict=True), 1)
        )
        return (
            f"The planets in order from the Sun:\n\n| # | Planet | Type |\n|---|---|---|\n{rows}\n"
        )
    pair = _pair(ctx.prompt)
    if pair is not None:
        return compare(ctx, shape)
    known = knowledge.known_list(ctx.prompt)
    if known is not None:
        name, items = known
        rows = "\n".join(f"| {i} | {item} |" for i, item in enumerate(items, 1))
        return f"| # | {name.title()} |\n|---|---|\n{rows}\n"
    topic, definition = _topic(ctx)
    cells = [
        ("What it is", clip(definition, 90) if definition else f"the core idea of {topic}"),
        ("Why it matters", "it shapes the results you get"),
        ("Where it is used", "in everyday practice and in teaching"),
        ("A common pitfall", "skipping the basics and jumping to details"),
        ("How to start", "one small, concrete example"),
    ][: max(3, min(count, 5))]
    rows = "\n".join(f"| {a} | {b} |" for a, b in cells)
    return f"**{_cap(topic)}** at a glance:\n\n| Aspect | {_cap(topic)} |\n|---|---|\n{rows}\n"


def _pair(prompt: str) -> tuple[str, str] | None:
    """The two things a comparison is about."""
    text = " ".join(prompt.split()).rstrip("?.! ")
    patterns = (
        r"differences? between (.+?) and (.+?)(?: in | for |,|$)",
        r"compare (.+?) (?:and|with|to|vs\.?|versus) (.+?)(?: for | in | when |,|$)",
        r"(\S+(?: \S+)?) (?:vs\.?|versus) (\S+(?: \S+)?)",
    )
    for pattern in patterns:
        match = re.search(pattern, text, re.I)
        if match:
            a, b = (_strip_articles(g) for g in match.groups())
            if a and b:
                return a, b
    return None


def _strip_articles(text: str) -> str:
    words = [w for w in text.split() if w.lower() not in ("a", "an", "the")]
    return " ".join(words).strip(" ,")


def _known_pair(a: str, b: str) -> tuple[list[tuple[str, str, str]], str, bool] | None:
    """Rows and conclusion for a classic pair; the bool says the pair came reversed."""
    for left, right, rows, conclusion in data.COMPARISONS:
        la, lb = a.lower(), b.lower()
        if _alias(la, left) and _alias(lb, right):
            return rows, conclusion, False
        if _alias(la, right) and _alias(lb, left):
            return rows, conclusion, True
    return None


def _alias(text: str, names: str) -> bool:
    return any(re.search(rf"\b{re.escape(n)}\b", text) for n in names.split("|"))


def compare(ctx: AnswerContext, shape: Shape) -> str:
    """A side-by-side table and a one-line verdict."""
    pair = _pair(ctx.prompt)
    a, b = pair if pair else (ctx.words[0], ctx.words[1] if len(ctx.words) > 1 else "the rest")
    known = _known_pair(a, b)
    if known is not None:
        rows, conclusion, flipped = known
        lines = [f"| {n} | {y if flipped else x} | {x if flipped else y} |" for n, x, y in rows]
    else:
        generic = [
            ("Learning curve", "gentle", "steeper"),
            ("Flexibility", "focused", "broad"),
            ("Speed to a first result", "fast", "slower"),
            ("Best for", "simple, well-defined cases", "larger, changing problems"),
        ]
        swap = ctx.seed % 2 == 1
        lines = [f"| {n} | {y if swap else x} | {x if swap else y} |" for n, x, y in generic]
        conclusion = (
            f"Neither {a} nor {b} wins everywhere: pick the one whose strengths match your "
            "problem, and try both on a small example if in doubt."
        )
    head = f"| Aspect | {_cap(a)} | {_cap(b)} |\n|---|---|---|"
    return f"{head}\n" + "\n".join(lines) + f"\n\n{conclusion}\n"


def _pair_prose(a: str, b: str) -> str:
    known = _known_pair(a, b)
    da, db = knowledge.define(a), knowledge.define(b)
    sentences = [d[1].split(". ")[0].rstrip(".") + "." for d in (da, db) if d]
    if known is not None:
        sentences.append(known[1])
    if len(sentences) < 3:
        sentences.append(
            f"The main difference between {a} and {b} is what each is built "
            "for, so choose by the problem in front of you."
        )
        sentences.append(f"When in doubt, try both {a} and {b} on a small example.")
    return " ".join(sentences)


def summary(ctx: AnswerContext, shape: Shape) -> str:
    """Up to three bullets: the passage's own first sentences when one is given."""
    text = ctx.prompt
    passage = text.split(":", 1)[1] if ":" in text else "\n".join(text.splitlines()[1:])
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", passage.strip()) if s.strip()]
    if len(passage.split()) >= 12 and sentences:
        count = shape.count or min(3, len(sentences))
        bullets = [clip(s, 160) for s in sentences[:count]]
        return "In brief:\n\n" + "\n".join(f"- {b}" for b in bullets) + "\n"
    topic, definition = _topic(ctx)
    noun, _, _ = _head_noun(text)
    if noun:
        return listing(ctx, Shape(kind="list", count=shape.count or 3))
    bullets = [definition] if definition else []
    bullets += [f"**{n}** — {w.format(t=topic)}." for n, w in ASPECTS[: 3 - len(bullets)]]
    return f"**{_cap(topic)}** in brief:\n\n" + "\n".join(f"- {b}" for b in bullets) + "\n"


def code(ctx: AnswerContext, shape: Shape) -> str:
    """One fenced block in the language asked for (Python by default), with a line on top
    saying what it does and one below saying how to use it."""
    does, block = code_block(ctx, shape, ctx.prompt)
    lang = LANG_NAMES.get(block[3 : block.index("\n")], "Python")
    after = (
        "Run it as is to see the example output, then call it with your own data.",
        "The last line shows it in action; change the arguments to experiment.",
    )[ctx.seed % 2]
    if does == "prints a greeting":
        after = "Run it and it prints “Hello, world!”."
    return f"Here is {_article(lang)} {lang} example that {does}:\n\n{block}\n\n{after}\n"


def code_block(ctx: AnswerContext, shape: Shape, about: str) -> tuple[str, str]:
    """(what the code does, the fenced block) for a topic or a prompt."""
    lang = shape.language or "python"
    low = (about + " " + ctx.prompt).lower()
    if "hello" in low and lang in snippets.HELLO:
        return "prints a greeting", f"```{lang}\n{snippets.HELLO[lang]}\n```"
    if lang not in snippets.GENERIC:
        lang = "python"  # the snippets are Python; other languages get Python too
        for phrases, does, source in snippets.PYTHON:
            if any(p in low for p in phrases):
                return does, f"```python\n{source}\n```"
    kw = keywords(about) or ctx.words
    w = [k.lower() for k in kw] + ["item", "value"]
    name = snake(kw[:2])
    if lang in snippets.GENERIC:
        source = snippets.GENERIC[lang].format(
            name=name, w=snake(w[:1]), v=snake(w[1:2]), table=snake(w[1:2]) + "s"
        )
        return f"works with {w[0]}", f"```{lang}\n{source}\n```"
    template = snippets.PYTHON_GENERIC[(ctx.seed >> 3) % len(snippets.PYTHON_GENERIC)]
    source = template.format(name=name, cls=_camel(kw[:2]), w=snake(w[:1]), v=snake(w[1:2]))
    return f"works with {w[0]}", f"```python\n{source}\n```"


def _camel(kw: list[str]) -> str:
    name = "".join(snake([k]).title().replace("_", "") for k in kw) or "Item"
    return name if name[0].isalpha() else f"X{name}"


def _codey(topic: str) -> bool:
    return any(p in topic.lower() for phrases, _, _ in snippets.PYTHON for p in phrases)


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text
