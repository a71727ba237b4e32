"""Test doubles for the streamer: a sink that records every message, and a manual clock."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from or_magics.render import BlockScanner, Bundle


@dataclass
class Message:
    kind: str  # "open" or "update"
    index: int  # which output
    bundle: Bundle
    time: float

    @property
    def size(self) -> int:
        """What the bundle costs on the wire (JSON-serialized, as in a display message)."""
        return len(json.dumps(self.bundle))


class FakeClock:
    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class FakeSink:
    """Implements the `Sink` protocol; handles are output indexes."""

    clock: FakeClock | None = None
    outputs: list[Bundle] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)

    def open(self, bundle: Bundle) -> int:
        self.outputs.append(bundle)
        self._log("open", len(self.outputs) - 1, bundle)
        return len(self.outputs) - 1

    def update(self, handle: int, bundle: Bundle) -> None:
        assert 0 <= handle < len(self.outputs)
        self.outputs[handle] = bundle
        self._log("update", handle, bundle)

    def _log(self, kind: str, index: int, bundle: Bundle) -> None:
        now = self.clock() if self.clock else 0.0
        self.messages.append(Message(kind, index, dict(bundle), now))

    # -- views used by the tests ------------------------------------------------------------

    @property
    def plain(self) -> str:
        return "".join(b.get("text/plain", "") for b in self.outputs)

    @property
    def bytes_sent(self) -> int:
        return sum(m.size for m in self.messages)

    @property
    def final_bytes(self) -> int:
        return sum(len(json.dumps(b)) for b in self.outputs)

    def updates_after_final(self) -> list[Message]:
        """Messages that touched an output after it got its final (text/plain) bundle."""
        done: set[int] = set()
        late = []
        for m in self.messages:
            if m.index in done:
                late.append(m)
            if "text/plain" in m.bundle:
                done.add(m.index)
        return late


UNIT = """Here is a paragraph about the plan, with *emphasis*, `code` and math $a_b$.

## Plan

- first item with some text
- second item with **bold**
- third item

```python
def f(x):

    return x * 2
```

| col a | col b |
|-------|-------|
| 1     | 2     |
| 3     | 4     |

1. one
2. two
3. three

"""


def realistic(size: int) -> str:
    """`size` characters of typical answer Markdown (the unit used in the reference)."""
    return (UNIT * (size // len(UNIT) + 1))[:size]


def chunks(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


def block_starts(text: str) -> set[int]:
    """Every offset where a top-level block starts, as the scanner sees the text grow."""
    scanner = BlockScanner()
    starts = {0}
    for end in range(len(text) + 1):
        if end == len(text) or text[end - 1 : end] == "\n":
            starts.add(scanner.scan(text[:end]).stable)
    return starts


def boundaries(sink: FakeSink) -> set[int]:
    """Offsets in the answer where one output ends and the next begins."""
    offsets, total = set(), 0
    for bundle in sink.outputs[:-1]:
        total += len(bundle["text/plain"])
        offsets.add(total)
    return offsets
