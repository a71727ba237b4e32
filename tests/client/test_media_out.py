"""Images out, reasoning, web search, prompt caching and embeddings, end to end against the
simulator: on the loopback server, and in process where the client checks OpenRouter's
catalogue (another server has none to check) or sends OpenRouter-only fields."""

from __future__ import annotations

import base64
import sys
import uuid

import pytest

import or_magics
from or_magics import Client, Conversation, InvalidParameterError, cacheable
from or_magics.client import Image
from or_magics.client.cache import ResponseCache
from or_magics.offline import Simulator, SimulatorTransport
from or_magics.render.images import image_bundle

IMAGE_MODEL = "google/gemini-2.5-flash-image"
SONNET = "anthropic/claude-sonnet-4.5"
MANUAL = "The handbook says: " + " ".join(f"rule {i} is to keep notes tidy." for i in range(180))


@pytest.fixture
def openrouter():
    """OpenRouter itself (the simulator in process)."""
    simulator = Simulator()
    with Client(offline=True, transport=SimulatorTransport(simulator)) as client:
        yield client, simulator


# -- images out -------------------------------------------------------------------------------


def test_a_generated_image_is_bytes_with_a_picture_and_still_its_url(chat, tmp_path):
    r = chat("A lighthouse at dusk", model=IMAGE_MODEL, images_out=True)
    assert r.request["modalities"] == ["image", "text"]
    (image,) = r.images
    assert isinstance(image, Image) and isinstance(image, str)
    assert image.startswith("data:image/png;base64,") and image.url == str(image)
    assert image.mime == "image/png" and image.size == (64, 64)
    assert image.data == base64.b64decode(image.split(",", 1)[1])
    assert image._repr_png_() == image.data and image._repr_jpeg_() is None
    assert repr(image) == f"<Image image/png 64×64, {len(image.data):,} bytes>"
    saved = image.save(tmp_path / "lighthouse")
    assert saved.name == "lighthouse.png" and saved.read_bytes() == image.data
    assert r.to_dict()["images"] == [image.url]


def test_modalities_and_images_out_ask_the_same(client):
    a = client.chat("A red apple", model=IMAGE_MODEL, modalities=["image", "text"])
    b = client.chat("A red apple", model=IMAGE_MODEL, images_out=True, stream=False)
    assert a.images == b.images and a.images[0].data
    with pytest.raises(InvalidParameterError, match="modalities: must be a list of text, "
                                                    "image, audio"):
        client.chat("A red apple", model=IMAGE_MODEL, modalities=["video"])


def test_a_model_that_cannot_draw_is_told_before_sending(openrouter):
    client, simulator = openrouter
    with pytest.raises(InvalidParameterError) as info:
        client.chat("Draw a cat", model="openai/gpt-4o-mini", images_out=True)
    assert str(info.value) == (
        "Invalid parameter — model: openai/gpt-4o-mini does not generate images "
        "(modalities=['image', 'text']) (models that do: google/gemini-2.5-flash-image)")
    assert simulator.stats["chat_requests"] == 0


def test_cached_answers_keep_their_images(live, tmp_path):
    with Client(api_key="sk-or-v1-test", base_url=live.base_url,
                cache=ResponseCache(tmp_path / "answers.db")) as client:
        first = client.chat("A blue kite", model=IMAGE_MODEL, images_out=True)
        again = client.chat("A blue kite", model=IMAGE_MODEL, images_out=True)
    assert again.cached and isinstance(again.images[0], Image)
    assert again.images[0].data == first.images[0].data


@pytest.mark.parametrize("url", [
    "data:image/svg+xml;base64," + base64.b64encode(b"<svg onload='alert(1)'/>").decode(),
    "data:image/png;base64," + base64.b64encode(b"<script>alert(1)</script>").decode(),
    "data:text/html;base64," + base64.b64encode(b"<b>hi</b>").decode(),
    "javascript:alert(1)",
])
def test_an_image_that_is_not_raster_data_is_never_shown(url):
    image = Image(url)
    assert image.data is None and image._repr_png_() is None and image._repr_jpeg_() is None
    bundle = image_bundle(url)
    assert not any(key.startswith("image/") for key in bundle)
    assert "<img" not in bundle.get("text/html", "") and "alert" not in bundle["text/html"]
    with pytest.raises(ValueError, match="cannot save"):
        image.save("x.png")


def test_a_remote_image_is_a_link_never_fetched():
    url = "https://evil.example/pixel.png?leak=secret"
    image = Image(url)
    assert image.remote and image.data is None
    assert repr(image) == f"<Image at {url} (remote: not fetched)>"
    bundle = image_bundle(url)
    html = bundle["text/html"]
    assert "<img" not in html and 'href="https://evil.example/' in html
    assert "not loaded" in html


