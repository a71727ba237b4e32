"""Conversation, ask, aask and batch over the session's client, on the simulator."""

from __future__ import annotations

import asyncio
import warnings

import pytest

import or_magics
from or_magics import Client, Conversation, InsufficientCreditsError, aask, ask, batch
from or_magics.offline import Simulator, SimulatorTransport

from .conftest import KEY


@pytest.fixture
def offline_session(monkeypatch):
    monkeypatch.delenv("OPENROUTER_API_KEY", raising=False)
    monkeypatch.delenv("OPENROUTER_BASE_URL", raising=False)
    session = or_magics.session
    session.reset_client()
    session.usage.clear()
    session.notified = True  # said already; the test about the notice starts afresh
    yield session
    session.reset_client()
    session.usage.clear()


def test_conversation_sends_the_history_and_stays_consistent(live):
    simulator = live.simulator
    chat = Conversation("openai/gpt-4o-mini", system="Be brief",
                        client=Client(api_key=KEY, base_url=live.base_url))
    first = chat.send("What is a prime?")
    second = chat.send("And the next one after 7?")
    assert len(chat) == 2
    assert [m["role"] for m in second.request["messages"]] == [
        "system", "user", "assistant", "user"]
    assert second.request["messages"][2]["content"] == first.text
    simulator.inject({"status": 402})
    with pytest.raises(InsufficientCreditsError):
        chat.send("A third question")
    assert len(chat) == 2 and len(chat.messages) == 4  # the failed turn left no trace
    assert chat.usage.total_tokens == first.usage.total_tokens + second.usage.total_tokens


def test_conversation_keeps_only_the_last_turns_but_always_the_system_prompt(live):
    chat = Conversation("openai/gpt-4o-mini", system="S", max_turns=1,
                        client=Client(api_key=KEY, base_url=live.base_url))
    chat.send("one")
    chat.send("two")
    last = chat.send("three")
    assert [m["content"] for m in last.request["messages"] if m["role"] != "assistant"] == [
        "S", "two", "three"]


def test_conversation_keeps_a_partial_answer_from_a_mid_stream_failure():
    simulator = Simulator()
    chat = Conversation(client=Client(offline=True, transport=SimulatorTransport(simulator)))
    simulator.inject({"mid_stream_error": "documented", "after_chunks": 3, "code": 502})
    with pytest.raises(or_magics.ProviderError) as info:
        chat.send("Tell me a story")
    assert len(chat) == 1 and chat.messages[-1]["content"] == info.value.partial.text


def test_ask_without_a_key_uses_the_simulator_and_says_so_in_one_plain_line(
        offline_session, capsys):
    offline_session.notified = False
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a plain line, not a UserWarning with a file path
        r = ask("What is entropy?")
        said = capsys.readouterr().out.splitlines()
        assert len(said) == 1 and "simulator" in said[0] and ".py" not in said[0]
        r2 = asyncio.run(aask("And enthalpy?", model="openai/gpt-4o"))
    assert capsys.readouterr().out == ""  # said once, not on every call
    assert r.simulated and r.text
    assert r2.model == "openai/gpt-4o"
    assert offline_session.usage["openai/gpt-4o"].calls == 1
    assert offline_session.last is r2


def test_embed_without_a_key_says_so_in_the_same_plain_line(offline_session, capsys):
    offline_session.notified = False
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        vectors = or_magics.embed(["The cat sat.", "Stocks fell."])
    said = capsys.readouterr().out.splitlines()
    assert len(said) == 1 and "simulator" in said[0] and len(vectors) == 2


def test_session_defaults_apply_and_calls_override_them(offline_session):
    offline_session.params = {"temperature": 0.1, "max_tokens": 50}
    try:
        r = ask("hi", temperature=0.9)
        assert r.request["temperature"] == 0.9 and r.request["max_tokens"] == 50
    finally:
        offline_session.params = {}


def test_batch_helper_records_usage(offline_session):
    results = batch(["a", "b", "c"], model="openai/gpt-4o-mini", concurrency=2)
    assert all(r.done for r in results)
    assert offline_session.usage["openai/gpt-4o-mini"].calls == 3
    with pytest.raises(ValueError, match="concurrency"):
        batch(["a"], concurrency=0)


def test_a_named_conversation_keeps_its_max_turns_when_asked_again_without_it():
    from or_magics.helpers.conversation import named

    session = or_magics.Session()
    chat = named("lesson", max_turns=2, session=session)
    assert named("lesson", session=session) is chat and chat.max_turns == 2
    assert named("lesson", max_turns=5, session=session).max_turns == 5
    assert "lesson" not in or_magics.session.conversations  # its own session only


def test_a_client_given_to_the_session_keeps_its_own_model_and_cache(tmp_path):
    from or_magics.client.cache import ResponseCache
    from or_magics.state import Session

    store = ResponseCache(tmp_path / "answers.sqlite")
    own = Client(offline=True, model="anthropic/claude-haiku-4.5", cache=store)
    session = Session()
    session.use(own)
    assert session.client() is own and (own.model, own.cache) == (
        "anthropic/claude-haiku-4.5", store)
    session.model = "openai/gpt-4o"  # the session's own choice still wins
    assert session.client().model == "openai/gpt-4o"
