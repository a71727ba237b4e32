"""Kernel images as ``image_url`` content parts: files, URLs, bytes, PIL, matplotlib, NumPy.

A model sees an image as a PNG or JPEG data URL (a URL is passed through, never fetched
here). Providers refuse images over about 20 MB and shrink anything over 2048 pixels on a
side anyway, so a bigger image is downscaled here, with a note saying so, or refused in
one line when it cannot be (no Pillow for a large file). PIL, matplotlib and NumPy are
recognised by their types' modules and only imported once such an object is in hand.
"""

from __future__ import annotations

import base64
import io
import math
import os
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InvalidParameterError

__all__ = ["MAX_BYTES", "MAX_SIDE", "Encoded", "data_url", "image_part", "is_image_like",
           "read_file", "sniff_image"]

#: Pixels on the long side a provider is sure to take (OpenAI scales into 2048², Anthropic
#: and Gemini take less or tile): larger images are downscaled to this.
MAX_SIDE = 2048
#: The request size providers refuse an image above.
MAX_BYTES = 20 * 1024 * 1024
_MIMES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}


@dataclass(frozen=True)
class Encoded:
    """An image as it is sent, and what a person should be told about it."""

    mime: str
    data: bytes
    width: int | None = None
    height: int | None = None
    note: str | None = None

    def part(self) -> dict[str, Any]:
        return {"type": "image_url", "image_url": {"url": data_url(self.mime, self.data)}}


