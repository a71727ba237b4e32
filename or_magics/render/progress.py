"""A batch's progress: a bar in a notebook, a text bar in a terminal (tqdm's own).

It counts what a person running 10,000 prompts wants to watch: done and failed items,
tokens and the running cost, and tqdm's time left. Results are duck-typed (``usage``,
``error``), so the display never imports the client.
"""

from __future__ import annotations

from typing import Any

from ..kernel.values import usd

__all__ = ["BatchProgress"]


class BatchProgress:
    """``update(result)`` after each item; ``tick()`` while waiting; ``close()`` at the end
    (also after Ctrl-C: the bar stays, showing where it stopped)."""

    def __init__(self, total: int, title: str = "batch", *, notebook: bool | None = None,
                 **options: Any) -> None:
        if notebook is None:
            from .ipython import in_kernel

            notebook = in_kernel()
        if notebook:
            from tqdm.notebook import tqdm
        else:
            from tqdm import tqdm
        self.done = self.failed = self.tokens = self.cached = 0
        self.cost = 0.0
        #: What the batch waits for now ("waiting for the rate limit… 12 s"), if anything.
        self.note: str | None = None
        self.bar = tqdm(total=total, desc=title, unit="item", dynamic_ncols=True, **options)

    def update(self, result: Any) -> None:
        failed = isinstance(result, BaseException) or getattr(result, "error", None) is not None
        self.failed += failed
        self.done += not failed
        response = getattr(result, "partial", None) if isinstance(result, BaseException) \
            else result
        self.cached += bool(getattr(response, "cached", False)
                            or getattr(response, "server_cache", None) == "HIT")
        usage = getattr(response, "usage", None)
        if usage is not None:
            self.tokens += int(getattr(usage, "total_tokens", 0) or 0)
            self.cost += float(getattr(usage, "cost", 0) or 0)
        self.bar.set_postfix_str(self.summary(), refresh=False)
        self.bar.update(1)

    def summary(self) -> str:
        text = f"{self.done} done, {self.failed} failed, {self.tokens:,} tokens, {usd(self.cost)}"
        if self.cached:
            text += f", {self.cached} from a cache"
        return f"{text} · {self.note}" if self.note else text

    def status(self, note: str | None) -> None:
        """Say what the batch waits for (None: nothing), on the bar, until it changes."""
        if note != self.note:
            self.note = note
            self.bar.set_postfix_str(self.summary(), refresh=True)

    def tick(self) -> None:
        self.bar.refresh()

    def close(self) -> None:
        self.bar.close()
