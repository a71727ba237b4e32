"""The API key and URL credentials: cleaned once, sent only where they belong, never shown.

A key pasted with a trailing newline used to reach the HTTP layer whole, and its error
("Illegal header value b'Bearer …\\n'") carried it into every cell output. Here a key is
stripped, refused with a line that shows none of it when it has whitespace or non-ASCII
inside, and every form it could take in a message (raw, escaped, repr) is masked.

The OpenRouter key (``OPENROUTER_API_KEY``, or a prompted one) goes only to OpenRouter or
to ``OPENROUTER_BASE_URL``; a key passed together with a ``base_url`` goes to that URL. No
key ever goes over plain http to a host that is not this machine.
"""

from __future__ import annotations

import ipaddress
import json
import re
from dataclasses import dataclass

import httpx2

from ..errors import InvalidParameterError

__all__ = ["Destination", "clean_key", "is_loopback", "mask_key", "masked", "secret_forms",
           "split_url"]

KEY_SHAPE = re.compile(r"sk-or-v1-[A-Za-z0-9_-]{6,}")
KEYS_PAGE = "https://openrouter.ai/settings/keys"


def mask_key(key: str | None) -> str:
    """``sk-or-v1-…3f9a``: enough to tell keys apart, never enough to use one."""
    key = key.strip() if isinstance(key, str) else None
    if not key:
        return "(none)"
    prefix = "sk-or-v1-" if key.startswith("sk-or-v1-") else ""
    return f"{prefix}…{key[-4:]}" if len(key) > len(prefix) + 8 else "…"


def masked(text: str) -> str:
    """``text`` with anything shaped like an OpenRouter key masked (what a user typed)."""
    return KEY_SHAPE.sub(lambda m: mask_key(m.group(0)), text)


def clean_key(value: object, field: str) -> str | None:
    """``value`` without surrounding whitespace; None when empty. A key with whitespace or
    anything but printable ASCII inside cannot be a key: one line says where, not what."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidParameterError(field, f"must be a string, not {type(value).__name__}")
    key = value.strip()
    for position, char in enumerate(key):
        if not "!" <= char <= "~":
            what = ("whitespace (a space, tab or line break)" if char.isspace()
                    else "a character that is not plain ASCII")
            raise InvalidParameterError(
                field, f"the key has {what} inside it, at character {position + 1} of "
                       f"{len(key)}; copy it again from {KEYS_PAGE}")
    return key or None


def secret_forms(secret: str | None, *, least: int = 8) -> list[str]:
    """Every way ``secret`` can appear in a message: as is, escaped, in a repr or JSON."""
    if not secret or len(secret) < least:
        return []
    forms = {secret, repr(secret)[1:-1], json.dumps(secret)[1:-1],
             secret.encode("unicode_escape").decode("ascii"), repr(secret.encode())[2:-1]}
    return sorted(forms, key=len, reverse=True)  # longest first: no half-masked forms


def is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def split_url(url: str) -> tuple[str, str, tuple[str, str] | None]:
    """``(url without credentials, url with the password masked, (user, password))``.

    The credentials go as HTTP basic auth (what httpx does with them anyway), so the URL
    that is requested, logged by httpx and shown carries none."""
    parsed = httpx2.URL(url)
    if not parsed.userinfo:
        return url, url, None
    bare = str(parsed.copy_with(username=None, password=None))
    shown = (str(parsed.copy_with(username=parsed.username, password="***"))
             if parsed.password else bare)
    return bare, shown, (parsed.username, parsed.password)


@dataclass(frozen=True)
class Destination:
    """Whether a key may go to a base URL, and the one line that says why not."""

    #: Why the key is not sent (the request goes without it), or None.
    withheld: str | None = None
    #: Why nothing may be sent at all (the key would cross plain http), or None.
    refused: str | None = None

    @classmethod
    def of(cls, url: str, *, explicit_key: bool, explicit_url: bool,
           env_url: str | None) -> Destination:
        parsed = httpx2.URL(url)
        host = parsed.host
        openrouter = host == "openrouter.ai" or host.endswith((".openrouter.ai", ".invalid"))
        from_env = env_url is not None and url.rstrip("/") == env_url.rstrip("/")
        if not (openrouter or from_env or not explicit_url or explicit_key):
            return cls(withheld=(
                f"OPENROUTER_API_KEY goes only to OpenRouter or OPENROUTER_BASE_URL, not to "
                f"{host} set in code; pass api_key= with base_url= to send a key there"))
        unreachable = host.endswith(".invalid")  # never resolves: the in-process simulator
        if parsed.scheme == "http" and not (is_loopback(host) or unreachable):
            return cls(refused=(
                f"the API key would cross plain http to {host}; use https (plain http is "
                "for loopback addresses such as localhost only)"))
        return cls()
