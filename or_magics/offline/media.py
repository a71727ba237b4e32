"""Media in and out: how an answer names the attachments it received, and generated images."""

from __future__ import annotations

import base64
import struct
import zlib
from typing import Any

from .text import clip, content_parts


def attachments(content: Any) -> list[str]:
    """How the answer names each non-text part of a message ("an image (image/png, 2.1 KB)")."""
    out = []
    for part in content_parts(content):
        kind = part.get("type")
        if kind == "image_url":
            url = str((part.get("image_url") or {}).get("url", ""))
            if url.startswith("data:"):
                mime = url[5:].split(";", 1)[0] or "image"
                out.append(f"an image ({mime}, {_size(url)})")
            else:
                out.append(f"an image from {clip(url, 60)}")
        elif kind == "file":
            info = part.get("file") or {}
            name = info.get("filename") or "an unnamed file"
            data = str(info.get("file_data", ""))
            size = f", {_size(data)}" if data.startswith("data:") else ""
            out.append(f"the file **{name}**{size}")
        elif kind == "input_audio":
            fmt = (part.get("input_audio") or {}).get("format", "audio")
            out.append(f"an audio clip ({fmt})")
        elif kind in ("video_url", "input_video"):
            out.append("a video")
    return out


def _size(data_url: str) -> str:
    payload = data_url.split(",", 1)[-1]
    n = len(payload) * 3 // 4
    return f"{n / 1024:.1f} KB" if n >= 1024 else f"{n} bytes"


def generated_image(seed: int) -> dict[str, Any]:
    """A small deterministic PNG (a two-colour gradient), as a data URL."""
    size = 32
    r0, g0, b0 = (seed >> 8) & 255, (seed >> 16) & 255, (seed >> 24) & 255
    rows = b"".join(
        b"\x00"
        + bytes(v for x in range(size) for v in ((r0 + 4 * x) & 255, (g0 + 4 * y) & 255, b0))
        for y in range(size)
    )

    def chunk(tag: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + tag
            + data
            + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
        )

    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
    url = "data:image/png;base64," + base64.b64encode(png).decode()
    return {"type": "image_url", "image_url": {"url": url}, "index": 0}
