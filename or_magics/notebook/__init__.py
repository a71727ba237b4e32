"""The IPython layer: ``%%openrouter`` / ``%openrouter``, their subcommands, prompt
templating and the hidden key prompt."""

from __future__ import annotations

from .magics import OpenRouterMagics, load, unload

__all__ = ["OpenRouterMagics", "load", "unload"]
