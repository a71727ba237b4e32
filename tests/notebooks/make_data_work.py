"""Writes notebooks/data-work.ipynb (outputs cleared): ``python tests/notebooks/make_data_work.py``.

The notebook's cells live here as plain text so they are reviewed as code; a test checks
that the committed notebook is exactly what this script writes.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import nbformat

PATH = Path(__file__).parents[2] / "notebooks" / "data-work.ipynb"

CELLS: list[tuple[str, str]] = [
    ("markdown", """\
# Data work at scale

A prompt over a column of 1,000 product reviews: each review classified into a schema and
joined back onto the DataFrame as new columns, with a progress bar, a spending limit that
stops part way and keeps what finished, a re-run from the cache at $0, resume after an
interrupt, and the same on a local Dask cluster with worker processes.

**No key needed.** Without `OPENROUTER_API_KEY` every answer comes from the built-in
OpenRouter simulator (labelled *simulated*), sped up below so the whole notebook runs in
well under a minute. With a key it runs unchanged against OpenRouter: the 1,000
classifications with `openai/gpt-4o-mini` cost about a cent and a half."""),
    ("code", """\
%load_ext or_magics
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

import or_magics

if or_magics.session.is_offline:  # a fast simulator: 20 ms per answer, tokens at once
    %openrouter offline --latency 0.02 --token-rate 0
print("Answers come from:", "the built-in simulator (simulated)" if or_magics.session.is_offline
      else "OpenRouter")"""),
    ("markdown", """\
## 1,000 reviews

Generated here, deterministically (the same seed gives the same reviews), so the notebook is
reproducible: a product and what the customer wrote."""),
    ("code", """\
rng = random.Random(2024)
products = ["kettle", "toaster", "desk lamp", "backpack", "headphones", "coffee grinder",
            "yoga mat", "phone case"]
aspects = ["build quality", "price", "delivery", "customer service", "battery", "design"]
templates = {
    "good": ["Absolutely love this {p}: great {a}, works perfectly.",
             "Excellent {p}, the {a} is fantastic. Would buy again.",
             "Great value! The {p} arrived fast and I am very happy with the {a}."],
    "bad": ["Terrible {p}. The {a} is awful and it broke after a week.",
            "Very disappointed with this {p}: poor {a}, I want a refund.",
            "The {p} arrived late and damaged; bad {a}, never again."],
    "meh": ["The {p} is okay, the {a} is average.",
            "It's a {p}. It does the job; nothing special about the {a}."],
}
rows = []
for _ in range(1000):
    mood = rng.choices(["good", "bad", "meh"], weights=[5, 3, 2])[0]
    product = rng.choice(products)
    text = rng.choice(templates[mood]).format(p=product, a=rng.choice(aspects))
    text += f" (Bought {rng.randint(2, 90)} days ago, order {rng.randint(1000, 9999)}.)"
    rows.append({"product": product, "review": text})
reviews = pd.DataFrame(rows, index=pd.RangeIndex(1000, name="review_id"))
reviews.head()"""),
    ("markdown", """\
## The schema: one column per field

