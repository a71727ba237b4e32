"""The fault matrix: every fault the simulator can inject, through every way of asking.

Each fault × face ends in the right answer or in the right typed error, one line, with the
partial answer kept where there was one; never a hang (each case has a deadline), never a
raw traceback. Faces: ``Client.chat`` (sync and async), ``%%openrouter`` in a shell,
``compare`` and ``batch``, all against the simulator on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output

import or_magics
from or_magics import (
    APIConnectionError,
    AuthenticationError,
    BadRequestError,
    Client,
    IncompleteStreamError,
    InsufficientCreditsError,
    ModerationError,
    NoProviderError,
    NotFoundError,
    OpenRouterError,
    ProviderError,
    RateLimitError,
    RequestTimeoutError,
    Response,
    UnexpectedResponseError,
)

from .conftest import KEY

MODELS = ["openai/gpt-4o-mini", "anthropic/claude-haiku-4.5"]
PROMPT = "Tell me about rivers"
TRIES = 3  # max_retries 2, plus the first


@dataclass(frozen=True)
class Fault:
    knobs: dict[str, Any]
    #: Faults queued per answer (enough for every try when it should fail).
    times: int = 1
    #: The error class the answer ends in; None: the answer arrives.
    error: type[OpenRouterError] | None = None
    #: The error keeps the text that came before it.
    partial: bool = False
    #: Chat requests one answer makes.
    requests: int = 1
    #: Limits of the call, e.g. a short first-token deadline.
    limits: dict[str, float] = field(default_factory=dict)


STATUS = {400: BadRequestError, 401: AuthenticationError, 402: InsufficientCreditsError,
          403: ModerationError, 404: NotFoundError, 408: RequestTimeoutError,
          413: BadRequestError, 429: RateLimitError, 500: ProviderError, 502: ProviderError,
          503: NoProviderError, 524: ProviderError, 529: ProviderError}
RETRIED = {408, 429, 500, 502, 503, 524, 529}

FAULTS: dict[str, Fault] = {}
for status, cls in STATUS.items():
    if status in RETRIED:  # once: the retry answers; always (honouring Retry-After): the error
        FAULTS[f"{status}"] = Fault({"status": status}, requests=2)
        FAULTS[f"{status} Retry-After"] = Fault({"status": status, "retry_after": 0.1},
                                                times=TRIES, error=cls, requests=TRIES)
    else:  # never retried, with or without Retry-After
        FAULTS[f"{status}"] = Fault({"status": status}, times=TRIES, error=cls)
        FAULTS[f"{status} Retry-After"] = Fault({"status": status, "retry_after": 0.1},
                                                times=TRIES, error=cls)
for shape in ("documented", "choices_empty", "usage_chunk", "choice", "bare", "network_error"):
    FAULTS[f"mid-stream {shape}"] = Fault(
        {"mid_stream_error": shape, "after_chunks": 3, "code": 502}, times=TRIES,
        error=ProviderError, partial=True)
FAULTS.update({
    "error before any content": Fault({"mid_stream_error": "choices_empty", "after_chunks": 0,
                                       "code": 502}, requests=2),
    "drop before": Fault({"drop": "before"}, requests=2),
    "drop during": Fault({"drop": "during", "after_chunks": 3}, times=TRIES,
                         error=APIConnectionError, partial=True),
    "malformed event": Fault({"malformed": True, "after_chunks": 2}, times=TRIES,
                             error=IncompleteStreamError, partial=True),
    "no [DONE]": Fault({"no_done": True}),
    "keep-alives then silence": Fault({"keepalives": 3, "stall": 60, "after_chunks": 0},
                                      times=TRIES, error=RequestTimeoutError,
                                      limits={"first_token_timeout": 1.0}),
    "keep-alives forever": Fault({"keepalives": 10**6, "keepalive_interval": 0.2},
                                 times=TRIES, error=RequestTimeoutError,
                                 limits={"first_token_timeout": 1.0}),
    "silence mid-answer": Fault({"stall": 60, "after_chunks": 3}, times=TRIES,
                                error=RequestTimeoutError, partial=True,
                                limits={"timeout": 1.5}),
    "HTTP 200 with an error body": Fault({"http200_error": True, "code": 402}, times=TRIES,
                                         error=InsufficientCreditsError),
    "a huge event": Fault({"huge_event": 3_000_000, "after_chunks": 2}),
    "an odd event": Fault({"event": {"choices": "oops"}, "after_chunks": 3}, times=TRIES,
                          error=UnexpectedResponseError, partial=True),
    "a redirect": Fault({"redirect": "https://openrouter.ai/api/v1/chat/completions"},
                        times=TRIES, error=UnexpectedResponseError),
    "a login page": Fault({"html": True}, times=TRIES, error=UnexpectedResponseError),
})


def check(fault: Fault, outcome: Response | BaseException, name: str) -> None:
    """One answer's outcome against what the fault must give."""
    if fault.error is None:
        assert isinstance(outcome, Response) and outcome.error is None, (name, outcome)
        assert outcome.text and outcome.done
        if "huge" in name:
            assert len(outcome.text) > 3_000_000
        return
    error = outcome.error if isinstance(outcome, Response) else outcome
    assert type(error) is fault.error, (name, type(error), error)
    text = str(error)
    assert text and "\n" not in text and "Traceback" not in text
    partial = error.partial
    assert partial is not None
    if fault.partial:
        assert partial.text, f"{name}: the text before the error was lost"
    if isinstance(outcome, Response):
        assert outcome.text == partial.text


