"""OpenRouter's response cache as an option (server_cache=True), through the loopback
simulator: a hit is the same answer at no cost, marked on the Response and in its footer."""

from __future__ import annotations

import time

import or_magics
from or_magics import Client, InvalidParameterError

from .conftest import KEY


def stored(live, gen_id: str, wait: float = 5.0):
    """The simulator's cache entry for ``gen_id``: it keeps an answer once its stream has
    closed, which may be just after the client has read the end of it."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        for entry in list(live.simulator.response_cache._items.values()):
            if entry.gen_id == gen_id:
                return entry
        time.sleep(0.01)
    return None


def test_the_same_request_again_is_a_free_hit(chat, live):
    prompt = f"Name a river ({chat.__name__})"
    first = chat(prompt, server_cache=True)
    second = chat(prompt, server_cache=True)
    assert first.server_cache == "MISS" and not first.server_cached
    assert second.server_cache == "HIT" and second.server_cached
    assert second.text == first.text and second.id != first.id
    assert first.usage.cost > 0 and second.usage.cost == 0
    assert second.usage.total_tokens == 0 and not second.cached  # not the local disk cache
    record = live.simulator.generations.get(second.id)
    assert record["response_cache_source_id"] == first.id


def test_streamed_and_whole_answers_are_cached_apart(client, live):
    streamed = client.chat("Name a mountain", server_cache=True)
    whole = client.chat("Name a mountain", server_cache=True, stream=False)
    assert (streamed.server_cache, whole.server_cache) == ("MISS", "MISS")
    again = client.chat("Name a mountain", server_cache=True, stream=False)
    assert again.server_cache == "HIT" and again.text == whole.text


def test_the_footer_and_summary_say_it_came_from_openrouters_cache(client, live):
    client.chat("Name a lake", server_cache=True)
    hit = client.chat("Name a lake", server_cache=True)
    bundle = hit._repr_mimebundle_()
    assert "from OpenRouter's response cache, nothing spent" in bundle["text/html"]
    assert "response cache" in bundle["text/markdown"]
    assert "from OpenRouter's response cache" in hit.summary()
    miss = client.chat("Name a sea", server_cache=True)
    assert "response cache" not in miss._repr_mimebundle_()["text/html"]


def test_a_ttl_is_sent_and_without_the_option_nothing_is_asked(client, live):
    plain = client.chat("Name a desert")
    assert plain.server_cache is None
    kept = client.chat("Name a desert", server_cache=120)
    entry = stored(live, kept.id)
    assert entry is not None and entry.ttl == 120
    off = client.chat("Name a desert", server_cache=False)
    assert off.server_cache is None and off.usage.cost > 0


def test_a_bad_value_is_one_line_before_anything_is_sent(client, live):
    before = live.simulator.stats["chat_requests"]
    for bad in ("yes", 0, 100000, 1.5):
        try:
            client.chat("Hello", server_cache=bad)
        except InvalidParameterError as exc:
            assert "server_cache" in str(exc) and "\n" not in str(exc)
        else:
            raise AssertionError(f"server_cache={bad!r} was accepted")
    assert live.simulator.stats["chat_requests"] == before


def test_the_dry_run_shows_the_header(client):
    request = client.build_request("Hello", server_cache=600)
    text = client.describe(request)
    assert "X-OpenRouter-Cache: true" in text and "X-OpenRouter-Cache-TTL: 600" in text
    assert "server_cache" not in text  # a header, not a body field


def test_a_batch_rerun_is_answered_by_openrouter_at_no_cost(live):
    session = or_magics.session
    session.reset()
    session.notified = True
    session.use(Client(api_key=KEY, base_url=live.base_url))
    try:
        prompts = [f"Classify the colour of fruit {i}" for i in range(6)]
        first = or_magics.batch(prompts, server_cache=True, progress=False)
        session.last_batch = None  # a fresh kernel: nothing to resume from
        hits = live.simulator.stats["cache_hits"]
        again = or_magics.batch(prompts, server_cache=True, progress=False)
        assert live.simulator.stats["cache_hits"] - hits == 6
        assert again.texts == first.texts and again.usage.cost == 0
        assert all(r.server_cached for r in again) and first.usage.cost > 0
        assert session.total_usage().cost == first.usage.cost  # the hits cost nothing
    finally:
        session.reset()
