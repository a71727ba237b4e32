"""images= and files= end to end against the loopback simulator: what each kind of value
becomes on the wire, what the model says it received, and the one-line refusals that send
nothing (an unreadable path, a file of another kind, a model without the modality)."""

from __future__ import annotations

import base64
import io
import os
import warnings

import matplotlib
import numpy as np
import pytest
from PIL import Image as PILImage

import or_magics
from or_magics import Client, Conversation, InvalidParameterError, NotFoundError
from or_magics.kernel import images as kimages
from or_magics.kernel.attach import attach, file_part
from or_magics.offline import Simulator, SimulatorTransport

from ..offline import samples

matplotlib.use("Agg")
import matplotlib.pyplot as plt

VISION = "openai/gpt-4o-mini"
TEXT_ONLY = "meta-llama/llama-3.3-70b-instruct"


def parts(response):
    return response.request["messages"][-1]["content"]


def decoded(part) -> bytes:
    url = part["image_url"]["url"]
    assert url.startswith("data:image/")
    return base64.b64decode(url.split(",", 1)[1])


@pytest.fixture
def counted(live):
    """Chat requests the server has seen since the test began."""
    start = live.simulator.stats["chat_requests"]
    return lambda: live.simulator.stats["chat_requests"] - start


@pytest.fixture
def png_file(tmp_path):
    path = tmp_path / "chart.png"
    path.write_bytes(samples.png(40, 30, (20, 40, 200)))
    return path


# -- images in, each kind of value ------------------------------------------------------------


def test_a_png_file_is_sent_as_a_data_url_and_described_by_the_model(chat, png_file):
    r = chat("What is this?", model=VISION, images=[png_file])
    text_part, image = parts(r)
    assert text_part == {"type": "text", "text": "What is this?"}
    assert decoded(image) == png_file.read_bytes()
    assert "a PNG of 40 × 30 pixels" in r.text and "dark blue" in r.text


def test_a_url_is_passed_through_not_fetched(client):
    url = "https://upload.example.org/photos/cat.jpg"
    r = client.chat("What is this?", model=VISION, images=url)  # one image needs no list
    assert parts(r)[1] == {"type": "image_url", "image_url": {"url": url}}
    assert f"You linked an image at {url}" in r.text


def test_a_matplotlib_figure_axes_and_the_current_figure(client):
    plt.close("all")
    fig, ax = plt.subplots(figsize=(4, 3), dpi=50)
    ax.plot([1, 3, 2])
    for value in (fig, ax, plt):
        r = client.chat("Describe the chart", model=VISION, images=[value])
        width, height = samples.png_size(decoded(parts(r)[1]))
        assert 120 <= width <= 200 and 100 <= height <= 150  # 4 × 3 in at 50 dpi, tight
        assert f"a PNG of {width} × {height} pixels" in r.text
    plt.close("all")
    with pytest.raises(InvalidParameterError, match="no current matplotlib figure"):
        client.chat("Describe the chart", model=VISION, images=[plt])


def test_a_pil_image_and_bytes(client):
    photo = PILImage.new("RGB", (64, 48), (200, 30, 30))
    r = client.chat("What is this?", model=VISION, images=[photo])
    assert "a PNG of 64 × 48 pixels" in r.text and "red" in r.text
    jpeg = io.BytesIO()
    photo.save(jpeg, format="JPEG")
    r = client.chat("And this?", model=VISION, images=[jpeg.getvalue()])
    assert parts(r)[1]["image_url"]["url"].startswith("data:image/jpeg;base64,")
    assert "a JPEG of 64 × 48 pixels" in r.text


