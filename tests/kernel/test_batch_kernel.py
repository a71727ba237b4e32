"""A batch in a real kernel: a progress bar, Ctrl-C that keeps what finished, and resume."""

from __future__ import annotations

import json
import threading

from .iopub import execute

SETUP = """
import or_magics
prompts = [f"Name a river, take {i}" for i in range(60)]
"""


def test_a_batch_shows_a_notebook_progress_bar_with_counts_and_cost(server, kc):
    assert execute(kc, SETUP).reply["status"] == "ok"
    run = execute(kc, "r = or_magics.batch(prompts[:12], concurrency=4)\nprint(r)")
    assert run.reply["status"] == "ok", run.error
    opened = [m for m in run.messages if m["msg_type"] == "comm_open"]
    assert opened, "no widget: the notebook bar is an ipywidgets progress bar"
    states = json.dumps([m["content"] for m in run.messages if m["msg_type"] in
                         ("comm_open", "comm_msg")], ensure_ascii=False).replace("\u2007", " ")
    assert "12 done, 0 failed" in states and "tokens" in states and "$" in states
    assert "<BatchResult 12 items: 12 done, 0 failed" in run.text


def test_ctrl_c_keeps_every_finished_item_and_the_same_batch_resumes(server, kernel, live):
    km, kc = kernel
    setup = SETUP + "or_magics.session.last_batch = None\n" \
        "start = or_magics.session.total_usage().cost or 0\n"
    assert execute(kc, setup).reply["status"] == "ok"
    server.simulator.inject({"latency": 0.25}, times=60)
    timer = threading.Timer(1.5, km.interrupt_kernel)
    timer.start()
    run = execute(kc, "r = or_magics.batch(prompts, concurrency=4, progress=False)",
                  timeout=60)
    timer.cancel()
    assert run.reply["status"] == "error" and run.reply["ename"] == "KeyboardInterrupt"
    check = execute(kc, "b = or_magics.session.last_batch\n"
                        "done = b.done\n"
                        "used = or_magics.session.total_usage().cost - start\n"
                        "print(0 < done < 60, abs(used - (b.usage.cost or 0)) < 1e-12)")
    assert check.text.split() == ["True", "True"], check.text + str(check.error)
    before = live.simulator.stats.snapshot()["chat_requests"]
    again = execute(kc, "r = or_magics.batch(prompts, concurrency=8, progress=False)\n"
                        "print(r.done, r.done - done)")
    assert again.reply["status"] == "ok", again.error
    done_now, resumed = map(int, again.text.split())
    sent = live.simulator.stats.snapshot()["chat_requests"] - before
    assert done_now == 60 and sent == resumed  # only what had not finished was sent
    total = execute(kc, "spent = or_magics.session.total_usage().cost - start\n"
                        "print(abs(spent - r.usage.cost) < 1e-12)")
    assert total.text.strip() == "True"  # the session counted every item once
