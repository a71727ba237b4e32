"""Many requests at once: bounded concurrency, a budget, a cache, and results in order.

`BatchRun` runs on the private loop and yields ``(index, result)`` as each item ends, so
the caller's thread can show progress and, on Ctrl-C, keep every completed item. Its
`Pacer` is shared by every request of the batch: a 429 slows them all (``pacer.py``).
`BatchResult` is the list of results in input order (a failed item is its exception,
never raised) with the views data work needs, ``to_frame()`` on the input's index.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Callable, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import InvalidParameterError, NotSentError, OpenRouterError
from .budget import Budget
from .cache import ResponseCache, request_key
from .pacer import Pacer
from .request import Request
from .response import Response, Usage

if TYPE_CHECKING:
    from .client import Client

__all__ = ["BatchResult", "BatchRun"]

Result = Response | OpenRouterError


class BatchResult(list[Result]):
    """Results in input order: each a `Response`, or the error that item ended with."""

    def __init__(self, results: Sequence[Result], *, index: Any = None, schema: Any = None,
                 keys: Sequence[str] = (), rate_limited: int = 0) -> None:
        super().__init__(results)
        #: 429 answers the batch met (each slowed the whole batch; none lost an item).
        self.rate_limited = rate_limited
        #: One key per item (the request's hash): the same batch again resumes this one.
        self.keys = list(keys)
        #: The input's index (a DataFrame's or Series'), or None for a list.
        self.input_index = index
        self.schema = schema

    @property
    def texts(self) -> list[str | None]:
        return [r.text if isinstance(r, Response) else None for r in self]

    @property
    def parsed(self) -> list[Any]:
        return [r.parsed if isinstance(r, Response) else None for r in self]

    @property
    def errors(self) -> list[OpenRouterError | None]:
        """The error of each item (a Response that failed mid-answer counts), or None."""
        return [r if isinstance(r, OpenRouterError) else r.error for r in self]

    @property
    def usage(self) -> Usage:
        total = Usage()
        for result in self:
            response = result if isinstance(result, Response) else result.partial
            if response is not None:
                total = total + response.usage
        return total

    @property
    def done(self) -> int:
        return sum(1 for r in self if isinstance(r, Response) and r.error is None
                   and not r.interrupted)

    def __repr__(self) -> str:
        failed = sum(1 for e in self.errors if e is not None)
        cost = self.usage.cost
        spent = f", ${cost:.6f}" if cost else ""
        return f"<BatchResult {len(self)} items: {self.done} done, {failed} failed{spent}>"

    def to_frame(self) -> Any:
        """A DataFrame on the input's index: ``text`` (or one column per schema field),
        ``error`` and ``cost``, so ``df.join(result.to_frame())`` works."""
        import pandas

        fields = _schema_fields(self.schema)
        rows = []
        for result in self:
            response = result if isinstance(result, Response) else None
            error = result if isinstance(result, OpenRouterError) else (
                response.error if response is not None else None)
            row: dict[str, Any] = {}
            if fields is None:
                row["text"] = response.text if response is not None and error is None \
                    else None
            else:
                row.update(_as_fields(response.parsed if response is not None else None,
                                      fields))
            row["error"] = str(error) if error is not None else None
            row["cost"] = response.usage.cost if response is not None else None
            rows.append(row)
        columns = ["text"] if fields is None else list(fields)
        frame = pandas.DataFrame(rows, columns=[*columns, "error", "cost"],
                                 index=self.input_index)
        dtypes = {column: "object" for column in frame.columns}  # text stays text everywhere
        dtypes.update({**_dtypes(self.schema), "cost": "float64"})
        for column, dtype in dtypes.items():
            frame[column] = frame[column].astype(dtype)  # the same dtypes, empty or not
        return frame


def _schema_fields(schema: Any) -> list[str] | None:
    """The columns a schema's objects become; None for a plain ``text`` column."""
    if schema is None:
        return None
    properties = (schema.original.get("properties") or {}) if not schema.wrapped else {}
    return list(properties) or ["value"]


_DTYPES = {"number": "float64", "integer": "Int64", "boolean": "boolean"}


def _dtypes(schema: Any) -> dict[str, str]:
    """pandas dtypes for the schema's number, integer and boolean fields (nullable, so a
    failed row is a missing value), so an empty frame has the same dtypes (Dask's meta)."""
    if schema is None or schema.wrapped:
        return {}
    out = {}
    for name, spec in (schema.original.get("properties") or {}).items():
        kinds = [spec.get("type")] + [o.get("type") for o in spec.get("anyOf", ())
                                      if isinstance(o, dict)]
        kind = next((k for k in kinds if k in _DTYPES), None)
        if kind is not None:
            out[name] = _DTYPES[kind]
    return out


