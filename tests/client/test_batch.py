"""Batch over lists, Series and DataFrames on the loopback simulator: order, failures,
budget, cache, resume, frames."""

from __future__ import annotations

import asyncio
import dataclasses
import pickle
from typing import Literal

import pandas
import pytest

import or_magics
from or_magics import BudgetExceededError, Client, InvalidParameterError, OpenRouterError
from or_magics.client.cache import ResponseCache

from .conftest import KEY


@dataclasses.dataclass
class Label:
    sentiment: Literal["positive", "negative", "neutral"]
    confidence: float
    stars: int


REVIEWS = pandas.DataFrame(
    {"review": [f"Review {i}: {'great' if i % 2 else 'poor'} kettle" for i in range(12)],
     "shop": ["north", "south", "east"] * 4},
    index=pandas.Index([f"r{i:02d}" for i in range(12)], name="id"))


@pytest.fixture
def session(live):
    state = or_magics.session
    state.reset()
    state.notified = True
    state.use(Client(api_key=KEY, base_url=live.base_url))
    yield state
    state.reset()


def test_results_come_back_in_input_order_and_failures_are_values(client, live):
    live.simulator.inject({"status": 400, "message": "bad item"}, times=1)
    prompts = [f"Say the number {i}" for i in range(10)]
    results = client.batch(prompts, model="openai/gpt-4o-mini", concurrency=4,
                           progress=False)
    assert len(results) == 10 and isinstance(results, list)
    failed = [r for r in results if isinstance(r, OpenRouterError)]
    assert len(failed) == 1 and "bad item" in str(failed[0])
    answered = [r for r in results if not isinstance(r, OpenRouterError)]
    for i, result in enumerate(results):
        if result in answered:
            assert f"number {i}" in result.request["messages"][-1]["content"]
    assert results.errors.count(None) == 9 and results.texts.count(None) == 1


def test_a_dataframe_with_a_template_fills_each_row_and_joins_back(client, live):
    results = client.batch(REVIEWS, template="Classify for {shop}: {review}",
                           progress=False)
    sent = [r.request["messages"][-1]["content"] for r in results]
    assert sent[0] == "Classify for north: Review 0: poor kettle"
    frame = results.to_frame()
    assert list(frame.index) == list(REVIEWS.index) and frame.index.name == "id"
    joined = REVIEWS.join(frame)
    assert list(joined.columns) == ["review", "shop", "text", "error", "cost"]
    assert joined["text"].notna().all() and (joined["cost"] > 0).all()


def test_a_schema_gives_one_column_per_field_with_their_dtypes(client, live):
    results = client.batch(REVIEWS["review"], template="Classify: {review}", schema=Label,
                           progress=False)
    assert all(isinstance(p, Label) for p in results.parsed)
    frame = results.to_frame()
    assert list(frame.columns) == ["sentiment", "confidence", "stars", "error", "cost"]
    assert str(frame["confidence"].dtype) == "float64" and str(frame["stars"].dtype) == "Int64"
    assert set(frame["sentiment"]) <= {"positive", "negative", "neutral"}


@pytest.mark.parametrize(("items", "template", "complaint"), [
    ("hello", None, "a single string is one prompt"),
    (REVIEWS, None, "a DataFrame needs template="),
    (REVIEWS, "Classify: {reviw}", "no column 'reviw'; the columns are: review, shop"),
    ([{"text": "a"}], None, "a list of dicts needs template="),
    ([1, 2], None, "a int is not a prompt"),
    (REVIEWS, "Classify this", "names no column"),
])
def test_a_wrong_shape_is_one_line_before_anything_is_sent(client, live, items, template,
                                                           complaint):
    before = live.simulator.stats.snapshot()["chat_requests"]
    with pytest.raises(InvalidParameterError, match=complaint.replace("(", r"\(")):
        client.batch(items, template=template, progress=False)
    assert live.simulator.stats.snapshot()["chat_requests"] == before


