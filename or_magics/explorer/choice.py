"""What the panel lets a person choose, as plain data: a model, a variant, and the values
of the options the table (`options.OPTIONS`) marks for the panel.

One `Choice` gives the request fields, the equivalent ``%%openrouter`` line and the
equivalent Python call, so the panel teaches exactly what it does. `use` makes a choice the
session's default for the magics and the helpers. Pure apart from `use`; no widgets here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .. import options
from ..client import Model
from ..client.request import build_body
from ..client.validate import VARIANTS, split_model
from ..protocol import DEFAULT_MODEL

__all__ = ["MANAGED", "Choice", "applicable_variants", "use"]

PANEL = {option.name: option for option in options.panel_options()}
#: Request fields a Choice owns; "Use" replaces these and keeps any other session default.
MANAGED = tuple(dict.fromkeys(o.field.split(".")[0] for o in PANEL.values() if o.field))


class Choice:
    """A model (``author/slug``), a ``variant`` suffix, and a value per panel option;
    ``choice.temperature`` reads the option called "temperature"."""

    def __init__(self, model: str = DEFAULT_MODEL, variant: str = "", **values: Any) -> None:
        unknown = sorted(set(values) - set(PANEL))
        if unknown:
            raise TypeError(f"unknown Choice field(s): {', '.join(unknown)}")
        self.model = model
        self.variant = variant
        self.values = {name: _normal(o, values.get(name)) for name, o in PANEL.items()}

    def __getattr__(self, name: str) -> Any:
        values = self.__dict__.get("values", {})
        if name in values:
            return values[name]
        raise AttributeError(name)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Choice) and (self.model, self.variant, self.values) == (
            other.model, other.variant, other.values)

    def __repr__(self) -> str:
        set_ = {k: v for k, v in self.values.items() if v != PANEL[k].empty}
        return f"Choice({self.model_id!r}, {set_!r})"

    @property
    def model_id(self) -> str:
        return f"{self.model}:{self.variant}" if self.variant else self.model

    def params(self) -> dict[str, Any]:
        """Request fields for `Client.chat` / `ask` (only those set), checked as a request
        would be: a bad value is an `InvalidParameterError` naming the field."""
        fields = {"model": self.model_id, **options.request_fields(self.values)}
        build_body("x", stream=True, **fields)
        return fields

    def magic_line(self) -> str:
        """The ``%%openrouter`` line that sends the same request (options live on one line,
        so a system prompt's line breaks become spaces here)."""
        words = [self.model_id, *options.magic_words(self.values)]
        return " ".join(["%%openrouter", *map(options.quote, words)])

    def python_call(self, prompt: str = "Your prompt") -> str:
        """The `or_magics.ask` call that sends the same request."""
        args = [repr(prompt)] + [f"{k}={v!r}" for k, v in self.params().items()]
        call = "ask(" + ", ".join(args) + ")"
        if len(call) > 88:
            call = "ask(\n" + "".join(f"    {a},\n" for a in args) + ")"
        return f"from or_magics import ask\n\nresponse = {call}"

    @classmethod
    def from_params(cls, model: str | None, params: Mapping[str, Any]) -> Choice:
        """The choice that session defaults (``model`` and request fields) stand for."""
        base, variants = split_model(model or DEFAULT_MODEL)
        return cls(base, ":".join(variants), **options.values_from_fields(params, PANEL.values()))

    def replace(self, **changes: Any) -> Choice:
        merged = {"model": self.model, "variant": self.variant, **self.values, **changes}
        return Choice(**merged)


def _normal(option: options.Option, value: Any) -> Any:
    """One spelling of "not set" per option (a blank box and None are the same)."""
    if value is None or value == "" or value == option.empty:
        return option.empty
    return list(value) if isinstance(value, (list, tuple)) else value


def applicable_variants(model: Model, catalogue: Iterable[Model]) -> list[str]:
    """The variant suffixes that mean something for ``model``.

    `:free` and `:extended` exist only where the catalogue lists them; `:thinking` needs
    reasoning (and Anthropic dropped it); `:exacto` is tool-calling quality routing.
    """
    if model.author == "openrouter" or ":" in model.id:
        return []
    ids = {m.id for m in catalogue}
    out = []
    for variant in VARIANTS:
        if variant in ("free", "extended"):
            ok = f"{model.id}:{variant}" in ids
        elif variant == "thinking":
            ok = model.supports("reasoning") and model.author != "anthropic"
        elif variant == "exacto":
            ok = model.supports("tools")
        else:  # nitro, floor, online: routing shortcuts that apply to every model
            ok = True
        if ok:
            out.append(variant)
    return out


def use(choice: Choice, shell: Any = None) -> None:
    """Make ``choice`` the default of ``%%openrouter`` and of the helpers.

    On the magics' traitlets when the extension is loaded (``%config`` shows them), and on
    the session always: the traitlets tell the session only when their value changes.
    Session defaults the choice does not own (say ``top_k`` from ``%openrouter config``)
    stay.
    """
    from ..state import session

    params = choice.params()
    model = params.pop("model")
    merged = {k: v for k, v in session.params.items() if k not in MANAGED}
    merged.update(params)
    magics = _magics(shell)
    if magics is not None:
        magics.model = model
        magics.system = choice.system or ""
        magics.params = merged
    session.model = model
    session.params = merged


def _magics(shell: Any) -> Any:
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return None
        shell = get_ipython()
    manager = getattr(shell, "magics_manager", None)
    return manager.registry.get("OpenRouterMagics") if manager is not None else None
