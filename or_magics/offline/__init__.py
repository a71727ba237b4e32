"""An offline OpenRouter: the same HTTP API, answered locally, for notebooks, tests and demos.

Two ways in, one core (`Simulator`):

* in process — ``httpx2.AsyncClient(transport=SimulatorTransport(), base_url=DEFAULT_BASE_URL)``
  (sync ``httpx2.Client`` works too; ``DEFAULT_BASE_URL`` is ``protocol.OFFLINE_BASE_URL``);
  streams for real, honours delays, raises the httpx error a dropped connection would;
* a real server on 127.0.0.1 — ``python -m or_magics.offline --port 0`` prints its base URL
  (``http://127.0.0.1:PORT/api/v1``) as its first line; in tests
  ``with serve_in_thread(port=0) as server: server.base_url, server.simulator``. HTTP/1.1 is
  h11's: keep-alive, pipelining, chunked SSE (one chunk per event), 400 for malformed requests.

Every response carries ``X-Simulator: or_magics``; otherwise the bytes look like OpenRouter's
(mid-2026 by default): ``: OPENROUTER PROCESSING`` keep-alives, ``data: <json>`` events with
``role`` on every delta and ``native_finish_reason``, a usage chunk, ``data: [DONE]``,
``X-Generation-Id`` / ``X-Provider-Name`` headers, ``gen-<unix>-<20 alnum>`` ids and the real
error envelopes. Any ``Authorization: Bearer …`` key works; a missing header gives 401 "No
cookie auth credentials found", a key containing "invalid" gives 401 "User not found.".

Endpoints (under /api/v1): POST chat/completions, GET models (filters q,
supported_parameters, input_modalities, output_modalities), GET models/count,
GET models/{author}/{slug}/endpoints, GET generation?id=, GET key and auth/key, GET credits,
POST embeddings, GET embeddings/models, GET providers. Control: GET /_stats (also
/api/v1/_simulator/stats) and GET/POST/DELETE /api/v1/_simulator/faults.

``/_stats`` answers ``{"connections", "active_connections", "requests", "chat_requests",
"streams_started", "streams_completed", "streams_aborted", "errors", "faults_pending",
"generations"}`` (integers; ``connections`` counts accepted TCP connections, so a client that
reuses its connection for 20 requests shows 1). The same counters are ``simulator.stats``.

Server-wide settings (keyword arguments of ``Simulator``, ``SimulatorTransport``,
``serve_in_thread``; the CLI has --latency --token-rate --chunk-chars --keepalives
--usage-style). The defaults are instant, for tests; ``DEMO_PACE`` (token_rate 200, latency
0.2 s) is the pace for people watching, and the CLI's default:

=================== ========== =======================================================
latency             0.0        seconds before the response head (chat requests)
token_rate          0.0        tokens/s while streaming (0 = as fast as possible)
chunk_chars         12         characters per content delta
keepalives          1          ``: OPENROUTER PROCESSING`` comments before the first data
keepalive_interval  0.0        seconds between those comments (time to first token)
usage_style         "mid2026"  final usage chunk: "2025" (empty delta, finish null, key
                               order id/provider/model, logprobs:null), "mar2026"
                               (choices: []), "mid2026" (repeats finish_reason)
line_ending         "\\n"       or "\\r\\n"
require_auth        True       401 without an Authorization header
credit_limit        100.0      credits reported by /credits and /key; simulated costs
                               are spent from it, and a chat request whose worst case
                               (max_tokens, else the endpoint's max output) costs more
                               than is left gets OpenRouter's 402 with those figures
free_rpm            None       ``:free`` requests per key per minute (OpenRouter: 20);
                               over it, OpenRouter's 429 ``free-models-per-min`` with
                               ``X-RateLimit-Limit/Remaining/Reset`` and Retry-After
free_rpd            None       ``:free`` requests per key per day (OpenRouter: 50, or
                               1000 with credits): ``free-models-per-day``
rate_window         60.0       seconds in the simulator's minute for those limits (its
                               day is 1440 of them), shorter in tests
=================== ========== =======================================================

Reported figures follow from what the simulator did: /generation's ``generation_time`` (ms)
is the completion at ``token_rate``, its ``latency`` that plus the wait before the first
token; /key's ``usage_daily`` / ``_weekly`` / ``_monthly`` sum the generations of the current
UTC day, week and month; endpoints report ``latency_last_30m`` in milliseconds and the
catalogue's uptime per provider.

Per-request knobs and faults: one JSON object, given either as the request header
``X-Simulator: {"mid_stream_error": "choice", "after_chunks": 2}`` or queued for the next chat
requests with ``simulator.inject({...}, times=1)`` and dropped with ``simulator.clear_faults()``
(server: ``POST /api/v1/_simulator/faults`` with ``{"faults": [{..., "times": 2}]}``; ``DELETE``
clears). Header fields win over queued ones.

* stream shaping: ``latency``, ``token_rate``, ``chunk_chars``, ``keepalives``,
  ``keepalive_interval``, ``usage_style``, ``line_ending`` (as above, for this request only);
* answer shaping: ``answer_bytes`` (rich Markdown of exactly N UTF-8 bytes), ``chunks`` +
  ``chunk_chars`` (a stress answer of exactly N deltas of K characters);
* ``status``: answer with this HTTP error (400 401 402 403 404 408 413 429 500 502 503 524
  529 …) and a realistic body; with ``retry_after`` (Retry-After header and
  ``metadata.retry_after_seconds``), ``message``, ``code`` (int or string), ``provider_error``
  (true or a provider name: "Provider returned error" with ``metadata.raw`` and
  ``metadata.provider_name``). Without a ``message``, 502, 529 and 429 (non-free models)
  default to that provider style;
* ``model`` / ``provider``: target a status fault at one model or provider, so routing falls
  back to the next provider or to the next model in ``models`` (recorded in /generation's
  ``provider_responses``);
* ``http200_error: true``: HTTP 200 whose body is an error envelope (non-stream), or an in-band
  error event before any content (stream; shape from ``mid_stream_error``, default
  "choices_empty");
* ``mid_stream_error``: "documented" (top-level error + choice finish_reason "error"),
  "choices_empty" (top-level error, ``choices: []``), "usage_chunk" (error on the usage chunk,
  finish_reason null), "choice" (``choices[0].error``, finish/native "error"), "bare"
  (``{"error": …}`` only), "network_error" (silent: finish_reason "stop",
  native_finish_reason "network_error", no usage). With ``after_chunks`` (content chunks
  first, default 3), ``code`` (default 502), ``message``, ``done`` (``[DONE]`` follows,
  default true). Non-streaming requests get ``choices[0].error`` + finish_reason "error";
* ``drop``: "before" (connection closed, no response) or "during" (closed after
  ``after_chunks`` content chunks; in process: ``httpx2.RemoteProtocolError``);
* ``malformed: true``: one invalid-JSON data event after ``after_chunks`` (non-stream: a
  truncated JSON body);
* ``no_done: true``: the stream ends cleanly without ``data: [DONE]``;
* ``first_byte_delay``: extra seconds of silence before the response head;
* ``stall``: seconds of silence (no byte, not even a keep-alive) after ``after_chunks``
  content chunks (0: after the keep-alives, before any token), then the stream goes on; a
  long stall is a server that accepted the request and went quiet;
* ``huge_event``: one content delta of exactly N characters after ``after_chunks``;
* ``event``: any JSON value sent as one ``data:`` event after ``after_chunks`` (an odd
  OpenAI-compatible server), then the stream goes on;
* ``redirect``: answer 307 with this ``Location`` (a base URL that moved);
* ``html: true``: answer 200 with an HTML page (a proxy's or a login page).

Answers are deterministic for a given request (model, messages, tools, response_format,
seed) and take the shape the prompt asks for (``shapes.py``): a haiku is three 5-7-5 lines, a
yes/no question one sentence, "list"/"table"/"code"/"compare"/"explain" get those forms, "in
three sentences" three sentences, a classification prompt exactly one of its labels, a short
factual question a short direct answer from a small exact knowledge base (arithmetic, primes,
medians, capitals, definitions, well-known facts; ``knowledge.py``); the rich demo document
(headings, table, code, math) only when a prompt asks for a long or formatted answer ("in
detail", "write a report", "with a table and code"), or for ``answer_bytes``. No answer text
says "simulated": the ``X-Simulator`` header is the label. ``max_tokens`` truncates any shape
with finish_reason "length". Special modes: tool calls whose arguments validate against the
tool's schema; JSON valid for ``response_format``; reasoning deltas when asked (effort,
max_tokens budget, exclude, enabled, ``:thinking``; mandatory for some models) counted in
``completion_tokens_details.reasoning_tokens`` even when excluded.

Response caching (``response_cache.py``), as OpenRouter's beta: ``X-OpenRouter-Cache: true``
keeps a complete answer for ``X-OpenRouter-Cache-TTL`` seconds (default 300, 1..86400) per
key, endpoint and body; an identical request gets it back at once with
``X-OpenRouter-Cache-Status: HIT``, ``-Age`` and ``-TTL``, a new generation id, usage 0 and
nothing billed (a miss says ``MISS`` and the full TTL); ``X-OpenRouter-Cache-Clear: true``
asks the provider again. ``/_stats`` counts ``cache_hits``, ``free_requests`` and
``rate_limited`` (429 answers).

Media: ``image_url`` (data URLs: PNG/JPEG/GIF/WebP pixel size, a small PNG's colour; http
URLs named, never fetched), ``file`` (PDF: pages, title, first text), ``input_audio`` (WAV,
MP3, FLAC duration) are described in the answer and priced in prompt tokens; a model without
the input modality gets 404 "No endpoints found that support image input" / "... support
input audio". PDFs work on every model: natively where the model reads files, else through
the file-parser plugin (mistral-ocr $2 per 1000 pages by default, cloudflare-ai / "pdf-text"
free) with a ``file`` annotation. ``modalities: ["image", "text"]`` on an image-output model
(``google/gemini-2.5-flash-image``) returns a 64-pixel PNG (``image_config.aspect_ratio``
honoured) in ``message.images`` / the finish delta, priced per image; on any other model 404
"No endpoints found that support the requested output modalities: image, text".

Web search (``openrouter:web_search`` server tool and its OpenAI shorthands, the ``web``
plugin, ``:online``, Sonar models): ``url_citation`` annotations, numbered ``[n](url)``
references and a Sources list; ``max_results``, ``search_context_size``, ``engine`` (native
for OpenAI/Anthropic/xAI/Perplexity models, else exa at $4 per 1000 results),
allowed/excluded domains. Prompt caching (``caching.py``): per session (``session_id``,
``x-session-id``, else the key), model and provider; implicit where the endpoint prices only
``input_cache_read`` (a repeated prefix of 1024+ tokens within 5 minutes), explicit for
Anthropic (``cache_control`` breakpoints; ``cache_write_tokens`` first, then
``cached_tokens``); priced with the catalogue's cache prices. Usage and cost come from the
chosen endpoint's catalogue prices. Routing honours variants (``:free :nitro :floor :thinking
:online :extended :exacto``), ``models`` fallbacks and the ``provider`` object (order, only,
ignore, sort, allow_fallbacks, require_parameters, data_collection, zdr, quantizations,
max_price in USD per million tokens). ``GET /models?output_modalities=embeddings`` (and
``/embeddings/models``) lists the embedding models.
"""

from __future__ import annotations

from ..protocol import DEFAULT_MODEL, OFFLINE_BASE_URL
from .catalogue import Catalogue
from .errors import SimError
from .faults import Knobs
from .response import SimResponse
from .server import ServerThread, SimulatorServer, serve_in_thread
from .settings import DEMO_PACE, SimConfig
from .simulator import Simulator
from .transport import DEFAULT_BASE_URL, SimulatorTransport

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MODEL",
    "DEMO_PACE",
    "OFFLINE_BASE_URL",
    "Catalogue",
    "Knobs",
    "ServerThread",
    "SimConfig",
    "SimError",
    "SimResponse",
    "Simulator",
    "SimulatorServer",
    "SimulatorTransport",
    "serve_in_thread",
]