def test_the_budget_is_never_passed_and_what_finished_is_kept(client, live):
    prompts = [f"Write two words about rivers, take {i}" for i in range(40)]
    one = client.chat(prompts[0], max_tokens=20)
    budget = one.usage.cost * 20.5
    results = client.batch(prompts, max_tokens=20, max_cost=budget, concurrency=5,
                           progress=False)
    spent = results.usage.cost
    assert spent <= budget
    stopped = [r for r in results if isinstance(r, BudgetExceededError)]
    done = [r for r in results if not isinstance(r, OpenRouterError)]
    assert stopped and done and len(stopped) + len(done) == 40
    assert "left" in str(stopped[0]) and "\n" not in str(stopped[0])


def test_the_cache_answers_repeats_at_no_cost(client, live, tmp_path):
    store = ResponseCache(tmp_path / "answers.sqlite")
    prompts = [f"A fact about the number {i}" for i in range(6)]
    first = client.batch(prompts, cache=store, progress=False)
    before = live.simulator.stats.snapshot()["chat_requests"]
    again = client.batch(prompts, cache=store, progress=False)
    assert live.simulator.stats.snapshot()["chat_requests"] == before  # nothing sent
    assert again.texts == first.texts and again.usage.cost == 0
    assert all(r.cached for r in again) and not any(r.cached for r in first)
    assert store.stats()["entries"] == 6 and store.stats()["hits"] == 6
    assert store.clear() == 6 and store.stats()["entries"] == 0


@pytest.mark.parametrize("kind", [str, lambda path: path], ids=["str", "Path"])
def test_a_cache_path_as_text_or_a_path_is_that_file(client, live, tmp_path, kind):
    path = tmp_path / "mine.sqlite"
    prompts = [f"A fact about the letter {c}" for c in "abc"]
    first = client.batch(prompts, cache=kind(path), progress=False)
    assert path.exists() and ResponseCache(path).stats()["entries"] == 3
    again = client.batch(prompts, cache=kind(path), progress=False)
    assert all(r.cached for r in again) and not any(r.cached for r in first)
    assert again.usage.cost == 0 and again.texts == first.texts


def test_the_session_resumes_the_same_batch_and_counts_usage_once(session, live):
    prompts = [f"Name a colour, take {i}" for i in range(8)]
    first = or_magics.batch(prompts, progress=False)
    cost = session.total_usage().cost
    assert cost == pytest.approx(first.usage.cost)
    # pretend two items did not finish, as after Ctrl-C
    partial = or_magics.session.last_batch
    partial[3] = or_magics.NotSentError("not sent")
    partial[5] = or_magics.NotSentError("not sent")
    before = live.simulator.stats.snapshot()["chat_requests"]
    second = or_magics.batch(prompts, progress=False)
    assert live.simulator.stats.snapshot()["chat_requests"] - before == 2  # only those two
    assert second[0] is first[0] and second.done == 8
    assert session.total_usage().cost == pytest.approx(cost + second[3].usage.cost
                                                       + second[5].usage.cost)


def test_the_session_budget_stops_helpers_and_batches_before_sending(session, live):
    session.budget = 0.0
    before = live.simulator.stats.snapshot()["chat_requests"]
    with pytest.raises(BudgetExceededError, match="session budget"):
        or_magics.ask("hello")
    results = or_magics.batch(["a", "b"], progress=False)
    assert all(isinstance(r, BudgetExceededError) for r in results)
    assert live.simulator.stats.snapshot()["chat_requests"] == before
    assert session.total_usage().cost is None


def test_abatch_from_an_event_loop(client, live):
    async def main():
        return await client.abatch(["one", "two", "three"], concurrency=2)

    results = asyncio.run(main())
    assert [r.request["messages"][-1]["content"] for r in results] == ["one", "two", "three"]


def test_batch_frame_is_picklable_and_an_empty_frame_sends_nothing(session, live):
    assert pickle.loads(pickle.dumps(or_magics.batch_frame)) is or_magics.batch_frame
    before = live.simulator.stats.snapshot()["chat_requests"]
    empty = or_magics.batch_frame(REVIEWS.iloc[:0], "Classify: {review}", schema=Label)
    assert live.simulator.stats.snapshot()["chat_requests"] == before
    assert list(empty.columns) == ["sentiment", "confidence", "stars", "error", "cost"]
    full = or_magics.batch_frame(REVIEWS.iloc[:3], "Classify: {review}", schema=Label)
    assert dict(full.dtypes) == dict(empty.dtypes) and list(full.index) == ["r00", "r01",
                                                                            "r02"]


