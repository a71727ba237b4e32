"""Media in and out: what an answer can say about the attachments it received, what they cost
in prompt tokens, and the small PNG an image-output model "generates".

Attachments are read from their bytes only (`probe.py`): a data URL's image header gives its
pixel size, a PDF its page count and first text, a WAV its duration. URLs are never fetched.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import math
import re
import struct
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import probe
from .text import clip, content_parts, estimate_tokens

IMAGE_TOKENS_LOW = 85
"""OpenAI's price of any image at detail "low" (and of one we cannot measure)."""
TOKENS_PER_PDF_PAGE = 258
"""What one page costs a model that reads PDFs natively (Gemini's published figure)."""
AUDIO_TOKENS_PER_SECOND = 32


@dataclass(frozen=True)
class Attachment:
    """One non-text part of a message, as far as its bytes tell."""

    kind: str
    """"image", "pdf", "file", "audio" or "video"."""
    mime: str | None = None
    size: int | None = None
    """Bytes after base64 decoding (None for a URL)."""
    url: str | None = None
    name: str | None = None
    width: int | None = None
    height: int | None = None
    colour: str | None = None
    pages: int | None = None
    title: str | None = None
    text: str = ""
    fmt: str | None = None
    seconds: float | None = None
    detail: str = ""
    digest: str = ""
    """sha256 of the bytes: the `hash` of a file annotation."""
    low_detail: bool = False

    @property
    def tokens(self) -> int:
        """Prompt tokens this attachment costs, by the providers' published rules."""
        if self.kind == "image":
            return _image_tokens(self.width, self.height, self.low_detail)
        if self.kind == "pdf":
            return max(TOKENS_PER_PDF_PAGE * (self.pages or 1), estimate_tokens(self.text))
        if self.kind == "audio":
            seconds = self.seconds if self.seconds is not None else (self.size or 0) / 16_000
            return max(1, math.ceil(seconds * AUDIO_TOKENS_PER_SECOND))
        if self.kind == "file":
            return estimate_tokens(self.text) or 1
        return TOKENS_PER_PDF_PAGE

    def sentence(self) -> str:
        """How the answer acknowledges it ("You sent an image: a PNG of 64 × 48 pixels...")."""
        size = f" ({human_size(self.size)})" if self.size is not None else ""
        if self.kind == "image":
            if self.url:
                return f"You linked an image at {clip(self.url, 80)}; I can only go by its address."
            what = self.fmt or (self.mime or "image").split("/")[-1].upper()
            pixels = f" of {self.width} × {self.height} pixels" if self.width else ""
            colour = f", mostly {self.colour}" if self.colour else ""
            return f"You sent an image: {_a(what)} {what}{pixels}{size}{colour}."
        name = f"**{self.name}**" if self.name else "a file"
        if self.kind == "pdf":
            if self.url:
                return f"You linked the PDF {name} at {clip(self.url, 80)}."
            pages = f" of {_plural(self.pages, 'page')}" if self.pages else ""
            title = f", titled “{clip(self.title, 60)}”" if self.title else ""
            start = f" It begins: “{clip(self.text, 120)}”" if self.text else ""
            return f"You sent {name}: a PDF{pages}{size}{title}.{start}"
        if self.kind == "audio":
            length = f", {self.seconds:.1f} seconds" if self.seconds is not None else ""
            detail = f", {self.detail}" if self.detail else ""
            return f"You sent an audio clip: {self.fmt or 'audio'}{length}{detail}{size}."
        if self.kind == "video":
            where = f" at {clip(self.url, 80)}" if self.url else size
            return f"You sent a video{where}."
        lines = f" of {_plural(self.text.count(chr(10)) + 1, 'line')}" if self.text else ""
        return f"You sent {name}: {self.mime or 'a file'}{lines}{size}."


def _image_tokens(width: int | None, height: int | None, low: bool) -> int:
    """OpenAI's tile rule: fit in 2048², shortest side to 768, then 85 + 170 per 512² tile."""
    if low or not width or not height:
        return IMAGE_TOKENS_LOW
    scale = min(1.0, 2048 / max(width, height))
    w, h = width * scale, height * scale
    scale = min(1.0, 768 / min(w, h))
    w, h = w * scale, h * scale
    return IMAGE_TOKENS_LOW + 170 * math.ceil(w / 512) * math.ceil(h / 512)


def human_size(n: int | None) -> str:
    if n is None:
        return "unknown size"
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    return f"{n / 1024:.1f} KB" if n >= 1024 else f"{n} bytes"


