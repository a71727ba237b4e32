"""The public contract in DESIGN.md: names tests outside this repo call."""

from __future__ import annotations

import subprocess
import sys

import or_magics

CONTRACT = {
    "Client", "Response", "Usage", "ToolCall", "Conversation", "ask", "aask", "batch",
    "OpenRouterError", "BadRequestError", "AuthenticationError", "InsufficientCreditsError",
    "ModerationError", "NotFoundError", "RequestTimeoutError", "RateLimitError",
    "ProviderError", "NoProviderError", "load_ipython_extension",
}


def test_all_is_sorted_complete_and_importable():
    assert list(or_magics.__all__) == sorted(or_magics.__all__)
    assert set(or_magics.__all__) >= CONTRACT
    for name in or_magics.__all__:
        assert getattr(or_magics, name) is not None


def test_error_classes_follow_the_status_table():
    statuses = {"BadRequestError": 400, "AuthenticationError": 401,
                "InsufficientCreditsError": 402, "ModerationError": 403, "NotFoundError": 404,
                "RequestTimeoutError": 408, "RateLimitError": 429, "ProviderError": 502,
                "NoProviderError": 503}
    for name, status in statuses.items():
        cls = getattr(or_magics, name)
        assert issubclass(cls, or_magics.OpenRouterError) and cls.status == status


def test_import_is_light():
    """Markdown, widgets and the simulator load on first use, not at import."""
    code = ("import sys, or_magics; print(sorted(m for m in ('markdown_it', 'ipywidgets', "
            "'nh3', 'pydantic', 'pandas', 'sqlite3', 'tqdm', 'or_magics.offline', 'openai', "
            "'IPython') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"
