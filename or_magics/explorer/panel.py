"""The model explorer and routing panel: ``%openrouter panel`` / ``or_magics.panel()``.

Search the live catalogue, read a model's details and providers, choose model, variant,
fallbacks, routing and parameters, and see the equivalent ``%%openrouter`` line and Python
call as you go. "Use" makes the choice the session default; the prompt box tries it with
streaming output. Widgets only gather a `Choice`; everything else lives in plain modules,
so the panel holds no logic a test cannot reach without a browser.
"""

from __future__ import annotations

import html
import math
from typing import Any

import ipywidgets as w

from .. import options
from ..client import Client, InvalidParameterError, Model, OpenRouterError
from ..client.catalogue import (
    MODEL_SORTS,
    format_context,
    format_price,
    per_million,
    search_models,
    sort_models,
)
from ..state import session
from .choice import Choice, applicable_variants, use
from .controls import Control, control_for, layout, shared

__all__ = ["Panel", "WidgetSink"]

MODALITIES = (("any input", ""), ("image in", "image"), ("file / PDF in", "file"),
              ("audio in", "audio"), ("video in", "video"))
CONTEXTS = (("any context", 0), ("≥ 32K", 32_000), ("≥ 128K", 128_000),
            ("≥ 200K", 200_000), ("≥ 1M", 1_000_000))
PRICES = (("any price", math.inf), ("≤ $0.10/M in", 0.1), ("≤ $0.50/M in", 0.5),
          ("≤ $1/M in", 1.0), ("≤ $3/M in", 3.0), ("≤ $10/M in", 10.0))
#: Checkbox label -> the supported parameter it asks for.
FEATURES = {"tools": "tools", "structured outputs": "structured_outputs",
            "reasoning": "reasoning"}
#: The fix, for a frontend that shows the panel's text instead of the panel.
WIDGETS_MISSING = ("if this text stays, the frontend shows no widgets: pip install -U "
                   "ipywidgets in the kernel and where Jupyter runs, then reload the page")


def _box(kind: type[w.Box], children: list[w.Widget], **settings: str) -> w.Box:
    return kind(children, layout=layout(**settings))


def close_tree(widget: w.Widget) -> None:
    """Close a widget with its children, layout and style: a widget left open stays in the
    kernel and in the widget state JupyterLab saves, although nothing shows it any more."""
    for child in getattr(widget, "children", ()):
        close_tree(child)
    for part in ("layout", "style"):
        model = getattr(widget, part, None)
        if isinstance(model, w.Widget) and not shared(model):
            model.close()
    widget.close()


class WidgetSink:
    """A `render.Sink` whose outputs are HTMLMath widgets in a box (the panel's prompt box).

    The renderer freezes finished segments into their own widgets, so each update resends
    only the live tail, as in a cell. Everything it sends is already sanitized.
    """

    def __init__(self, box: w.Box) -> None:
        self.box = box
        gone, box.children = box.children, ()
        for widget in gone:  # the last answer: closed, so no saved notebook keeps its state
            close_tree(widget)

    def open(self, bundle: dict[str, str]) -> w.HTMLMath:
        widget = w.HTMLMath(self._html(bundle))  # typesets the answer's math, as a cell does
        self.box.children = (*self.box.children, widget)
        return widget

    def update(self, handle: w.HTMLMath, bundle: dict[str, str]) -> None:
        handle.value = self._html(bundle)

    @staticmethod
    def _html(bundle: dict[str, str]) -> str:
        for mime in ("image/png", "image/jpeg", "image/gif", "image/webp"):
            if mime in bundle:  # a generated image: its bytes were checked by the renderer
                return f'<img src="data:{mime};base64,{bundle[mime]}" alt="generated image">'
        return bundle.get("text/html") or f"<pre>{html.escape(bundle['text/plain'])}</pre>"


