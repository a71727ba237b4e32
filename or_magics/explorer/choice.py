"""What the panel lets a person choose, as plain data: model, variant, fallbacks, routing,
parameters and system prompt.

One `Choice` gives the request fields, the equivalent ``%%openrouter`` line and the
equivalent Python call, so the panel teaches exactly what it does. `use` makes a choice the
session's default for the magics and the helpers. Pure apart from `use`; no widgets here.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from ..client import Model
from ..client.request import VARIANTS, check_provider, split_model
from ..protocol import DEFAULT_MODEL

__all__ = ["MANAGED", "Choice", "applicable_variants", "use"]

#: Request fields a Choice owns; "Use" replaces these and keeps any other session default.
MANAGED = ("models", "provider", "temperature", "max_tokens", "reasoning", "web", "system")

# Routing fields that have a %%openrouter flag; the others go through -p provider={...}.
_FLAGGED = ("sort", "order", "only", "ignore", "allow_fallbacks", "zdr", "data_collection")


@dataclass
class Choice:
    model: str = DEFAULT_MODEL
    variant: str = ""
    fallbacks: list[str] = field(default_factory=list)
    # provider routing
    sort: str = ""
    order: list[str] = field(default_factory=list)
    only: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    allow_fallbacks: bool = True
    require_parameters: bool = False
    deny_data_collection: bool = False
    zdr: bool = False
    quantizations: list[str] = field(default_factory=list)
    max_prompt_price: float | None = None  # USD per million tokens
    max_completion_price: float | None = None
    # parameters
    temperature: float | None = None
    max_tokens: int | None = None
    reasoning: str = ""  # effort
    web: bool = False
    system: str = ""

    @property
    def model_id(self) -> str:
        return f"{self.model}:{self.variant}" if self.variant else self.model

    def provider(self) -> dict[str, Any]:
        """The ``provider`` routing object, checked; empty when routing is left to OpenRouter."""
        routing: dict[str, Any] = {}
        if self.sort:
            routing["sort"] = self.sort
        for name in ("order", "only", "ignore", "quantizations"):
            if getattr(self, name):
                routing[name] = list(getattr(self, name))
        if not self.allow_fallbacks:
            routing["allow_fallbacks"] = False
        if self.require_parameters:
            routing["require_parameters"] = True
        if self.deny_data_collection:
            routing["data_collection"] = "deny"
        if self.zdr:
            routing["zdr"] = True
        price = {k: v for k, v in (("prompt", self.max_prompt_price),
                                   ("completion", self.max_completion_price)) if v is not None}
        if price:
            routing["max_price"] = price
        return check_provider(routing) if routing else {}

    def params(self) -> dict[str, Any]:
        """Request fields for `Client.chat` / `ask` (only those that differ from the default)."""
        out: dict[str, Any] = {"model": self.model_id}
        if self.fallbacks:
            out["models"] = list(self.fallbacks)
        provider = self.provider()
        if provider:
            out["provider"] = provider
        if self.temperature is not None:
            out["temperature"] = self.temperature
        if self.max_tokens is not None:
            out["max_tokens"] = self.max_tokens
        if self.reasoning:
            out["reasoning"] = {"effort": self.reasoning}
        if self.web:
            out["web"] = True
        if self.system:
            out["system"] = self.system
        return out

    def magic_line(self) -> str:
        """The ``%%openrouter`` line that sends the same request.

        Options live on one line, so a system prompt's line breaks become spaces here.
        """
        words = ["%%openrouter", self.model_id]
        words += [w for m in self.fallbacks for w in ("--fallback", m)]
        if self.system:
            words += ["-s", " ".join(self.system.split())]
        if self.temperature is not None:
            words += ["-t", f"{self.temperature:g}"]
        if self.max_tokens is not None:
            words += ["--max-tokens", str(self.max_tokens)]
        if self.reasoning:
            words += ["-r", self.reasoning]
        if self.sort:
            words += ["--sort", self.sort]
        for name in ("order", "only", "ignore"):
            if getattr(self, name):
                words += [f"--{name}", ",".join(getattr(self, name))]
        if not self.allow_fallbacks:
            words.append("--no-fallbacks")
        if self.zdr:
            words.append("--zdr")
        if self.deny_data_collection:
            words.append("--deny-data-collection")
        if self.web:
            words.append("--web")
        rest = {k: v for k, v in self.provider().items() if k not in _FLAGGED}
        if rest:
            words += ["-p", "provider=" + json.dumps(rest, separators=(",", ":"))]
        return " ".join([words[0], *map(_quote, words[1:])])

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
        choice = cls()
        if model:
            base, variants = split_model(model)
            choice.model, choice.variant = base, ":".join(variants)
        choice.fallbacks = list(params.get("models") or ())
        routing = params.get("provider") or {}
        choice.sort = routing.get("sort", "") if isinstance(routing.get("sort"), str) else ""
        for name in ("order", "only", "ignore", "quantizations"):
            setattr(choice, name, list(routing.get(name) or ()))
        choice.allow_fallbacks = routing.get("allow_fallbacks", True)
        choice.require_parameters = bool(routing.get("require_parameters"))
        choice.deny_data_collection = routing.get("data_collection") == "deny"
        choice.zdr = bool(routing.get("zdr"))
        price = routing.get("max_price") or {}
        choice.max_prompt_price = price.get("prompt")
        choice.max_completion_price = price.get("completion")
        choice.temperature = params.get("temperature")
        choice.max_tokens = params.get("max_tokens")
        reasoning = params.get("reasoning")
        choice.reasoning = reasoning.get("effort", "") if isinstance(reasoning, Mapping) else ""
        choice.web = bool(params.get("web"))
        choice.system = params.get("system") or ""
        return choice

    def replace(self, **changes: Any) -> Choice:
        known = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise TypeError(f"unknown Choice field(s): {', '.join(unknown)}")
        return Choice(**{**{f.name: getattr(self, f.name) for f in fields(self)}, **changes})


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
    from ..session import session

    params = choice.params()
    model = params.pop("model")
    merged = {k: v for k, v in session.params.items() if k not in MANAGED}
    merged.update(params)
    magics = _magics(shell)
    if magics is not None:
        magics.model = model
        magics.system = choice.system
        magics.params = merged
    session.model = model
    session.params = merged


def _quote(word: str) -> str:
    """Shell-style quoting that reads well: "it's" rather than 'it'"'"'s'."""
    quoted = shlex.quote(word)
    if quoted != word and "'" in word and not any(c in word for c in '"\\'):
        return f'"{word}"'
    return quoted


def _magics(shell: Any) -> Any:
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return None
        shell = get_ipython()
    manager = getattr(shell, "magics_manager", None)
    return manager.registry.get("OpenRouterMagics") if manager is not None else None
