"""Deterministic answer text: rich Markdown that echoes the prompt, sized and stress variants.

Answers exercise everything a notebook renderer must handle (headings, lists, a table, a fenced
Python block, inline and display math, emphasis, a quote) and say plainly, on the first line,
that a simulated model wrote them offline.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from .text import clip, keywords, snake

INTROS = (
    "Here is a structured look at **{a}**, with the details that matter in practice.",
    "Good question about **{a}**: let us take it apart step by step.",
    "Short version: **{a}** is mostly about _{b}_. The longer version follows.",
    "Let me walk through **{a}** and how it connects to _{b}_.",
)
POINTS = (
    "**{w}** — the part most people look at first; it decides the overall shape.",
    "**{w}** — easy to overlook, yet it changes the result more than expected.",
    "**{w}** — measure it before optimising it; intuition is often wrong here.",
    "**{w}** — a good default exists, so start there and adjust.",
    "**{w}** — interacts with everything else, so change it last.",
)
STEPS = (
    "State the question about {w} precisely.",
    "Collect a small, representative example of {w}.",
    "Try the simplest approach first and note where it fails.",
    "Compare two alternatives side by side on {w}.",
    "Write down the result and the assumptions behind it.",
)
MATH = (
    (
        "the cost grows like $O(n \\log n)$ for $n$ items",
        "T(n) = 2\\,T\\!\\left(\\frac{n}{2}\\right) + n",
    ),
    (
        "the mean is $\\bar{x} = \\frac{1}{n}\\sum_i x_i$",
        "\\sigma^2 = \\frac{1}{n}\\sum_{i=1}^{n} (x_i - \\bar{x})^2",
    ),
    ("the rate is $r = \\Delta y / \\Delta x$", "\\int_0^1 x^2 \\, dx = \\frac{1}{3}"),
    ("the ratio is $e^{i\\pi} + 1 = 0$ in spirit: tidy", "\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}"),
)
CODE = (
    '''def {name}(items: list[str]) -> dict[str, int]:
    """Count how often each {w} appears."""
    counts: dict[str, int] = {{}}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return counts


print({name}(["{w}", "{v}", "{w}"]))''',
    """from dataclasses import dataclass


@dataclass
class {cls}:
    name: str
    score: float = 0.0

    def improve(self, delta: float) -> "{cls}":
        return {cls}(self.name, self.score + delta)


print({cls}("{w}").improve(0.5))""",
    '''import math


def {name}(values: list[float]) -> float:
    """Geometric mean of the {w} measurements."""
    return math.exp(sum(math.log(v) for v in values) / len(values))


print(round({name}([1.5, 2.0, 4.0]), 3))''',
)
CLOSINGS = (
    "If you tell me more about your context, I can make this concrete for **{a}**.",
    "That covers the essentials; the table above is a good checklist to come back to.",
    "In short: start simple, measure, and only then refine your approach to **{a}**.",
)
GENERIC = ("the basics", "edge cases", "performance", "trade-offs", "testing", "examples")
DETAILS = (
    "check the assumptions against a real example",
    "prefer the simple version until it measurably fails",
    "write the edge cases down before coding them",
    "compare against a baseline, not against intuition",
    "keep units and magnitudes visible in every step",
    "document why, not only what",
)
FILLER = tuple(
    """
    simulated offline text keeps the renderer busy with ordinary prose while the stream
    flows chunk after chunk through the client and into the notebook output area
    """.split()  # noqa: SIM905
)


@dataclass
class AnswerContext:
    """What an answer may refer to: the model, the prompt, the conversation so far."""

    model_name: str
    prompt: str
    seed: int
    earlier_questions: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    system: str = ""

    @property
    def words(self) -> list[str]:
        return keywords(self.prompt) or ["your question"]


def banner(ctx: AnswerContext) -> str:
    """The honest first line: this is the simulator talking."""
    return (
        f"*Simulated answer — **{ctx.model_name}** is answering offline from the or_magics "
        "simulator; no real model was called.*"
    )


def context_lines(ctx: AnswerContext) -> list[str]:
    """Acknowledge earlier turns and received attachments, so demos read naturally."""
    lines = []
    if ctx.earlier_questions:
        turns = len(ctx.earlier_questions) + 1
        lines.append(
            f"This is turn {turns} of our conversation. Earlier you asked: "
            f"“{clip(ctx.earlier_questions[-1], 90)}” — I am building on that answer."
        )
    for item in ctx.attachments:
        lines.append(f"I received {item}.")
    if ctx.system:
        lines.append(f"(Following your instructions: “{clip(ctx.system, 70)}”.)")
    return lines


def rich_answer(ctx: AnswerContext) -> str:
    """A few hundred words of varied Markdown built around the prompt's own words."""
    seed = ctx.seed
    kw = ctx.words
    a = " ".join(kw[:2])
    b = kw[2] if len(kw) > 2 else (kw[-1] if kw else "the details")
    padded = kw + [g for g in GENERIC if g not in kw]
    w = padded[:6]
    title = " ".join(x.capitalize() if x.islower() else x for x in kw[:3])
    math_inline, math_display = MATH[seed % len(MATH)]
    code = CODE[(seed >> 3) % len(CODE)].format(
        name=snake(kw[:2]), cls=_camel(kw[:2]), w=w[0].lower(), v=w[1].lower()
    )
    blocks = [
        banner(ctx),
        *context_lines(ctx),
        f"## {title}",
        INTROS[seed % len(INTROS)].format(a=a, b=b) + f" You asked: “{clip(ctx.prompt, 120)}”.",
        "### Key points",
        "\n".join("- " + POINTS[((seed >> 5) + i) % len(POINTS)].format(w=w[i]) for i in range(3)),
        "### How to approach it",
        "\n".join(
            f"{i + 1}. " + STEPS[((seed >> 7) + i) % len(STEPS)].format(w=w[i + 1])
            for i in range(4)
        ),
        _table(kw, seed),
        f"A quick illustration in Python, using *{w[0]}* as sample data:",
        f"```python\n{code}\n```",
        f"For the quantitative side, {math_inline}, and more generally:",
        f"$$\n{math_display}\n$$",
        f"> **Tip:** treat _{w[2]}_ as a hypothesis to test, not a fact to assume.",
        CLOSINGS[(seed >> 9) % len(CLOSINGS)].format(a=a),
    ]
    return "\n\n".join(blocks) + "\n"


