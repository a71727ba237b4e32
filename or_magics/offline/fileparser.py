"""The file-parser plugin: which engine reads a PDF, what it costs, and the `file` annotations.

PDFs work on every model: a model that reads files natively gets the PDF as it is (charged as
input tokens); any other model gets OpenRouter's parse of it, by default with mistral-ocr at
$2 per 1000 pages, or free with cloudflare-ai (what the deprecated "pdf-text" now means). A
parsed PDF comes back as a `file` annotation the client may send back to skip the fee.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .catalogue import Model
from .media import Attachment, file_annotation

if TYPE_CHECKING:
    from .compose import Plan

DEFAULT_ENGINE = "mistral-ocr"
MISTRAL_OCR_PER_PAGE = Decimal("0.002")
ENGINE_ALIASES = {"pdf-text": "cloudflare-ai"}


def engine(body: Mapping[str, Any], model: Model) -> str:
    """The engine the request asks for, else native when the model reads files itself."""
    for plugin in body.get("plugins") or []:
        if isinstance(plugin, Mapping) and plugin.get("id") == "file-parser":
            if plugin.get("enabled") is False:
                break
            pdf = plugin.get("pdf") or {}
            chosen = pdf.get("engine") if isinstance(pdf, Mapping) else None
            if isinstance(chosen, str) and chosen:
                if chosen == "native" and "file" not in model.input_modalities:
                    break  # native needs a model that reads files; fall back to the default
                return ENGINE_ALIASES.get(chosen, chosen)
    return "native" if "file" in model.input_modalities else DEFAULT_ENGINE


def _echoed(body: Mapping[str, Any]) -> set[str]:
    """Hashes of files whose parse the client sent back on an assistant message."""
    out = set()
    for msg in body.get("messages") or []:
        if isinstance(msg, Mapping) and msg.get("role") == "assistant":
            for note in msg.get("annotations") or []:
                if isinstance(note, Mapping) and note.get("type") == "file":
                    digest = (note.get("file") or {}).get("hash")
                    if isinstance(digest, str):
                        out.add(digest)
    return out


def apply(
    plan: Plan, body: Mapping[str, Any], model: Model, attachments: Sequence[Attachment]
) -> None:
    """Annotate and price the PDFs of the last user message."""
    pdfs = [a for a in attachments if a.kind == "pdf" and a.url is None]
    if not pdfs:
        return
    chosen = engine(body, model)
    if chosen == "native":
        return
    reused = _echoed(body)
    for item in pdfs:
        plan.annotations.append(file_annotation(item, chosen))
        if chosen == "mistral-ocr" and item.digest not in reused:
            plan.parse_cost += MISTRAL_OCR_PER_PAGE * (item.pages or 1)