def _as_fields(parsed: Any, fields: list[str]) -> dict[str, Any]:
    if parsed is None:
        return dict.fromkeys(fields)
    if hasattr(parsed, "model_dump"):
        parsed = parsed.model_dump()
    elif dataclasses.is_dataclass(parsed) and not isinstance(parsed, type):
        parsed = {f.name: getattr(parsed, f.name) for f in dataclasses.fields(parsed)}
    if isinstance(parsed, dict):
        return {name: parsed.get(name) for name in fields}
    return {fields[0]: parsed}


def check_options(concurrency: Any, max_cost: Any) -> None:
    """A batch's ``concurrency`` and ``max_cost``, checked before anything is planned."""
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise InvalidParameterError("concurrency", f"must be a whole number ≥ 1, not "
                                                   f"{concurrency!r}")
    if max_cost is not None and (isinstance(max_cost, bool) or not isinstance(
            max_cost, (int, float)) or max_cost < 0):
        raise InvalidParameterError("max_cost", "must be a number of USD ≥ 0")


@dataclasses.dataclass
class _Broken:
    """What an item's task raised that is not an API error, for `BatchRun.events` to raise."""

    error: Exception


class BatchRun:
    """One batch on the private loop; ``responses`` holds answers in flight, so an
    interrupted batch still has their partial text."""

    def __init__(self, client: Client, requests: Sequence[Request], *, concurrency: int,
                 budget: Budget | None = None, cache: ResponseCache | None = None,
                 estimate: Callable[[Request], float | None] | None = None,
                 done: Sequence[Result | None] | None = None) -> None:
        self.client = client
        self.requests = list(requests)
        self.concurrency = concurrency
        self.budget = budget
        self.cache = cache
        self.estimate = estimate
        #: Results so far, by index (completed earlier, to resume, or in this run).
        self.results: list[Result | None] = list(done) if done else [None] * len(requests)
        self.responses: dict[int, Response] = {}
        #: The pace every request of the batch keeps; None: each item backs off alone.
        self.pacer: Pacer | None = Pacer(concurrency)

    def result(self, *, index: Any = None) -> BatchResult:
        """The results as they stand; an item never sent holds `NotSentError`, one cut
        short its partial Response (marked interrupted)."""
        out: list[Result] = []
        for i, result in enumerate(self.results):
            if result is None:
                partial = self.responses.get(i)
                if partial is not None:
                    partial.interrupted = partial.interrupted or not partial.done
                    out.append(partial)
                else:
                    out.append(NotSentError("not sent: the batch stopped first"))
            else:
                out.append(result)
        schema = self.requests[0].schema if self.requests else None
        return BatchResult(out, index=index, schema=schema, keys=self.keys,
                           rate_limited=self.pacer.limited if self.pacer else 0)

    def waiting(self) -> str | None:
        """What the batch waits for, when it waits for a rate limit (for the progress)."""
        return self.pacer.note() if self.pacer is not None else None

    @property
    def keys(self) -> list[str]:
        return [request_key(self.client.settings.public_url, r.body) for r in self.requests]

    def resume(self, previous: BatchResult) -> list[int]:
        """Take the finished items of an earlier run of the same requests; the indices
        left to send."""
        if previous.keys == self.keys:
            for i, result in enumerate(previous):
                if isinstance(result, Response) and result.error is None \
                        and not result.interrupted:
                    self.results[i] = result
        return [i for i, result in enumerate(self.results) if result is None]

    async def events(self) -> AsyncIterator[tuple[int, Result]]:
        """``(index, result)`` as each item ends, in the order they end."""
        finished: asyncio.Queue[tuple[int, Any]] = asyncio.Queue()
        gate = asyncio.Semaphore(self.concurrency)
        todo = [i for i, r in enumerate(self.results) if r is None]
        tasks = [asyncio.create_task(self._one(i, gate, finished)) for i in todo]
        try:
            for _ in tasks:
                index, result = await finished.get()
                if isinstance(result, _Broken):  # not an item's failure: the batch's
                    raise result.error
                yield index, result
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _one(self, index: int, gate: asyncio.Semaphore,
                   finished: asyncio.Queue[tuple[int, Any]]) -> None:
        try:
            result = await self._send(index, self.requests[index], gate)
        except Exception as exc:  # a bug, or the cache's disk: stop, never wait for it
            await finished.put((index, _Broken(exc)))
            return
        self.results[index] = result
        await finished.put((index, result))

    async def _send(self, index: int, request: Request, gate: asyncio.Semaphore) -> Result:
        async with gate:
            held = None
            response: Response | None = None
            try:
                if self.budget is not None:
                    estimate = self.estimate(request) if self.estimate else None
                    held = await self.budget.reserve(estimate)
                response = self.responses[index] = Response(
                    request.body, simulated=self.client.offline, schema=request.schema)
                await self.client.complete(request.body, response, cache=self.cache,
                                           pacer=self.pacer)
            except OpenRouterError as exc:  # BudgetExceededError included: the item's result
                return exc
            finally:
                if held is not None and self.budget is not None:
                    self.budget.settle(held, response.usage.cost if response else None)
            return response