class Panel(w.VBox):  # type: ignore[misc]
    """Explore the catalogue and choose how to ask; see the module docstring."""

    def __init__(self, client: Client | None = None, *, shell: Any = None) -> None:
        self.client = client or session.client()
        self.shell = shell
        self.catalogue: list[Model] = self.client.models()
        self._by_id = {m.id: m for m in self.catalogue}
        self._endpoints: dict[str, list[dict[str, Any]]] = {}
        start = Choice.from_params(session.model or self.client.model, session.params)
        if start.model not in self._by_id and self.catalogue:
            start.model = self.catalogue[0].id
        self._build_filters()
        self._build_choice(start)
        self._build_try()
        title = w.HTML(self._title(), layout=layout(width="100%"))
        explorer = _box(w.HBox, [self.models, self.details], width="100%",
                        align_items="stretch")
        super().__init__([title, self.filters, explorer, self.tabs,
                          _box(w.HBox, [self.use_button, self.status], align_items="center"),
                          self.code, self.try_box], layout=layout(width="100%"))
        self.add_class("orm-panel")
        self._refresh_list()
        if start.model in self._by_id:
            self.models.value = start.model
        self._show_model()
        self._refresh_code()

    def __repr__(self) -> str:
        # What a frontend without widget support shows instead, and what the saved notebook
        # keeps beside the widget: say what it was, not a dump, and what to do if it stays.
        model = (self.models.value or "no model") + (f":{self.variant.value}"
                                                     if self.variant.value else "")
        return (f"<or_magics panel: {model} — an interactive widget; run the cell to use it "
                f"({WIDGETS_MISSING})>")

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = super()._repr_mimebundle_(**kwargs)
        if isinstance(bundle, dict):
            bundle["text/plain"] = repr(self)  # whole: ipywidgets cuts it at 110 characters
        return bundle

    # -- layout ---------------------------------------------------------------------------

    def _title(self) -> str:
        where = ("the built-in simulator's catalogue (simulated)" if self.client.offline
                 else html.escape(self.client.base_url))
        return (f"<b>OpenRouter models</b> <span style='opacity:.7'>· {len(self.catalogue)} "
                f"from {where}</span>")

    def _build_filters(self) -> None:
        authors = sorted({m.author for m in self.catalogue})
        self.search = w.Text(placeholder="search models: name, id, description…",
                             continuous_update=True, layout=layout(width="40%"))
        self.search.add_class("orm-search")
        self.author = w.Dropdown(options=[("any author", "")] + [(a, a) for a in authors],
                                 layout=layout(width="auto"))
        self.modality = w.Dropdown(options=MODALITIES, layout=layout(width="auto"))
        self.min_context = w.Dropdown(options=CONTEXTS, layout=layout(width="auto"))
        self.max_price = w.Dropdown(options=PRICES, layout=layout(width="auto"))
        self.free = w.Checkbox(description="free only", indent=False,
                               layout=layout(width="auto"))
        self.features = {label: w.Checkbox(description=label, indent=False,
                                           layout=layout(width="auto"))
                         for label in FEATURES}
        self.sort = w.Dropdown(options=[(f"sort: {by}", by) for by in MODEL_SORTS],
                               layout=layout(width="auto"))
        self.filters = w.VBox([
            _box(w.HBox, [self.search, self.author, self.modality, self.min_context],
                 flex_flow="row wrap"),
            _box(w.HBox, [self.max_price, self.free, *self.features.values(), self.sort],
                 flex_flow="row wrap", align_items="center"),
        ], layout=layout())
        for widget in (self.search, self.author, self.modality, self.min_context,
                       self.max_price, self.free, *self.features.values(), self.sort):
            widget.observe(self._refresh_list, "value")
        self.models = w.Select(options=[], rows=14, layout=layout(width="42%"))
        self.models.add_class("orm-models")
        self.models.observe(self._show_model, "value")
        self.details = w.HTML(layout=layout(width="58%", max_height="330px",
                                              overflow="auto", padding="0 8px"))
        self.details.add_class("orm-details")

    def _build_choice(self, start: Choice) -> None:
        """One control per panel option of the table, in tabs by group."""
        self.variant = w.Dropdown(options=[("no variant", "")], description="variant",
                                  layout=layout())
        slugs = sorted({p.get("slug", "") for p in self._providers()} - {""})
        suggestions = {"fallbacks": [m.id for m in self.catalogue], "order": slugs,
                       "only": slugs, "ignore": slugs}
        self.inputs: dict[str, Control] = {
            option.name: control_for(option, start.values[option.name],
                                     suggestions.get(option.name, ()))
            for option in options.panel_options()}
        tabs: dict[str, list[w.Widget]] = {"model": [self.variant]}
        for control in self.inputs.values():
            tabs.setdefault(control.option.group, []).append(control.widget)
        self.tabs = w.Tab([_box(w.VBox, children) for children in tabs.values()],
                          titles=[options.GROUPS[group] for group in tabs],
                          layout=layout(width="100%"))
        self._start_variant = start.variant
        self.models.observe(self._refresh_code, "value")
        self.variant.observe(self._refresh_code, "value")
        for control in self.inputs.values():
            control.watch(self._refresh_code)
        self.use_button = w.Button(description="Use", button_style="primary",
                                   tooltip="make this the default of %%openrouter, ask() and "
                                           "batch()", icon="check", layout=layout())
        self.use_button.add_class("orm-use")
        self.use_button.on_click(self._use)
        self.status = w.HTML(layout=layout())
        self.status.add_class("orm-status")
        self.code = w.HTML(layout=layout(width="100%"))
        self.code.add_class("orm-code")

    def _build_try(self) -> None:
        self.try_prompt = w.Textarea(placeholder="Try it: a prompt for the chosen model",
                                     layout=layout(width="100%", height="60px"))
        self.try_prompt.add_class("orm-try-prompt")
        self.try_prompt.observe(self._refresh_code, "value")
        self.try_button = w.Button(description="Ask", icon="play",
                                   tooltip="stream an answer here (Ctrl-C / ■ stops it)",
                                   layout=layout())
        self.try_button.add_class("orm-try-run")
        self.try_button.on_click(self._try)
        self.try_output = w.VBox(layout=layout(width="100%"))
        self.try_output.add_class("orm-try-output")
        self.try_box = w.VBox([self.try_prompt, self.try_button, self.try_output],
                              layout=layout())

    # -- catalogue ------------------------------------------------------------------------

    def filtered(self) -> list[Model]:
        """The models the filters let through, in the chosen order."""
        found = search_models(
            self.catalogue, self.search.value or None, author=self.author.value or None,
            input_modalities=[self.modality.value] if self.modality.value else (),
            supports=[FEATURES[k] for k, box in self.features.items() if box.value],
            min_context=self.min_context.value or None,
            max_price=None if self.max_price.value == math.inf else self.max_price.value,
            free=True if self.free.value else None)
        return sort_models(found, self.sort.value)

    def _refresh_list(self, _: Any = None) -> None:
        found = self.filtered()
        selected = self.models.value
        self.models.options = [(_label(m), m.id) for m in found]
        if selected in {m.id for m in found}:
            self.models.value = selected
        self._say(f"{len(found)} of {len(self.catalogue)} models match" if found else
                  "no model matches these filters")

    def _providers(self) -> list[dict[str, Any]]:
        try:
            return self.client.providers()
        except OpenRouterError:
            return []

    def endpoints(self, model_id: str) -> list[dict[str, Any]]:
        """The model's providers (cached); an error costs the table, not the panel."""
        if model_id not in self._endpoints:
            try:
                data = self.client.endpoints(model_id)
                self._endpoints[model_id] = list(data.get("endpoints") or ())
            except OpenRouterError as exc:
                self._say(f"providers of {model_id}: {exc}", error=True)
                return []
        return self._endpoints[model_id]

    def _show_model(self, _: Any = None) -> None:
        model = self._by_id.get(self.models.value or "")
        if model is None:
            self.details.value = "<i>choose a model on the left</i>"
            return
        variants = applicable_variants(model, self.catalogue) if self.client.openrouter else []
        keep = self.variant.value or self._start_variant
        self._start_variant = ""
        self.variant.options = [("no variant", "")] + [(f":{v}", v) for v in variants]
        self.variant.value = keep if keep in variants else ""
        reasoning = self.inputs["reasoning"]
        reasoning.limit(model.reasoning_efforts or options.by_name("reasoning").choices)
        reasoning.disabled = not model.reasons
        self.details.value = _details(model, self.endpoints(model.id))

    # -- choosing -------------------------------------------------------------------------

    def choice(self) -> Choice:
        """The panel's current choice; a malformed number raises `InvalidParameterError`."""
        values = {name: None if control.disabled else control.get()
                  for name, control in self.inputs.items()}
        return Choice(self.models.value or "", self.variant.value or "", **values)

    def _checked(self) -> Choice | None:
        try:
            choice = self.choice()
            if not choice.model:
                raise InvalidParameterError("model", "choose a model in the list first")
            choice.params()  # the same checks a request gets
        except InvalidParameterError as exc:
            self._say(str(exc), error=True)
            return None
        return choice

    def _refresh_code(self, _: Any = None) -> None:
        choice = self._checked()
        if choice is None:
            return
        prompt = self.try_prompt.value.strip() or "Your prompt"
        box = ("<pre style='white-space:pre-wrap;margin:2px 0 6px;padding:4px 8px;"
               "background:var(--jp-layout-color2,#8881)'>")
        self.code.value = (
            "<div style='font-size:12px;opacity:.8'>the same request as a cell:</div>"
            f"{box}{html.escape(choice.magic_line())}\n{html.escape(prompt)}</pre>"
            "<div style='font-size:12px;opacity:.8'>and in Python:</div>"
            f"{box}{html.escape(choice.python_call(prompt))}</pre>")

    def _use(self, _: Any = None) -> None:
        choice = self._checked()
        if choice is None:
            return
        use(choice, self.shell)
        self._say(f"✓ {choice.model_id} is now the default of %%openrouter, ask() and "
                  "batch()")

    def _try(self, _: Any = None) -> None:
        choice = self._checked()
        prompt = self.try_prompt.value.strip()
        if choice is None:
            return
        if not prompt:
            self._say("write a prompt in the box first", error=True)
            return
        from ..helpers.live import LiveAnswer

        answer = LiveAnswer(prompt, choice.params(), interval=0.1, shell=self.shell,
                            sink=WidgetSink(self.try_output))
        self.try_button.disabled = True
        self._say(f"asking {choice.model_id}… (■ / Ctrl-C stops)")
        try:
            answer.run()
            self._say(f"answered by {choice.model_id}")
        except OpenRouterError as exc:
            self._say(str(exc), error=True)
        except KeyboardInterrupt:
            self._say("stopped; the partial answer is kept (or_magics.session.last)")
        finally:
            self.try_button.disabled = False

    def _say(self, text: str, *, error: bool = False) -> None:
        colour = "var(--jp-error-color1,#d32f2f)" if error else "var(--jp-ui-font-color2,#777)"
        self.status.value = f"<span style='color:{colour}'>{html.escape(text)}</span>"


