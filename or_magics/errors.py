"""Typed errors: one class per HTTP status, each with a one-line message a person can act on.

OpenRouter's own message for an upstream failure is "Provider returned error"; the real cause
is a JSON string in ``metadata.raw``. `error_from_body` digs it out so the line a user sees
names the provider and what actually went wrong.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .client.response import Response

__all__ = [
    "APIConnectionError",
    "AuthenticationError",
    "BadRequestError",
    "BudgetExceededError",
    "IncompleteStreamError",
    "InsufficientCreditsError",
    "Interrupted",
    "InvalidParameterError",
    "MissingKeyError",
    "ModerationError",
    "NoProviderError",
    "NotFoundError",
    "NotSentError",
    "OpenRouterError",
    "ProviderError",
    "RateLimitError",
    "RequestTimeoutError",
    "SchemaError",
    "ToolLoopError",
    "UnexpectedResponseError",
    "error_from_body",
]


class OpenRouterError(Exception):
    """Base of every error this library raises about a request."""

    status: int | None = None
    title = "OpenRouter error"
    hint = ""
    #: False where trying again cannot help, or could pay twice (set per class or instance).
    retry = True

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        metadata: dict[str, Any] | None = None,
        retry_after: float | None = None,
        partial: Response | None = None,
    ) -> None:
        self.message = " ".join(str(message).split())  # always one line
        if status is not None:
            self.status = status
        self.metadata: dict[str, Any] = metadata or {}
        self.retry_after = retry_after
        #: The answer received before the error, when the error came mid-stream.
        self.partial = partial
        super().__init__(self.message)

    def __str__(self) -> str:
        head = f"{self.status} {self.title}" if self.status else self.title
        text = f"{head} — {self.message}" if self.message else head
        if self.hint and self.hint not in text and not _links_given(self.hint, text):
            text += f" ({self.hint})"
        return text

    def __reduce__(self) -> tuple[Any, ...]:
        # (rebuild, args, state): pickle memoizes the error before its state, so an error
        # whose partial Response points back at it still pickles (batch results cross
        # process boundaries); every subclass, whatever its __init__, rebuilds the same way.
        return (_rebuild, (type(self), self.message), self.__dict__)

    @property
    def retryable(self) -> bool:
        return self.retry and isinstance(self, (RateLimitError, RequestTimeoutError,
                                                ProviderError))


def _links_given(hint: str, text: str) -> bool:
    """The message already names the hint's link (OpenRouter's 402 says where to add
    credits): the hint would only repeat it."""
    links = [word for word in hint.split() if word.startswith("https://")]
    return bool(links) and all(link in text for link in links)


def _rebuild(cls: type[OpenRouterError], message: str) -> OpenRouterError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    return error


class InvalidParameterError(OpenRouterError, ValueError):
    """A request field failed validation before anything was sent."""

    title = "Invalid parameter"

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(f"{field}: {message}")


class BadRequestError(OpenRouterError):
    status = 400
    title = "Bad request"


class AuthenticationError(OpenRouterError):
    status: int | None = 401  # None: no key, so nothing was sent (MissingKeyError)
    title = "Authentication failed"
    hint = "set OPENROUTER_API_KEY, or run %openrouter key"


class MissingKeyError(AuthenticationError):
    """No API key where one is needed, so nothing was sent: the message names the ways
    out, once (no status, no hint of its own: it *is* the hint)."""

    status = None
    title = "No API key"
    hint = ""
    retry = False

    def __str__(self) -> str:
        return self.message


class InsufficientCreditsError(OpenRouterError):
    status = 402
    title = "Insufficient credits"
    hint = "add credits at https://openrouter.ai/settings/credits"


class ModerationError(OpenRouterError):
    status = 403
    title = "Blocked by moderation"


class NotFoundError(OpenRouterError):
    status = 404
    title = "Not found"


class RequestTimeoutError(OpenRouterError):
    status: int | None = 408  # None when the timeout was ours, not the server's
    title = "Request timed out"


class RateLimitError(OpenRouterError):
    status = 429
    title = "Rate limited"


class ProviderError(OpenRouterError):
    status: int | None = 502
    title = "Provider error"


class NoProviderError(ProviderError):
    status = 503
    title = "No provider available"


class APIConnectionError(ProviderError):
    """The connection failed or dropped; nothing came back from OpenRouter."""

    status = None
    title = "Connection error"


class IncompleteStreamError(ProviderError):
    """The stream stopped before OpenRouter said it was done."""

    status = None
    title = "Answer cut off"


class UnexpectedResponseError(ProviderError):
    """The server answered, but not as the API does: a redirect, a web page, a body or an
    event in a shape no client could read. Trying again would get the same."""

    status = None
    title = "Unexpected response"
    retry = False


class SchemaError(OpenRouterError, ValueError):
    """The answer did not fit the requested ``schema``; ``.partial`` has the raw text."""

    title = "Answer does not fit the schema"


class ToolLoopError(OpenRouterError):
    """The model still wanted tools after ``max_steps`` rounds; ``.partial`` has the steps."""

    title = "Tool loop stopped"


class BudgetExceededError(OpenRouterError):
    """Sending this would spend past the budget (``max_cost``, ``%openrouter budget``)."""

    title = "Budget reached"


class NotSentError(OpenRouterError):
    """A batch item never sent because the batch stopped first (Ctrl-C); run the same
    batch again to send only what is missing."""

    title = "Not sent"


class Interrupted(KeyboardInterrupt):
    """Ctrl-C (■) stopped an answer or a batch; what arrived is kept.

    A `KeyboardInterrupt`, so ``except KeyboardInterrupt`` and run-all stop as usual; in a
    notebook it is shown as one line, without the library's own frames."""

    def __init__(self, kept: str = "or_magics.session.last") -> None:
        super().__init__(f"stopped; what arrived is kept ({kept})")


