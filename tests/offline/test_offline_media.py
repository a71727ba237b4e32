"""Attachments are described from their bytes; modalities a model lacks are refused as the
real API refuses them; image-output models generate a small real PNG."""

from __future__ import annotations

import base64
import zlib
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx2
import pytest

from . import samples
from .helpers import Event, data_chunks

Chat = Callable[..., dict[str, Any]]
Stream = Callable[..., list[Event]]
IMAGE_MODEL = "google/gemini-2.5-flash-image"


def _ask(parts: list[dict[str, Any]], text: str = "What is this?") -> list[dict[str, Any]]:
    return [{"role": "user", "content": [{"type": "text", "text": text}, *parts]}]


def _image(url: str) -> dict[str, Any]:
    return {"type": "image_url", "image_url": {"url": url}}


def _pdf(raw: bytes, name: str = "report.pdf") -> dict[str, Any]:
    return {"type": "file", "file": {"filename": name, "file_data": samples.data_url(
        "application/pdf", raw)}}  # fmt: skip


def _text(body: dict[str, Any]) -> str:
    return str(body["choices"][0]["message"]["content"])


def _post(client: httpx2.Client, **body: Any) -> httpx2.Response:
    return client.post("/chat/completions", json={"model": "openai/gpt-4o", **body})


# -- images in ----------------------------------------------------------------------------------
def test_a_png_is_described_by_its_header_and_colour(chat: Chat) -> None:
    url = samples.data_url("image/png", samples.png(40, 30, (20, 40, 200)))
    text = _text(chat(_ask([_image(url)]), model="openai/gpt-4o"))
    assert text.startswith("You sent an image: a PNG of 40 × 30 pixels")
    assert "mostly dark blue (#1428c8)" in text


def test_a_jpeg_is_measured_from_its_frame_header(chat: Chat) -> None:
    url = samples.data_url("image/jpeg", samples.jpeg_header(1024, 768))
    text = _text(chat(_ask([_image(url)]), model="openai/gpt-4o"))
    assert "a JPEG of 1024 × 768 pixels" in text


def test_an_image_url_is_named_not_fetched(chat: Chat) -> None:
    url = "https://upload.example.org/photos/cat.jpg"
    text = _text(chat(_ask([_image(url)]), model="openai/gpt-4o"))
    assert f"You linked an image at {url}" in text


def test_image_tokens_follow_the_tile_rule(chat: Chat) -> None:
    small = samples.data_url("image/png", samples.png(64, 64))
    large = samples.data_url("image/jpeg", samples.jpeg_header(2048, 2048))
    base = chat("What is this?", model="openai/gpt-4o")["usage"]["prompt_tokens"]
    one_tile = chat(_ask([_image(small)]), model="openai/gpt-4o")["usage"]["prompt_tokens"]
    four_tiles = chat(_ask([_image(large)]), model="openai/gpt-4o")["usage"]["prompt_tokens"]
    assert one_tile - base == 85 + 170  # a 64 px image: one 512 px tile
    assert four_tiles - base == 85 + 170 * 4  # 2048² is scaled to 768², four tiles


# -- PDFs: any model reads them, through the file parser when it cannot natively -----------------
PDF = samples.pdf(["Revenue grew by a tenth", "Costs fell", "Outlook"], "Quarterly report")


def test_a_pdf_is_described_with_pages_title_and_first_text(chat: Chat) -> None:
    text = _text(chat(_ask([_pdf(PDF)], "Summarise it"), model="openai/gpt-4o"))
    assert "**report.pdf**: a PDF of 3 pages" in text
    assert "titled “Quarterly report”" in text and "It begins: “Revenue grew" in text


def test_summarise_it_reads_the_pdf_text(chat: Chat) -> None:
    raw = samples.pdf(["Revenue grew by a tenth.", "Costs fell."])
    text = _text(chat(_ask([_pdf(raw)], "Summarise it"), model="openai/gpt-4o"))
    assert "In brief, it says:\n\n- Revenue grew by a tenth.\n- Costs fell." in text


def test_a_text_only_model_gets_the_pdf_parsed_annotated_and_billed(chat: Chat) -> None:
    model = "meta-llama/llama-3.3-70b-instruct"
    parsed = chat(_ask([_pdf(PDF)], "Summarise it"), model=model)
    (note,) = parsed["choices"][0]["message"]["annotations"]
    assert note["type"] == "file" and note["file"]["name"] == "report.pdf"
    assert len(note["file"]["hash"]) == 64
    assert note["file"]["content"][0]["text"].startswith("Revenue grew by a tenth")
    free = chat(
        _ask([_pdf(PDF)], "Summarise it"),
        model=model,
        plugins=[{"id": "file-parser", "pdf": {"engine": "pdf-text"}}],
    )
    ocr_fee = Decimal(str(parsed["usage"]["cost"])) - Decimal(str(free["usage"]["cost"]))
    assert ocr_fee == Decimal("0.006")  # mistral-ocr: $2 per 1000 pages, 3 pages
    native = chat(_ask([_pdf(PDF)], "Summarise it"), model="openai/gpt-4o")
    assert "annotations" not in native["choices"][0]["message"]