# -- pure helpers --------------------------------------------------------------------------

def _label(model: Model) -> str:
    prices = ("free" if model.is_free else
              f"{format_price(model.prompt_price)}/{format_price(model.completion_price)}")
    return f"{model.id} · {prices} · {format_context(model.context_length)}"


def _stat(value: Any, key: str = "p50") -> float | None:
    if isinstance(value, dict):
        value = value.get(key)
    return float(value) if isinstance(value, (int, float)) else None


def _latency(value: Any) -> str:
    """Time to first token, p50; OpenRouter reports it in milliseconds."""
    ms = _stat(value)
    if ms is None:
        return "–"
    return f"{ms:,.0f} ms" if ms < 1000 else f"{ms / 1000:.1f} s"


def _details(model: Model, endpoints: list[dict[str, Any]]) -> str:
    e = html.escape
    features = [label for label, parameter in FEATURES.items() if model.supports(parameter)]
    facts = [
        f"context {format_context(model.context_length)}",
        f"in {format_price(model.prompt_price)}/M · out {format_price(model.completion_price)}"
        "/M tokens",
        f"{'+'.join(model.input_modalities)} → {'+'.join(model.output_modalities)}",
    ] + ([", ".join(features)] if features else [])
    out = [f"<div><b>{e(model.name)}</b> <code>{e(model.id)}</code></div>",
           f"<div style='opacity:.8;font-size:12px'>{' · '.join(e(f) for f in facts)}</div>",
           f"<p style='margin:4px 0'>{e(model.description)}</p>"]
    if endpoints:
        rows = []
        for ep in endpoints:
            pricing = ep.get("pricing") or {}
            per_m = [format_price(per_million(pricing.get(k))) for k in ("prompt", "completion")]
            uptime = _stat(ep.get("uptime_last_30m"))
            throughput = _stat(ep.get("throughput_last_30m"))
            cells = [ep.get("provider_name") or ep.get("tag") or "?",
                     f"{per_m[0]} / {per_m[1]}",
                     format_context(ep.get("context_length")),
                     ep.get("quantization") or "–",
                     _latency(ep.get("latency_last_30m")),
                     f"{throughput:.0f} tok/s" if throughput is not None else "–",
                     f"{uptime:.1f}%" if uptime is not None else "–"]
            rows.append("<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in cells) + "</tr>")
        titles = ("provider", "$/M in / out", "context", "quant.", "latency p50",
                  "throughput", "uptime 30 min")
        head = "".join(f"<th style='white-space:nowrap'>{h}</th>" for h in titles)
        out.append("<table style='font-size:12px'><thead><tr>" + head + "</tr></thead>"
                   f"<tbody>{''.join(rows)}</tbody></table>")
    return "".join(out)

