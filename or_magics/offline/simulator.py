"""The simulator core: config, catalogue, faults, generations, stats, and request dispatch.

`Simulator.handle(method, path, query, headers, body)` returns a `SimResponse`; the httpx
transport and the HTTP server only move its bytes.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl

from ..protocol import SIMULATOR_HEADER
from . import chat, resources
from .accounting import GenerationStore
from .caching import PromptCache
from .catalogue import Catalogue
from .errors import SimError, bad_key, missing_auth, not_found
from .faults import FaultQueue, Knobs, parse_knobs
from .ratelimit import FreeLimits
from .response import SIMULATED, SimResponse, json_response
from .response_cache import ResponseCache
from .settings import SimConfig, make_config

_log = logging.getLogger(__name__)
API_PREFIX = "/api/v1"
STATS_PATHS = ("/_stats", f"{API_PREFIX}/_stats", f"{API_PREFIX}/_simulator/stats")
_ENDPOINTS_PATH = re.compile(r"^/models/([^/]+)/([^/]+)/endpoints$")


class Stats:
    """Counters a test reads to prove connection reuse, aborted streams and so on."""

    FIELDS = (
        "connections",
        "active_connections",
        "requests",
        "chat_requests",
        "streams_started",
        "streams_completed",
        "streams_aborted",
        "errors",
        "rate_limited",
        "free_requests",
        "cache_hits",
    )

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts = dict.fromkeys(self.FIELDS, 0)

    def bump(self, name: str, by: int = 1) -> None:
        with self._lock:
            self._counts[name] = self._counts.get(name, 0) + by

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)

    def __getitem__(self, name: str) -> int:
        with self._lock:
            return self._counts.get(name, 0)


class Simulator:
    """A fake OpenRouter: holds config, catalogue, fault queue, generations and stats."""

    def __init__(self, config: SimConfig | None = None, **settings: Any) -> None:
        self.config = make_config(config, **settings)
        self.catalogue = Catalogue()
        self.faults = FaultQueue()
        self.generations = GenerationStore()
        self.prompt_cache = PromptCache()
        """Prompt prefixes per session, for `cached_tokens` on a repeated long prefix."""
        self.response_cache = ResponseCache()
        """Whole answers kept for ``X-OpenRouter-Cache: true`` requests (`response_cache`)."""
        self.free_limits = FreeLimits()
        """Each key's use of the `:free` limits (``free_rpm``, ``free_rpd``)."""
        self.stats = Stats()

    # -- public helpers -----------------------------------------------------------------------
    def configure(self, **settings: Any) -> None:
        """Change server-wide settings (latency, token_rate, usage_style, ...)."""
        self.config = make_config(self.config, **settings)

    def inject(self, fault: Mapping[str, Any] | None = None, times: int = 1, **fields: Any) -> None:
        """Queue a fault/knob object for the next `times` chat requests."""
        knobs = parse_knobs({**(fault or {}), **fields}, source="fault")
        self.faults.push(knobs, times)

    def clear_faults(self) -> int:
        return self.faults.clear()

    def credits_left(self) -> Decimal:
        """The credit limit less what the simulated generations cost."""
        return Decimal(str(self.config.credit_limit)) - self.generations.spent()

    def reject(self, status: int, message: str) -> SimResponse:
        """The error answer for a request the HTTP server could not even parse."""
        self.stats.bump("requests")
        self.stats.bump("errors")
        err = SimError(status, message)
        return json_response(status, err.envelope(self.config.user_id))

    # -- the core call ------------------------------------------------------------------------
    def handle(
        self,
        method: str,
        path: str,
        query: str | Mapping[str, str] = "",
        headers: Mapping[str, str] | None = None,
        body: bytes = b"",
    ) -> SimResponse:
        """Answer one HTTP request (path without query; query as a string or mapping)."""
        self.stats.bump("requests")
        lower = {k.lower(): v for k, v in (headers or {}).items()}
        params = dict(parse_qsl(query)) if isinstance(query, str) else dict(query)
        try:
            response = self._dispatch(method.upper(), path, params, lower, body)
        except SimError as err:
            response = json_response(err.status, err.envelope(self.config.user_id), err.headers())
        except Exception as exc:  # a simulator bug: answer like a 500, and say so loudly
            _log.exception("or_magics simulator failed on %s %s", method, path)
            bug = SimError(500, "Internal Server Error", {"simulator_error": repr(exc)})
            response = json_response(500, bug.envelope(self.config.user_id))
        if response.status >= 400:
            self.stats.bump("errors")
            if response.status == 429:
                self.stats.bump("rate_limited")
        return response

    def _dispatch(
        self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: bytes
    ) -> SimResponse:
        if path.rstrip("/") in STATS_PATHS:
            return json_response(200, self.stats_payload())
        if not path.startswith(API_PREFIX + "/"):
            raise not_found()
        sub = path[len(API_PREFIX) :].rstrip("/") or "/"
        if method == "OPTIONS":
            return SimResponse(
                204,
                [
                    SIMULATED,
                    ("Access-Control-Allow-Origin", "*"),
                    ("Access-Control-Allow-Headers", "*"),
                ],
                body=b"",
            )
        if sub == "/_simulator/faults":
            return self._faults_endpoint(method, body)
        route = self._route(method, sub)
        if route is None:
            raise not_found()
        public, handler = route
        if not public:
            self._authorise(headers)
        return handler(query, headers, body)

    def _route(
        self, method: str, sub: str
    ) -> tuple[bool, Callable[[dict[str, str], dict[str, str], bytes], SimResponse]] | None:
        ok = json_ok
        gets: dict[str, tuple[bool, Callable[..., SimResponse]]] = {
            "/models": (True, lambda q, h, b: ok(resources.models(self, q))),
            "/models/count": (True, lambda q, h, b: ok(resources.model_count(self, q))),
            "/embeddings/models": (True, lambda q, h, b: ok(resources.embedding_models(self))),
            "/providers": (True, lambda q, h, b: ok(resources.providers(self))),
            "/generation": (False, lambda q, h, b: ok(resources.generation(self, q))),
            "/key": (False, lambda q, h, b: ok(resources.key(self, _token(h)))),
            "/auth/key": (False, lambda q, h, b: ok(resources.key(self, _token(h)))),
            "/credits": (False, lambda q, h, b: ok(resources.credits(self))),
        }
        posts: dict[str, tuple[bool, Callable[..., SimResponse]]] = {
            "/chat/completions": (False, self._chat),
            "/embeddings": (False, lambda q, h, b: ok(resources.embeddings(self, b))),
        }
        match = _ENDPOINTS_PATH.match(sub)
        if method == "GET" and match:
            author, slug = match.groups()
            return True, lambda q, h, b: ok(resources.endpoints(self, author, slug))
        table = gets if method == "GET" else posts if method == "POST" else {}
        if sub in table:
            return table[sub]
        if sub in gets or sub in posts:
            raise SimError(405, f"Method {method} not allowed on {API_PREFIX}{sub}")
        return None

    def _authorise(self, headers: Mapping[str, str]) -> None:
        token = _token(headers)
        if not token:
            if self.config.require_auth:
                raise missing_auth()
            return
        if "invalid" in token.lower():
            raise bad_key()

    def _chat(self, query: dict[str, str], headers: dict[str, str], body: bytes) -> SimResponse:
        self.stats.bump("chat_requests")
        queued = self.faults.pop()
        knobs = queued or Knobs()
        header = headers.get(SIMULATOR_HEADER.lower(), "").strip()
        if header.startswith("{"):
            knobs = knobs.merged(parse_knobs(header))
        return chat.handle(self, headers, body, knobs)

    def _faults_endpoint(self, method: str, body: bytes) -> SimResponse:
        if method == "GET":
            return json_ok({"faults": self.faults.pending()})
        if method == "DELETE":
            return json_ok({"cleared": self.faults.clear()})
        if method != "POST":
            raise SimError(405, f"Method {method} not allowed")
        try:
            payload = json.loads(body or b"{}")
        except ValueError as exc:
            raise SimError(400, "faults: expected a JSON object") from exc
        items = payload.get("faults") if isinstance(payload, dict) else None
        if isinstance(payload, dict) and items is None and payload:
            items = [payload]
        if not isinstance(items, list):
            raise SimError(400, 'faults: expected {"faults": [ ... ]}')
        for item in items:
            times = item.get("times", 1) if isinstance(item, dict) else 1
            if not isinstance(times, int) or times < 1:
                raise SimError(400, "faults: times must be a positive integer")
            self.faults.push(parse_knobs(item, source="fault"), times)
        return json_ok({"queued": len(items), "pending": self.faults.pending()})

    def stats_payload(self) -> dict[str, Any]:
        out: dict[str, Any] = self.stats.snapshot()
        out["faults_pending"] = len(self.faults)
        out["generations"] = len(self.generations)
        return out


def json_ok(payload: Any) -> SimResponse:
    return json_response(200, payload)


def _token(headers: Mapping[str, str]) -> str:
    auth = headers.get("authorization", "")
    scheme, _, token = auth.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""
