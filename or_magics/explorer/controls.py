"""One widget per panel option, made from its row in the options table.

A `Control` shows an option and reads back its value: tags for lists, a checkbox for
flags, a menu for choices, a slider for a bounded number, a text box for other numbers
(blank means the model's default), a text area for the system prompt. So a new panel
option is a row in `options.OPTIONS`, not new widget code.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import ipywidgets as w

from ..client import InvalidParameterError
from ..client.validate import RANGES
from ..options import Option

_SHARED: dict[tuple[tuple[str, str], ...], w.Layout] = {}


def layout(**settings: str) -> w.Layout:
    """One Layout per distinct setting, shared by every widget that uses it (ipywidgets
    allows that): each widget's own default Layout is a model of its own, about 1 KB of
    mostly nulls in the widget state a saved notebook keeps."""
    key = tuple(sorted(settings.items()))
    found = _SHARED.get(key)
    if found is None or getattr(found, "comm", None) is None:  # new, or closed since
        found = _SHARED[key] = w.Layout(**settings)
    return found


def shared(model: Any) -> bool:
    """A shared Layout: closing one widget must not close it for the others."""
    return any(model is found for found in _SHARED.values())

__all__ = ["Control", "control_for"]

N = TypeVar("N", int, float)


def parse_number(text: str, name: str, kind: Callable[[str], N]) -> N | None:
    """An optional number typed into a text box; blank means "not set"."""
    text = text.strip()
    if not text:
        return None
    try:
        value = kind(text)
    except ValueError:
        raise InvalidParameterError(name, f"{text!r} is not a number; leave it blank for "
                                          "the default") from None
    if value < 0:
        raise InvalidParameterError(name, "must be ≥ 0")
    return value


class Control:
    """``widget`` to lay out; ``get`` the option's value (a bad entry raises
    `InvalidParameterError`); ``watch`` calls back on every change."""

    def __init__(self, option: Option, widget: w.Widget, inputs: Sequence[w.Widget]) -> None:
        self.option = option
        self.widget = widget
        self.inputs = list(inputs)

    def get(self) -> Any:
        return self.inputs[0].value

    def watch(self, callback: Callable[[Any], None]) -> None:
        for widget in self.inputs:
            widget.observe(callback, "value")

    def limit(self, choices: Sequence[str]) -> None:
        """Offer only ``choices`` of a menu (a model's reasoning efforts); a value that is no
        longer offered goes back to the default."""
        menu = self.inputs[0]
        value = menu.value if menu.value in choices else ""
        menu.options = [("default", "")] + [(c, c) for c in choices]
        menu.value = value

    @property
    def disabled(self) -> bool:
        return bool(getattr(self.inputs[0], "disabled", False))

    @disabled.setter
    def disabled(self, value: bool) -> None:
        for widget in self.inputs:
            widget.disabled = value


class Tags(Control):
    def get(self) -> list[str]:
        return list(self.inputs[0].value)


class Text(Control):
    def get(self) -> str:
        return str(self.inputs[0].value).strip()


class Number(Control):
    def get(self) -> Any:
        kind = int if self.option.kind == "int" else float
        return parse_number(self.inputs[0].value, self.option.label or self.option.name, kind)


class Slider(Control):
    """A bounded number: a checkbox says whether it is set, the slider says to what."""

    @property
    def enabled(self) -> w.Checkbox:
        return self.inputs[0]

    @property
    def slider(self) -> w.FloatSlider:
        return self.inputs[1]

    def get(self) -> float | None:
        return self.slider.value if self.enabled.value else None


def control_for(option: Option, value: Any, suggestions: Sequence[str] = ()) -> Control:
    """The control for ``option``, showing ``value``; ``suggestions`` are the allowed tags
    of a list (model ids, provider slugs)."""
    label = option.label or option.help
    if option.kind in ("list", "append"):
        tags = w.TagsInput(value=list(value or ()), allowed_tags=list(option.choices or
                                                                       suggestions),
                           allow_duplicates=False, placeholder=label, layout=layout())
        return Tags(option, tags, [tags])
    if option.kind == "flag":
        box = w.Checkbox(value=bool(value), indent=False, description=label, layout=layout())
        return Control(option, box, [box])
    if option.choices:
        menu = w.Dropdown(options=[("default", "")] + [(c, c) for c in option.choices],
                          value=value or "", description=option.label or option.name,
                          layout=layout())
        return Control(option, menu, [menu])
    low, high, _ = RANGES.get(option.field or "", (None, None, False))
    if option.kind == "float" and low is not None and high is not None:
        enabled = w.Checkbox(value=value is not None, indent=False,
                             description=option.label or option.name,
                             layout=layout(width="110px"))
        slider = w.FloatSlider(value=value if value is not None else (low + high) / 2,
                               min=low, max=high, step=0.05, disabled=value is None,
                               layout=layout())
        enabled.observe(lambda _: setattr(slider, "disabled", not enabled.value), "value")
        return Slider(option, w.HBox([enabled, slider], layout=layout(align_items="center")),
                      [enabled, slider])
    if option.kind in ("int", "float"):
        box = w.Text("" if value is None else f"{value:g}", placeholder="default",
                     description=option.label or option.name, layout=layout())
        return Number(option, box, [box])
    area = w.Textarea(value or "", placeholder=f"{label} (optional)",
                      layout=layout(width="100%", height="70px"))
    return Text(option, area, [area])