def _plural(n: int | None, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _a(word: str) -> str:
    return "an" if word[:1].upper() in "AEIOU" or word.startswith(("MP", "F", "H")) else "a"


def attachments(content: Any) -> list[Attachment]:
    """Every non-text part of a message's content, probed."""
    return [a for a in (attachment(part) for part in content_parts(content)) if a is not None]


def attachment(part: Mapping[str, Any]) -> Attachment | None:
    kind = part.get("type")
    if kind == "image_url":
        spec = part.get("image_url") or {}
        url = str(spec.get("url", "") if isinstance(spec, Mapping) else spec)
        low = isinstance(spec, Mapping) and spec.get("detail") == "low"
        return _image(url, low)
    if kind == "file":
        spec = part.get("file") or {}
        name = spec.get("filename") or spec.get("file_id")
        return _file(str(name) if name else None, str(spec.get("file_data", "")))
    if kind == "input_audio":
        spec = part.get("input_audio") or {}
        return _audio(str(spec.get("data", "")), str(spec.get("format", "")))
    if kind in ("video_url", "input_video"):
        spec = part.get("video_url") or {}
        url = str(spec.get("url", "") if isinstance(spec, Mapping) else spec)
        decoded = probe.decode_data_url(url)
        if decoded:
            return Attachment("video", mime=decoded[0], size=len(decoded[1]))
        return Attachment("video", url=url)
    return None


# One request probes the same part several times (token count, cache segments, the answer):
# the probes are pure, so keep the last few results.
@functools.lru_cache(maxsize=32)
def _audio(data: str, declared: str) -> Attachment:
    raw = probe.decode_base64(data) or b""
    info = probe.audio_info(raw, declared)
    return Attachment(
        "audio", size=len(raw), fmt=info.format, seconds=info.seconds, detail=info.detail
    )


@functools.lru_cache(maxsize=32)
def _image(url: str, low: bool) -> Attachment:
    decoded = probe.decode_data_url(url)
    if decoded is None:
        return Attachment("image", url=url, low_detail=low)
    mime, raw = decoded
    info = probe.image_info(raw)
    if info is None:
        return Attachment("image", mime=mime, size=len(raw), low_detail=low)
    return Attachment(
        "image",
        mime=mime,
        size=len(raw),
        width=info.width,
        height=info.height,
        colour=info.colour,
        fmt=info.format,
        low_detail=low,
    )


@functools.lru_cache(maxsize=32)
def _file(name: str | None, data: str) -> Attachment:
    decoded = probe.decode_data_url(data)
    is_pdf = (name or "").lower().endswith(".pdf") or data.startswith("data:application/pdf")
    if decoded is None:
        kind = "pdf" if is_pdf or data.lower().split("?")[0].endswith(".pdf") else "file"
        return Attachment(kind, url=data or None, name=name)
    mime, raw = decoded
    digest = hashlib.sha256(raw).hexdigest()
    info = probe.pdf_info(raw)
    if info is not None:
        return Attachment(
            "pdf",
            mime="application/pdf",
            size=len(raw),
            name=name,
            pages=info.pages,
            title=info.title,
            text=info.text,
            digest=digest,
        )
    text = raw[:20_000].decode("utf-8", "replace") if mime.startswith("text/") else ""
    return Attachment("file", mime=mime, size=len(raw), name=name, text=text, digest=digest)


def file_annotation(item: Attachment, engine: str) -> dict[str, Any]:
    """The `file` annotation OpenRouter returns for a parsed PDF, so a client can send it back
    with the next turn and skip parsing (and paying for) the file again."""
    text = item.text or f"(parsed with {engine}: {_plural(item.pages or 1, 'page')}, no text layer)"
    return {
        "type": "file",
        "file": {
            "hash": item.digest,
            "name": item.name or "document.pdf",
            "content": [{"type": "text", "text": text}],
        },
    }


# -- image output -----------------------------------------------------------------------------
# fmt: off
_FONT = {
    "A": "01110 10001 10001 11111 10001 10001 10001",
    "B": "11110 10001 10001 11110 10001 10001 11110",
    "C": "01110 10001 10000 10000 10000 10001 01110",
    "D": "11110 10001 10001 10001 10001 10001 11110",
    "E": "11111 10000 10000 11110 10000 10000 11111",
    "F": "11111 10000 10000 11110 10000 10000 10000",
    "G": "01110 10001 10000 10111 10001 10001 01111",
    "H": "10001 10001 10001 11111 10001 10001 10001",
    "I": "01110 00100 00100 00100 00100 00100 01110",
    "J": "00111 00010 00010 00010 00010 10010 01100",
    "K": "10001 10010 10100 11000 10100 10010 10001",
    "L": "10000 10000 10000 10000 10000 10000 11111",
    "M": "10001 11011 10101 10101 10001 10001 10001",
    "N": "10001 10001 11001 10101 10011 10001 10001",
    "O": "01110 10001 10001 10001 10001 10001 01110",
    "P": "11110 10001 10001 11110 10000 10000 10000",
    "Q": "01110 10001 10001 10001 10101 10010 01101",
    "R": "11110 10001 10001 11110 10100 10010 10001",
    "S": "01111 10000 10000 01110 00001 00001 11110",
    "T": "11111 00100 00100 00100 00100 00100 00100",
    "U": "10001 10001 10001 10001 10001 10001 01110",
    "V": "10001 10001 10001 10001 10001 01010 00100",
    "W": "10001 10001 10001 10101 10101 10101 01010",
    "X": "10001 10001 01010 00100 01010 10001 10001",
    "Y": "10001 10001 01010 00100 00100 00100 00100",
    "Z": "11111 00001 00010 00100 01000 10000 11111",
    "0": "01110 10001 10011 10101 11001 10001 01110",
    "1": "00100 01100 00100 00100 00100 00100 01110",
    "2": "01110 10001 00001 00010 00100 01000 11111",
    "3": "11111 00010 00100 00010 00001 10001 01110",
    "4": "00010 00110 01010 10010 11111 00010 00010",
    "5": "11111 10000 11110 00001 00001 10001 01110",
    "6": "00110 01000 10000 11110 10001 10001 01110",
    "7": "11111 00001 00010 00100 01000 01000 01000",
    "8": "01110 10001 10001 01110 10001 10001 01110",
    "9": "01110 10001 10001 01111 00001 00010 01100",
    "?": "01110 10001 00001 00010 00100 00000 00100",
}
# fmt: on
IMAGE_LONG_SIDE = 64
SHADES = 16


def image_size(aspect_ratio: Any) -> tuple[int, int]:
    """Pixels for `image_config.aspect_ratio` ("16:9"), 64 on the long side."""
    match = re.fullmatch(r"\s*(\d+)\s*:\s*(\d+)\s*", str(aspect_ratio or "1:1"))
    wide, tall = (int(match.group(1)), int(match.group(2))) if match else (1, 1)
    if not wide or not tall:
        wide = tall = 1
    if wide >= tall:
        return IMAGE_LONG_SIDE, max(8, round(IMAGE_LONG_SIDE * tall / wide))
    return max(8, round(IMAGE_LONG_SIDE * wide / tall)), IMAGE_LONG_SIDE


def generated_png(seed: int, letter: str, size: tuple[int, int] = (64, 64)) -> bytes:
    """A small deterministic palette PNG: a diagonal two-colour gradient with `letter` in
    white, a few hundred bytes."""
    width, height = size
    glyph = [int(row, 2) for row in _FONT.get(letter.upper(), _FONT["?"]).split()]
    scale = max(1, min(width, height) * 6 // 10 // 7)
    left, top = (width - 5 * scale) // 2, (height - 7 * scale) // 2
    start = ((seed >> 8) & 255, (seed >> 16) & 255, (seed >> 24) & 255)
    end = tuple(255 - c // 2 for c in reversed(start))
    palette = (
        b"".join(
            bytes(round(a + (b - a) * i / (SHADES - 1)) for a, b in zip(start, end, strict=True))
            for i in range(SHADES)
        )
        + b"\xff\xff\xff"
    )
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        for x in range(width):
            gx, gy = (x - left) // scale, (y - top) // scale
            ink = 0 <= gx < 5 and 0 <= gy < 7 and x >= left and y >= top
            if ink and glyph[gy] >> (4 - gx) & 1:
                rows.append(SHADES)
            else:
                rows.append((x + y) * SHADES // (width + height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0))
        + _chunk(b"PLTE", palette)
        + _chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + _chunk(b"IEND", b"")
    )


def _chunk(tag: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(tag + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", crc)


def generated_image(seed: int, letter: str = "?", aspect_ratio: Any = None) -> dict[str, Any]:
    """One `message.images` entry: the PNG as a base64 data URL, as OpenRouter sends it."""
    png = generated_png(seed, letter, image_size(aspect_ratio))
    url = "data:image/png;base64," + base64.b64encode(png).decode()
    return {"type": "image_url", "image_url": {"url": url}, "index": 0}