def data_url(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _kind(value: Any) -> str:
    return f"{type(value).__module__.split('.')[0]}.{type(value).__name__}"


def is_image_like(value: Any) -> bool:
    """A Figure, Axes, PIL image, pyplot or image array: something only `image_part` sends."""
    kind = _kind(value)
    return (kind in ("matplotlib.Figure", "matplotlib.Axes", "matplotlib.SubFigure")
            or (kind.startswith("PIL.") and hasattr(value, "save"))
            or getattr(value, "__name__", None) == "matplotlib.pyplot")


def image_part(value: Any, where: str = "images[0]", *, max_side: int = MAX_SIDE,
               max_bytes: int = MAX_BYTES) -> tuple[dict[str, Any], str | None]:
    """The content part for one image, and a note when it had to be downscaled; anything
    else is an `InvalidParameterError` naming ``where`` (nothing is sent)."""
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return {"type": "image_url", "image_url": {"url": value}}, None
    encoded = encode(value, where, max_side=max_side, max_bytes=max_bytes)
    return encoded.part(), encoded.note


def encode(value: Any, where: str, *, max_side: int = MAX_SIDE,
           max_bytes: int = MAX_BYTES) -> Encoded:
    kind = _kind(value)
    if getattr(value, "__name__", None) == "matplotlib.pyplot":
        if not value.get_fignums():
            raise InvalidParameterError(
                where, "there is no current matplotlib figure (the inline backend closes "
                       "figures when their cell ends): keep it, fig = plt.gcf() in the cell "
                       "that draws it, and pass fig")
        return _figure(value.gcf(), where, max_side, max_bytes)
    if kind == "matplotlib.Figure":
        return _figure(value, where, max_side, max_bytes)
    if kind in ("matplotlib.Axes", "matplotlib.SubFigure"):  # the figure they are part of
        return _figure(value.figure, where, max_side, max_bytes)
    if kind.startswith("PIL.") and hasattr(value, "save"):
        return _pil(value, where, max_side, max_bytes)
    if kind == "numpy.ndarray":
        return _array(value, where, max_side, max_bytes)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return _bytes(bytes(value), where, None, max_side, max_bytes)
    if isinstance(value, str) and value.startswith("data:"):
        return _bytes(_from_data_url(value, where), where, None, max_side, max_bytes)
    if isinstance(value, (str, os.PathLike)):
        path = Path(value).expanduser()
        return _bytes(read_file(path, where), where, path.name, max_side, max_bytes)
    raise InvalidParameterError(
        where, f"a {type(value).__name__} is not an image; give a file path, a URL, bytes, a "
               "PIL image, a matplotlib Figure or a NumPy array")


def read_file(path: Path, where: str) -> bytes:
    """A file's bytes, or one line saying why it cannot be read."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InvalidParameterError(where, f"no file {str(path)!r} (looked in "
                                           f"{Path.cwd()})") from None
    except IsADirectoryError:
        raise InvalidParameterError(where, f"{str(path)!r} is a folder, not a file") from None
    except PermissionError:
        raise InvalidParameterError(where, f"cannot read {str(path)!r}: permission "
                                           "denied") from None
    except OSError as exc:
        raise InvalidParameterError(where, f"cannot read {str(path)!r}: "
                                           f"{exc.strerror or exc}") from None


def _from_data_url(url: str, where: str) -> bytes:
    head, sep, payload = url[5:].partition(",")
    if not sep or ";base64" not in head:
        raise InvalidParameterError(where, "a data: URL must be base64 "
                                           "(data:image/png;base64,…)")
    try:
        return base64.b64decode(payload, validate=True)
    except ValueError:
        raise InvalidParameterError(where, "the data: URL is not valid base64") from None


# -- formats and sizes from the first bytes ---------------------------------------------------


def sniff_image(raw: bytes) -> tuple[str, int | None, int | None] | None:
    """(format, width, height) of a PNG, JPEG, GIF or WebP; None for anything else."""
    if raw.startswith(b"\x89PNG\r\n\x1a\n") and raw[12:16] == b"IHDR":
        width, height = struct.unpack(">II", raw[16:24])
        return "PNG", width, height
    if raw.startswith(b"\xff\xd8\xff"):
        return ("JPEG", *_jpeg_size(raw))
    if raw[:6] in (b"GIF87a", b"GIF89a") and len(raw) >= 10:
        width, height = struct.unpack("<HH", raw[6:10])
        return "GIF", width, height
    if raw[:4] == b"RIFF" and raw[8:12] == b"WEBP":
        return ("WEBP", *_webp_size(raw))
    return None


def _jpeg_size(raw: bytes) -> tuple[int | None, int | None]:
    i = 2
    while i + 9 < len(raw):
        if raw[i] != 0xFF:
            i += 1
            continue
        marker = raw[i + 1]
        if marker in (0xD8, 0x01, 0xFF) or 0xD0 <= marker <= 0xD7:
            i += 1 if marker == 0xFF else 2
            continue
        (length,) = struct.unpack(">H", raw[i + 2:i + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", raw[i + 5:i + 9])
            return width, height
        i += 2 + length
    return None, None


def _webp_size(raw: bytes) -> tuple[int | None, int | None]:
    chunk = raw[12:16]
    if chunk == b"VP8 " and len(raw) >= 30:
        w, h = struct.unpack("<HH", raw[26:30])
        return w & 0x3FFF, h & 0x3FFF
    if chunk == b"VP8L" and len(raw) >= 25:
        bits = int.from_bytes(raw[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X" and len(raw) >= 30:
        return (int.from_bytes(raw[24:27], "little") + 1,
                int.from_bytes(raw[27:30], "little") + 1)
    return None, None


def _scaled(width: int, height: int, max_side: int) -> tuple[int, int]:
    scale = max_side / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def _downscaled(name: str, before: tuple[int, int], after: tuple[int, int]) -> str:
    return (f"{name}: {before[0]} × {before[1]} pixels, downscaled to {after[0]} × "
            f"{after[1]} for the model")


def _pillow() -> Any:
    try:
        from PIL import Image
    except ImportError:
        return None
    return Image


# -- one function per kind of value -------------------------------------------------------------


def _bytes(raw: bytes, where: str, name: str | None, max_side: int,
           max_bytes: int) -> Encoded:
    label = name or where
    found = sniff_image(raw)
    pil = _pillow()
    if found is None:
        if pil is not None:  # BMP, TIFF, ...: Pillow reads them, the model gets a PNG
            try:
                return _pil(pil.open(io.BytesIO(raw)), where, max_side, max_bytes, label)
            except (OSError, ValueError):
                pass
        raise InvalidParameterError(where, f"{label!r} is not a PNG, JPEG, GIF or WebP image")
    fmt, width, height = found
    too_wide = width is not None and height is not None and max(width, height) > max_side
    if not too_wide and len(raw) <= max_bytes:
        return Encoded(_MIMES[fmt], raw, width, height)
    if pil is None:
        why = (f"is {width} × {height} pixels; models take at most {max_side} on a side"
               if too_wide else f"is {len(raw) / 2**20:.1f} MB; providers take at most "
                                f"{max_bytes / 2**20:.0f} MB")
        raise InvalidParameterError(where, f"{label!r} {why}: install Pillow (pip install "
                                           "pillow) to downscale it here, or pass a smaller "
                                           "image")
    try:
        return _pil(pil.open(io.BytesIO(raw)), where, max_side, max_bytes, label)
    except (OSError, ValueError, getattr(pil, "DecompressionBombError", ValueError)) as exc:
        # a truncated or corrupt file, or one too big to decode safely
        raise InvalidParameterError(where, f"{label!r} cannot be read as an image "
                                           f"({exc})") from None


def _pil(image: Any, where: str, max_side: int, max_bytes: int,
         label: str | None = None) -> Encoded:
    label = label or where
    width, height = image.size
    note = None
    fmt = "JPEG" if getattr(image, "format", None) == "JPEG" else "PNG"
    if max(width, height) > max_side:
        image = image.copy()
        image.thumbnail((max_side, max_side))
        note = _downscaled(label, (width, height), image.size)
    if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.mode else "RGB")
    if fmt == "JPEG" and image.mode not in ("L", "RGB"):
        fmt = "PNG"
    out = io.BytesIO()
    image.save(out, format=fmt, **({"quality": 90} if fmt == "JPEG" else {"optimize": True}))
    data = out.getvalue()
    if len(data) > max_bytes:
        raise InvalidParameterError(where, f"{label!r} is {len(data) / 2**20:.1f} MB even at "
                                           f"{image.size[0]} × {image.size[1]}; providers "
                                           f"take at most {max_bytes / 2**20:.0f} MB")
    width, height = image.size
    return Encoded(_MIMES[fmt], data, width, height, note)


def _figure(figure: Any, where: str, max_side: int, max_bytes: int) -> Encoded:
    """A Figure as the notebook shows it (tight box, the figure's dpi), at most max_side."""
    width_in, height_in = figure.get_size_inches()
    dpi = float(figure.dpi)
    for _ in range(3):  # a tight box can come out larger than the figure: shrink and redo
        out = io.BytesIO()
        figure.savefig(out, format="png", dpi=dpi, bbox_inches="tight")
        data = out.getvalue()
        _, width, height = sniff_image(data) or ("PNG", None, None)
        if width is None or height is None or max(width, height) <= max_side:
            break
        dpi *= max_side / max(width, height) * 0.999
    full = (round(width_in * float(figure.dpi)), round(height_in * float(figure.dpi)))
    note = None
    if dpi < float(figure.dpi) and width and height:
        note = _downscaled(where, full, (width, height))
    if len(data) > max_bytes:
        raise InvalidParameterError(where, f"the figure is {len(data) / 2**20:.1f} MB as a "
                                           "PNG; make it smaller (figsize, dpi)")
    return Encoded("image/png", data, width, height, note)


def _array(array: Any, where: str, max_side: int, max_bytes: int) -> Encoded:
    """An image array (height × width, × 3 for RGB, × 4 for RGBA) as a PNG, written here:
    floats in [0, 1] are scaled to 0-255, anything else is clipped to it."""
    import numpy

    shape = tuple(array.shape)
    channels = 1 if len(shape) == 2 else shape[2] if len(shape) == 3 else 0
    if channels not in (1, 3, 4) or 0 in shape:
        raise InvalidParameterError(where, f"an array of shape {shape} is not an image; give "
                                           "height × width (grey), × 3 (RGB) or × 4 (RGBA)")
    values = numpy.asarray(array)
    if values.dtype == bool:
        values = values.astype(numpy.uint8) * 255
    elif values.dtype.kind == "f":
        finite = numpy.nan_to_num(values.astype(numpy.float64))
        top = float(finite.max()) if finite.size else 0.0
        values = numpy.clip(finite * 255 if top <= 1.0 else finite, 0, 255).round()
    elif values.dtype.kind not in "iu":
        raise InvalidParameterError(where, f"an array of {values.dtype} is not an image")
    pixels = numpy.clip(values, 0, 255).astype(numpy.uint8)
    height, width = shape[0], shape[1]
    note = None
    if max(height, width) > max_side:
        step = math.ceil(max(height, width) / max_side)
        pixels = pixels[::step, ::step]
        note = _downscaled(where, (width, height), (pixels.shape[1], pixels.shape[0]))
        height, width = pixels.shape[0], pixels.shape[1]
    rows = pixels.reshape(height, width * channels)
    filtered = numpy.concatenate([numpy.zeros((height, 1), numpy.uint8), rows], axis=1)
    colour = {1: 0, 3: 2, 4: 6}[channels]
    data = (b"\x89PNG\r\n\x1a\n"
            + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0))
            + _chunk(b"IDAT", zlib.compress(filtered.tobytes(), 6)) + _chunk(b"IEND", b""))
    if len(data) > max_bytes:
        raise InvalidParameterError(where, f"the array is {len(data) / 2**20:.1f} MB as a "
                                           "PNG; pass a smaller one")
    return Encoded("image/png", data, width, height, note)


def _chunk(tag: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(tag + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", crc)