def _table(kw: list[str], seed: int) -> str:
    left = kw[0] if kw else "option A"
    right = kw[1] if len(kw) > 1 else "option B"
    rows = [
        ("Effort to start", "low", "medium"),
        ("Scales to large inputs", "yes", "with care"),
        ("Typical time", f"{1 + seed % 4} ms", f"{2 + seed % 5} ms"),
        ("Best for", "quick answers", "deep dives"),
    ]
    lines = [f"| Aspect | {left} | {right} |", "|---|---|---|"]
    lines += [f"| {r[0]} | {r[1]} | {r[2]} |" for r in rows]
    return "\n".join(lines)


def _camel(kw: list[str]) -> str:
    name = "".join(snake([k]).title().replace("_", "") for k in kw) or "Item"
    return name if name[0].isalpha() else f"X{name}"


def sized_answer(ctx: AnswerContext, size: int) -> str:
    """Rich Markdown of exactly `size` UTF-8 bytes (at least a short paragraph)."""
    if size < 120:
        return _pad("", size)
    blocks = rich_answer(ctx).rstrip("\n").split("\n\n")
    part = 1
    while _bytes("\n\n".join(blocks)) < size:
        blocks += _deep_dive(ctx, part)
        part += 1
    while blocks and (_bytes("\n\n".join(blocks)) + 2 + 40 > size or blocks[-1].startswith("#")):
        blocks.pop()
    text = "\n\n".join(blocks) + "\n\n"
    return text + _pad(ctx.words[0], size - _bytes(text))


def _deep_dive(ctx: AnswerContext, part: int) -> list[str]:
    kw = ctx.words
    w = kw[part % len(kw)]
    blocks = [
        f"### Part {part}: more on {w}",
        f"Looking again at **{w}** from angle {part}: the same ideas apply, but the "
        f"trade-offs shift as the problem grows. Keep _{kw[(part + 1) % len(kw)]}_ in mind.",
        "\n".join(
            f"- point {part}.{i + 1}: {DETAILS[(part + i) % len(DETAILS)]}" for i in range(4)
        ),
    ]
    if part % 3 == 0:
        blocks.append(
            f"```python\nresult_{part} = sum(range({part * 10}))\nprint(result_{part})\n```"
        )
    if part % 4 == 0:
        blocks.append(f"| step | value |\n|---|---|\n| {part} | ${part}^2 = {part * part}$ |")
    return blocks


