"""``images=`` and ``files=`` as content parts: PDFs as ``file``, audio as ``input_audio``.

What a file is comes from its first bytes (then its name): a PDF becomes a ``file`` part
with its filename and a data URL (OpenRouter parses it for models that cannot read PDFs),
audio becomes ``input_audio`` in base64 (OpenRouter takes no audio URLs), an image file
becomes an image part. A path that cannot be read, or a file of another kind, is one line
naming it, and nothing is sent.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from ..errors import InvalidParameterError
from .images import data_url, image_part, is_image_like, read_file, sniff_image

__all__ = ["AUDIO_FORMATS", "Attached", "attach", "file_part"]

#: File extension -> the ``input_audio.format`` providers name it by.
AUDIO_FORMATS = {"wav": "wav", "mp3": "mp3", "flac": "flac", "m4a": "m4a", "ogg": "ogg",
                 "oga": "ogg", "aiff": "aiff", "aif": "aiff", "aac": "aac"}
_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp")


@dataclass
class Attached:
    """The parts to add to the prompt, and what to tell a person (downscaled images)."""

    parts: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _listed(value: Any, name: str) -> list[Any]:
    """One item or a list of them (a string, bytes or a figure is one item)."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, (str, bytes, bytearray, os.PathLike, Mapping)) or \
            is_image_like(value) or type(value).__module__.split(".")[0] == "numpy":
        return [value]
    raise InvalidParameterError(name, f"give a list of {name}, not a {type(value).__name__}")


def attach(images: Any = None, files: Any = None) -> Attached:
    """Every image and file as content parts, in order; a bad one raises. A content part
    (a dict with a ``type``) is kept as it is."""
    out = Attached()
    for i, value in enumerate(_listed(images, "images")):
        if isinstance(value, Mapping) and "type" in value:
            out.parts.append(dict(value))
            continue
        part, note = image_part(value, f"images[{i}]")
        out.parts.append(part)
        if note:
            out.notes.append(note)
    for i, value in enumerate(_listed(files, "files")):
        part, note = file_part(value, f"files[{i}]")
        out.parts.append(part)
        if note:
            out.notes.append(note)
    return out


def _audio_format(raw: bytes) -> str | None:
    if raw[:4] == b"RIFF" and raw[8:12] == b"WAVE":
        return "wav"
    if raw[:3] == b"ID3" or (len(raw) > 1 and raw[0] == 0xFF and raw[1] & 0xE0 == 0xE0
                             and raw[1] & 0x06):
        return "mp3"
    if raw[:4] == b"fLaC":
        return "flac"
    if raw[:4] == b"OggS":
        return "ogg"
    if raw[:4] == b"FORM" and raw[8:12] in (b"AIFF", b"AIFC"):
        return "aiff"
    if raw[4:8] == b"ftyp":
        return "m4a"
    if len(raw) > 1 and raw[0] == 0xFF and raw[1] & 0xF6 == 0xF0:
        return "aac"
    return None


def _suffix(name: str) -> str:
    return PurePosixPath(name).suffix.lower()


def file_part(value: Any, where: str = "files[0]") -> tuple[dict[str, Any], str | None]:
    """The content part for one file: a path, a URL (PDFs only), bytes, a file object
    (``open(...)``, ``io.BytesIO``) or a ``(filename, bytes)`` pair."""
    name: str | None = None
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return _url_part(value, where), None
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str):
        name, value = value
    if hasattr(value, "read") and not isinstance(value, (str, bytes)):
        name = name or os.path.basename(str(getattr(value, "name", "") or "")) or None
        value = value.getvalue() if hasattr(value, "getvalue") else value.read()
    if isinstance(value, (str, os.PathLike)):
        path = Path(value).expanduser()
        name, raw = name or path.name, read_file(path, where)
    elif isinstance(value, (bytes, bytearray, memoryview)):
        raw = bytes(value)
    else:
        raise InvalidParameterError(where, f"a {type(value).__name__} is not a file; give a "
                                           "path, bytes or an open file (images go in "
                                           "images=)")
    label = name or "the file"
    if not raw:
        raise InvalidParameterError(where, f"{label!r} is empty")
    if raw.startswith(b"%PDF"):
        filename = name or "document.pdf"
        return {"type": "file", "file": {"filename": filename,
                                         "file_data": data_url("application/pdf", raw)}}, None
    if sniff_image(raw) is not None:
        return image_part(raw, where)
    fmt = _audio_format(raw) or AUDIO_FORMATS.get(_suffix(name or "").lstrip("."))
    if fmt is not None:
        data = base64.b64encode(raw).decode("ascii")
        return {"type": "input_audio", "input_audio": {"data": data, "format": fmt}}, None
    raise InvalidParameterError(where, f"{label!r} is neither a PDF nor audio ("
                                       f"{', '.join(sorted(set(AUDIO_FORMATS.values())))}); "
                                       "put text in the prompt, images in images=")


def _url_part(url: str, where: str) -> dict[str, Any]:
    name = PurePosixPath(urlsplit(url).path).name
    suffix = _suffix(name)
    if suffix.lstrip(".") in AUDIO_FORMATS:
        raise InvalidParameterError(where, "audio is sent as data, not a URL (OpenRouter does "
                                           "not fetch audio): download it and give the file")
    if suffix in _IMAGE_SUFFIXES:
        return {"type": "image_url", "image_url": {"url": url}}
    return {"type": "file", "file": {"filename": name or "document.pdf", "file_data": url}}