def test_a_numpy_array_becomes_a_png_with_its_pixels():
    grey = np.linspace(0.0, 1.0, 6 * 4).reshape(4, 6)  # floats in [0, 1]
    rgba = np.zeros((3, 5, 4), dtype=np.uint8)
    rgba[..., 1] = 255
    rgba[..., 3] = 128
    for array, mode in ((grey, "L"), (rgba, "RGBA"), (grey > 0.5, "L")):
        part, note = kimages.image_part(array)
        picture = PILImage.open(io.BytesIO(decoded(part)))
        assert note is None and picture.mode == mode and picture.size == array.shape[1::-1]
        expected = (array * 255).round() if array.dtype.kind == "f" else \
            array.astype(np.uint8) * 255 if array.dtype == bool else array
        assert (np.asarray(picture) == expected).all()
    with pytest.raises(InvalidParameterError, match=r"images\[0\]: an array of shape "
                                                    r"\(4, 6, 5\) is not an image"):
        kimages.image_part(np.zeros((4, 6, 5)))


# -- too big ----------------------------------------------------------------------------------


def test_an_image_over_2048_pixels_is_downscaled_with_a_note(client, tmp_path, capsys):
    path = tmp_path / "wide.png"
    PILImage.new("RGB", (4096, 1024), (40, 160, 60)).save(path)
    r = client.chat("What is this?", model=VISION, images=[path])
    assert "wide.png: 4096 × 1024 pixels, downscaled to 2048 × 512 for the model" in \
        capsys.readouterr().out  # one plain line, not a warning with a file and line
    assert samples.png_size(decoded(parts(r)[1])) == (2048, 512)
    assert "a PNG of 2048 × 512 pixels" in r.text
    big = np.zeros((5000, 300, 3), dtype=np.uint8)
    part, note = kimages.image_part(big)
    assert samples.png_size(decoded(part)) == (100, 1667)
    assert note == "images[0]: 300 × 5000 pixels, downscaled to 100 × 1667 for the model"


def test_without_pillow_a_large_file_is_refused_in_one_line(client, counted, tmp_path,
                                                            monkeypatch):
    path = tmp_path / "huge.png"
    PILImage.new("RGB", (3000, 200)).save(path)
    monkeypatch.setattr(kimages, "_pillow", lambda: None)  # as when Pillow is not installed
    with pytest.raises(InvalidParameterError) as info:
        client.chat("What is this?", model=VISION, images=[path])
    assert str(info.value) == (
        "Invalid parameter — images[0]: 'huge.png' is 3000 × 200 pixels; models take at "
        "most 2048 on a side: install Pillow (pip install pillow) to downscale it here, or "
        "pass a smaller image")
    assert counted() == 0


# -- refused, nothing sent --------------------------------------------------------------------


def test_an_unreadable_path_is_one_line_and_nothing_is_sent(client, counted, tmp_path):
    with pytest.raises(InvalidParameterError) as info:
        client.chat("Summarise", model=VISION, files=[tmp_path / "memo.pdf"])
    assert str(info.value) == (f"Invalid parameter — files[0]: no file "
                               f"'{tmp_path / 'memo.pdf'}' (looked in {os.getcwd()})")
    with pytest.raises(InvalidParameterError, match=r"images\[1\]: .* is a folder"):
        client.chat("What?", model=VISION, images=["https://x.example/a.png", tmp_path])
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    blob = tmp_path / "model.bin"
    blob.write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(InvalidParameterError, match=r"'model\.bin' is neither text, a PDF nor"):
        client.chat("Read it", model=VISION, files=[blob])
    with pytest.raises(InvalidParameterError, match="is not a PNG, JPEG, GIF or WebP"):
        client.chat("Look", model=VISION, images=[notes])
    with pytest.raises(InvalidParameterError, match="a dict is not an image"):
        client.chat("Look", model=VISION, images=[{"url": "x"}])
    assert counted() == 0


@pytest.fixture
def openrouter():
    """OpenRouter itself (the simulator in process): its catalogue is there to check."""
    simulator = Simulator()
    with Client(offline=True, transport=SimulatorTransport(simulator)) as client:
        yield client, simulator


