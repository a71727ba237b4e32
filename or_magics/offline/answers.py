"""Deterministic answer text: the answer in the shape the prompt asks for, plus the answers
of the special modes (tool results, web citations, JSON objects, reasoning).

`answer` picks the form (`shapes.shape_of`) and writes it (`forms`, `prose`, or the rich
`document` when a prompt asks for a long or formatted answer). No answer says "simulated" in
its text: the client shows that label from the response's `X-Simulator` header.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import forms, knowledge, prose
from . import knowledge_data as data
from .document import attachment_lines, rich_answer
from .shapes import Shape, shape_of, topic_of
from .text import clip, keywords

if TYPE_CHECKING:
    from .media import Attachment


@dataclass
class AnswerContext:
    """What an answer may refer to: the model, the prompt, the conversation so far."""

    model_name: str
    prompt: str
    seed: int
    earlier_questions: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    system: str = ""

    @property
    def words(self) -> list[str]:
        return keywords(self.prompt) or ["your question"]


WRITERS: dict[str, Callable[[AnswerContext, Shape], str]] = {
    "greeting": forms.greeting,
    "thanks": forms.thanks,
    "joke": forms.joke,
    "translate": forms.translate,
    "label": forms.label,
    "haiku": forms.haiku,
    "poem": forms.poem,
    "story": forms.story,
    "yesno": forms.yes_no,
    "fact": forms.fact,
    "explain": prose.explain,
    "chat": prose.chat,
    "list": prose.listing,
    "table": prose.table,
    "compare": prose.compare,
    "summary": prose.summary,
    "code": prose.code,
}
"""Shape kind -> writer(ctx, shape) -> Markdown; "rich" is `rich_answer`."""


def answer(ctx: AnswerContext, shape: Shape | None = None) -> str:
    """The answer to the prompt, in the shape it asks for, attachments described first."""
    shape = shape or shape_of(ctx.prompt)
    if shape.kind == "rich":
        return rich_answer(ctx)
    if ctx.attachments and shape.kind != "label" and _about_attachment(ctx, shape):
        return attachment_lines(ctx) + "\n\n" + _on_attachment(ctx)
    text = _known(ctx, shape) or explained_error(ctx) or WRITERS[shape.kind](ctx, shape)
    if shape.words is not None:
        text = forms.limit_words(text, shape.words)
    if ctx.attachments and shape.kind != "label":
        text = attachment_lines(ctx) + "\n\n" + text
    return text


DEICTIC = re.compile(
    r"\b(?:this|these|it|attached|image|picture|photo|screenshot|chart|diagram|file|pdf|"
    r"document|report|paper|audio|recording|clip|song|video)\b",
    re.I,
)


_ERROR_LINE = re.compile(r"^(\w+(?:Error|Exception)): ?(.*)$", re.M)


def explained_error(ctx: AnswerContext) -> str | None:
    """A traceback in the prompt (``%openrouter explain``): what raised, why, the fix."""
    if "Traceback (most recent call last)" not in ctx.prompt:
        return None
    found = _ERROR_LINE.findall(ctx.prompt)
    if not found:
        return None
    name, message = found[-1]
    cause, fix = data.ERRORS.get(name, ("the line the traceback ends on failed",
                                        "read that line and the values it uses"))
    said = f"**{name}**" + (f": {message.strip()}" if message.strip() else "")
    return (f"The cell raised {said}. It means {cause}.\n\n"
            f"**Fix:** {fix}.\n")


def _about_attachment(ctx: AnswerContext, shape: Shape) -> bool:
    """ "What is this?", "Summarise it": a question about the attachment itself."""
    return (
        shape.kind in ("fact", "chat", "explain", "summary")
        and DEICTIC.search(ctx.prompt) is not None
        and knowledge.define(ctx.prompt) is None
    )


def _on_attachment(ctx: AnswerContext) -> str:
    """What can honestly be said beyond the description: a PDF's or text file's own first
    sentences, an offer to focus for the rest."""
    texts = [a.text for a in ctx.attachments if a.text]
    if texts:
        sentences = [s for s in re.split(r"(?<=[.!?])\s+|\s{2,}", texts[0]) if s.strip()]
        bullets = "\n".join(f"- {clip(s, 160)}" for s in sentences[:3])
        return f"In brief, it says:\n\n{bullets}\n"
    kinds = {a.kind for a in ctx.attachments}
    if kinds == {"audio"}:
        return "I can't give a reliable transcript of it; ask me about its format or length.\n"
    return "Ask me about a specific part of it and I'll focus on that.\n"


def _known(ctx: AnswerContext, shape: Shape) -> str | None:
    """A question the knowledge base settles gets the fact, whatever its wording."""
    if shape.kind not in ("fact", "explain", "chat", "yesno"):
        return None
    found = knowledge.lookup(ctx.prompt, ctx.earlier_questions)
    if found is None:
        return None
    if shape.kind in ("explain", "chat") and found.definition:
        return None  # an explanation builds on the definition instead
    return forms.fact(ctx, shape, found)


PLANS = {
    "haiku": "a haiku: three lines of five, seven and five syllables",
    "poem": "a short poem, two stanzas",
    "yesno": "a yes/no question, so one sentence",
    "fact": "a short factual question, so a direct answer",
    "label": "exactly one of the labels offered, nothing else",
    "list": "a list, with exactly the number of items asked for",
    "table": "a table",
    "compare": "a side-by-side comparison table and a verdict",
    "code": "code: one runnable block, a line before and one after",
    "explain": "an explanation: the definition, the steps, an example if asked",
    "summary": "a short summary in bullets",
    "rich": "a long, formatted answer: headings, a table, code and math",
    "greeting": "a friendly greeting",
    "thanks": "a short reply to thanks",
    "joke": "a short joke",
    "translate": "a translation of a short phrase",
    "story": "a short story",
    "chat": "a short overview with a few key points",
}
SHORT_KINDS = frozenset({"haiku", "yesno", "fact", "label", "greeting", "thanks", "joke"})


def reasoning_text(ctx: AnswerContext, effort: str, budget: int | None = None) -> str:
    """Plausible thinking-out-loud that matches the answer (the working of a known fact, the
    form the prompt asks for), longer for higher effort, capped by a token budget."""
    kw = ctx.words
    steps = {"minimal": 1, "low": 2, "medium": 4, "high": 6, "xhigh": 8, "max": 10}.get(effort, 4)
    shape = shape_of(ctx.prompt)
    lines = [f"The user asks: {forms.echo(ctx, 80)} They want {PLANS[shape.kind]}."]
    found = knowledge.lookup(ctx.prompt, ctx.earlier_questions)
    if found is not None:
        lines.append("I can work this out: " + found.answer.replace("**", ""))
        if found.why:
            lines.append(f"Check: {found.why}.")
    templates: tuple[str, ...] = (
        "What does {w} depend on? Probably on the size of the input and the constraints.",
        "I should check an edge case for {w}: an empty or very large input.",
        "Is there a simpler way to say this about {w}? Plain words first.",
        "A short example would make {w} concrete, if the form allows it.",
        "Double-check: is the claim about {w} right? Yes, for typical inputs.",
        "Keep the tone friendly and the length to what was asked.",
    )
    if shape.kind in SHORT_KINDS:
        templates = (
            "Keep it short: no headings, no table.",
            "Say it plainly and stop.",
            "Double-check the details before answering.",
        )
    for i in range(steps):
        lines.append(templates[(ctx.seed + i) % len(templates)].format(w=kw[(i + 1) % len(kw)]))
    text = " ".join(lines)
    if budget is not None:
        text = text[: max(16, budget * 4)]
    return text


def tool_result_answer(ctx: AnswerContext, results: list[tuple[str, str]]) -> str:
    """An answer that uses tool results: `(tool name, result content)` pairs."""
    blocks = []
    for name, content in results:
        try:
            parsed = json.loads(content)
        except (ValueError, TypeError):
            parsed = None
        if isinstance(parsed, dict) and parsed:
            items = list(parsed.items())
            said = forms_join([f"{k.replace('_', ' ')} is {_plain(v)}" for k, v in items[:4]])
            blocks.append(f"According to `{name}`, {said}.")
            if len(items) > 4:
                rows = "\n".join(
                    f"| {k} | {clip(json.dumps(v, ensure_ascii=False), 60)} |" for k, v in items
                )
                blocks.append(f"| field | value |\n|---|---|\n{rows}")
        else:
            blocks.extend(_from_text(name, str(content)))
    return "\n\n".join(blocks) + "\n"


def _from_text(name: str, content: str) -> list[str]:
    """A result in text: a Markdown table (a DataFrame) is read and shown as a table, its
    first row told in words; anything else is quoted line by line."""
    table = [line for line in content.splitlines() if line.startswith("|")]
    if len(table) >= 3:
        head = [cell.strip() for cell in table[0].strip("|").split("|")]
        first = [cell.strip() for cell in table[2].strip("|").split("|")]
        pairs = [f"{h} **{v}**" for h, v in zip(head, first, strict=False) if h and v]
        said = forms_join(pairs[:4])
        return [f"According to `{name}`, the first row has {said}.", "\n".join(table[:12])]
    quoted = "\n".join(f"> {clip(line, 200)}" for line in content.splitlines()[:12] if line)
    return [f"`{name}` returned:\n\n{quoted or '> (nothing)'}"]


def _plain(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def forms_join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def cited_answer(ctx: AnswerContext, sources: list[tuple[str, str]]) -> str:
    """A web-search answer, each claim citing its source as a numbered link `[n](url)` (the
    sources themselves come as annotations, which the display lists under the answer, so the
    text does not list them a second time)."""
    shape = shape_of(ctx.prompt)
    known = _known(ctx, shape)
    topic = topic_of(ctx.prompt) or " ".join(ctx.words[:2])
    if not sources:
        return (known or f"I searched for {topic} but found no sources.") + "\n"
    lead = (known or f"Here is what recent sources say about **{topic}**.").strip()
    blocks = [f"{lead} [1]({sources[0][1]})"]
    kw = ctx.words
    for i, (title, url) in enumerate(sources[1:], start=2):
        w = kw[i % len(kw)]
        blocks.append(f"- {title.split(':')[0]} coverage adds detail on **{w}** [{i}]({url}).")
    blocks.append(
        "Taken together, the sources agree on the basics and differ on the details; "
        f"the most recent one [{len(sources)}]({sources[-1][1]}) is the best starting point."
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
