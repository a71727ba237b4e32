"""The rich demo document, and the sized and stress answers built from it.

Written only when a prompt asks for a long or formatted answer, or for the `answer_bytes` /
`chunks` knobs: headings, lists, a table, a fenced Python block, inline and display math,
emphasis and a quote, everything a notebook renderer must handle.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from . import forms, knowledge, prose
from .shapes import Shape, topic_of
from .text import clip

if TYPE_CHECKING:
    from .answers import AnswerContext

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
FORMAT_NOISE = frozenset(
    """
    detail detailed depth in-depth thorough comprehensive report essay article tutorial
    overview table tables code snippet math formula formulas equation headings sections
    markdown formatted long answer document deep dive
    """.split()  # noqa: SIM905
)
"""Words that ask for the rich document's form, not about its subject."""
FILLER = tuple(
    """
    plain filler text keeps the renderer busy with ordinary prose while the stream
    flows chunk after chunk through the client and into the notebook output area
    """.split()  # noqa: SIM905
)


def attachment_lines(ctx: AnswerContext) -> str:
    """One sentence per attachment: what arrived, as far as its bytes tell."""
    return (
        "\n".join(f"- {a.sentence()}" for a in ctx.attachments)
        if len(ctx.attachments) > 1
        else ctx.attachments[0].sentence()
    )


def context_lines(ctx: AnswerContext) -> list[str]:
    """Acknowledge earlier turns, attachments and instructions (the rich document only)."""
    lines = []
    if ctx.earlier_questions:
        turns = len(ctx.earlier_questions) + 1
        lines.append(
            f"This is turn {turns} of our conversation. Earlier you asked: "
            f"{_quoted(ctx.earlier_questions[-1], 90)} I am building on that answer."
        )
    if ctx.attachments:
        lines.append(attachment_lines(ctx))
    if ctx.system:
        lines.append(f"Following your instructions: {_quoted(ctx.system, 70)}")
    return lines


def _quoted(text: str, limit: int) -> str:
    shown = clip(text, limit)
    return f"“{shown}”" + ("" if shown[-1:] in ".?!…" else ".")


def rich_answer(ctx: AnswerContext) -> str:
    """A few hundred words of varied Markdown built around the prompt's own words."""
    seed = ctx.seed
    kw = [k for k in ctx.words if k.lower() not in FORMAT_NOISE] or ctx.words
    b = kw[2] if len(kw) > 2 else (kw[-1] if kw else "the details")
    padded = kw + [g for g in GENERIC if g not in kw]
    w = padded[:6]
    topic, definition = _rich_topic(ctx)
    title = " ".join(x.capitalize() if x.islower() else x for x in topic.split())
    math_inline, math_display = MATH[seed % len(MATH)]
    _, code_block = prose.code_block(ctx, Shape(kind="code"), topic)
    intro = INTROS[seed % len(INTROS)].format(a=topic, b=b)
    blocks = [
        *context_lines(ctx),
        f"## {title}",
        f"{intro} You asked: {forms.echo(ctx, 120)}",
        *([definition] if definition else []),
        "### Key points",
        "\n".join("- " + POINTS[((seed >> 5) + i) % len(POINTS)].format(w=w[i]) for i in range(3)),
        "### How to approach it",
        "\n".join(
            f"{i + 1}. " + STEPS[((seed >> 7) + i) % len(STEPS)].format(w=w[i + 1])
            for i in range(4)
        ),
        _table(kw, seed),
        f"A quick illustration in Python, using *{w[0]}* as sample data:",
        code_block,
        f"For the quantitative side, {math_inline}, and more generally:",
        f"$$\n{math_display}\n$$",
        f"> **Tip:** treat _{w[2]}_ as a hypothesis to test, not a fact to assume.",
        CLOSINGS[(seed >> 9) % len(CLOSINGS)].format(a=topic),
    ]
    return "\n\n".join(blocks) + "\n"


def _rich_topic(ctx: AnswerContext) -> tuple[str, str | None]:
    """The document's subject: a known term, else the prompt's topic without the words that
    asked for the format ("in detail", "with a table and code")."""
    found = knowledge.define(ctx.prompt)
    if found is not None:
        return found[0], found[1]
    topic = topic_of(ctx.prompt)
    topic = re.split(r"\b(?:in detail|in depth|detailed|thorough|with|including)\b", topic)[0]
    words = [w for w in topic.split() if w.lower() not in ("report", "essay", "article")]
    return " ".join(words).strip() or " ".join(ctx.words[:2]), None


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