# A notebook (and any tool reading the error's name, like nbclient) sees the
# KeyboardInterrupt it is; the class stays or_magics.Interrupted for Python and pickle.
Interrupted.__name__ = "KeyboardInterrupt"


_BY_STATUS: dict[int, type[OpenRouterError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: InsufficientCreditsError,
    403: ModerationError,
    404: NotFoundError,
    408: RequestTimeoutError,
    413: BadRequestError,
    422: BadRequestError,
    429: RateLimitError,
    503: NoProviderError,
}


def error_class(status: int | None) -> type[OpenRouterError]:
    if status is None:
        return ProviderError
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    if status >= 500:
        return ProviderError
    if 400 <= status < 500:
        return BadRequestError
    return OpenRouterError


def _as_int(code: Any) -> int | None:
    if isinstance(code, bool):
        return None
    if isinstance(code, int):
        return code
    if isinstance(code, str) and code.isdigit():
        return int(code)
    return None


def _raw_cause(raw: Any) -> str:
    """The readable message inside ``metadata.raw`` (a JSON string, a dict or plain text)."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return str(raw).strip()
    for _ in range(3):  # {"error": {"message": ...}} nests a level or two
        if not isinstance(raw, dict):
            break
        for key in ("message", "detail", "error"):
            value = raw.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
        raw = raw.get("error")
    return ""


def error_from_body(
    body: Any,
    status: int | None = None,
    *,
    retry_after: float | None = None,
    partial: Response | None = None,
) -> OpenRouterError:
    """Build the right error from an OpenRouter error envelope (or anything else a proxy sent)."""
    err: Any = body.get("error") if isinstance(body, dict) else None
    if isinstance(err, str):
        err = {"message": err}
    if not isinstance(err, dict):
        text = " ".join(body.split())[:200] if isinstance(body, str) else ""
        if "<html" in text.lower():  # a proxy's error page says nothing useful in one line
            text = ""
        message = text or (f"HTTP {status}" if status else "unknown error")
        return error_class(status)(message, status=status, retry_after=retry_after, partial=partial)

    found = err.get("metadata")
    metadata: dict[str, Any] = dict(found) if isinstance(found, dict) else {}
    if status is not None and status >= 400:
        code: int | None = status  # the HTTP status wins; the body's code is for 200s
    else:
        code = (_as_int(err.get("code")) or _as_int(err.get("http_status"))
                or _as_int(metadata.get("http_status")))
    message = str(err.get("message") or err.get("error_type") or "").strip()
    cause = _raw_cause(metadata.get("raw")) if "raw" in metadata else ""
    provider = metadata.get("provider_name")
    if cause and cause not in message:
        generic = not message or message == "Provider returned error"
        message = cause if generic else f"{message}: {cause}"
    if provider and str(provider) not in message:
        message = f"[{provider}] {message}"
    if retry_after is None:
        for key in ("retry_after_seconds", "retry_after"):
            value = metadata.get(key)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                retry_after = float(value)
                break
    if retry_after is None and isinstance(err.get("availability"), dict):
        value = err["availability"].get("retry_after")
        if isinstance(value, (int, float)):
            retry_after = float(value)
    if isinstance(err.get("type"), str):
        metadata.setdefault("type", err["type"])
    return error_class(code)(
        message or "unknown error", status=code, metadata=metadata,
        retry_after=retry_after, partial=partial,
    )
