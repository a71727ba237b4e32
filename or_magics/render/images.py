"""Generated images as outputs: their own ``image/png`` (or JPEG, GIF, WebP) output.

Model output is untrusted, so an image is shown only when it is a base64 data URL whose
bytes really are the raster format it claims (SVG, which can carry script, never is); a
remote URL is never loaded: it becomes a link, with its address in view.
"""

from __future__ import annotations

import base64
import binascii
from html import escape
from urllib.parse import urlsplit

from .sanitize import sanitize

__all__ = ["image_bundle", "image_html", "image_line"]

_FORMATS = {"image/png": (b"\x89PNG\r\n\x1a\n", "PNG"), "image/jpeg": (b"\xff\xd8\xff", "JPEG"),
            "image/gif": (b"GIF8", "GIF"), "image/webp": (b"RIFF", "WebP")}


def _raster(url: str) -> tuple[str, bytes] | None:
    """(mime, bytes) of a data URL that is really a PNG, JPEG, GIF or WebP."""
    if not url.startswith("data:") or "," not in url:
        return None
    head, payload = url[5:].split(",", 1)
    mime = head.split(";", 1)[0].strip().lower()
    if ";base64" not in head or mime not in _FORMATS:
        return None
    try:
        raw = base64.b64decode("".join(payload.split()), validate=True)
    except (binascii.Error, ValueError):
        return None
    return (mime, raw) if raw.startswith(_FORMATS[mime][0]) else None


def image_line(url: str, number: int = 1) -> str:
    """One line of plain text for an image (terminals, text/plain)."""
    found = _raster(url)
    if found is None:
        where = url if url.startswith(("http://", "https://")) else "not valid image data"
        return f"[image {number}: {where[:120]} — not shown]"
    mime, raw = found
    return f"[image {number}: {_FORMATS[mime][1]}, {len(raw):,} bytes — response.images" \
           f"[{number - 1}]]"


def _remote_html(url: str, number: int) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https"):
        return f'<div class="orm-meta">image {number}: not valid image data, not shown</div>'
    label = escape((parts.hostname or "") + parts.path)[:120]
    return sanitize(f'<div class="orm-meta">image {number} (not loaded): '
                    f'<a href="{escape(url.strip())}">{label}</a></div>')


def image_bundle(url: str, number: int = 1) -> dict[str, str]:
    """The output for one image: the picture itself, or a link / a note when it is not
    image data."""
    found = _raster(url)
    line = image_line(url, number)
    if found is None:
        return {"text/plain": line, "text/html": _remote_html(url, number)}
    mime, raw = found
    return {mime: base64.b64encode(raw).decode("ascii"), "text/plain": line}


def image_html(url: str, number: int = 1) -> str:
    """The image inline in HTML (a saved answer's single output), sanitized."""
    found = _raster(url)
    if found is None:
        return _remote_html(url, number)
    mime, raw = found
    src = f"data:{mime};base64,{base64.b64encode(raw).decode('ascii')}"
    return sanitize(f'<div><img src="{src}" alt="generated image {number}"></div>')
