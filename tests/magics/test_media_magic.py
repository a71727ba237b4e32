"""%%openrouter with images, files, image output, reasoning, web search and prompt caching,
in an InteractiveShell on the simulator (OpenRouter's catalogue, in process)."""

from __future__ import annotations

import base64
import re

import matplotlib
import pytest
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output

import or_magics

from ..offline import samples
from .test_magics_shell import cell, sent

matplotlib.use("Agg")
import matplotlib.pyplot as plt

MANUAL = "The handbook says: " + " ".join(f"rule {i} is to keep notes tidy." for i in range(180))


@pytest.fixture
def chart(shell):
    plt.close("all")
    fig, ax = plt.subplots(figsize=(4, 3), dpi=50)
    ax.bar(["a", "b"], [3, 5])
    shell.user_ns.update(fig=fig, plt=plt)
    yield fig
    plt.close("all")


def image_parts() -> list[dict]:
    return [p for p in sent("messages")[-1]["content"] if p["type"] == "image_url"]


def png_of(part: dict) -> bytes:
    return base64.b64decode(part["image_url"]["url"].split(",", 1)[1])


def refused(shell, line: str, body: str = "Describe it") -> str:
    with pytest.raises(UsageError) as info:
        cell(shell, line, body)
    message = str(info.value)
    assert "\n" not in message and "Traceback" not in message
    return message


# -- images and files in ----------------------------------------------------------------------


def test_image_takes_a_variable_the_current_figure_a_path_and_a_url(shell, sim, chart,
                                                                    tmp_path):
    out, _ = cell(shell, "openai/gpt-4o-mini --image fig", "Describe this chart")
    (part,) = image_parts()
    width, height = samples.png_size(png_of(part))
    assert f"You sent an image: a PNG of {width} × {height} pixels" in out
    cell(shell, "openai/gpt-4o-mini --image plt", "And now?")
    assert png_of(image_parts()[0]) == png_of(part)  # plt: the current figure, the same chart
    path = tmp_path / "dot.png"
    path.write_bytes(samples.png(8, 6))
    url = "https://example.org/cat.jpg"
    cell(shell, f"openai/gpt-4o-mini --image {path} --image {url}", "Compare them")
    local, remote = image_parts()
    assert samples.png_size(png_of(local)) == (8, 6) and remote["image_url"]["url"] == url


def test_a_figure_named_in_the_prompt_is_attached(shell, sim, chart):
    out, _ = cell(shell, "openai/gpt-4o-mini", "What does {fig} show?")
    assert sent("messages")[-1]["content"][0] == {
        "type": "text", "text": "What does [fig: the image attached below] show?"}
    assert len(image_parts()) == 1 and "You sent an image: a PNG" in out
    assert "not attached" not in out


def test_bad_images_are_one_line_and_nothing_is_sent(shell, sim, chart):
    plt.close("all")
    assert refused(shell, "openai/gpt-4o-mini --image logo") == (
        "--image logo: nothing called 'logo' in the notebook, and no file of that name")
    assert refused(shell, "openai/gpt-4o-mini --image missing.png").startswith(
        "--image missing.png: no file 'missing.png'")
    assert "there is no current matplotlib figure" in refused(
        shell, "openai/gpt-4o-mini --image plt")
    message = refused(shell, "meta-llama/llama-3.3-70b-instruct --image fig")
    assert message.startswith("Invalid parameter — model: meta-llama/llama-3.3-70b-instruct "
                              "does not accept images (models that do: openai/gpt-4o-mini")
    assert "does not accept images" in refused(
        shell, "--compare openai/gpt-4o-mini meta-llama/llama-3.3-70b-instruct --image fig")
    assert sim.stats["chat_requests"] == 0


def test_a_pdf_with_the_parser_engine_and_an_audio_file(shell, sim, tmp_path):
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(samples.pdf(["Revenue grew by a tenth.", "Costs fell."]))
    out, _ = cell(shell, f"meta-llama/llama-3.3-70b-instruct --file {pdf} "
                         "--pdf-engine cloudflare-ai", "Summarise it")
    assert sent("plugins") == [{"id": "file-parser", "pdf": {"engine": "cloudflare-ai"}}]
    assert "Revenue grew by a tenth." in out
    assert or_magics.session.last.file_annotations[0]["file"]["name"] == "report.pdf"
    shell.user_ns["clip"] = samples.wav(2.0)  # bytes in a variable
    out, _ = cell(shell, "google/gemini-2.5-flash --file clip", "Transcribe this")
    assert "You sent an audio clip: WAV, 2.0 seconds" in out
    assert refused(shell, f"openai/gpt-4o-mini --file {tmp_path}/none.pdf").startswith(
        f"--file {tmp_path}/none.pdf: no file")