def ask_sync(client: Client, fault: Fault) -> list[Response | BaseException]:
    try:
        return [client.chat(PROMPT, **fault.limits)]
    except OpenRouterError as exc:
        return [exc]


def ask_async(client: Client, fault: Fault) -> list[Response | BaseException]:
    try:
        return [asyncio.run(client.achat(PROMPT, **fault.limits))]
    except OpenRouterError as exc:
        return [exc]


def ask_cell(shell: Any, fault: Fault) -> list[Response | BaseException]:
    line = " ".join(f"--{k.replace('_', '-')} {v}" for k, v in fault.limits.items())
    or_magics.session.last = None
    with capture_output() as captured:
        try:
            shell.run_cell_magic("openrouter", f"{line} -o r", PROMPT)
        except UsageError as exc:
            message = str(exc)
            assert "\n" not in message and "Traceback" not in captured.stdout
            last = or_magics.session.last
            assert last is not None and last.error is not None, message
            assert message == str(last.error)  # the cell's line is the error's line
            if last.text:  # what came before the error is on screen, above it
                assert last.text[:40] in captured.stdout
            return [last]
    assert "Traceback" not in captured.stdout
    return [shell.user_ns["r"]]


def ask_compare(shell: Any, fault: Fault) -> list[Response | BaseException]:
    with capture_output() as captured:
        results = or_magics.compare(PROMPT, MODELS, **fault.limits)
    assert "Traceback" not in captured.stdout
    for result in results:
        if result.error is not None:  # the column shows its one line
            assert str(result.error)[:60] in captured.stdout
    return list(results)


def ask_batch(shell: Any, fault: Fault) -> list[Response | BaseException]:
    return list(or_magics.batch([PROMPT, PROMPT + "?"], **fault.limits))


FACES: dict[str, tuple[Callable[..., list[Response | BaseException]], int, bool]] = {
    # face: (ask, answers it asks for, uses the session)
    "chat": (ask_sync, 1, False),
    "achat": (ask_async, 1, False),
    "%%openrouter": (ask_cell, 1, True),
    "compare": (ask_compare, len(MODELS), True),
    "batch": (ask_batch, 2, True),
}


@pytest.mark.timeout(60)
@pytest.mark.parametrize("face", list(FACES))
@pytest.mark.parametrize("name", list(FAULTS))
def test_fault(shell, remote, name, face):
    fault = FAULTS[name]
    ask, answers, uses_session = FACES[face]
    simulator = remote.simulator
    simulator.inject(fault.knobs, times=fault.times * answers)
    before = simulator.stats.snapshot()["chat_requests"]
    with Client(api_key=KEY, base_url=remote.base_url) as client:
        outcomes = ask(shell if uses_session else client, fault)
    assert len(outcomes) == answers
    for outcome in outcomes:
        check(fault, outcome, name)
    if answers == 1 or fault.times == TRIES or fault.requests == 1:
        made = simulator.stats.snapshot()["chat_requests"] - before
        assert made == fault.requests * answers, (name, face, made)


def test_the_matrix_is_big_enough():
    assert len(FAULTS) >= 20 and len(FACES) == 5
