"""`Image`: a picture an image model generated, as a string that is also an image.

OpenRouter sends generated images as data URLs (``data:image/png;base64,…``). An `Image`
is that URL (so code that read ``response.images`` as strings keeps working: equality,
``startswith``, JSON) with the decoded bytes, the MIME type, the pixel size, ``save(path)``
and ``_repr_png_`` / ``_repr_jpeg_``, so a notebook shows it as a picture. Model output is
untrusted: only raster data URLs whose bytes really are that format are ever displayed; a
remote URL is kept as text and never fetched.
"""

from __future__ import annotations

import base64
import binascii
import struct
from functools import cached_property
from pathlib import Path
from typing import Any

__all__ = ["Image"]

_MAGIC = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff",
          "image/gif": b"GIF8", "image/webp": b"RIFF"}
_SUFFIX = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif",
           "image/webp": ".webp"}


class Image(str):
    """A generated image: ``str(image)`` is its URL; ``.data`` its bytes (None when it is a
    remote URL, which is never fetched); ``.save("cat.png")`` writes them."""

    @property
    def url(self) -> str:
        return str(self)

    @property
    def remote(self) -> bool:
        return not self.startswith("data:")

    @cached_property
    def _decoded(self) -> tuple[str | None, bytes | None]:
        if self.remote or "," not in self:
            return None, None
        head, payload = self[5:].split(",", 1)
        mime = head.split(";", 1)[0].lower() or None
        if ";base64" not in head:
            return mime, None
        try:
            raw = base64.b64decode(payload + "=" * (-len(payload) % 4))
        except (binascii.Error, ValueError):
            return mime, None
        magic = _MAGIC.get(mime or "")
        return mime, raw if magic is not None and raw.startswith(magic) else None

    @property
    def mime(self) -> str | None:
        """``image/png``, ``image/jpeg``...; None for a remote URL."""
        return self._decoded[0]

    @property
    def data(self) -> bytes | None:
        """The image's bytes, when it is a raster data URL whose bytes match its type."""
        return self._decoded[1]

    @property
    def size(self) -> tuple[int, int] | None:
        """(width, height) in pixels, from a PNG, GIF or JPEG header."""
        raw = self.data
        if raw is None:
            return None
        if self.mime == "image/png" and len(raw) >= 24:
            width, height = struct.unpack(">II", raw[16:24])
            return width, height
        if self.mime == "image/gif" and len(raw) >= 10:
            width, height = struct.unpack("<HH", raw[6:10])
            return width, height
        if self.mime == "image/jpeg":
            from ..kernel.images import sniff_image

            found = sniff_image(raw)
            if found is not None and found[1] is not None and found[2] is not None:
                return found[1], found[2]
        return None

    def _repr_png_(self) -> bytes | None:
        return self.data if self.mime == "image/png" else None

    def _repr_jpeg_(self) -> bytes | None:
        return self.data if self.mime == "image/jpeg" else None

    def save(self, path: str | Path) -> Path:
        """Write the image (a missing suffix is added: ``"cat"`` -> ``cat.png``)."""
        raw = self.data
        if raw is None:
            what = "a remote image (never fetched here)" if self.remote else "not image data"
            raise ValueError(f"cannot save {what}: {self.url[:80]}")
        target = Path(path).expanduser()
        if not target.suffix:
            target = target.with_suffix(_SUFFIX.get(self.mime or "", ".img"))
        target.write_bytes(raw)
        return target

    def __repr__(self) -> str:
        if self.remote:
            return f"<Image at {self.url[:80]} (remote: not fetched)>"
        if self.data is None:
            return f"<Image {self.mime or '?'}: not valid image data>"
        size = f" {self.size[0]}×{self.size[1]}" if self.size else ""
        return f"<Image {self.mime}{size}, {len(self.data):,} bytes>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))

    def __reduce__(self) -> tuple[Any, ...]:
        return Image, (str(self),)