A dataclass (a pydantic model or a TypedDict works the same) is what each answer must fit.
`to_frame()` turns the parsed answers into one column per field, plus `error` and `cost`,
on the input's index, so `reviews.join(...)` lines up."""),
    ("code", """\
@dataclass
class Review:
    sentiment: Literal["positive", "negative", "neutral"]
    stars: Literal[1, 2, 3, 4, 5]
    topic: Literal["quality", "price", "delivery", "service"]


TEMPLATE = "Classify this product review: {review}"
MODEL = "openai/gpt-4o-mini"
CACHE = Path("reviews-cache.sqlite")  # answers kept on disk, next to this notebook
CACHE.unlink(missing_ok=True)  # start empty, so the first run below pays and the next does not"""),
    ("markdown", """\
## A budget that stops part way

`max_cost` (USD) is never passed: before each request the worst case (the prompt and
`max_tokens` at the catalogue's prices) is reserved, and the real cost replaces it when the
answer ends. Items that would not fit are not sent: they hold `BudgetExceededError`, and
everything that finished is kept. `%openrouter budget 1.00` sets the same guard for the
whole session (cells, `ask`, batches).

The bar counts done and failed items, tokens, the running cost and the time left."""),
    ("code", """\
capped = or_magics.batch(reviews, MODEL, template=TEMPLATE, schema=Review, max_tokens=60,
                         max_cost=0.003, concurrency=32, cache=CACHE)
stopped = [e for e in capped.errors if isinstance(e, or_magics.BudgetExceededError)]
print(capped)
print(f"spent ${capped.usage.cost:.6f} of $0.003: {capped.done} classified and kept, "
      f"{len(stopped)} not sent (each holds a BudgetExceededError):")
print(stopped[0])"""),
    ("markdown", """\
## The whole column into new columns

The same batch again, without the limit, sends only what is missing: the items the budget
stopped (`or_magics.session.last_batch` remembers the last batch, and what finished is not
paid twice)."""),
    ("code", """\
result = or_magics.batch(reviews, MODEL, template=TEMPLATE, schema=Review, max_tokens=60,
                         concurrency=32, cache=CACHE)
print(result, f"— {result.done - capped.done} sent this time")
labelled = reviews.join(result.to_frame())
labelled.head(8)"""),
    ("code", """\
print(labelled["sentiment"].value_counts().to_string())
labelled.groupby("product")["stars"].mean().round(2).sort_values()"""),
    ("markdown", """\
## A re-run at $0, from the cache

`cache=` (`True` for the user's cache folder, or a path) keeps every complete answer in a
SQLite file, keyed by the whole request. Tomorrow, in a fresh kernel, the same analysis is
answered from it: nothing is sent, nothing is spent, and the answers are the same, so a
notebook re-runs reproducibly. (Here we forget `last_batch` to play the fresh kernel.)
`%openrouter cache on` turns it on for every call of the session, and `%openrouter cache`
shows its size and hits."""),
    ("code", """\
or_magics.session.last_batch = None  # as in a fresh kernel
again = or_magics.batch(reviews, MODEL, template=TEMPLATE, schema=Review, max_tokens=60,
                        concurrency=32, cache=CACHE)
print(again)
print(f"cost ${again.usage.cost:.2f}; {sum(r.cached for r in again)} answers from the cache; "
      f"same labels: {again.to_frame()['sentiment'].equals(result.to_frame()['sentiment'])}")"""),
    ("markdown", """\
### OpenRouter's own response cache

`server_cache=True` asks OpenRouter to keep each answer for 5 minutes (a number of seconds
sets another TTL, up to a day): an identical request is answered from there, free, on any
machine that uses the same key, a cluster's workers included. A hit has usage 0 and says
so: `Response.server_cache` is `"HIT"`, and its footer reads *from OpenRouter's response
cache, nothing spent*. `%%openrouter --server-cache` and `%openrouter config
server_cache=true` ask for it in cells."""),
    ("code", """\
sample = reviews.head(40)
first = or_magics.batch(sample, MODEL, template="Reply politely to: {review}",
                        server_cache=True, max_tokens=40, progress=False)
or_magics.session.last_batch = None
second = or_magics.batch(sample, MODEL, template="Reply politely to: {review}",
                         server_cache=True, max_tokens=40, progress=False)
print(f"first run: ${first.usage.cost:.6f}, "
      f"{sum(r.server_cache == 'MISS' for r in first)} answered by the model and kept")
print(f"again:     ${second.usage.cost:.6f}, {sum(r.server_cached for r in second)} answered "
      f"from OpenRouter's cache, same text: {second.texts == first.texts}")
second[0]"""),
    ("markdown", """\
## Resume after an interrupt

Press ■ (or Ctrl-C) during a batch and it stops at once: answers in flight are closed,
every completed item is kept in `or_magics.session.last_batch` and counted in
`%openrouter usage`, and the interrupt goes on, so *Run all* stops there. Running the same
batch again sends only the items not done yet.

Here 400 replies are asked four at a time, and to run top to bottom without a person, a
timer presses ■ for us one second in."""),
    ("code", """\
import _thread
import threading

REPLY = "Write a one-line reply to this customer: {review}"
customers = reviews.head(400)
stopper = threading.Timer(1.0, _thread.interrupt_main)  # what ■ does
stopper.start()
try:
    replies = or_magics.batch(customers, MODEL, template=REPLY, max_tokens=40, concurrency=4)
    print("finished before the interrupt")
except KeyboardInterrupt as stop:
    print("Interrupted:", stop)
finally:
    stopper.cancel()
kept = or_magics.session.last_batch  # finished items, and what was not sent
print(f"{kept.done} replies kept; the others hold NotSentError (or the partial answer)")
kept"""),
    ("code", """\
replies = or_magics.batch(customers, MODEL, template=REPLY, max_tokens=40, concurrency=32)
print(replies, f"— {kept.done} kept from before, {replies.done - kept.done} sent now")
customers.join(replies.to_frame())[["review", "text"]].head(3)"""),
    ("markdown", """\
`%openrouter usage` counts every answer of the session once, what the interrupted batch
finished (and the partial answers it closed) included; answers from the cache count at $0."""),
    ("code", """\
%openrouter usage"""),
    ("markdown", """\
## The same on a Dask cluster

`or_magics.batch_frame(df, template, **params)` is `batch(df, template=...).to_frame()` as a
plain, picklable function of one DataFrame, with no kernel state: each partition runs in a
worker process with its own session, which reads `OPENROUTER_API_KEY` (and
`OPENROUTER_BASE_URL`) from its environment. An empty frame gives the empty result frame
without a request, which is how `meta` is built.

Offline, the workers need a simulator they can all reach: one runs here as a real HTTP
server on 127.0.0.1, and the workers get its address (any key works there)."""),
    ("code", """\
import dask.dataframe as dd
import distributed

worker_env = {}
if or_magics.session.is_offline:
    from or_magics.offline import serve_in_thread

    simulator = serve_in_thread(port=0, latency=0.02, token_rate=0)
    worker_env = {"OPENROUTER_BASE_URL": simulator.base_url,
                  "OPENROUTER_API_KEY": "offline-demo"}

cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                   dashboard_address=None, env=worker_env)
dask_client = distributed.Client(cluster)
frames = dd.from_pandas(reviews, npartitions=2)  # any number: each partition is one batch
meta = or_magics.batch_frame(reviews.iloc[:0], TEMPLATE, schema=Review)
on_cluster = frames.map_partitions(or_magics.batch_frame, TEMPLATE, schema=Review,
                                   model=MODEL, max_tokens=60, concurrency=16,
                                   meta=meta).compute()
print(len(on_cluster), "rows from", len(dask_client.scheduler_info()["workers"]),
      "worker processes; errors:", int(on_cluster["error"].notna().sum()),
      f"; cost ${on_cluster['cost'].sum():.4f}")
reviews.join(on_cluster).head()"""),
    ("code", """\
dask_client.close()
cluster.close()
if or_magics.session.is_offline:
    simulator.stop()"""),
    ("markdown", """\
On Spark the same function runs per partition with `mapInPandas`:

```python
schema = "sentiment string, stars bigint, topic string, error string, cost double"
labels = spark_df.mapInPandas(
    lambda frames: (or_magics.batch_frame(f, TEMPLATE, schema=Review, model=MODEL)
                    .reset_index(drop=True) for f in frames),
    schema=schema)
```

Many workers share one key's limits: each batch already slows down as a whole when it gets
a 429 (it waits for `Retry-After`, sends fewer at once, and keeps to OpenRouter's
`X-RateLimit-Limit`, such as 20 a minute for `:free` models); keep `concurrency` per
partition modest on a cluster."""),
]


def notebook() -> nbformat.NotebookNode:
    """The notebook, outputs cleared, with cell ids that only change with their text."""
    cells = []
    for kind, source in CELLS:
        make = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
        cell = make(source)
        cell.id = hashlib.sha1(source.encode()).hexdigest()[:8]
        cells.append(cell)
    return nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    })


def text() -> str:
    return nbformat.writes(notebook()) + "\n"


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else PATH
    out.write_text(text(), encoding="utf-8")
    print(f"wrote {out}")
