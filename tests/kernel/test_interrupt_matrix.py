"""■ / Ctrl-C in a real kernel, 20 times in a row for each kind of cell, before the first
token and mid-answer: the cell ends as KeyboardInterrupt at once, the partial answer stays
on screen marked, the session's state is consistent, no thread or socket is left behind,
and the kernel answers the next cell every time.

To cover another kind of cell, add a `Case` to CASES: the cell to run, how many answers it
asks for, a Python expression giving its state as JSON, and a check of that state.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from .iopub import DISPLAY, execute

ROUNDS = 20
MODELS = ("openai/gpt-4o-mini", "anthropic/claude-haiku-4.5", "google/gemini-2.5-flash")
#: Faults per answer: "early" is still waiting for its first token (keep-alives for 6 s),
#: "mid" is streaming a long answer (about 20 s of it) when ■ is pressed.
MODES = {
    "early": {"keepalives": 30, "keepalive_interval": 0.2},
    "mid": {"answer_bytes": 20000, "token_rate": 300},
}
SIZE = 20000
#: Seconds after the cell's first display (its header) before ■ is pressed.
PRESS_AFTER = {"early": 0.3, "mid": 0.4}

#: What the kernel reports after each round: threads, pooled connections in use, sockets.
PROBE = """
import json as _j, os as _os, threading as _t, or_magics as _o
from or_magics.client import loop as _l
_o.session.settle()  # stopped answers ask /generation for their bill: let that finish
async def _busy():
    pool = _o.session.client().sender.http()._transport._pool
    return sum(not c.is_idle() for c in pool.connections)
def _sockets():
    n = 0
    for fd in _os.listdir('/proc/self/fd'):
        try:
            n += _os.readlink(f'/proc/self/fd/{fd}').startswith('socket:')
        except OSError:
            pass
    return n
print(_j.dumps({"threads": _t.active_count(), "busy": _l.run_sync(_busy()),
                "sockets": _sockets()}))
"""


@dataclass(frozen=True)
class Case:
    """One kind of cell in the matrix."""

    #: The cell; ``{i}`` is the round, so each prompt differs.
    cell: str
    #: Answers the cell asks for (one fault is injected for each).
    answers: int
    #: A Python expression, evaluated in the kernel after the round, giving JSON state.
    state: str
    #: Checks that state: ``check(state, mode, mids)``, ``mids`` = mid-answer rounds so far.
    check: Callable[[Any, str, int], None]
    #: Run once before the rounds (functions the cell uses).
    setup: str = ""
    #: Requests answered normally before the faulted ones (a tool loop's first turn).
    clean_first: int = 0
    #: What the stopped cell shows, in lower case.
    mark: str = "interrupted"


def _answer(state: Any, mode: str, mids: int) -> None:
    interrupted, size = state
    assert interrupted
    assert (0 < size < SIZE) if mode == "mid" else size == 0


def _conversation(state: Any, mode: str, mids: int) -> None:
    turns, empty, last_matches, interrupted, size = state
    assert interrupted and turns == mids, (turns, mids)  # a turn only for what was seen
    assert empty == 0, "an empty assistant turn was stored"
    assert last_matches or mode == "early"  # the partial answer is the last turn
    assert (0 < size < SIZE) if mode == "mid" else size == 0


def _compare(state: Any, mode: str, mids: int) -> None:
    assert len(state) == len(MODELS)
    for interrupted, size in state:
        assert interrupted
        assert size < SIZE if mode == "mid" else size == 0
    if mode == "mid":
        assert any(size > 0 for _, size in state)


def _batch(state: Any, mode: str, mids: int) -> None:
    items, done, stopped = state
    assert items == 3 and done == 0, state  # every answer was still running
    assert stopped == 3, "each unfinished item holds its stop, not a lost result"


def _tool_loop(state: Any, mode: str, mids: int) -> None:
    interrupted, size, steps = state
    assert interrupted and steps == 1, state  # the tool step that ran is kept
    assert (0 < size < SIZE) if mode == "mid" else size == 0


TOOL = ("def words(text: str) -> int:\n    'Count the words in a text.'\n"
        "    return len(text.split())")

CASES: dict[str, Case] = {
    "answer": Case(
        cell="%%openrouter -o r\nTell me a long story, part {i}",
        answers=1,
        state="[r.interrupted, len(r.text)]",
        check=_answer,
    ),
    "conversation": Case(
        cell="%%openrouter -c story -o r\nTell me a long story, part {i}",
        answers=1,
        state=("[len(c), sum(1 for m in c.messages if m['role'] == 'assistant' and not "
               "m['content']), bool(c.messages) and c.messages[-1]['content'] == r.text, "
               "r.interrupted, len(r.text)] if (c := __import__('or_magics').session"
               ".conversations.get('story')) is not None else [0, 0, True, r.interrupted, "
               "len(r.text)]"),
        check=_conversation,
    ),
    "compare": Case(
        cell=f"%%openrouter --compare {' '.join(MODELS)} -o rs\nTell me a long story, part {{i}}",
        answers=len(MODELS),
        state="[[x.interrupted, len(x.text)] for x in rs]",
        check=_compare,
    ),
    "batch": Case(
        cell=("import or_magics\nor_magics.session.last_batch = None\n"
              "rs = or_magics.batch([f'Tell me a long story, part {i}.{{j}}' for j in range(3)],"
              " concurrency=3)"),
        answers=3,
        state=("[len(b), b.done, sum(1 for x in b if getattr(x, 'partial', None) is not None "
               "or getattr(x, 'interrupted', False))] "
               "if (b := __import__('or_magics').session.last_batch) is not None else [0, 0, 0]"),
        check=_batch,
        setup="import or_magics\n_ = or_magics.batch(['warm up'])",  # tqdm's one monitor thread
        mark="stopped; what arrived is kept",
    ),
    "tool loop": Case(
        cell="%%openrouter --tools words -o r\nUse words on 'a b c', then tell a long story {i}",
        answers=1,
        state="[r.interrupted, len(r.text), len(r.steps)]",
        check=_tool_loop,
        setup=TOOL,
        clean_first=1,
    ),
}


def value(kc, expression: str) -> Any:
    run = execute(kc, f"import json as _json\nprint(_json.dumps({expression}))", timeout=30)
    assert run.reply["status"] == "ok", run.error
    return json.loads(run.text)


def probe(kc) -> dict[str, int]:
    run = execute(kc, PROBE, timeout=30)
    assert run.reply["status"] == "ok", run.error
    return json.loads(run.text)


def press_stop(server, km, kc, case: Case, mode: str, round_: int):
    """Run the case's cell and press ■ a moment after it first shows something."""
    server.simulator.clear_faults()
    if case.clean_first:
        server.simulator.inject({}, times=case.clean_first)
    server.simulator.inject(MODES[mode], times=case.answers)
    pressed = threading.Event()

    def on_message(msg: dict[str, Any]) -> None:
        if msg["msg_type"] in DISPLAY and not pressed.is_set():
            pressed.set()
            threading.Timer(PRESS_AFTER[mode], km.interrupt_kernel).start()

    return execute(kc, case.cell.format(i=round_), timeout=60, on_message=on_message)


