"""Answers kept on disk, keyed by the full request: a re-run is free and reproducible.

An opt-in SQLite store (stdlib) in the user's cache folder. The key is a hash of the
server and the whole request body (model, messages, parameters; not ``stream``, which does
not change the answer), so only an identical request is answered from it. A hit costs
nothing and is marked ``cached``. The API key is never stored.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite3

from ..errors import InvalidParameterError
from .images import Image
from .response import Citation, Response, ToolCall, Usage

__all__ = ["ResponseCache", "default_path", "request_key"]


def default_path() -> Path:
    """``$OR_MAGICS_CACHE`` or the platform's cache folder + ``or_magics/answers.sqlite``."""
    if os.environ.get("OR_MAGICS_CACHE"):
        return Path(os.environ["OR_MAGICS_CACHE"])
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "or_magics" / "answers.sqlite"


#: Fields that change how an answer is delivered or routed, not what it says: a conversation
#: re-run after a restart (a new ``session_id``) is still the same question.
NOT_IN_KEY = frozenset({"stream", "stream_options", "session_id"})


def request_key(base_url: str, body: dict[str, Any]) -> str:
    same = {k: v for k, v in body.items() if k not in NOT_IN_KEY}
    text = json.dumps({"server": base_url, "body": same}, sort_keys=True, default=str,
                      ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _record(response: Response) -> dict[str, Any]:
    return {
        "id": response.id, "model": response.model, "provider": response.provider,
        "text": response.text, "reasoning": response.reasoning,
        "finish_reason": response.finish_reason,
        "native_finish_reason": response.native_finish_reason,
        "tool_calls": [{"id": c.id, "name": c.name, "raw": c.raw_arguments,
                        "arguments": c.arguments} for c in response.tool_calls],
        "citations": [vars(c) for c in response.citations],
        "images": response.images, "usage": response.usage.raw,
        "reasoning_details": response.reasoning_details, "simulated": response.simulated,
        "file_annotations": response.file_annotations,
    }


def _response(record: dict[str, Any], request: dict[str, Any]) -> Response:
    response = Response(request, simulated=bool(record.get("simulated")))
    for name in ("id", "model", "provider", "finish_reason", "native_finish_reason"):
        setattr(response, name, record.get(name))
    response.chunks = [record.get("text") or ""]
    if record.get("reasoning"):
        response.reasoning_chunks = [record["reasoning"]]
    response.tool_calls = [ToolCall(c["id"], c["name"], c.get("arguments") or {},
                                    c.get("raw") or "") for c in record.get("tool_calls", ())]
    response.citations = [Citation(**c) for c in record.get("citations", ())]
    response.images = [Image(url) for url in record.get("images") or ()]
    response.file_annotations = list(record.get("file_annotations") or ())
    response.reasoning_details = list(record.get("reasoning_details") or ())
    usage = Usage.from_dict(record.get("usage") or {})
    usage.cost = 0.0  # answered from the cache: nothing was spent
    response.usage = usage
    response.cached = True
    response.latency, response.ttft = 0.0, 0.0
    response.done = True
    return response


_OPENED: dict[Path, ResponseCache] = {}
_OPENED_LOCK = threading.Lock()


class ResponseCache:
    """One SQLite file; safe to use from several threads of one process."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        path = Path(path).expanduser() if path is not None else default_path()
        self.path = path / "answers.sqlite" if path.is_dir() else path  # a folder: a file in it
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None  # opened on first use
        self.hits = 0
        self.misses = 0
        self.errors = 0  # reads and writes the file refused (locked, full, broken)

    @classmethod
    def of(cls, cache: Any) -> ResponseCache | None:
        """The store ``cache=`` asks for: None (False), the user's cache folder (True), that
        file (a path as text or a `Path`), or the store itself."""
        if isinstance(cache, ResponseCache):
            return cache
        if isinstance(cache, (str, os.PathLike)):
            return cls._opened(cls(cache)) if str(cache) else None
        if not isinstance(cache, bool) and cache is not None:
            raise InvalidParameterError("cache", f"give True, a file path or a ResponseCache, "
                                                 f"not a {type(cache).__name__}")
        return cls.default() if cache else None

    @classmethod
    def default(cls) -> ResponseCache:
        """The store in the user's cache folder (or ``$OR_MAGICS_CACHE``), opened once."""
        return cls._opened(cls())

    @classmethod
    def _opened(cls, store: ResponseCache) -> ResponseCache:
        """One open store per file in a process: a batch per minute opens no new handles."""
        with _OPENED_LOCK:
            return _OPENED.setdefault(store.path.resolve(), store).check()

    def check(self) -> ResponseCache:
        """Open the file now: a path that cannot hold it is one line before anything is
        sent, not an error in the middle of a batch."""
        import sqlite3

        try:
            with self._lock:
                self._connect()
        except (sqlite3.Error, OSError) as exc:
            raise InvalidParameterError("cache", f"cannot keep answers in {self.path} "
                                                 f"({exc}); give another file path") from None
        return self

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            import sqlite3  # on first use: %load_ext stays light

            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, check_same_thread=False, timeout=2)
            db.execute("CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, "
                       "record TEXT NOT NULL, model TEXT, stored REAL NOT NULL)")
            db.execute("PRAGMA journal_mode=WAL")
            self._db = db
        return self._db

    def get(self, key: str, request: dict[str, Any]) -> Response | None:
        """The kept answer, or None: also when the file is locked or broken (counted in
        ``errors``), as an answer that is not kept must still be asked for."""
        import sqlite3

        with self._lock:
            try:
                row = self._connect().execute("SELECT record FROM answers WHERE key = ?",
                                              (key,)).fetchone()
            except sqlite3.Error:
                self.errors += 1
                row = None
            if row is None:
                self.misses += 1
                return None
            self.hits += 1
        return _response(json.loads(row[0]), request)

    def put(self, key: str, response: Response) -> None:
        """Keep a complete answer (a failed or interrupted one is never kept)."""
        if not response.done or response.error is not None or response.interrupted:
            return
        import sqlite3

        record = json.dumps(_record(response), ensure_ascii=False, default=str)
        with self._lock:
            try:
                db = self._connect()
                db.execute("INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?)",
                           (key, record, response.model, time.time()))
                db.commit()
            except sqlite3.Error:  # locked or broken: the answer is the caller's all the same
                self.errors += 1

    def stats(self) -> dict[str, Any]:
        with self._lock:
            entries = self._connect().execute("SELECT COUNT(*) FROM answers").fetchone()[0]
        size = self.path.stat().st_size if self.path.exists() else 0
        return {"path": str(self.path), "entries": int(entries), "bytes": size,
                "hits": self.hits, "misses": self.misses, "errors": self.errors}

    def clear(self) -> int:
        with self._lock:
            db = self._connect()
            removed = db.execute("DELETE FROM answers").rowcount
            db.commit()
            db.execute("VACUUM")
        self.hits = self.misses = 0
        return int(removed)

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
