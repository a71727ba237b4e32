"""Server-sent events: bytes in, ``data`` payloads out.

OpenRouter sends ``data: <json>`` events and ``: OPENROUTER PROCESSING`` keep-alive comments,
before and during a stream. This decoder follows the SSE spec closely enough to take CRLF or
CR line endings, multi-line ``data`` fields, other fields (``event:``, ``id:``), events split
across reads at any byte, and a last event with no blank line after it. It is the hot path of
streaming, so it works on bytes and does as little as it can per event.
"""

from __future__ import annotations

__all__ = ["DONE", "SSEDecoder"]

DONE = b"[DONE]"


class SSEDecoder:
    """Incremental decoder; payloads are ``bytes`` (``json.loads`` takes them as they are).

    Reads without a line break are only collected, and joined once their line ends, so one
    event split over many reads costs time linear in its size (joining the buffer on every
    read made a 20 MB event take seconds)."""

    __slots__ = ("_data", "_parts")

    def __init__(self) -> None:
        self._parts: list[bytes] = []  # the unfinished line, as it arrived
        self._data: list[bytes] = []

    def feed(self, chunk: bytes) -> list[bytes]:
        """Decode one read; return the payloads of the events it completed."""
        parts = self._parts
        if (  # OpenRouter sends one whole event per read: skip the general path
            not parts
            and not self._data
            and chunk.startswith(b"data: ")
            and chunk.find(b"\n") == len(chunk) - 2
            and chunk.endswith(b"\n\n")
            and b"\r" not in chunk
        ):
            return [chunk[6:-2]]
        if b"\n" not in chunk and b"\r" not in chunk:  # the line goes on
            if chunk:
                parts.append(chunk)
            return []
        if parts:
            parts.append(chunk)
            buffer = b"".join(parts)
            parts.clear()
        else:
            buffer = chunk
        held = b""
        if b"\r" in buffer:
            if buffer.endswith(b"\r"):  # its "\n" may be in the next read
                held = b"\r"
                buffer = buffer[:-1]
            buffer = buffer.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        lines = buffer.split(b"\n")
        rest = lines.pop() + held
        if rest:
            parts.append(rest)
        out: list[bytes] = []
        data = self._data
        for line in lines:
            if not line:
                if data:
                    out.append(data[0] if len(data) == 1 else b"\n".join(data))
                    data.clear()
            elif line.startswith(b"data:"):
                data.append(line[6:] if line[5:6] == b" " else line[5:])
            elif line == b"data":
                data.append(b"")
            # comments (":...") and other fields carry nothing we use
        return out

    def close(self) -> list[bytes]:
        """The payload of an event the stream ended in the middle of, if it has one."""
        out = self.feed(b"\n\n") if self._parts or self._data else []
        self._parts.clear()
        return out