def test_a_dry_run_shows_the_image_shortened(shell, sim, chart):
    out, _ = cell(shell, "--dry-run openai/gpt-4o-mini --image fig")
    assert "data:image/png;base64,iVBORw0KGgo" in out and " bytes)" in out
    assert len(out) < 2500 and sim.stats["chat_requests"] == 0


def test_a_large_figure_is_downscaled_with_a_note(shell, sim):
    plt.close("all")
    shell.user_ns["big"] = plt.figure(figsize=(30, 10), dpi=100)
    out, _ = cell(shell, "openai/gpt-4o-mini --image big", "Describe it")
    assert re.search(r"--image big: 3000 × 1000 pixels, downscaled to 204\d × \d+ for the "
                     "model", out)
    assert max(samples.png_size(png_of(image_parts()[0]))) <= 2048
    plt.close("all")


# -- out: images, reasoning, citations, cache -------------------------------------------------


def test_generated_images_are_shown_and_kept(shell, sim):
    out, _ = cell(shell, "google/gemini-2.5-flash-image --modalities image,text -o pic",
                  "A lighthouse at dusk")
    pic = shell.user_ns["pic"]
    assert sent("modalities") == ["image", "text"]
    assert pic.images[0].size == (64, 64)
    assert f"[image 1: PNG, {len(pic.images[0].data):,} bytes — response.images[0]]" in out
    assert "does not generate images" in refused(
        shell, "openai/gpt-4o-mini --modalities image,text", "Draw a cat")


def test_reasoning_tokens_in_the_footer_and_the_usage_even_when_hidden(shell, sim):
    out, _ = cell(shell, "deepseek/deepseek-r1 --hide-reasoning", "Why is the sky blue?")
    response = or_magics.session.last
    assert sent("reasoning") == {"exclude": True}
    assert response.reasoning == "" and response.usage.reasoning_tokens > 0
    assert f"({response.usage.reasoning_tokens:,} reasoning)" in out
    cell(shell, "anthropic/claude-sonnet-4.5 --reasoning-budget 2000", "Why?")
    assert sent("reasoning") == {"max_tokens": 2000}
    assert "takes reasoning effort high, medium or low, not 'minimal'" in refused(
        shell, "openai/o3 -r minimal", "Why?")


def test_web_search_settings_and_numbered_sources(shell, sim):
    out, _ = cell(shell, "openai/gpt-4o-mini --web-results 2 --web-context high",
                  "Latest research on coral reefs")
    assert sent("tools") == [{"type": "openrouter:web_search", "parameters": {
        "max_results": 2, "search_context_size": "high"}}]
    cites = or_magics.session.last.citations
    assert len(cites) == 2 and f"[2] {cites[1].title} — {cites[1].url}" in out


def test_a_named_conversation_hits_the_cache_and_the_footer_and_usage_say_so(shell, sim):
    magics = next(c for c in shell.configurables if type(c).__name__ == "OpenRouterMagics")
    magics.system = MANUAL
    try:
        first, _ = cell(shell, "openai/gpt-4o-mini -c rules", "What is rule 3?")
        second, _ = cell(shell, "openai/gpt-4o-mini -c rules", "And rule 7?")
    finally:
        magics.system = ""
    chat = or_magics.session.conversations["rules"]
    assert sent("session_id") == chat.session_id
    usage = or_magics.session.last.usage
    assert "cached" not in first and usage.cached_tokens >= 1024
    assert f"{usage.cached_tokens:,} cached" in second and "cache saved $" in second
    with capture_output() as captured:
        shell.run_line_magic("openrouter", "usage")
    table = captured.stdout + "".join(o.data["text/plain"] for o in captured.outputs)
    assert "cached tokens" in table and "cache saved" in table
    assert f"{usage.cached_tokens:,}" in table


def test_anthropic_needs_the_system_prompt_marked(shell, sim):
    shell.user_ns["manual"] = MANUAL
    line = f"anthropic/claude-sonnet-4.5 -c law --cache-system -s '{MANUAL}'"
    first, _ = cell(shell, line, "What is rule 3?")
    assert "written to cache" in first and "cache write cost $" in first
    second, _ = cell(shell, line, "And rule 7?")
    assert "cached" in second and "cache saved $" in second


# -- the catalogue ----------------------------------------------------------------------------


def test_models_lists_embedding_and_image_models(shell, sim):
    with capture_output() as captured:
        shell.run_line_magic("openrouter", "models --embeddings")
    listed = captured.stdout + "".join(o.data["text/plain"] for o in captured.outputs)
    assert "embedding models" in listed and "openai/text-embedding-3-small" in listed
    assert "openai/gpt-4o-mini" not in listed
    with capture_output() as captured:
        shell.run_line_magic("openrouter", "models --output image")
    listed = captured.stdout + "".join(o.data["text/plain"] for o in captured.outputs)
    assert "google/gemini-2.5-flash-image" in listed
    assert listed.startswith("1 model that makes image,") or " models that make image," in listed