def test_an_echoed_file_annotation_is_not_billed_again(chat: Chat) -> None:
    model = "meta-llama/llama-3.3-70b-instruct"
    first = chat(_ask([_pdf(PDF)], "Summarise it"), model=model)
    note = first["choices"][0]["message"]["annotations"][0]
    again = [
        *_ask([_pdf(PDF)], "Summarise it"),
        {"role": "assistant", "content": _text(first), "annotations": [note]},
        {"role": "user", "content": [{"type": "text", "text": "And the outlook?"}, _pdf(PDF)]},
    ]
    second = chat(again, model=model)
    assert second["usage"]["cost"] < first["usage"]["cost"] + 0.006 - 1e-9


# -- audio --------------------------------------------------------------------------------------
def _audio(raw: bytes, fmt: str = "wav") -> dict[str, Any]:
    data = base64.b64encode(raw).decode()
    return {"type": "input_audio", "input_audio": {"data": data, "format": fmt}}


def test_audio_is_described_with_its_duration(chat: Chat) -> None:
    body = chat(
        _ask([_audio(samples.wav(2.5))], "Transcribe this"), model="google/gemini-2.5-flash"
    )
    text = _text(body)
    assert "You sent an audio clip: WAV, 2.5 seconds, mono 8 kHz" in text
    base = chat("Transcribe this", model="google/gemini-2.5-flash")["usage"]["prompt_tokens"]
    assert body["usage"]["prompt_tokens"] - base == 80  # 32 tokens a second


def test_audio_to_a_model_without_audio_input_is_refused(tclient: httpx2.Client) -> None:
    response = _post(tclient, model="openai/gpt-4o-mini", messages=_ask([_audio(samples.wav(1.0))]))
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "No endpoints found that support input audio"


# -- modalities out -------------------------------------------------------------------------------
def test_image_output_from_a_text_model_is_refused(tclient: httpx2.Client) -> None:
    response = _post(
        tclient,
        model="openai/gpt-4o-mini",
        modalities=["image", "text"],
        messages=[{"role": "user", "content": "Draw a cat"}],
    )
    assert response.status_code == 404
    assert response.json()["error"]["message"] == (
        "No endpoints found that support the requested output modalities: image, text"
    )


def test_the_catalogue_lists_image_output_models(client: httpx2.Client) -> None:
    models = client.get("/models", params={"output_modalities": "image"}).json()["data"]
    assert IMAGE_MODEL in {m["id"] for m in models}
    assert all("image" in m["architecture"]["output_modalities"] for m in models)


def _png_of(url: str) -> bytes:
    assert url.startswith("data:image/png;base64,")
    return base64.b64decode(url.split(",", 1)[1])


def test_a_generated_image_is_a_small_valid_deterministic_png(chat: Chat) -> None:
    body = chat("A lighthouse at dusk", model=IMAGE_MODEL, modalities=["image", "text"])
    message = body["choices"][0]["message"]
    (image,) = message["images"]
    assert image["type"] == "image_url" and image["index"] == 0
    raw = _png_of(image["image_url"]["url"])
    assert samples.png_size(raw) == (64, 64) and 100 < len(raw) < 1000
    idat = raw.index(b"IDAT")
    length = int.from_bytes(raw[idat - 4 : idat], "big")
    assert len(zlib.decompress(raw[idat + 4 : idat + 4 + length])) == 64 * 65  # valid pixels
    assert message["content"] == "Here is an image of a lighthouse at dusk.\n"
    again = chat("A lighthouse at dusk", model=IMAGE_MODEL, modalities=["image", "text"])
    assert again["choices"][0]["message"]["images"] == message["images"]
    other = chat("A dragon over a city", model=IMAGE_MODEL, modalities=["image", "text"])
    assert other["choices"][0]["message"]["images"] != message["images"]


def test_the_aspect_ratio_and_the_price_per_image(chat: Chat) -> None:
    body = chat(
        "A wide mountain panorama",
        model=IMAGE_MODEL,
        modalities=["image", "text"],
        image_config={"aspect_ratio": "16:9"},
    )
    raw = _png_of(body["choices"][0]["message"]["images"][0]["image_url"]["url"])
    assert samples.png_size(raw) == (64, 36)
    usage = body["usage"]
    assert usage["completion_tokens_details"]["image_tokens"] == 1290
    assert usage["cost_details"]["upstream_inference_completions_cost"] == pytest.approx(
        0.039 + (usage["completion_tokens"] - 1290) * 2.5e-6
    )


def test_a_streamed_image_arrives_with_the_finish_chunk(stream: Stream) -> None:
    chunks = data_chunks(stream("A red apple", model=IMAGE_MODEL, modalities=["image", "text"]))
    with_images = [c for c in chunks if c["choices"] and c["choices"][0]["delta"].get("images")]
    (finish,) = with_images
    assert finish["choices"][0]["finish_reason"] == "stop"
    assert _png_of(finish["choices"][0]["delta"]["images"][0]["image_url"]["url"])
