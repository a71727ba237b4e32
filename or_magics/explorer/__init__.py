"""The model explorer and routing panel (ipywidgets): ``%openrouter panel``,
``or_magics.panel()``. `Choice` is what it chooses, as plain data; `Panel` the widgets.
"""

from __future__ import annotations

from .choice import Choice
from .panel import Panel, WidgetSink

__all__ = ["Choice", "Panel", "WidgetSink"]
