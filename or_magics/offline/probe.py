"""Cheap facts from the first bytes of an attachment: image size, PDF pages and text, audio
duration. No decoding libraries, nothing fetched; a header we cannot read gives None.
"""

from __future__ import annotations

import base64
import binascii
import re
import struct
import zlib
from dataclasses import dataclass

MAX_PIXELS_FOR_COLOUR = 120_000
"""Unfiltering a PNG in pure Python costs a few microseconds per byte: bigger images keep
their size and lose only the colour remark."""
MAX_PDF_BYTES = 8_000_000
# fmt: off
COLOURS = {
    "black": (0, 0, 0), "white": (255, 255, 255), "grey": (128, 128, 128),
    "red": (200, 30, 30), "orange": (240, 140, 20), "yellow": (235, 215, 40),
    "green": (40, 160, 60), "teal": (20, 150, 150), "blue": (40, 80, 200),
    "purple": (130, 50, 170), "pink": (235, 120, 180), "brown": (120, 75, 40),
}
# fmt: on


def decode_data_url(url: str) -> tuple[str, bytes] | None:
    """(mime type, bytes) of a base64 `data:` URL; None for anything else."""
    if not url.startswith("data:") or "," not in url:
        return None
    head, payload = url[5:].split(",", 1)
    mime = head.split(";", 1)[0] or "application/octet-stream"
    raw = decode_base64(payload) if ";base64" in head else payload.encode()
    return (mime, raw) if raw is not None else None


def decode_base64(payload: str) -> bytes | None:
    try:
        return base64.b64decode(payload + "=" * (-len(payload) % 4), validate=False)
    except (binascii.Error, ValueError):
        return None


@dataclass(frozen=True)
class ImageInfo:
    format: str
    width: int | None = None
    height: int | None = None
    colour: str | None = None


def image_info(raw: bytes) -> ImageInfo | None:
    """Format and pixel size from a PNG, JPEG, GIF or WebP header. (kernel/images.py has
    its own: the simulator stands alone, so a mistake in the client's is not agreed with.)"""
    if raw.startswith(b"\x89PNG\r\n\x1a\n") and len(raw) >= 33 and raw[12:16] == b"IHDR":
        width, height = struct.unpack(">II", raw[16:24])
        return ImageInfo("PNG", width, height, _png_colour(raw, width, height))
    if raw.startswith(b"\xff\xd8"):
        size = _jpeg_size(raw)
        return ImageInfo("JPEG", *size) if size else ImageInfo("JPEG")
    if raw[:6] in (b"GIF87a", b"GIF89a") and len(raw) >= 10:
        width, height = struct.unpack("<HH", raw[6:10])
        return ImageInfo("GIF", width, height)
    if raw[:4] == b"RIFF" and raw[8:12] == b"WEBP":
        return ImageInfo("WebP", *(_webp_size(raw) or (None, None)))
    return None