def test_results_and_errors_survive_pickling(client, live):
    live.simulator.inject({"status": 429, "retry_after": 0}, times=3)
    results = client.batch(["a", "b"], progress=False)
    copy = pickle.loads(pickle.dumps(results))
    assert copy.texts == results.texts and [type(e) for e in copy.errors] == [
        type(e) for e in results.errors]


def test_a_conversation_rerun_after_a_restart_is_answered_from_the_cache(tmp_path):
    """Each Conversation sends its own session_id to OpenRouter; the cache must not care."""
    with or_magics.Client(offline=True) as client:
        client.cache = ResponseCache(tmp_path / "answers.sqlite")
        first, again = or_magics.Conversation(client=client), or_magics.Conversation(client=client)
        answer = first.send("Name a prime")
        repeat = again.send("Name a prime")
    assert answer.request["session_id"] != repeat.request["session_id"]
    assert repeat.cached and not answer.cached and repeat.text == answer.text


def test_a_cache_that_cannot_be_opened_is_one_line_before_anything_is_sent(client, live,
                                                                           tmp_path):
    before = live.simulator.stats.snapshot()["chat_requests"]
    blocked = tmp_path / "file"
    blocked.write_text("")
    with pytest.raises(or_magics.InvalidParameterError,
                       match=r"cache: cannot keep answers in .*file/answers\.sqlite"):
        client.batch(["hi"], cache=blocked / "answers.sqlite", progress=False)
    with pytest.raises(or_magics.InvalidParameterError, match="cache: give True, a file path"):
        or_magics.Client(api_key="sk-or-v1-test", cache=5)
    assert live.simulator.stats.snapshot()["chat_requests"] == before
    folder = tmp_path / "answers"  # a folder: the file in it
    folder.mkdir()
    first = client.batch(["hi"], cache=folder, progress=False)
    again = or_magics.Client(api_key="sk-or-v1-test", base_url=live.base_url,
                             cache=str(folder)).chat("hi")
    assert (folder / "answers.sqlite").exists() and again.cached
    assert again.text == first.texts[0]


def test_an_error_that_is_not_an_items_stops_the_batch_instead_of_hanging(client, tmp_path,
                                                                          monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    store = ResponseCache(tmp_path / "answers.sqlite")
    monkeypatch.setattr(store, "get", broken)
    with pytest.raises(RuntimeError, match="disk on fire"):
        client.batch(["a", "b"], cache=store, progress=False)


def test_a_locked_cache_file_costs_the_answer_nothing(tmp_path):
    import sqlite3

    path = tmp_path / "answers.sqlite"
    with or_magics.Client(offline=True, cache=path) as client:
        holder = sqlite3.connect(path)
        holder.execute("BEGIN EXCLUSIVE")  # another process writes to the file
        try:
            r = client.chat("Name a prime")
        finally:
            holder.rollback()
            holder.close()
        assert r.text and not r.cached and client.cache.stats()["errors"] == 1


def test_the_cache_file_is_read_and_written_off_the_loop_every_stream_shares(tmp_path,
                                                                            monkeypatch):
    """sqlite blocks (up to its timeout on a locked file): never on the private loop."""
    import threading

    store = ResponseCache(tmp_path / "answers.sqlite")
    threads: list[str] = []
    for name in ("get", "put"):
        method = getattr(store, name)
        monkeypatch.setattr(store, name, lambda *a, _m=method: (
            threads.append(threading.current_thread().name), _m(*a))[1])
    with or_magics.Client(offline=True, cache=store) as client:
        client.chat("Name a prime")
        client.chat("Name a prime")
    loop_thread = next(t.name for t in threading.enumerate() if "or_magics" in t.name)
    assert len(threads) == 3 and loop_thread not in threads, (threads, loop_thread)


def test_batches_on_one_cache_file_share_one_open_store(client, tmp_path):
    """A batch a minute must not open (and leak) a connection to the file each time."""
    path = tmp_path / "answers.sqlite"
    first = ResponseCache.of(path)
    for _ in range(3):
        client.batch(["hi"], cache=str(path), progress=False)
    assert ResponseCache.of(tmp_path / "." / "answers.sqlite") is first
    assert first.stats()["hits"] == 2