def _pad(word: str, remaining: int) -> str:
    """A final ASCII paragraph of exactly `remaining` bytes, ending in '.\\n'."""
    if remaining <= 0:
        return ""
    if remaining == 1:
        return "\n"
    body = f"In closing, {word}: " if word.isascii() else "In closing: "
    i = 0
    while len(body) < remaining - 2:
        body += FILLER[i % len(FILLER)] + " "
        i += 1
    body = body[: remaining - 2]
    if body.endswith(" "):
        body = body[:-1] + "s"
    return body + ".\n"


def _bytes(text: str) -> int:
    return len(text.encode())


def stress_pieces(chunks: int, chunk_chars: int) -> Iterator[str]:
    """`chunks` deltas of exactly `chunk_chars` characters of plain Markdown prose."""
    line = "The simulator streams this sentence as a benchmark of small deltas. "
    source = line * (chunk_chars // len(line) + 2)
    offset = 0
    for i in range(chunks):
        start = offset % len(line)
        piece = source[start : start + chunk_chars]
        if i % 40 == 39 and chunk_chars > 1:
            piece = piece[:-1] + "\n"
        offset += chunk_chars
        yield piece


def reasoning_text(ctx: AnswerContext, effort: str, budget: int | None = None) -> str:
    """Plausible thinking-out-loud, longer for higher effort, capped by a token budget."""
    kw = ctx.words
    steps = {"minimal": 1, "low": 2, "medium": 4, "high": 6, "xhigh": 8, "max": 10}.get(effort, 4)
    lines = [f"The user asks: “{clip(ctx.prompt, 80)}”. Let me think about {kw[0]} first."]
    templates = (
        "What does {w} depend on? Probably on the size of the input and the constraints.",
        "I should check an edge case for {w}: an empty or very large input.",
        "A table comparing {w} with the alternative would help the reader.",
        "A short Python example makes {w} concrete; keep it runnable.",
        "Maybe add the formula so the quantitative part of {w} is clear.",
        "Double-check: is the claim about {w} right? Yes, for typical inputs.",
        "Order the answer: summary, key points, steps, example, closing tip.",
        "Keep the tone practical and the length moderate.",
    )
    for i in range(steps):
        lines.append(templates[(ctx.seed + i) % len(templates)].format(w=kw[(i + 1) % len(kw)]))
    text = " ".join(lines)
    if budget is not None:
        text = text[: max(16, budget * 4)]
    return text


def tool_result_answer(ctx: AnswerContext, results: list[tuple[str, str]]) -> str:
    """An answer that uses tool results: `(tool name, result content)` pairs."""
    blocks = [banner(ctx), *context_lines(ctx), "## Result"]
    names = ", ".join(f"`{name}`" for name, _ in results)
    blocks.append(f"I called {names} and here is what came back:")
    for name, content in results:
        shown = clip(content, 600)
        try:
            parsed = json.loads(content)
        except (ValueError, TypeError):
            parsed = None
        if isinstance(parsed, dict) and parsed:
            rows = "\n".join(
                f"| {k} | {clip(json.dumps(v, ensure_ascii=False), 60)} |"
                for k, v in list(parsed.items())[:8]
            )
            blocks.append(f"**{name}**\n\n| field | value |\n|---|---|\n{rows}")
        else:
            blocks.append(f"**{name}** returned:\n\n> {shown}")
    first = results[0][1] if results else ""
    blocks.append(
        f"So, to answer “{clip(ctx.prompt, 80)}”: based on the tool output, **{clip(first, 80)}**."
    )
    return "\n\n".join(blocks) + "\n"


def cited_answer(ctx: AnswerContext, sources: list[tuple[str, str]]) -> str:
    """A web-search answer citing `(title, url)` sources as numbered Markdown links."""
    kw = ctx.words
    blocks = [banner(ctx), *context_lines(ctx), f"## What the web says about {' '.join(kw[:2])}"]
    for i, (title, url) in enumerate(sources, start=1):
        w = kw[i % len(kw)]
        blocks.append(f"- {title} discusses **{w}** and its practical consequences [{i}]({url}).")
    blocks.append(
        "Taken together, the sources agree on the basics and differ on the details; "
        f"the most recent one [{len(sources)}]({sources[-1][1]}) is the best starting point."
        if sources
        else "No sources were found."
    )
    return "\n\n".join(blocks) + "\n"


def json_object_answer(ctx: AnswerContext) -> dict[str, object]:
    """A small JSON object for `response_format: {type: json_object}`."""
    kw = ctx.words
    return {
        "topic": " ".join(kw[:2]),
        "keywords": kw[:4],
        "summary": f"Simulated answer about {' '.join(kw[:3])}.",
        "confidence": round(0.5 + (ctx.seed % 40) / 100, 2),
        "simulated": True,
    }
