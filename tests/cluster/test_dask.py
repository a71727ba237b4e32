"""batch_frame per partition on a real dask.distributed cluster with worker processes.

Every worker is its own process with its own or_magics session: it reads
``OPENROUTER_BASE_URL`` and ``OPENROUTER_API_KEY`` from the environment it was started
with, and talks to the loopback simulator like any client.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal

import dask.dataframe as dask_dataframe  # the [dask] extra, also in [test]
import distributed
import pandas
import pytest

import or_magics

KEY = "sk-or-v1-test-" + "da5c" * 8


@dataclass
class Label:
    sentiment: Literal["positive", "negative", "neutral"]
    confidence: float


@pytest.fixture(scope="module")
def cluster(server):
    saved = {k: os.environ.get(k) for k in ("OPENROUTER_BASE_URL", "OPENROUTER_API_KEY")}
    os.environ.update(OPENROUTER_BASE_URL=server.base_url, OPENROUTER_API_KEY=KEY)
    try:
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      dashboard_address=None) as running, \
                distributed.Client(running) as client:
            yield client
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def test_batch_frame_runs_per_partition_in_worker_processes(cluster, live):
    reviews = pandas.DataFrame(
        {"review": [f"{'Great' if i % 3 else 'Terrible'} kettle, review {i}"
                    for i in range(40)]},
        index=pandas.Index(range(100, 140), name="id"))
    frames = dask_dataframe.from_pandas(reviews, npartitions=4)
    template = "Classify: {review}"
    meta = or_magics.batch_frame(reviews.iloc[:0], template, schema=Label)
    before = live.simulator.stats.snapshot()["chat_requests"]
    result = frames.map_partitions(or_magics.batch_frame, template, schema=Label,
                                   model="openai/gpt-4o-mini", meta=meta).compute()
    assert live.simulator.stats.snapshot()["chat_requests"] - before == 40
    assert list(result.index) == list(reviews.index)
    assert list(result.columns) == list(meta.columns)
    assert dict(result.dtypes) == dict(meta.dtypes)
    assert result["error"].isna().all() and (result["cost"] > 0).all()
    joined = reviews.join(result)
    assert (joined.loc[joined.review.str.startswith("Terrible"), "sentiment"]
            == "negative").all()
    workers = cluster.run(lambda: os.getpid())
    assert len(set(workers.values())) == 2 and os.getpid() not in workers.values()


def test_a_schema_defined_in_a_notebook_reaches_the_workers(cluster, live):
    @dataclass
    class Mood:  # made here, like a notebook's class: cloudpickle sends it by value
        sentiment: Literal["positive", "negative", "neutral"]

    reviews = pandas.DataFrame({"review": ["Great kettle", "Terrible kettle"] * 4})
    frames = dask_dataframe.from_pandas(reviews, npartitions=2)
    template = "Classify: {review}"
    meta = or_magics.batch_frame(reviews.iloc[:0], template, schema=Mood)
    result = frames.map_partitions(or_magics.batch_frame, template, schema=Mood,
                                   model="openai/gpt-4o-mini", meta=meta).compute()
    assert result["error"].isna().all()
    assert list(result["sentiment"]) == ["positive", "negative"] * 4
