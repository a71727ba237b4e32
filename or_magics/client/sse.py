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
    """Incremental decoder; payloads are ``bytes`` (``json.loads`` takes them as they are)."""

    __slots__ = ("_buffer", "_data")

    def __init__(self) -> None:
        self._buffer = b""
        self._data: list[bytes] = []

    def feed(self, chunk: bytes) -> list[bytes]:
        """Decode one read; return the payloads of the events it completed."""
        if (  # OpenRouter sends one whole event per read: skip the general path
            not self._buffer
            and not self._data
            and chunk.startswith(b"data: ")
            and chunk.find(b"\n") == len(chunk) - 2
            and chunk.endswith(b"\n\n")
            and b"\r" not in chunk
        ):
            return [chunk[6:-2]]
        buffer = self._buffer + chunk if self._buffer else chunk
        if b"\r" in buffer:
            if buffer.endswith(b"\r"):  # its "\n" may be in the next read
                self._buffer = buffer[-1:]
                buffer = buffer[:-1]
            else:
                self._buffer = b""
            buffer = buffer.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
            lines = buffer.split(b"\n")
            self._buffer = lines.pop() + self._buffer
        else:
            lines = buffer.split(b"\n")
            self._buffer = lines.pop()
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
        out = self.feed(b"\n\n") if self._buffer or self._data else []
        self._buffer = b""
        return out