def test_a_model_without_the_modality_is_told_before_anything_is_sent(openrouter, png_file):
    client, simulator = openrouter
    with pytest.raises(InvalidParameterError) as info:
        client.chat("What is this?", model=TEXT_ONLY, images=[png_file])
    message = str(info.value)
    assert message.startswith(f"Invalid parameter — model: {TEXT_ONLY} does not accept "
                              "images (models that do: ")
    assert VISION in message and "\n" not in message
    wav = samples.wav(1.0)
    with pytest.raises(InvalidParameterError, match=f"{VISION} does not accept audio .*"
                                                    "google/gemini-2.5-flash"):
        client.chat("Transcribe", model=VISION, files=[("clip.wav", wav)])
    with pytest.raises(InvalidParameterError, match="does not accept images"):
        Conversation(TEXT_ONLY, client=client).send("What?", images=[png_file])
    with pytest.raises(InvalidParameterError, match="does not accept images"):
        client.batch(["a", "b"], TEXT_ONLY, images=[png_file], progress=False)
    assert simulator.stats["chat_requests"] == 0


def test_another_server_has_no_catalogue_so_the_server_refuses(client, png_file):
    """The loopback server is "another OpenAI-compatible server" to the client: it answers
    as OpenRouter does, in one line."""
    with pytest.raises(NotFoundError) as info:
        client.chat("What is this?", model=TEXT_ONLY, images=[png_file])
    assert str(info.value) == "404 Not found — No endpoints found that support image input"


# -- files: PDFs and audio --------------------------------------------------------------------

PDF = samples.pdf(["Revenue grew by a tenth.", "Costs fell."], "Quarterly report")


