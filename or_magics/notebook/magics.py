"""``%%openrouter`` and ``%openrouter``: parse, build the request, hand the stream to render.

Thin by design: options come from IPython's ``magic_arguments`` (so ``%%openrouter?`` shows
them and a bad one is a one-line ``UsageError``), the request from `Client`, the display
from `or_magics.render`, the line subcommands from `commands`.
"""

from __future__ import annotations

import json
import re
import shlex
from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_cell_magic, magics_class, no_var_expand
from IPython.core.magic_arguments import argument, magic_arguments
from traitlets import Bool, Dict, Enum, Float, Int, Unicode, observe

from ..client import OpenRouterError, Response
from ..client.request import EFFORTS, ROUTING_SORTS
from ..session import session
from .templating import TemplateError, interpolate

__all__ = ["OpenRouterMagics", "load", "unload"]

FORMATS = ("markdown", "text", "code", "json", "html")
_FENCE = re.compile(r"^(`{3,}|~{3,})[^\n]*\n(.*?)^\1[ \t]*$", re.S | re.M)


def _csv(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


def _param(item: str) -> tuple[str, Any]:
    """``-p key=value``: the value is JSON when it parses, else a string."""
    key, sep, value = item.partition("=")
    if not sep or not key.strip():
        raise UsageError(f"-p/--param takes KEY=VALUE (e.g. -p top_k=40), not {item!r}")
    try:
        return key.strip().replace("-", "_"), json.loads(value)
    except ValueError:
        return key.strip().replace("-", "_"), value


@magics_class
class OpenRouterMagics(Magics):
    """OpenRouter models from notebook cells. Settings: ``%config OpenRouterMagics``."""

    model = Unicode(None, allow_none=True,
                    help="Default model, e.g. 'openai/gpt-4o-mini' (a variant suffix is fine)."
                    ).tag(config=True)
    system = Unicode("", help="System prompt for every cell without -s.").tag(config=True)
    format = Enum(FORMATS, "markdown", help="Default output format.").tag(config=True)
    stream = Bool(True, help="Stream answers as they are written.").tag(config=True)
    interpolate = Bool(True, help="Fill {name} / {expression} in prompts from the namespace."
                       ).tag(config=True)
    offline = Bool(None, allow_none=True,
                   help="True: the built-in simulator; False: OpenRouter; None: simulator only "
                        "when there is no API key.").tag(config=True)
    base_url = Unicode(None, allow_none=True,
                       help="Another OpenAI-compatible endpoint.").tag(config=True)
    params = Dict(help="Default request fields for every call, e.g. {'temperature': 0.2}."
                  ).tag(config=True)
    update_interval = Float(0.1, help="Seconds between live display updates.").tag(config=True)
    max_turns = Int(None, allow_none=True,
                    help="Turns of a named conversation sent with each prompt (None: all)."
                    ).tag(config=True)

    def __init__(self, shell: Any = None, **kwargs: Any) -> None:
        super().__init__(shell=shell, **kwargs)
        self._sync_session()

    @observe("model", "offline", "base_url", "params")
    def _settings_changed(self, change: Any) -> None:
        self._sync_session()

    def _sync_session(self) -> None:
        changed = (session.offline, session.base_url) != (self.offline, self.base_url)
        session.model = self.model or session.model
        session.offline = self.offline
        session.base_url = self.base_url
        session.params = dict(self.params)
        if changed:
            session.reset_client()

    # -- the magic -----------------------------------------------------------------------

    @magic_arguments()
    @argument("model_id", nargs="?", metavar="MODEL",
              help="model id, e.g. openai/gpt-4o-mini or meta-llama/llama-3.3-70b-instruct:free")
    @argument("-m", "--model", dest="model_opt", metavar="MODEL", help="same as MODEL")
    @argument("--fallback", action="append", metavar="MODEL",
              help="model to try if the first fails (repeatable, in order)")
    @argument("--compare", nargs="+", metavar="MODEL",
              help="ask two or more models at once (also A,B,C): answers side by side, -o "
                   "VAR gets the list of Responses; every other option applies to each model")
    @argument("-s", "--system", help="system prompt")
    @argument("-t", "--temperature", type=float, help="sampling temperature, 0 to 2")
    @argument("--max-tokens", type=int, help="longest answer, in tokens")
    @argument("--top-p", type=float, help="nucleus sampling, 0 to 1")
    @argument("--seed", type=int, help="seed, for models that support it")
    @argument("--stop", action="append", metavar="TEXT", help="stop sequence (repeatable)")
    @argument("-r", "--reasoning", choices=EFFORTS, metavar="EFFORT",
              help=f"reasoning effort: {', '.join(EFFORTS)}")
    @argument("--sort", choices=ROUTING_SORTS, help="route to the provider with the best: "
              + ", ".join(ROUTING_SORTS))
    @argument("--order", metavar="P1,P2", help="providers to try first, in order")
    @argument("--only", metavar="P1,P2", help="use only these providers")
    @argument("--ignore", metavar="P1,P2", help="never use these providers")
    @argument("--no-fallbacks", action="store_true", help="do not fall back to other providers")
    @argument("--zdr", action="store_true", help="zero-data-retention endpoints only")
    @argument("--deny-data-collection", action="store_true",
              help="only providers that do not store or train on prompts")
    @argument("--web", action="store_true", help="search the web and cite sources")
    @argument("-f", "--format", choices=FORMATS, help="markdown (default), text, code (into a "
              "new cell), json (a Python object), html")
    @argument("-o", "--output", metavar="VAR", help="store the Response in this variable")
    @argument("-c", "--conversation", metavar="NAME",
              help="continue (or start) the conversation called NAME")
    @argument("--no-stream", action="store_true", help="wait for the whole answer")
    @argument("--dry-run", action="store_true",
              help="show the request that would be sent, and send nothing")
    @argument("--no-interpolate", action="store_true", help="send {braces} as written")
    @argument("-p", "--param", action="append", metavar="KEY=VALUE",
              help="any other request field; VALUE is JSON (-p top_k=40 -p "
                   "'provider={\"zdr\": true}')")
    @argument("words", nargs="*", help="(line form) the prompt, or a subcommand")
    @no_var_expand
    @line_cell_magic
    def openrouter(self, line: str, cell: str | None = None) -> Any:
        """Ask a model; the cell body is the prompt. The answer streams in as Markdown.

        ``%%openrouter [MODEL] [options]`` with the prompt in the cell;
        ``%%openrouter --compare MODEL MODEL [...]`` to see several models answer side by side;
        or ``%openrouter SUBCOMMAND`` — help, models, use, config, key, offline, online, usage,
        history, reset, explain, last — or ``%openrouter ask PROMPT`` for a quick question.
        """
        __tracebackhide__ = True
        if cell is None:
            from .subcommands import run_line

            return run_line(self, line)
        args = self._parse(line)
        if args.words:
            extra = " ".join(args.words)
            raise UsageError(f"unexpected {extra!r} after the options: %%openrouter takes "
                             "one MODEL; the prompt goes in the cell body")
        return self.ask(cell, args)

    def _parse(self, line: str) -> Any:
        """POSIX quoting (``-s "Be brief"``), unlike ``parse_argstring``, which keeps quotes."""
        try:
            argv = shlex.split(line)
        except ValueError as exc:  # "No closing quotation"
            raise UsageError(f"could not read the options: {exc}") from None
        return self.openrouter.parser.parse_args(argv)

    def request_params(self, args: Any) -> dict[str, Any]:
        """The request fields the options ask for, over the session defaults."""
        provider: dict[str, Any] = {}
        if args.sort:
            provider["sort"] = args.sort
        for name in ("order", "only", "ignore"):
            if getattr(args, name):
                provider[name] = _csv(getattr(args, name))
        if args.no_fallbacks:
            provider["allow_fallbacks"] = False
        if args.zdr:
            provider["zdr"] = True
        if args.deny_data_collection:
            provider["data_collection"] = "deny"
        fields: dict[str, Any] = {
            "model": args.model_opt or args.model_id or self.model or session.model,
            "models": args.fallback,
            "system": args.system or self.system or None,
            "temperature": args.temperature,
            "max_tokens": args.max_tokens,
            "top_p": args.top_p,
            "seed": args.seed,
            "stop": args.stop,
            "reasoning": {"effort": args.reasoning} if args.reasoning else None,
            "web": args.web or None,
        }
        for item in args.param or ():
            key, value = _param(item)
            fields[key] = value
        merged = session.request_params(fields)
        if provider:
            merged["provider"] = {**merged.get("provider", {}), **provider}
        return merged

    def ask(self, prompt: str, args: Any) -> Any:
        """Run one prompt with parsed options; shared by the cell and ``%openrouter ask``."""
        __tracebackhide__ = True
        models = _compare_models(args)
        if args.model_id and args.model_opt:
            raise UsageError("give the model once: as MODEL or with -m, not both")
        if self.interpolate and not args.no_interpolate:
            try:
                prompt = interpolate(prompt, self.shell.user_ns)
            except TemplateError as exc:
                raise UsageError(str(exc)) from None
        if not prompt.strip():
            raise UsageError("the prompt is empty: write it in the cell, below %%openrouter")
        if models is not None:
            return self.compare(prompt, models, args)
        fmt = args.format or self.format
        params = self.request_params(args)
        if fmt == "json" and "response_format" not in params:
            params["response_format"] = {"type": "json_object"}
        from ..helpers.conversation import named
        from ..helpers.live import LiveAnswer

        conversation = named(args.conversation, max_turns=self.max_turns) \
            if args.conversation else None
        answer = LiveAnswer(prompt, params, fmt=fmt, conversation=conversation,
                            stream=self.stream and not args.no_stream,
                            interval=self.update_interval, shell=self.shell)
        try:
            if args.dry_run:
                return _show_request(answer.request_text())
            response = answer.run()
        except OpenRouterError as exc:
            raise UsageError(str(exc)) from None
        finally:
            if answer.response is not None and args.output:
                self.shell.user_ns[args.output] = answer.response
        return self._result(answer, response, fmt)

    def compare(self, prompt: str, models: list[str], args: Any) -> None:
        """``--compare``: every model answers at once; ``-o`` / ``_`` get the list."""
        __tracebackhide__ = True
        from ..helpers.compare import Comparison
        from ..render import in_kernel

        params = self.request_params(args)
        params.pop("model", None)
        stream = self.stream and not args.no_stream
        fmt = args.format or "markdown"
        render = None
        if fmt == "html":  # the answer is HTML already: sanitize it, don't render Markdown
            from ..render.sanitize import sanitize

            render = sanitize
        comparison: Comparison | None = None
        try:
            comparison = Comparison(prompt, models, {**params, "stream": stream},
                                    interval=self.update_interval, render=render,
                                    plain=fmt == "text" or not in_kernel(self.shell))
            if args.dry_run:
                return self._show_requests(prompt, comparison, params, stream)
            notice = session.offline_notice()
            if notice:
                print(notice)
            responses = comparison.run()
        except OpenRouterError as exc:
            raise UsageError(str(exc)) from None
        finally:
            if comparison is not None and comparison.responses and args.output:
                self.shell.user_ns[args.output] = comparison.responses
        self._set_out(responses)
        return None

    def _show_requests(self, prompt: str, comparison: Any, params: dict[str, Any],
                       stream: bool) -> None:
        """``--dry-run --compare``: every body is checked first, then each is shown."""
        from ..helpers.live import LiveAnswer

        comparison.plan()
        for model in comparison.models:
            _show_request(LiveAnswer(prompt, {**params, "model": model},
                                     stream=stream).request_text())

    def _set_out(self, value: Any) -> None:
        """``_`` and ``Out[n]`` get ``value`` without a second display."""
        displayhook = getattr(self.shell, "displayhook", None)
        if displayhook is not None and hasattr(displayhook, "update_user_ns"):
            displayhook.update_user_ns(value)

    def _result(self, answer: Any, response: Response, fmt: str) -> Any:
        """What the cell evaluates to: ``_`` / ``Out`` get the Response (or the JSON value)."""
        if fmt == "json":
            try:
                return response.json()
            except ValueError as exc:
                raise UsageError(f"{exc}; the Response is in or_magics.session.last") from None
        if fmt == "code":
            code = "\n\n".join(m.group(2).rstrip() for m in _FENCE.finditer(response.text))
            self.shell.set_next_input(code or response.text.strip(), replace=False)
        self._set_out(response)
        return None


def _compare_models(args: Any) -> list[str] | None:
    """The ``--compare`` models, or a one-line UsageError for options that make no sense."""
    if args.compare is None:
        return None
    conflicts = [
        (args.model_id or args.model_opt, "--compare names every model: leave out MODEL / -m"),
        (args.fallback, "--fallback is for one model; --compare asks each model on its own"),
        (args.conversation, "--compare does not continue a conversation (-c): each model "
                            "answers the prompt alone"),
        (args.format in ("code", "json"), f"-f {args.format} takes one answer; with --compare "
                                          "use -o VAR and pick a Response from the list"),
    ]
    for present, why in conflicts:
        if present:
            raise UsageError(why)
    from ..helpers.compare import model_list

    try:
        models = model_list(args.compare)
    except OpenRouterError as exc:
        raise UsageError(str(exc)) from None
    if len(models) < 2:
        raise UsageError("--compare needs at least two models, e.g. --compare "
                         "openai/gpt-4o-mini anthropic/claude-haiku-4.5")
    return models


def _show_request(text: str) -> None:
    from IPython.display import display

    markdown = f"**Request (not sent)**\n\n```http\n{text}\n```"
    display({"text/plain": text, "text/markdown": markdown}, raw=True)


def load(ipython: Any) -> None:
    magics = OpenRouterMagics(ipython, parent=ipython)
    ipython.register_magics(magics)
    if magics not in ipython.configurables:
        ipython.configurables.append(magics)


def unload(ipython: Any) -> None:
    ipython.configurables[:] = [c for c in ipython.configurables
                                if not isinstance(c, OpenRouterMagics)]
    ipython.magics_manager.registry.pop("OpenRouterMagics", None)
    for kind in ("line", "cell"):
        ipython.magics_manager.magics[kind].pop("openrouter", None)
