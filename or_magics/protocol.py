"""What the client and the simulator agree on, written once.

Both sides import this module and nothing else of each other: the client never knows the
simulator exists (it is injected as a transport), and the simulator never imports the client.
"""

from __future__ import annotations

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_EMBEDDING_MODEL",
    "DEFAULT_MODEL",
    "OFFLINE_BASE_URL",
    "OFFLINE_KEY",
    "SIMULATOR_HEADER",
    "VARIANTS",
]

#: OpenRouter's API root.
DEFAULT_BASE_URL = "https://openrouter.ai/api/v1"
#: The model used when nothing else names one (cheap, fast, tools and structured outputs).
DEFAULT_MODEL = "openai/gpt-4o-mini"
#: The embedding model `embed` uses when none is named.
DEFAULT_EMBEDDING_MODEL = "openai/text-embedding-3-small"
#: Where the in-process simulator answers; ``.invalid`` can never resolve to a real host.
OFFLINE_BASE_URL = "http://simulator.invalid/api/v1"
#: The placeholder key sent to the simulator (it accepts any key; it is not a secret).
OFFLINE_KEY = "sk-or-v1-offline-simulator"
#: Request header carrying per-request simulator knobs; every simulated response carries it too.
SIMULATOR_HEADER = "X-Simulator"
#: Model variant suffixes OpenRouter understands (``author/slug:free``).
VARIANTS = ("free", "nitro", "floor", "thinking", "online", "extended", "exacto")