# -- reasoning --------------------------------------------------------------------------------


def test_efforts_come_from_the_models_catalogue_entry(openrouter):
    client, simulator = openrouter
    with pytest.raises(InvalidParameterError) as info:
        client.chat("Why?", model="openai/o3", reasoning="minimal")
    assert str(info.value) == ("Invalid parameter — reasoning.effort: openai/o3 takes "
                               "reasoning effort high, medium or low, not 'minimal'")
    with pytest.raises(InvalidParameterError, match="deepseek/deepseek-r1 always reasons"):
        client.chat("Why?", model="deepseek/deepseek-r1", reasoning={"enabled": False})
    with pytest.raises(InvalidParameterError, match="openai/gpt-4o-mini has no :thinking "
                                                    r"variant \(models that do: "):
        client.chat("Why?", model="openai/gpt-4o-mini:thinking")
    assert simulator.stats["chat_requests"] == 0
    assert client.chat("Why?", model="openai/o3", reasoning="low").reasoning
    # a model that does not reason ignores reasoning=, as on OpenRouter (one -r for --compare)
    plain = client.chat("Why?", model="openai/gpt-4o-mini", reasoning="high")
    assert plain.text and not plain.reasoning


def test_hidden_reasoning_is_still_counted(chat):
    r = chat("Why is the sky blue?", model="deepseek/deepseek-r1",
             reasoning={"exclude": True})
    assert r.text and r.reasoning == "" and r.usage.reasoning_tokens > 0
    budget = chat("Why is the sky blue?", model=SONNET, reasoning={"max_tokens": 2000})
    assert budget.reasoning and budget.usage.reasoning_tokens > 0


# -- web search -------------------------------------------------------------------------------


def test_web_search_is_the_server_tool_with_numbered_citations(chat):
    settings = {"max_results": 2, "engine": "exa", "search_context_size": "high"}
    r = chat("Latest research on coral reef recovery", model="openai/gpt-4o-mini", web=settings)
    assert r.request["tools"] == [{"type": "openrouter:web_search", "parameters": settings}]
    assert "plugins" not in r.request
    assert len(r.citations) == 2
    for number, cite in enumerate(r.citations, 1):
        assert cite.url.startswith("https://") and f"[{number}]({cite.url})" in r.text
    low = chat("Latest research on coral reef recovery", model="openai/gpt-4o-mini",
               web={"max_results": 2, "search_context_size": "low"})
    assert len(low.citations[0].content) < len(r.citations[0].content)


def test_the_web_plugin_and_online_still_search(chat):
    plugin = chat("Latest news on fusion energy", model="openai/gpt-4o-mini",
                  plugins=[{"id": "web", "max_results": 2}])
    online = chat("Latest news on fusion energy", model="openai/gpt-4o-mini:online")
    assert len(plugin.citations) == 2 and online.citations


# -- prompt caching ---------------------------------------------------------------------------


def test_a_conversation_has_one_session_so_its_long_prefix_is_cached(openrouter):
    client, _ = openrouter
    chat = Conversation("openai/gpt-4o-mini", system=MANUAL, client=client)
    first, second = chat.send("What is rule 3?"), chat.send("And rule 7?")
    assert first.request["session_id"] == second.request["session_id"] == chat.session_id
    assert first.usage.cached_tokens == 0 and second.usage.cached_tokens >= 1024
    other = Conversation("openai/gpt-4o-mini", system=MANUAL, client=client)
    assert other.session_id != chat.session_id
    assert other.send("What is rule 3?").usage.cached_tokens == 0  # another session


def test_anthropic_caches_only_a_marked_system_prompt(openrouter):
    client, _ = openrouter
    marked = Conversation(SONNET, system=MANUAL, client=client, cache_system=True)
    first, second = marked.send("What is rule 3?"), marked.send("And rule 7?")
    system = first.request["messages"][0]
    assert system == {"role": "system", "content": [
        {"type": "text", "text": MANUAL, "cache_control": {"type": "ephemeral"}}]}
    assert first.usage.cache_write_tokens > 1024 and first.usage.cached_tokens == 0
    assert second.usage.cached_tokens == first.usage.cache_write_tokens
    assert second.usage.cost < first.usage.cost
    plain = Conversation(SONNET, system=MANUAL, client=client)
    plain.send("What is rule 3?")
    assert plain.send("And rule 7?").usage.cached_tokens == 0  # no breakpoint, no cache
    with pytest.raises(InvalidParameterError, match="cache_system: there is no system prompt"):
        client.chat("hi", model=SONNET, cache_system=True)


