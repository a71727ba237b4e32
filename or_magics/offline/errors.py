"""OpenRouter-shaped error envelopes, with the messages the real API uses for each status."""

from __future__ import annotations

import json
from typing import Any

from ..protocol import DEFAULT_MODEL

PRIVACY_URL = "https://openrouter.ai/settings/privacy"
CREDITS_URL = "https://openrouter.ai/settings/credits"
ROUTING_DOCS = "https://openrouter.ai/docs/guides/routing/provider-selection"

DEFAULT_MESSAGES: dict[int, str] = {
    400: "Invalid request",
    401: "User not found.",
    403: "Request blocked: your input was flagged by the moderation provider",
    404: "No endpoints found for this model.",
    408: "Operation timed out. Please try again later.",
    413: "Request entity too large",
    422: "Unprocessable entity",
    429: "Rate limit exceeded: free-models-per-min.",
    500: "Internal Server Error",
    502: "Provider returned error",
    503: "No available providers could serve this request. Please try again later.",
    524: "Request timed out. Please try again later.",
    529: "Provider returned error",
}

ERROR_TYPES: dict[int, str] = {
    400: "invalid_request",
    401: "authentication",
    402: "insufficient_credits",
    403: "moderation",
    404: "not_found",
    408: "timeout",
    413: "payload_too_large",
    429: "rate_limit_exceeded",
    500: "server",
    502: "provider_error",
    503: "service_unavailable",
    524: "timeout",
    529: "provider_overloaded",
}

REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    402: "Payment Required",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    408: "Request Timeout",
    409: "Conflict",
    413: "Payload Too Large",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    501: "Not Implemented",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
    524: "A Timeout Occurred",
    529: "Site Overloaded",
}


class SimError(Exception):
    """An error the simulator answers with: status, message, metadata (the real envelope)."""

    def __init__(
        self,
        status: int,
        message: str | None = None,
        metadata: dict[str, Any] | None = None,
        *,
        code: int | str | None = None,
        retry_after: float | None = None,
        with_user_id: bool = True,
    ) -> None:
        self.status = status
        self.message = message or DEFAULT_MESSAGES.get(status, REASONS.get(status, "Error"))
        self.metadata = metadata
        self.code = status if code is None else code
        self.retry_after = retry_after
        self.with_user_id = with_user_id and status != 401
        super().__init__(f"{status}: {self.message}")

    def error_object(self) -> dict[str, Any]:
        """The inner `error` object as OpenRouter writes it."""
        err: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.metadata is not None:
            err["metadata"] = self.metadata
        return err

    def envelope(self, user_id: str) -> dict[str, Any]:
        """The whole JSON body: `{"error": {...}, "user_id": ...}` (401s carry no user id)."""
        body: dict[str, Any] = {"error": self.error_object()}
        if self.with_user_id:
            body["user_id"] = user_id
        return body

    def headers(self) -> list[tuple[str, str]]:
        """Extra response headers this error implies (Retry-After, rate-limit headers)."""
        out: list[tuple[str, str]] = []
        if self.retry_after is not None:
            out.append(("Retry-After", _seconds(self.retry_after)))
        if self.status == 429 and not (self.metadata or {}).get("provider_name"):
            limits = (self.metadata or {}).get("headers")
            if not isinstance(limits, dict):
                limits = {"X-RateLimit-Limit": "20", "X-RateLimit-Remaining": "0"}
            out += [(k, str(v)) for k, v in limits.items() if k.lower().startswith("x-ratelimit")]
        return out


def _seconds(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def provider_raw(status: int, provider: str, message: str | None = None) -> str:
    """A JSON string imitating the upstream body OpenRouter relays in `metadata.raw`."""
    if status == 429:
        text = message or (
            f"{provider} is temporarily rate-limited upstream. Please retry shortly, or add your "
            "own key to accumulate your rate limits: https://openrouter.ai/settings/integrations"
        )
        inner: dict[str, Any] = {"code": 429, "message": text, "status": "RESOURCE_EXHAUSTED"}
    elif status == 400:
        inner = {
            "message": message or "Invalid request sent to the upstream provider.",
            "type": "invalid_request_error",
            "param": None,
            "code": "invalid_value",
        }
    elif status in (503, 529):
        inner = {"type": "overloaded_error", "message": message or "Overloaded"}
    else:
        inner = {
            "code": 500,
            "message": message or "An internal error has occurred. Please retry.",
            "status": "INTERNAL",
        }
    return json.dumps({"error": inner}, indent=2) + "\n"


def provider_error(
    status: int,
    provider: str,
    message: str | None = None,
    *,
    retry_after: float | None = None,
    code: int | str | None = None,
) -> SimError:
    """`Provider returned error` with the upstream cause in `metadata.raw` (as recorded)."""
    metadata: dict[str, Any] = {
        "raw": provider_raw(status, provider, message),
        "provider_name": provider,
        "is_byok": False,
        "error_type": ERROR_TYPES.get(status, "provider_error"),
    }
    if retry_after is not None:
        metadata["retry_after_seconds"] = retry_after
        metadata["headers"] = {"Retry-After": _seconds(retry_after)}
    return SimError(status, "Provider returned error", metadata, retry_after=retry_after, code=code)


def status_error(
    status: int,
    *,
    message: str | None = None,
    retry_after: float | None = None,
    provider: str | None = None,
    model: str = DEFAULT_MODEL,
    code: int | str | None = None,
) -> SimError:
    """A realistic error for any status; `provider` makes it a relayed provider error."""
    if provider is not None:
        return provider_error(status, provider, message, retry_after=retry_after, code=code)
    metadata: dict[str, Any] | None = None
    if status == 402:
        metadata = {"provider_name": None}
    elif status == 403:
        metadata = {
            "reasons": ["harassment"],
            "flagged_input": "...",
            "provider_name": "OpenAI",
            "model_slug": model,
        }
    elif status == 429:
        metadata = {"headers": {"X-RateLimit-Limit": "20", "X-RateLimit-Remaining": "0"}}
    elif status >= 500:
        metadata = {"error_type": ERROR_TYPES.get(status, "server")}
    if retry_after is not None:
        metadata = dict(metadata or {})
        metadata["retry_after_seconds"] = retry_after
    return SimError(
        status,
        message,
        metadata,
        retry_after=retry_after,
        code=code,
        with_user_id=status != 401,
    )


def missing_auth() -> SimError:
    """What OpenRouter answers when the Authorization header is absent (2025-2026 text)."""
    return SimError(401, "No cookie auth credentials found", with_user_id=False)


def bad_key() -> SimError:
    """What OpenRouter answers for an unknown or revoked key."""
    return SimError(401, "User not found.", with_user_id=False)


def insufficient_credits(requested: int, affordable: int) -> SimError:
    """The pre-flight credit check's 402, worded as recorded in 2026."""
    return SimError(
        402,
        "This request requires more credits, or fewer max_tokens. You requested up to "
        f"{requested} tokens, but can only afford {affordable}. To increase, visit "
        f"{CREDITS_URL} and upgrade to a paid account",
        {"provider_name": None},
    )


def invalid_model(model: str) -> SimError:
    """Unknown model id or variant: 400 since 2026."""
    return SimError(400, f"{model} is not a valid model ID")


def not_found(message: str = "Not Found") -> SimError:
    """404 for unknown paths and unknown resources."""
    return SimError(404, message)
