"""The hidden key prompt: how a notebook asks for a missing API key.

Injected into the client layer as its key provider (`client.config.hooks`), so the client
never imports IPython. It asks only in IPython, with a hidden prompt, and never shows or
stores the key anywhere but the client's memory.
"""

from __future__ import annotations

import sys

from ..client.secrets import KEYS_PAGE

__all__ = ["PROMPT", "ask_for_key"]

PROMPT = f"OpenRouter API key (hidden; {KEYS_PAGE}): "


def ask_for_key() -> str | None:
    """The key typed at a hidden prompt; None outside IPython or when nothing can be read."""
    if "IPython" not in sys.modules:
        return None
    from IPython import get_ipython

    if get_ipython() is None:
        return None
    import getpass

    try:
        return getpass.getpass(PROMPT).strip() or None
    except Exception:  # no stdin (a headless run): the caller says what to do instead
        return None
