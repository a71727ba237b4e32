"""``%%openrouter`` and ``%openrouter``: parse, build the request, hand it to a live answer.

Thin by design: the options come from the one table (`or_magics.options`), so
``%%openrouter?`` lists them and a bad one is a one-line ``UsageError``; the answer is a
`LiveAnswer`; the line form's subcommands live in `subcommands`.
"""

from __future__ import annotations

import keyword
import re
from pathlib import Path
from typing import Any

from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell
from IPython.core.magic import Magics, line_cell_magic, magics_class, no_var_expand
from traitlets import Bool, Dict, Enum, Float, Int, Unicode, observe

from .. import options
from ..client import InvalidParameterError, OpenRouterError, Response
from ..kernel.values import Limits
from ..state import Session, session
from .arguments import HelpShown, magic_parser, one_line, split
from .templating import TemplateError, interpolate

__all__ = ["OpenRouterMagics", "load", "unload"]

#: What each output format asks the model for (it is told, not only shown differently).
FORMAT_ASKS = {
    "html": "Answer with an HTML fragment (no <html>, <head> or <body>, no scripts or styles), "
            "not Markdown.",
    "code": "Answer with code only, in one fenced code block, without explanations.",
    "json": "Answer with JSON only, no other text.",
    "text": "Answer in plain text, without Markdown formatting.",
}
_FENCE = re.compile(r"^(`{3,}|~{3,})[^\n]*\n(.*?)^\1[ \t]*$", re.S | re.M)
PARSER = magic_parser()


