"""What a request needs from its model, checked against the catalogue before it is sent.

Tools, structured outputs, image, audio and video input, image output, a reasoning effort
the model does not take: what OpenRouter would refuse is told in one line naming models
that can, instead of a provider's 404 after the prompt (and its images) went over the
wire. What OpenRouter ignores (``reasoning=`` for a model that does not reason, so one
``--compare -r low`` suits every model) is let through. Reading what a
body needs is pure; `Client._check_model` looks the model up only when it needs something.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import InvalidParameterError
from .catalogue import Model
from .request import Request
from .validate import split_model

__all__ = ["Needs", "check", "needs_of"]

#: Content part type -> the input modality it needs (PDFs are parsed for any model).
_PART_INPUTS = {"image_url": "image", "input_audio": "audio", "video_url": "video",
                "input_video": "video"}
_INPUT_WORDS = {"image": "images", "audio": "audio", "video": "video"}


@dataclass
class Needs:
    inputs: set[str] = field(default_factory=set)
    outputs: list[str] = field(default_factory=list)
    reasoning: Mapping[str, Any] | None = None
    thinking: bool = False
    tools: bool = False
    schema: bool = False

    def __bool__(self) -> bool:
        return bool(self.inputs or self.outputs or self.reasoning is not None or self.thinking
                    or self.tools or self.schema)


def needs_of(request: Request) -> Needs:
    """What the model must be able to do for this request."""
    body = request.body
    found = Needs(tools=request.toolset is not None, schema=request.schema is not None)
    for message in body.get("messages") or ():
        content = message.get("content")
        if isinstance(content, list):
            for part in content:
                need = _PART_INPUTS.get(part.get("type", "")) if isinstance(part, dict) else None
                if need:
                    found.inputs.add(need)
    found.outputs = [m for m in body.get("modalities") or () if m != "text"]
    reasoning = body.get("reasoning")
    if isinstance(reasoning, Mapping):
        found.reasoning = reasoning
    elif body.get("reasoning_effort") is not None:
        found.reasoning = {"effort": body["reasoning_effort"]}
    found.thinking = "thinking" in split_model(str(body.get("model") or ""))[1]
    return found


#: ``able(supports=..., input_modalities=..., output=...)`` -> ids of models that can.
Able = Callable[..., list[str]]


def check(request: Request, info: Model, needs: Needs, able: Able) -> None:
    """Raise `InvalidParameterError` for the first thing ``info`` cannot do."""

    def refuse(what: str, others: list[str], hint: str = "") -> InvalidParameterError:
        listed = ", ".join(others[:3]) or "none listed"
        return InvalidParameterError("model", f"{info.id} {what}{hint} (models that do: "
                                              f"{listed})")

    if needs.tools and not info.supports("tools"):
        raise refuse("does not support tool calling", able(supports=["tools"]))
    if needs.schema and request.schema is not None:
        if request.schema.strict and not info.supports("structured_outputs"):
            raise refuse("does not support structured outputs",
                         able(supports=["structured_outputs"]),
                         "; pass strict=False to ask with instructions and check the answer")
        if not request.schema.strict and not info.supports("response_format"):
            request.body.pop("response_format", None)  # the instructions remain
    for modality in sorted(needs.inputs):
        if modality not in info.input_modalities:
            raise refuse(f"does not accept {_INPUT_WORDS[modality]}",
                         able(input_modalities=[modality]))
    for modality in needs.outputs:
        if modality not in info.output_modalities:
            raise refuse(f"does not generate {_INPUT_WORDS.get(modality, modality)} "
                         f"(modalities={list(request.body.get('modalities') or ())})",
                         able(output=[modality]))
    if not info.reasons:  # reasoning= is ignored there, as OpenRouter ignores it; :thinking
        if needs.thinking:  # is a model id that does not exist
            raise refuse("has no :thinking variant", able(supports=["reasoning"]))
        return
    if needs.reasoning is not None:
        _check_reasoning(info, needs.reasoning)


def _check_reasoning(info: Model, reasoning: Mapping[str, Any]) -> None:
    effort = reasoning.get("effort")
    off = effort == "none" or reasoning.get("enabled") is False
    if off and info.reasoning_mandatory:
        raise InvalidParameterError(
            "reasoning", f"{info.id} always reasons, so reasoning cannot be turned off "
                         "(exclude=True hides it; it is still counted)")
    efforts = info.reasoning_efforts
    if effort is not None and effort != "none" and efforts is not None and \
            effort not in efforts:
        allowed = " or ".join([", ".join(efforts[:-1]), efforts[-1]] if len(efforts) > 1
                              else efforts) or "no effort setting"
        raise InvalidParameterError(
            "reasoning.effort", f"{info.id} takes reasoning effort {allowed}, not {effort!r}")
