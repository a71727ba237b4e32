"""The tool loop: the model asks for calls, the kernel runs them, the results go back.

`ToolRun` holds the loop's logic and state (messages, steps, turns, the step limit); the
drivers only differ in how they wait: `Client.run` and `ToolStream` block, `Client.arun`
awaits. Tools always run on the caller's thread (the kernel's main thread in a notebook),
never on the private loop: kernel code must not run concurrently with the cell, a
confirmation prompt needs the notebook's stdin, and Ctrl-C only reaches the main thread.
"""

from __future__ import annotations

import inspect
import json
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..errors import ToolLoopError
from ..kernel.values import LIMITS, Limits, for_model
from .limits import ChatRequest
from .request import Request
from .response import Response, Step, ToolCall, Usage

if TYPE_CHECKING:
    from .client import Client

__all__ = ["ToolRun", "ToolStream"]


class ToolRun:
    """One tool loop: call `calls` after each turn, `run`/`arun` each call, `finish` at the
    end (also after an interrupt: the steps so far stay on the last Response)."""

    def __init__(self, request: Request, limits: Limits = LIMITS) -> None:
        self.request = request
        self.limits = limits
        self.messages: list[dict[str, Any]] = list(request.body["messages"])
        self.steps: list[Step] = []
        self.turns: list[Response] = []
        self.rounds = 0

    def body(self) -> dict[str, Any]:
        body = {**self.request.body, "messages": self.messages}
        sent = self.request.body  # the call's own timeouts and headers go on
        return sent.like(body) if isinstance(sent, ChatRequest) else body

    def calls(self, response: Response) -> list[ToolCall]:
        """The calls to run after this turn; none when it is the answer."""
        self.turns.append(response)
        toolset = self.request.toolset
        calls = response.tool_calls
        if not calls or toolset is None or not any(
                (tool := toolset.get(c.name)) is not None and tool.runnable for c in calls):
            return []  # an answer, or calls for tools the caller runs itself
        if self.rounds >= self.request.max_steps:
            raise ToolLoopError(
                f"the model still wanted tools after {self.request.max_steps} rounds "
                f"({len(self.steps)} calls); raise max_steps= or ask for an answer",
                partial=self.finish(response))
        self.rounds += 1
        self.messages.append(response.to_message())
        return calls

    def _allowed(self, call: ToolCall) -> bool:
        confirm = self.request.confirm
        if not confirm:
            return True
        if callable(confirm):
            return bool(confirm(call.name, call.arguments))
        shown = json.dumps(call.arguments, ensure_ascii=False)
        answer = input(f"Run {call.name}({shown})? [y/N] ")
        return answer.strip().lower() in ("y", "yes")

    def _start(self, call: ToolCall, step: Step) -> Any:
        """The function's result (or awaitable) for ``call``; a step error says why not."""
        tool = self.request.toolset.get(call.name) if self.request.toolset else None
        if call.error:
            step.error = f"ValueError: {call.error}"
        elif tool is None or tool.function is None:
            step.error = f"LookupError: there is no tool called {call.name!r}"
        elif not self._allowed(call):
            step.error = "PermissionError: the user declined to run this tool"
        else:
            try:
                return tool.function(**tool.prepare(call.arguments))
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException as exc:  # the model is told, and the loop goes on
                step.error = f"{type(exc).__name__}: {exc}"
        return None

    def _done(self, step: Step, result: Any, started: float) -> Step:
        step.seconds = time.perf_counter() - started
        if step.error is None:
            step.result = result
            step.content = for_model(result, self.limits)
        else:
            step.content = f"Error: {step.error}"
        self.steps.append(step)
        self.messages.append({"role": "tool", "tool_call_id": step.call_id,
                              "content": step.content})
        return step

    def run(self, call: ToolCall) -> Step:
        """Run one call on this thread (an async tool is awaited on the private loop).
        Ctrl-C stops it: the step says so, and the interrupt goes on up."""
        started = time.perf_counter()
        step = Step(call.name, dict(call.arguments), call_id=call.id)
        try:
            result = self._start(call, step)
            if inspect.isawaitable(result):
                from . import loop

                try:
                    result = loop.run_sync(_wait(result))
                except Exception as exc:
                    step.error, result = f"{type(exc).__name__}: {exc}", None
        except KeyboardInterrupt:
            step.error = "KeyboardInterrupt: stopped before it returned"
            self._done(step, None, started)
            raise
        return self._done(step, result, started)

    async def arun(self, call: ToolCall) -> Step:
        """Run one call from async code: an async tool is awaited here, on the caller's loop."""
        started = time.perf_counter()
        step = Step(call.name, dict(call.arguments), call_id=call.id)
        result = self._start(call, step)
        if inspect.isawaitable(result):
            try:
                result = await result
            except Exception as exc:  # the model is told, and the loop goes on
                step.error, result = f"{type(exc).__name__}: {exc}", None
        return self._done(step, result, started)

    def finish(self, response: Response) -> Response:
        """The last turn, carrying the whole loop: its steps, earlier turns and total usage."""
        response.steps = list(self.steps)
        response.turns = [turn for turn in self.turns if turn is not response]
        if response.turns:
            total = Usage()
            for turn in [*response.turns, response]:
                total = total + turn.usage
            response.usage = total
        return response


async def _wait(awaitable: Any) -> Any:
    return await awaitable


class ToolStream:
    """`Stream`'s interface over a whole tool loop: the text of every turn, and a
    ``("step", name)`` event after each call the kernel ran."""

    def __init__(self, client: Client, request: Request) -> None:
        self.client = client
        self.run = ToolRun(request)
        self.response = client.response_for(request, self.run.body())
        self._stream = client.open(self.run.body(), self.response)

    def events(self, idle: float | None = None) -> Iterator[tuple[str, str]]:
        try:
            while True:
                yield from self._stream.events(idle)
                calls = self.run.calls(self.response)
                if not calls:
                    self.run.finish(self.response)
                    return
                for call in calls:
                    step = self.run.run(call)
                    yield "step", step.name
                body = self.run.body()
                self.response = self.client.response_for(self.run.request, body)
                self._stream = self.client.open(body, self.response)
        except BaseException:
            self.run.finish(self.response)
            raise

    def __iter__(self) -> Iterator[str]:
        for kind, text in self.events():
            if kind == "text":
                yield text

    def close(self) -> None:
        self._stream.close()
        self.run.finish(self.response)

    def __enter__(self) -> ToolStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