@magics_class
class OpenRouterMagics(Magics):
    """OpenRouter models from notebook cells. Settings: ``%config OpenRouterMagics``."""

    model = Unicode(None, allow_none=True,
                    help="Default model, e.g. 'openai/gpt-4o-mini' (a variant suffix is fine)."
                    ).tag(config=True)
    system = Unicode("", help="System prompt for every cell without -s.").tag(config=True)
    format = Enum(options.FORMATS, "markdown", help="Default output format.").tag(config=True)
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
    max_rows = Int(10, help="Rows of a DataFrame written into a prompt (first and last)."
                   ).tag(config=True)
    warn_tokens = Int(20_000, help="Say so (with the estimated cost) before sending a prompt "
                                   "longer than this many tokens.").tag(config=True)
    allow_remote_images = Bool(False, help="Show images from http(s) URLs in answers. Off, "
                               "they are links: an image URL can carry what the model read "
                               "to a server a prompt injection names.").tag(config=True)

    def __init__(self, shell: Any = None, *, session: Session = session,
                 **kwargs: Any) -> None:
        #: The state these magics share with the helpers and the panel.
        self.session = session
        super().__init__(shell=shell, **kwargs)
        self._sync_session()

    @property
    def ipython(self) -> InteractiveShell:
        """The shell these magics are registered with."""
        assert self.shell is not None, "the magics are not registered with a shell"
        return self.shell

    @observe("model", "offline", "base_url", "params")
    def _settings_changed(self, change: Any) -> None:
        self._sync_session()

    @observe("allow_remote_images")
    def _remote_images_changed(self, change: Any) -> None:
        from ..render.sanitize import set_remote_images

        set_remote_images(change["new"])

    def _sync_session(self) -> None:
        state = self.session
        changed = (state.offline, state.base_url) != (self.offline, self.base_url)
        state.model = self.model or state.model
        state.offline = self.offline
        state.base_url = self.base_url
        state.params = dict(self.params)
        if changed:
            state.reset_client()

    # -- the magic -----------------------------------------------------------------------

    @no_var_expand
    @line_cell_magic
    def openrouter(self, line: str, cell: str | None = None) -> Any:
        """Ask a model; the cell body is the prompt. The answer streams in as Markdown.

        ``%%openrouter [MODEL] [options]`` with the prompt in the cell;
        ``%%openrouter --compare MODEL MODEL [...]`` to see several models answer side by side;
        or ``%openrouter SUBCOMMAND`` (``%openrouter help`` lists them) or ``%openrouter
        PROMPT`` for a quick question.
        """
        __tracebackhide__ = True
        if cell is None:
            from .subcommands import run_line

            return run_line(self, line)
        try:
            args = self.parse(line)
        except HelpShown:
            return None
        if args.words:
            extra = " ".join(args.words)
            raise UsageError(f"unexpected {extra!r} after the options: %%openrouter takes "
                             "one MODEL; the prompt goes in the cell body")
        return self.ask(cell, args)

    openrouter.__doc__ = f"{openrouter.__doc__}\n{PARSER.format_help()}"

    def parse(self, line: str) -> Any:
        return PARSER.parse(split(line))

    def request_params(self, args: Any, pictures: list[Any] | None = None) -> dict[str, Any]:
        """The request fields the options ask for, over the session defaults; ``pictures``
        (figures a prompt named) are attached after the ``--image`` ones."""
        values = {o.name: self._resolve(o, getattr(args, o.name))
                  for o in options.OPTIONS if o.field}
        values["model"] = args.model or args.model_id or self.model or self.session.model
        fields = options.request_fields(values)
        fields["system"] = fields.get("system") or self.system or None
        provider = fields.pop("provider", None)
        for item in args.param or ():
            try:
                key, value = options.param(item)
            except ValueError as exc:
                raise UsageError(str(exc)) from None
            fields[key] = value
        if pictures:
            fields["images"] = [*fields.get("images", []), *pictures]
        merged = self.session.request_params(fields)
        given = merged.get("provider")
        if provider and (given is None or isinstance(given, dict)):  # else the check says so
            merged["provider"] = {**(given or {}), **provider}
        return merged

    def _resolve(self, option: options.Option, value: Any) -> Any:
        """Names in ``--tools f,g`` / ``--schema T`` are looked up in the notebook; a word
        of ``--image`` / ``--file`` is a variable of the notebook if there is one, else a
        path or a URL."""
        if option.objects and value:
            return [self._object(option, word) for word in value]
        if not option.names or value is None:
            return value
        namespace = self.ipython.user_ns
        wanted = value if isinstance(value, list) else [value]
        missing = [name for name in wanted if name not in namespace]
        if missing:
            raise UsageError(f"{option.flag}: nothing called {missing[0]!r} in the notebook; "
                             "run the cell that defines it first")
        found = [namespace[name] for name in wanted]
        return found if isinstance(value, list) else found[0]

    def _object(self, option: options.Option, word: str) -> Any:
        namespace = self.ipython.user_ns
        if word.isidentifier():
            if word in namespace:
                return namespace[word]
            if not Path(word).expanduser().exists():
                raise UsageError(f"{option.flag} {word}: nothing called {word!r} in the "
                                 "notebook, and no file of that name")
        return word

    def ask(self, prompt: str, args: Any) -> Any:
        """Run one prompt with parsed options; shared by the cell and ``%openrouter ask``."""
        __tracebackhide__ = True
        models = _compare_models(args)
        if args.model_id and args.model:
            raise UsageError("give the model once: as MODEL or with -m, not both")
        if args.output is not None and (not args.output.isidentifier()
                                        or keyword.iskeyword(args.output)):
            raise UsageError(f"-o {args.output}: not a name Python can use for a variable; "
                             "try letters, digits and _, not starting with a digit")
        pictures: list[Any] = []  # figures and images named in the prompt: attached
        if self.interpolate and not args.no_interpolate:
            try:
                filled = interpolate(prompt, self.ipython.user_ns, Limits(rows=self.max_rows))
            except TemplateError as exc:
                raise UsageError(str(exc)) from None
            prompt, pictures = filled.text, filled.attachments
            note = filled.note()
            if note:
                print(note)
        if not prompt.strip():
            raise UsageError("the prompt is empty: write it in the cell, below %%openrouter")
        if models is not None:
            return self.compare(prompt, models, args, pictures)
        fmt = args.format or self.format
        params = self.request_params(args, pictures)
        if fmt == "json" and "response_format" not in params and "schema" not in params:
            params["response_format"] = {"type": "json_object"}
        if fmt in FORMAT_ASKS:  # ask for what the format shows
            system = params.get("system")
            params["system"] = f"{system}\n\n{FORMAT_ASKS[fmt]}" if system else FORMAT_ASKS[fmt]
        from ..helpers.conversation import named
        from ..helpers.live import LiveAnswer

        conversation = named(args.conversation, max_turns=self.max_turns,
                             session=self.session) if args.conversation else None
        answer = LiveAnswer(prompt, params, fmt=fmt, conversation=conversation,
                            stream=self.stream and not args.no_stream,
                            interval=self.update_interval, shell=self.shell,
                            session=self.session, warn_tokens=self.warn_tokens,
                            notify=lambda note: print(_named(note, args)))
        try:
            if args.dry_run:
                return show_request(answer.request_text())
            response = answer.run()
        except OpenRouterError as exc:
            raise UsageError(_said(exc, args)) from None
        finally:
            if answer.response is not None and args.output:
                self.ipython.user_ns[args.output] = answer.response
        return self._result(response, fmt)

    def compare(self, prompt: str, models: list[str], args: Any,
                pictures: list[Any] | None = None) -> None:
        """``--compare``: every model answers at once; ``-o`` / ``_`` get the list."""
        __tracebackhide__ = True
        from ..helpers.compare import Comparison
        from ..render import in_kernel

        params = self.request_params(args, pictures)
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
                                    plain=fmt == "text" or not in_kernel(self.shell),
                                    notify=lambda note: print(_named(note, args)))
            if args.dry_run:
                return self._show_requests(prompt, comparison, params, stream)
            self.session.announce()
            responses = comparison.run()
        except OpenRouterError as exc:
            raise UsageError(_said(exc, args)) from None
        finally:
            if comparison is not None and comparison.responses and args.output:
                self.ipython.user_ns[args.output] = comparison.responses
        self._set_out(responses)
        return None

    def _show_requests(self, prompt: str, comparison: Any, params: dict[str, Any],
                       stream: bool) -> None:
        """``--dry-run --compare``: every body is checked first, then each is shown."""
        from ..helpers.live import LiveAnswer

        comparison.plan(key=False)
        for model in comparison.models:
            show_request(LiveAnswer(prompt, {**params, "model": model}, stream=stream,
                                    session=self.session).request_text())

    def _set_out(self, value: Any) -> None:
        """``_`` and ``Out[n]`` get ``value`` without a second display."""
        displayhook = getattr(self.shell, "displayhook", None)
        if displayhook is not None and hasattr(displayhook, "update_user_ns"):
            displayhook.update_user_ns(value)

    def _result(self, response: Response, fmt: str) -> Any:
        """What the cell evaluates to: ``_`` / ``Out`` get the Response (or the JSON value,
        the parsed object with ``--schema``)."""
        if fmt == "json" and response.schema is not None:
            return response.parsed
        if fmt == "json":
            try:
                return response.json()
            except ValueError as exc:
                raise UsageError(f"{exc}; the Response is in or_magics.session.last") from None
        if fmt == "code":
            code = "\n\n".join(m.group(2).rstrip() for m in _FENCE.finditer(response.text))
            self.ipython.set_next_input(code or response.text.strip(), replace=False)
        self._set_out(response)
        return None