def test_a_pdf_is_a_file_part_read_natively_or_parsed(client, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(PDF)
    native = client.chat("Summarise it", model="openai/gpt-4o", files=[path])
    file = parts(native)[1]
    assert file["type"] == "file" and file["file"]["filename"] == "report.pdf"
    assert file["file"]["file_data"].startswith("data:application/pdf;base64,")
    assert "In brief, it says:\n\n- Revenue grew by a tenth.\n- Costs fell." in native.text
    assert native.file_annotations == []  # read natively: nothing parsed
    parsed = client.chat("Summarise it", model=TEXT_ONLY, files=[path])
    (note,) = parsed.file_annotations
    assert note["file"]["name"] == "report.pdf"
    free = client.chat("Summarise it", model=TEXT_ONLY, files=[path],
                       pdf_engine="cloudflare-ai")
    assert free.request["plugins"] == [{"id": "file-parser", "pdf": {"engine": "cloudflare-ai"}}]
    assert free.usage.cost == pytest.approx(parsed.usage.cost - 0.004)  # OCR: $2 / 1000 pages


def test_a_conversation_sends_the_parse_back_instead_of_paying_again(client):
    chat = Conversation(TEXT_ONLY, client=client)
    first = chat.send("Summarise it", files=[("report.pdf", PDF)])
    second = chat.send("And the costs?")
    turn = chat.messages[0]["content"]
    assert turn[1]["type"] == "file"  # the PDF stays in the turn it came with
    assert chat.messages[1]["annotations"] == first.file_annotations
    assert second.usage.cost < first.usage.cost  # no second OCR fee


def test_a_cached_answer_keeps_the_parse_so_the_next_turn_is_not_charged_again(client,
                                                                              tmp_path):
    from or_magics.client.cache import ResponseCache

    client.cache = ResponseCache(tmp_path / "answers.sqlite")
    first = Conversation(TEXT_ONLY, client=client).send("Summarise it",
                                                        files=[("report.pdf", PDF)])
    again = Conversation(TEXT_ONLY, client=client)
    repeat = again.send("Summarise it", files=[("report.pdf", PDF)])
    assert repeat.cached and repeat.file_annotations == first.file_annotations != []
    assert again.messages[1]["annotations"] == first.file_annotations


def test_files_from_memory_and_audio(client):
    buffer = io.BytesIO(PDF)
    buffer.name = "memo.pdf"
    part, _ = file_part(buffer)
    assert part["file"]["filename"] == "memo.pdf"
    assert file_part(PDF)[0]["file"]["filename"] == "document.pdf"
    r = client.chat("Transcribe this", model="google/gemini-2.5-flash",
                    files=[("clip.wav", samples.wav(2.5))])
    audio = parts(r)[1]
    assert audio["type"] == "input_audio" and audio["input_audio"]["format"] == "wav"
    assert base64.b64decode(audio["input_audio"]["data"]) == samples.wav(2.5)
    assert "You sent an audio clip: WAV, 2.5 seconds" in r.text
    with pytest.raises(InvalidParameterError, match="audio is sent as data, not a URL"):
        attach(files=["https://example.org/talk.mp3"])
    url = attach(files=["https://example.org/paper.pdf"]).parts[0]
    assert url == {"type": "file", "file": {"filename": "paper.pdf",
                                            "file_data": "https://example.org/paper.pdf"}}


# -- every helper takes them ------------------------------------------------------------------


def test_a_conversation_keeps_the_image_in_its_turn(client, png_file):
    chat = Conversation(VISION, client=client)
    chat.send("What is this?", images=[png_file])
    again = chat.send("What colour is it?")
    first_turn = again.request["messages"][0]["content"]
    assert [p["type"] for p in first_turn] == ["text", "image_url"]
    assert again.request["messages"][-1] == {"role": "user", "content": "What colour is it?"}


def test_ask_batch_and_compare_take_images(openrouter, png_file):
    client, simulator = openrouter
    or_magics.session.reset()
    or_magics.session.use(client)
    or_magics.session.notified = True  # no "simulated" notice: this test knows
    try:
        assert "40 × 30 pixels" in or_magics.ask("What is it?", VISION, images=[png_file]).text
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no note: a small image is sent as it is
            result = or_magics.batch(["What is it?", "Which colour?"], VISION,
                                     images=[png_file], progress=False)
        assert all("40 × 30 pixels" in text for text in result.texts)
        answers = or_magics.compare("What is it?", [VISION, "openai/gpt-4o"],
                                    images=[png_file])
        assert all("40 × 30 pixels" in r.text for r in answers)
        before = simulator.stats["chat_requests"]
        with pytest.raises(InvalidParameterError, match="does not accept images"):
            or_magics.compare("What is it?", [VISION, TEXT_ONLY], images=[png_file])
        assert simulator.stats["chat_requests"] == before  # not even the first model
    finally:
        or_magics.session.reset()


def test_a_dry_run_shows_attachments_short(client, png_file):
    request = client.build_request("What is it?", model=VISION, images=[png_file])
    shown = client.describe(request)
    assert "data:image/png;base64,iVBORw0KGgoAAAAN…(" in shown and " bytes)" in shown
    assert len(shown) < 1200


def test_a_text_file_is_read_into_the_prompt_with_its_name(client, live, tmp_path):
    table = tmp_path / "sales.csv"
    table.write_text("region,units\nEU,120\nUS,80\n", encoding="utf-8")
    r = client.chat("Which region sold more?", model=VISION, files=[table, ("todo.md", b"- a")])
    parts = r.request["messages"][-1]["content"]
    assert parts[0] == {"type": "text", "text": "Which region sold more?"}
    assert parts[1] == {"type": "text",
                        "text": '<file name="sales.csv">\nregion,units\nEU,120\nUS,80\n\n</file>'}
    assert parts[2]["text"].startswith('<file name="todo.md">') and r.text


def test_a_truncated_image_too_big_to_send_is_one_line_and_nothing_is_sent(client, counted,
                                                                           tmp_path):
    import struct
    import zlib

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(
            ">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 5000, 5000, 8, 2, 0, 0, 0)  # 5000 × 5000 RGB, no data
    path = tmp_path / "cut.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b""))
    with pytest.raises(InvalidParameterError, match=r"images\[0\]: 'cut\.png' cannot be read "
                                                    r"as an image"):
        client.chat("Describe it", model=VISION, images=[path])
    assert counted() == 0