def _jpeg_size(raw: bytes) -> tuple[int, int] | None:
    i = 2
    while i + 9 < len(raw):
        if raw[i] != 0xFF:
            i += 1
            continue
        marker = raw[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        (length,) = struct.unpack(">H", raw[i + 2 : i + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", raw[i + 5 : i + 9])
            return width, height
        i += 2 + length
    return None


def _webp_size(raw: bytes) -> tuple[int, int] | None:
    kind = raw[12:16]
    if kind == b"VP8 " and len(raw) >= 30:
        w, h = struct.unpack("<HH", raw[26:30])
        return w & 0x3FFF, h & 0x3FFF
    if kind == b"VP8L" and len(raw) >= 25:
        bits = int.from_bytes(raw[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if kind == b"VP8X" and len(raw) >= 30:
        return int.from_bytes(raw[24:27], "little") + 1, int.from_bytes(raw[27:30], "little") + 1
    return None


def _png_colour(raw: bytes, width: int, height: int) -> str | None:
    """The average colour of a small 8-bit grey, RGB or RGBA PNG, named ("dark blue")."""
    depth, kind, interlace = raw[24], raw[25], raw[28]
    channels = {0: 1, 2: 3, 6: 4}.get(kind)
    if depth != 8 or channels is None or interlace or width * height > MAX_PIXELS_FOR_COLOUR:
        return None
    chunks, pos = [], 8
    while pos + 8 <= len(raw):
        length, tag = struct.unpack(">I4s", raw[pos : pos + 8])
        if tag == b"IDAT":
            chunks.append(raw[pos + 8 : pos + 8 + length])
        pos += 12 + length
    try:
        data = zlib.decompress(b"".join(chunks))
    except zlib.error:
        return None
    stride = width * channels
    if len(data) < (stride + 1) * height:
        return None
    total = [0] * channels
    previous = bytearray(stride)
    for y in range(height):
        filt = data[y * (stride + 1)]
        row = bytearray(data[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        _unfilter(row, previous, filt, channels)
        for c in range(channels):
            total[c] += sum(row[c::channels])
        previous = row
    pixels = width * height or 1
    mean = [t / pixels for t in total]
    rgb = (mean[0],) * 3 if channels == 1 else tuple(mean[:3])
    return describe_colour(rgb)


def _unfilter(row: bytearray, prev: bytearray, filt: int, bpp: int) -> None:
    for i in range(len(row)):
        left = row[i - bpp] if i >= bpp else 0
        up = prev[i]
        if filt == 1:
            row[i] = (row[i] + left) & 0xFF
        elif filt == 2:
            row[i] = (row[i] + up) & 0xFF
        elif filt == 3:
            row[i] = (row[i] + (left + up) // 2) & 0xFF
        elif filt == 4:
            corner = prev[i - bpp] if i >= bpp else 0
            p = left + up - corner
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
            pred = left if pa <= pb and pa <= pc else up if pb <= pc else corner
            row[i] = (row[i] + pred) & 0xFF


def describe_colour(rgb: tuple[float, ...]) -> str:
    """ "dark blue (#1f3a5c)": the nearest named colour, with light/dark and the hex code."""
    r, g, b = (round(v) for v in rgb[:3])

    def distance(name: str) -> int:
        return sum((a - c) ** 2 for a, c in zip(COLOURS[name], (r, g, b), strict=True))

    name = min(COLOURS, key=distance)
    light = (r * 299 + g * 587 + b * 114) / 1000
    shade = (
        ""
        if name in ("black", "white")
        else "dark "
        if light < 70
        else "light "
        if (light > 190)
        else ""
    )
    return f"{shade}{name} (#{r:02x}{g:02x}{b:02x})"


@dataclass(frozen=True)
class PdfInfo:
    pages: int | None
    title: str | None
    text: str


def pdf_info(raw: bytes) -> PdfInfo | None:
    """Page count, title and the first text of a PDF (uncompressed or Flate streams)."""
    if not raw.startswith(b"%PDF"):
        return None
    raw = raw[:MAX_PDF_BYTES]
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", raw))
    if not pages:
        counts = [int(c) for c in re.findall(rb"/Count\s+(\d+)", raw)]
        pages = max(counts) if counts else 0
    title_match = re.search(rb"/Title\s*\(((?:\\.|[^\\)])*)\)", raw)
    title = _pdf_string(title_match.group(1)) if title_match else None
    return PdfInfo(pages or None, title or None, _pdf_text(raw))


def _pdf_text(raw: bytes, limit: int = 2000) -> str:
    pieces: list[str] = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", raw, re.S):
        body = match.group(1)
        header = raw[max(0, match.start() - 300) : match.start()]
        if b"/FlateDecode" in header:
            try:
                body = zlib.decompress(body)
            except zlib.error:
                continue
        for show in re.finditer(rb"\(((?:\\.|[^\\)])*)\)\s*Tj|\[((?:[^\]])*)\]\s*TJ", body):
            if show.group(1) is not None:
                pieces.append(_pdf_string(show.group(1)))
            else:
                parts = re.findall(rb"\(((?:\\.|[^\\)])*)\)", show.group(2))
                pieces.append("".join(_pdf_string(p) for p in parts))
        if sum(len(p) for p in pieces) > limit or len(pieces) > 400:
            break
    return " ".join(" ".join(pieces).split())[:limit]


def _pdf_string(value: bytes) -> str:
    out = re.sub(
        rb"\\([nrt()\\])",
        lambda m: {b"n": b" ", b"r": b" ", b"t": b" "}.get(m.group(1), m.group(1)),
        value,
    )
    return out.decode("latin-1", "replace").strip()


@dataclass(frozen=True)
class AudioInfo:
    format: str
    seconds: float | None = None
    detail: str = ""


def audio_info(raw: bytes, declared: str = "") -> AudioInfo:
    """Duration of WAV, MP3 and FLAC from their headers; the declared format otherwise."""
    if raw[:4] == b"RIFF" and raw[8:12] == b"WAVE":
        return _wav(raw)
    if raw[:4] == b"fLaC" and len(raw) >= 26:
        info = int.from_bytes(raw[18:26], "big")
        rate, samples = info >> 44, info & ((1 << 36) - 1)
        channels = ((info >> 41) & 0x7) + 1
        seconds = samples / rate if rate else None
        return AudioInfo("FLAC", seconds, f"{_channels(channels)} {rate / 1000:g} kHz")
    mp3 = _mp3_seconds(raw)
    if mp3 is not None:
        return AudioInfo("MP3", mp3)
    return AudioInfo((declared or "audio").upper())


def _wav(raw: bytes) -> AudioInfo:
    pos, byte_rate, detail, data_size = 12, 0, "", 0
    while pos + 8 <= len(raw):
        tag, size = raw[pos : pos + 4], int.from_bytes(raw[pos + 4 : pos + 8], "little")
        if tag == b"fmt " and pos + 24 <= len(raw):
            channels, rate, byte_rate = struct.unpack("<HII", raw[pos + 10 : pos + 20])
            detail = f"{_channels(channels)} {rate / 1000:g} kHz"
        elif tag == b"data":
            data_size = min(size, len(raw) - pos - 8)
            break
        pos += 8 + size + (size & 1)
    seconds = data_size / byte_rate if byte_rate else None
    return AudioInfo("WAV", seconds, detail)


_MP3_KBPS = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)


def _mp3_seconds(raw: bytes) -> float | None:
    start = 0
    if raw[:3] == b"ID3" and len(raw) >= 10:
        size = raw[6:10]
        start = 10 + ((size[0] << 21) | (size[1] << 14) | (size[2] << 7) | size[3])
    head = raw[start : start + 4]
    if len(head) < 4 or head[0] != 0xFF or (head[1] & 0xE0) != 0xE0:
        return None
    index = head[2] >> 4
    kbps = _MP3_KBPS[index] if 0 < index < len(_MP3_KBPS) else 0
    return (len(raw) - start) * 8 / (kbps * 1000) if kbps else None


def _channels(n: int) -> str:
    return {1: "mono", 2: "stereo"}.get(n, f"{n}-channel")