_ATTACHED = re.compile(r"^(images|files)\[(\d+)\]")


def _flag_for(field: str, args: Any) -> str | None:
    """``--image WORD`` for the field ``images[0]`` when it came from that flag."""
    match = _ATTACHED.match(field)
    if match is None:
        return None
    flag, words = ("--image", args.image) if match[1] == "images" else ("--file", args.file)
    index = int(match[2])
    if index >= len(words or ()):
        return None  # the figure named in the prompt ({fig})
    return f"{flag} {one_line(words[index])}"


def _said(error: OpenRouterError, args: Any) -> str:
    """The error's line, naming ``--image WORD`` rather than ``images[0]`` when it was one."""
    flag = _flag_for(error.field, args) if isinstance(error, InvalidParameterError) else None
    return f"{flag}: {one_line(error.message.split(': ', 1)[-1])}" if flag else str(error)


def _named(note: str, args: Any) -> str:
    """A note about ``images[0]``, naming the flag it came from."""
    field, sep, rest = note.partition(": ")
    flag = _flag_for(field, args) if sep else None
    return f"{flag}: {rest}" if flag else note


def _compare_models(args: Any) -> list[str] | None:
    """The ``--compare`` models, or a one-line UsageError for options that make no sense."""
    if args.compare is None:
        return None
    conflicts = [
        (args.model_id or args.model, "--compare names every model: leave out MODEL / -m"),
        (args.fallbacks, "--fallback is for one model; --compare asks each model on its own"),
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


def show_request(text: str) -> None:
    from IPython.display import display

    markdown = f"**Request (not sent)**\n\n```http\n{text}\n```"
    display({"text/plain": text, "text/markdown": markdown}, raw=True)  # type: ignore[no-untyped-call]


#: The ways out of "no key" where the magics are loaded (named once in the one line).
NOTEBOOK_WAYS = ("set OPENROUTER_API_KEY, run %openrouter key, or %openrouter offline for "
                 "the simulator")


def load(ipython: Any) -> None:
    from ..client.config import hooks
    from . import interrupts, questions

    hooks.no_key_ways = NOTEBOOK_WAYS

    magics = OpenRouterMagics(ipython, parent=ipython)
    ipython.register_magics(magics)
    if magics not in ipython.configurables:
        ipython.configurables.append(magics)
    questions.install(ipython)
    interrupts.install(ipython)


def unload(ipython: Any) -> None:
    from ..client.config import PYTHON_WAYS, hooks
    from . import interrupts, questions

    hooks.no_key_ways = PYTHON_WAYS

    questions.uninstall(ipython)
    interrupts.uninstall(ipython)
    ipython.configurables[:] = [c for c in ipython.configurables
                                if not isinstance(c, OpenRouterMagics)]
    ipython.magics_manager.registry.pop("OpenRouterMagics", None)
    for kind in ("line", "cell"):
        ipython.magics_manager.magics[kind].pop("openrouter", None)