@pytest.mark.parametrize("name", list(CASES))
def test_twenty_interrupts_in_a_row(server, kernel, live, name):
    km, kc = kernel
    case = CASES[name]
    execute(kc, "%openrouter reset")
    if case.setup:
        assert execute(kc, case.setup).reply["status"] == "ok"
    assert execute(kc, "%%openrouter\nwarm up").reply["status"] == "ok"
    before = probe(kc)
    mids = 0
    for round_ in range(ROUNDS):
        mode = "mid" if round_ % 2 else "early"
        run = press_stop(server, km, kc, case, mode, round_)
        assert run.reply["status"] == "error" and run.reply["ename"] == "KeyboardInterrupt", (
            name, mode, round_, run.reply)
        outputs = run.final_outputs()
        assert outputs, "the cell left nothing on screen"
        shown = json.dumps([outputs, run.reply.get("evalue", "")]).lower()
        assert case.mark in shown and "traceback" not in shown, (name, mode, shown[-300:])
        mids += mode == "mid"
        case.check(value(kc, case.state), mode, mids)  # and the kernel answers a next cell
        now = probe(kc)
        assert now["busy"] == 0, f"round {round_}: a connection is still checked out"
        assert now["threads"] <= before["threads"], f"round {round_}: {now} vs {before}"
        assert now["sockets"] <= before["sockets"] + 1, f"round {round_}: {now} vs {before}"
    server.simulator.clear_faults()
    after = execute(kc, "%%openrouter\nA short question")
    assert after.reply["status"] == "ok"


def test_interrupting_a_conversation_before_its_first_token_stores_no_turn(server, kernel,
                                                                           live):
    km, kc = kernel
    execute(kc, "%openrouter reset")
    assert execute(kc, "%%openrouter -c chat\nFirst question").reply["status"] == "ok"
    second = Case(cell="%%openrouter -c chat -o r\nSecond question", answers=1, state="",
                  check=_answer)
    run = press_stop(server, km, kc, second, "early", 0)
    assert run.reply["ename"] == "KeyboardInterrupt"
    roles = value(kc, "[m['role'] for m in __import__('or_magics').session"
                      ".conversations['chat'].messages]")
    assert roles == ["user", "assistant"]  # the interrupted turn left nothing behind
    server.simulator.clear_faults()
    assert execute(kc, "%%openrouter -c chat\nSecond question").reply["status"] == "ok"
    assert value(kc, "len(__import__('or_magics').session.conversations['chat'])") == 2
