"""POST /chat/completions: validate, answer from the response cache or route (with
fallbacks), apply the free-model limits, compose, then render."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..protocol import SIMULATOR_HEADER
from . import accounting, compose, routing, validate, wire
from .errors import SimError, status_error
from .faults import Knobs
from .response import SIMULATED, ConnectionDropped, Piece, SimResponse, json_response
from .response_cache import Ask, CachedAnswer, ask_of, free_plan
from .settings import SimConfig
from .text import generation_id, stable_hash

if TYPE_CHECKING:
    from .simulator import Simulator

SSE_HEADERS = [
    ("Content-Type", "text/event-stream"),
    ("Cache-Control", "no-cache"),
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Expose-Headers", "X-Generation-Id,X-Provider-Name"),
]
CACHE_STATUS = "X-OpenRouter-Cache-Status"
#: Knobs that make an answer a failure or a broken stream: never kept by the response cache.
FAULTS = ("status", "http200_error", "mid_stream_error", "drop", "malformed", "no_done",
          "huge_event", "event", "stall", "redirect", "html")


def handle(sim: Simulator, headers: Mapping[str, str], raw: bytes, knobs: Knobs) -> SimResponse:
    """One chat completion request, faults applied."""
    try:
        cfg = sim.config.with_overrides(knobs.config_overrides())
    except ValueError as exc:
        raise SimError(400, f"{SIMULATOR_HEADER}: {exc}") from exc
    delay = cfg.latency + (knobs.first_byte_delay or 0.0)
    if knobs.drop == "before":
        return SimResponse(0, [], drop_before=True, delay=delay)
    if knobs.redirect is not None:  # a base URL that moved: 307 with a Location, no body
        return SimResponse(307, [("Location", knobs.redirect), SIMULATED], body=b"",
                           delay=delay)
    if knobs.html:  # a proxy's or a login page's answer, with status 200
        page = b"<!doctype html><html><head><title>Sign in</title></head><body>Sign in</body>"
        return SimResponse(200, [("Content-Type", "text/html; charset=utf-8"), SIMULATED],
                           body=page + b"</html>", delay=delay)
    try:
        response = _answer(sim, cfg, headers, raw, knobs, delay)
    except SimError as err:
        response = json_response(err.status, err.envelope(cfg.user_id), err.headers())
    if (CACHE_STATUS, "HIT") not in response.headers:  # a cache hit comes back at once
        response.delay += delay
    return response


def _answer(
    sim: Simulator,
    cfg: SimConfig,
    headers: Mapping[str, str],
    raw: bytes,
    knobs: Knobs,
    delay: float,
) -> SimResponse:
    body = validate.chat_request(validate.parse_body(raw))
    ask = ask_of(headers)
    cache_key = sim.response_cache.key(headers, json.loads(raw)) if ask is not None else None
    if ask is not None and cache_key is not None:
        if ask.clear:
            sim.response_cache.drop(cache_key)
        elif (entry := sim.response_cache.get(cache_key)) is not None:
            return _replay(sim, cfg, body, headers, entry)
    needs = compose.analyse(body)
    route_seed = stable_hash(body.get("messages"), body.get("seed"))
    candidates = routing.plan(sim.catalogue, body, needs, route_seed)
    left = sim.credits_left()

    def reserve(cand: routing.Candidate) -> accounting.Reservation:
        return accounting.reserve(body, cand.endpoint, needs.prompt_tokens, left)

    chosen, attempts = _try_candidates(candidates, knobs, body, reserve)
    fault_applies = not knobs.targeted or _targets(knobs, chosen)
    if knobs.status is not None and not knobs.targeted:
        raise _status_fault(knobs, chosen, reserve(chosen))
    if chosen.model.id.endswith(":free"):  # OpenRouter's own limits, before any provider
        sim.stats.bump("free_requests")
        sim.free_limits.admit(headers.get("authorization", ""), cfg.free_rpm,
                              cfg.rate_window, cfg.free_rpd)
    reservation = reserve(chosen)
    if reservation.short:
        raise reservation.refusal()
    if not fault_applies:
        knobs = Knobs()
    model, endpoint = chosen.model, chosen.endpoint
    seed = compose.request_seed(body, model.id)
    plan = compose.compose(body, model, chosen.variants, knobs, seed)
    sim.prompt_cache.apply(plan, body, headers, model, endpoint)
    cost = accounting.cost_of(plan, endpoint)
    usage = accounting.usage(plan, cost, cfg.usage_style)
    gen_id = generation_id()
    meta = wire.Meta(gen_id, int(time.time()), model.id, endpoint.provider_name, cfg.usage_style)
    streaming = body.get("stream") is True
    keepalive_wait = cfg.keepalives * cfg.keepalive_interval if streaming else 0.0
    sim.generations.add(
        accounting.generation_record(
            gen_id=gen_id,
            model=model.id,
            provider=endpoint.provider_name,
            plan=plan,
            cost=cost,
            streamed=streaming,
            router=chosen.router,
            wait=delay + keepalive_wait,
            token_rate=cfg.token_rate,
            headers=dict(headers),
            attempts=attempts,
        ),
        pending=streaming,
    )
    out_headers = [
        ("X-Generation-Id", gen_id),
        ("X-Provider-Name", endpoint.provider_name),
        SIMULATED,
    ]
    keep = _nothing
    if ask is not None and cache_key is not None:
        out_headers += [(CACHE_STATUS, "MISS"), ("X-OpenRouter-Cache-TTL", str(ask.ttl))]
        if not any(getattr(knobs, name) is not None for name in FAULTS):
            keep = _keeper(sim, cache_key, ask, plan, meta)
    if knobs.http200_error and not streaming:
        error = wire.stream_error_object(knobs, endpoint.provider_name, 429)
        return json_response(200, {"error": error, "user_id": cfg.user_id}, out_headers[:2])
    if streaming:
        sim.stats.bump("streams_started")
        made = accounting.Generated()
        pieces = wire.stream(plan, meta, cfg, knobs, usage, made)

        def closed(done: bool) -> None:
            changes = {} if done else accounting.cancelled(plan, endpoint, made)
            _closed(sim, gen_id, done, changes, keep)

        return SimResponse(200, SSE_HEADERS + out_headers, pieces=pieces, on_close=closed)
    payload = wire.completion_body(plan, meta, usage, knobs, cfg)
    response = json_response(200, payload, [h for h in out_headers if h != SIMULATED])
    keep()
    if knobs.malformed:
        response.body = (response.body or b"")[: max(1, len(response.body or b"") // 2)]
    elif knobs.drop == "during":
        full = response.body or b""
        response.body = None
        response.pieces = _truncated(full)
        response.length = len(full)
    return response


def _try_candidates(
    candidates: list[routing.Candidate],
    knobs: Knobs,
    body: Mapping[str, Any],
    reserve: Callable[[routing.Candidate], accounting.Reservation],
) -> tuple[routing.Candidate, list[dict[str, Any]]]:
    """Walk candidates in order; a targeted status fault fails one and routing moves on."""
    attempts: list[dict[str, Any]] = []
    prefs = body.get("provider") or {}
    last_error: SimError | None = None
    previous: routing.Candidate | None = None
    for cand in candidates:
        if (
            previous is not None
            and cand.model.id == previous.model.id
            and (prefs.get("allow_fallbacks") is False)
        ):
            continue
        previous = cand
        if knobs.status is not None and knobs.targeted and _targets(knobs, cand):
            last_error = _status_fault(knobs, cand, reserve(cand))
            attempts.append(
                {
                    "provider": cand.endpoint.provider_name,
                    "model": cand.model.id,
                    "status": last_error.status,
                    "message": last_error.message,
                }
            )
            continue
        return cand, attempts
    assert last_error is not None
    raise last_error


def _targets(knobs: Knobs, cand: routing.Candidate) -> bool:
    if knobs.model is not None and knobs.model not in (cand.model.id, cand.requested):
        return False
    if knobs.provider is not None:
        ep = cand.endpoint
        names = {ep.provider_slug, ep.provider_name.lower(), ep.tag.lower()}
        if knobs.provider.lower() not in names:
            return False
    return True


def _status_fault(
    knobs: Knobs, cand: routing.Candidate, reservation: accounting.Reservation
) -> SimError:
    """The injected status error as this candidate would fail with it (402: in the words of
    the credit check, figures from the request and the credits left)."""
    assert knobs.status is not None
    provider, model = cand.endpoint.provider_name, cand.model.id
    message = knobs.message
    if knobs.status == 402 and message is None:
        message = reservation.refusal().message
    upstream_limit = knobs.status == 429 and not model.endswith(":free")
    as_provider = knobs.provider_error or (
        knobs.message is None and (knobs.status in (502, 529) or upstream_limit)
    )
    name = knobs.provider_error if isinstance(knobs.provider_error, str) else provider
    return status_error(
        knobs.status,
        message=message,
        retry_after=knobs.retry_after,
        provider=name if as_provider else None,
        model=model,
        code=knobs.code,
    )


def _nothing() -> None:
    pass


def _keeper(sim: Simulator, key: str, ask: Ask, plan: compose.Plan,
            meta: wire.Meta) -> Callable[[], None]:
    """Store this answer in the response cache (called once it was delivered whole)."""

    def keep() -> None:
        sim.response_cache.put(key, CachedAnswer(plan, meta.model, meta.provider, meta.gen_id,
                                                 sim.response_cache.clock(), ask.ttl))

    return keep


def _replay(sim: Simulator, cfg: SimConfig, body: Mapping[str, Any],
            headers: Mapping[str, str], entry: CachedAnswer) -> SimResponse:
    """A response-cache hit: the stored answer again, new id, usage 0, nothing billed."""
    sim.stats.bump("cache_hits")
    now = sim.response_cache.clock()
    plan = free_plan(entry.plan)
    cost = accounting.Cost(Decimal(0), Decimal(0), Decimal(0))
    usage = accounting.usage(plan, cost, cfg.usage_style)
    gen_id = generation_id()
    streaming = body.get("stream") is True
    record = accounting.generation_record(
        gen_id=gen_id, model=entry.model, provider=entry.provider, plan=plan, cost=cost,
        streamed=streaming, router=None, wait=0.0, token_rate=0.0, headers=dict(headers),
        attempts=[])
    record["response_cache_source_id"] = entry.gen_id
    sim.generations.add(record)
    out_headers = [
        ("X-Generation-Id", gen_id),
        ("X-Provider-Name", entry.provider),
        (CACHE_STATUS, "HIT"),
        ("X-OpenRouter-Cache-Age", str(int(now - entry.stored))),
        ("X-OpenRouter-Cache-TTL", str(max(1, int(entry.left(now))))),
    ]
    meta = wire.Meta(gen_id, int(time.time()), entry.model, entry.provider, cfg.usage_style)
    fast = cfg.with_overrides({"token_rate": 0.0, "keepalive_interval": 0.0})
    if streaming:
        sim.stats.bump("streams_started")
        return SimResponse(200, [*SSE_HEADERS, *out_headers, SIMULATED],
                           pieces=wire.stream(plan, meta, fast, Knobs(), usage),
                           on_close=lambda done: _closed(sim, gen_id, done, {}))
    payload = wire.completion_body(plan, meta, usage, Knobs(), fast)
    return json_response(200, payload, out_headers)


def _closed(sim: Simulator, gen_id: str, completed: bool, changes: dict[str, Any],
            keep: Callable[[], None] | None = None) -> None:
    """The stream ended: its generation, as billed (a cancelled one by what was generated
    before the client left, where the provider stops), is visible at /generation; a whole
    answer is also kept in the response cache when it was asked to be."""
    sim.stats.bump("streams_completed" if completed else "streams_aborted")
    if completed and keep is not None:
        keep()
    sim.generations.finish(gen_id, **changes)


def _truncated(body: bytes) -> Iterator[Piece]:
    yield 0.0, body[: len(body) // 2]
    raise ConnectionDropped("simulated connection drop mid-body")
