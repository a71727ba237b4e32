"""`batch` and `batch_frame`: a prompt over many rows, on the session's client.

On top of `Client.batch`: the session's defaults, budget and cache, usage counted once per
item, and resume: after Ctrl-C, ``or_magics.session.last_batch`` holds every finished item,
and calling the same batch again sends only what is missing. `batch_frame` is the same
as a plain function of one DataFrame, for ``ddf.map_partitions`` on a cluster.
"""

from __future__ import annotations

from os import PathLike
from typing import Any

from ..client import OpenRouterError, Response
from ..client.batch import BatchResult
from ..client.cache import ResponseCache
from ..errors import Interrupted
from ..state import session

__all__ = ["batch", "batch_frame"]


def batch(items: Any, model: str | None = None, *, template: str | None = None,
          schema: Any = None, concurrency: int = 8, max_cost: float | None = None,
          cache: bool | str | PathLike[str] | ResponseCache = False, progress: bool = True,
          **params: Any) -> BatchResult:
    """Ask every item at once with the session's client; see `Client.batch`.

    ``items``: prompts, message lists, dicts or a Series with ``template=``, or a DataFrame
    with ``template="Classify: {review}"``. Results come back in input order, a failed item
    as its exception; ``.to_frame()`` joins onto the input's index.
    """
    session.announce()
    client = session.client()
    fields = session.request_params({"model": model, **params})
    chosen = fields.pop("model", None)
    store = cache if cache else (session.cache or False)
    run, index = client.plan_batch(items, chosen, template=template, schema=schema,
                                   concurrency=concurrency, max_cost=max_cost, cache=store,
                                   params=fields, budget=session.spending_limit())
    fresh = run.resume(session.last_batch) if session.last_batch is not None else \
        list(range(len(run.requests)))
    try:
        return client.run_batch(run, index, progress=progress)
    except KeyboardInterrupt:
        raise Interrupted("or_magics.session.last_batch; run the same batch again to "
                          "send the rest") from None
    finally:
        result = session.last_batch = client.last_batch
        if result is not None:
            for i in fresh:
                item = result[i]
                answer = item if isinstance(item, Response) else (
                    item.partial if isinstance(item, OpenRouterError) else None)
                if answer is not None:
                    session.record(answer, client)


def batch_frame(frame: Any, template: str, **params: Any) -> Any:
    """``batch(frame, template=template, **params).to_frame()`` as a plain function of one
    DataFrame: picklable, no kernel state, no progress bar by default, so it runs per
    partition on a cluster (``ddf.map_partitions(batch_frame, "Classify: {review}",
    meta=batch_frame(ddf._meta, "Classify: {review}"))``). An empty frame gives the empty
    result frame, without a request."""
    params.setdefault("progress", False)
    if len(frame) == 0:
        from ..kernel.schema import schema_for

        schema = params.get("schema")
        return BatchResult([], index=frame.index,
                           schema=schema_for(schema) if schema is not None else None).to_frame()
    return batch(frame, template=template, **params).to_frame()