def test_cacheable_marks_a_long_document(chat):
    session = f"test-{uuid.uuid4().hex}"  # the shared server has one key: a session of our own
    prompt = [cacheable(MANUAL), "What is rule 3?"]
    assert prompt[0]["cache_control"] == {"type": "ephemeral"}
    first = chat(prompt, model=SONNET, session_id=session)
    second = chat(prompt, model=SONNET, session_id=session)
    assert first.usage.cache_write_tokens > 0 and second.usage.cached_tokens > 0
    assert cacheable("x", ttl="1h")["cache_control"] == {"type": "ephemeral", "ttl": "1h"}
    with pytest.raises(InvalidParameterError, match="ttl"):
        cacheable("x", ttl="1d")


# -- embeddings -------------------------------------------------------------------------------

SENTENCES = ["The cat sat on the mat.", "A dog slept on the rug.", "Stocks fell today.",
             "Markets dropped sharply.", "It rained all day."]


def test_embeddings_are_an_array_with_a_short_repr(client):
    vectors = client.embeddings(SENTENCES[:2])
    assert type(vectors).__module__ == "or_magics.client.vectors"
    assert vectors.shape == (2, 1536) and vectors.dtype.name == "float32"
    assert vectors.model == "openai/text-embedding-3-small"
    assert repr(vectors) == (f"<Embeddings 2 × 1,536 · openai/text-embedding-3-small · "
                             f"{vectors.usage.total_tokens} tokens>")
    similarity = vectors @ vectors.T  # an ordinary array: nothing of the summary leaks in
    assert type(similarity).__name__ == "ndarray" and similarity.shape == (2, 2)
    assert "array(" in repr(vectors[0]) and abs(float(similarity[0, 0]) - 1) < 1e-5
    short = client.embeddings("One text", model="openai/text-embedding-3-large", dimensions=256)
    assert short.shape == (1, 256)


def test_long_inputs_go_in_batches_in_order(client, live):
    before = live.simulator.stats["requests"]
    batched = client.embeddings(SENTENCES, batch_size=2)
    assert live.simulator.stats["requests"] - before == 3  # 2 + 2 + 1
    whole = client.embeddings(SENTENCES)
    assert (batched == whole).all()  # the same vectors, in input order
    assert batched.usage.total_tokens == whole.usage.total_tokens > 0
    assert batched.usage.cost == pytest.approx(whole.usage.cost)


def test_without_numpy_they_are_lists_with_the_same_repr(client, monkeypatch):
    monkeypatch.setitem(sys.modules, "numpy", None)  # as if NumPy were not installed
    monkeypatch.delitem(sys.modules, "or_magics.client.vectors", raising=False)
    vectors = client.embeddings(SENTENCES[:2])
    assert isinstance(vectors, list) and isinstance(vectors[0][0], float)
    assert len(vectors) == 2 and len(vectors[0]) == 1536 and vectors.shape == (2, 1536)
    assert repr(vectors).startswith("<Embeddings 2 × 1,536 · openai/text-embedding-3-small")
    assert len(repr(vectors)) < 100 and vectors.vectors == list(vectors)


def test_bad_inputs_are_one_line_and_nothing_is_sent(client, live):
    before = live.simulator.stats["requests"]
    for bad, field in (([], "input"), (["ok", None], r"input\[1\]"), (["ok", " "], r"input\[1\]"),
                       (b"bytes", "input")):
        with pytest.raises(InvalidParameterError, match=field):
            client.embeddings(bad)
    with pytest.raises(InvalidParameterError, match="batch_size"):
        client.embeddings(["a"], batch_size=0)
    assert live.simulator.stats["requests"] == before


def test_embedding_models_are_listed_apart(client):
    found = {m.id for m in client.models(output="embeddings")}
    assert {"openai/text-embedding-3-small", "openai/text-embedding-3-large",
            "qwen/qwen3-embedding-8b", "mistralai/mistral-embed-2312"} <= found
    chat_models = {m.id for m in client.models()}
    assert not found & chat_models and "openai/gpt-4o-mini" in chat_models
    assert {m.id for m in client.models(output="all")} >= found | chat_models
    assert "google/gemini-2.5-flash-image" in {m.id for m in client.models(output="image")}


def test_embed_counts_in_the_session(live):
    session = or_magics.session
    session.reset()
    session.use(Client(api_key="sk-or-v1-test", base_url=live.base_url))
    try:
        vectors = or_magics.embed(SENTENCES)
        assert vectors.shape == (5, 1536)
        entry = session.usage["openai/text-embedding-3-small"]
        assert entry.calls == 1 and entry.usage.total_tokens == vectors.usage.total_tokens
    finally:
        session.reset()
