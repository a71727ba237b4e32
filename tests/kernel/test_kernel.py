"""%%openrouter in a real kernel: IOPub traffic, interrupts, errors, what a notebook keeps."""

from __future__ import annotations

import hashlib
import json
import threading

import pytest
from jupyter_client.manager import start_new_kernel

from .conftest import KEY, kernel_env
from .iopub import DISPLAY, execute


def answer_digest(kc) -> tuple[int, str]:
    run = execute(kc, "import hashlib, or_magics\nt = or_magics.session.last.text\n"
                      "print(len(t), hashlib.sha256(t.encode()).hexdigest())")
    size, digest = run.text.split()
    return int(size), digest


@pytest.mark.parametrize("size", [8192, 65536])
def test_iopub_traffic_stays_linear_and_nothing_is_dropped(server, kc, size):
    # 16-character deltas at 2,000 deltas/s: a fast model, the worst case for a display
    server.simulator.inject({"answer_bytes": size, "chunk_chars": 16, "token_rate": 8000})
    run = execute(kc, "%%openrouter openai/gpt-4o-mini\nTell me about rivers")
    assert run.reply["status"] == "ok"
    outputs = run.final_outputs()
    messages = run.of(*DISPLAY)
    seconds = max(run.ended - run.started, 1e-3)
    ratio = run.display_bytes / run.final_bytes
    assert ratio <= 4, f"{run.display_bytes} bytes sent for {run.final_bytes} kept"
    assert len(outputs) <= 20
    # ~10 throttled updates a second, plus opening and freezing each output once
    budget = 10 * seconds + 2 * len(outputs) + 1
    assert len(messages) <= budget, f"{len(messages)} messages in {seconds:.1f} s"
    # nothing dropped: the outputs' plain text, in order, is the whole answer
    text = "".join(o["text/plain"] for o in outputs)
    length, digest = answer_digest(kc)
    assert len(text) == length and hashlib.sha256(text.encode()).hexdigest() == digest
    # every kept output reads well without a kernel: markdown, html and plain text
    assert all({"text/plain", "text/markdown", "text/html"} <= set(o) for o in outputs)
    head = outputs[0]["text/html"]
    assert "openai/gpt-4o-mini" in head and '<span class="orm-sim">simulated</span>' in head


def test_the_response_is_in_underscore_out_and_the_output_variable(server, kc):
    run = execute(kc, "%%openrouter -o r\nHello")
    assert run.reply["status"] == "ok" and not run.of("execute_result")
    run = execute(kc, "print(type(_).__name__, _ is r, Out[max(Out)] is r, r.usage.cost > 0)")
    assert run.text.split() == ["Response", "True", "True", "True"]


def test_interrupt_mid_stream_ten_times(server, kernel, live):
    """The ■ button: the answer stops at once, stays on screen marked, and the kernel moves on."""
    km, kc = kernel
    execute(kc, "%openrouter reset")
    for attempt in range(10):
        server.simulator.inject({"answer_bytes": 20000, "token_rate": 300})
        interrupted = threading.Event()

        def on_message(msg, interrupted=interrupted):
            shown = msg["content"].get("data", {}).get("text/html", "")
            if msg["msg_type"] in DISPLAY and "orm-head" in shown and not interrupted.is_set():
                interrupted.set()  # text is streaming (its head is up): press ■ a moment later
                threading.Timer(0.2, km.interrupt_kernel).start()

        run = execute(kc, f"%%openrouter -c story\nTell me a long story, part {attempt}",
                      timeout=30, on_message=on_message)
        assert run.reply["status"] == "error" and run.reply["ename"] == "KeyboardInterrupt"
        last = run.final_outputs()[-1]
        assert "interrupted" in last["text/plain"].lower() or \
            "interrupted" in last["text/html"].lower()
        check = execute(kc, "import or_magics\nr = or_magics.session.last\n"
                            "c = or_magics.session.conversations['story']\n"
                            "print(r.interrupted, 0 < len(r.text) < 20000, len(c), "
                            "c.messages[-1]['content'] == r.text)")
        assert check.reply["status"] == "ok", check.error
        assert check.text.split() == ["True", "True", str(attempt + 1), "True"]
    after = execute(kc, "%%openrouter\nA short question")
    assert after.reply["status"] == "ok"


def test_api_error_is_one_line_with_no_traceback(server, kc):
    server.simulator.inject({"status": 402})
    run = execute(kc, "%%openrouter\nhi")
    assert run.reply["status"] == "error" and run.reply["ename"] == "UsageError"
    shown = "".join(m["content"].get("text", "") for m in run.of("stream")) + \
        json.dumps([m["content"] for m in run.of("error")])
    assert "402 Insufficient credits" in shown and "Traceback" not in shown
    assert KEY not in json.dumps([m["content"] for m in run.messages])


def test_mid_stream_error_keeps_the_partial_answer_above_the_error(server, kc):
    server.simulator.inject({"mid_stream_error": "choice", "after_chunks": 5, "code": 502},
                            times=3)
    run = execute(kc, "%%openrouter\nTell me about rivers")
    assert run.reply["status"] == "error"
    kept = "".join(o["text/plain"] for o in run.final_outputs())
    assert len(kept) > 20
    assert run.reply["ename"] == "UsageError" and run.reply["evalue"].startswith("502 ")
    assert "502 Provider error" in run.text


def test_extension_loads_from_config_and_quickly(server):
    km, kc = start_new_kernel(kernel_name="python3", env=kernel_env(server.base_url),
                              extra_arguments=["--InteractiveShellApp.extensions=or_magics"])
    try:
        run = execute(kc, "%openrouter help")
        assert run.reply["status"] == "ok"
        assert "%openrouter models" in json.dumps([m["content"] for m in run.messages])
        timing = execute(kc, "import time, sys\nt = time.perf_counter()\n"
                             "%reload_ext or_magics\nprint(sys.modules.get('markdown_it') is None, "
                             "sys.modules.get('ipywidgets') is None)")
        assert timing.text.split() == ["True", "True"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_reasoning_citations_and_tool_calls_are_shown(server, kc):
    run = execute(kc, "%%openrouter deepseek/deepseek-r1 -r high\nWhy is the sky blue?")
    html = run.final_outputs()[0]["text/html"]
    assert "<details" in html and "Reasoning" in html
    run = execute(kc, "%%openrouter openai/gpt-4o-mini --web\nLatest on fusion energy")
    html = "".join(o["text/html"] for o in run.final_outputs())
    assert html.count('<a href="https://') >= 2
    tools = ('[{"type": "function", "function": {"name": "get_weather", "parameters": '
             '{"type": "object", "properties": {"city": {"type": "string"}}, '
             '"required": ["city"]}}}]')
    run = execute(kc, f"%%openrouter -p 'tools={tools}'\nWeather in Paris?")
    assert run.reply["status"] == "ok"
    html = "".join(o["text/html"] for o in run.final_outputs())
    assert "get_weather" in html and "city" in html


def test_interrupt_during_a_tool_stops_the_loop_and_keeps_what_happened(server, kernel, live):
    """■ while a kernel function runs as a tool: the loop stops there, the steps that ran
    stay on the last Response, and the kernel answers the next cell."""
    km, kc = kernel
    setup = execute(kc, "import time, or_magics\nran = []\n"
                        "def slow(city: str) -> str:\n"
                        "    ran.append(city)\n"
                        "    time.sleep(30)\n"
                        "    return 'never'\n")
    assert setup.reply["status"] == "ok"
    timer = threading.Timer(1.5, km.interrupt_kernel)
    timer.start()
    run = execute(kc, "%%openrouter --tools slow\nUse slow for Paris", timeout=60)
    timer.cancel()
    assert run.reply["status"] == "error" and run.reply["ename"] == "KeyboardInterrupt"
    check = execute(kc, "r = or_magics.session.last\n"
                        "print(ran, r.tool_calls[0].name, r.steps[0].error.split(':')[0])")
    assert check.reply["status"] == "ok", check.error
    assert check.text.split() == ["['Paris']", "slow", "KeyboardInterrupt"]
    assert execute(kc, "print('alive')").text.strip() == "alive"


def test_each_tool_step_shows_its_call_and_result_folded(server, kc):
    """The loop's steps stay readable: one line per call with its outcome, the result
    folded under it in HTML, and the same facts in the saved notebook's markdown."""
    setup = execute(kc, "def get_weather(city: str) -> dict:\n"
                        "    '''Weather of a city.'''\n"
                        "    if city == 'Atlantis':\n"
                        "        raise KeyError(city)\n"
                        "    return {'city': city, 'temperature': 21}\n")
    assert setup.reply["status"] == "ok"
    run = execute(kc, "%%openrouter --tools get_weather\n"
                      "Use get_weather for Paris and for Atlantis")
    assert run.reply["status"] == "ok", run.error
    final = run.final_outputs()[-1]
    html, markdown = final["text/html"], final["text/markdown"]
    assert html.count('<details><summary>→ <code>get_weather</code>') == 2
    assert "✓" in html and "temperature" in html and "✗" in html and "KeyError" in html
    assert markdown.count("get_weather") >= 2 and "KeyError" in markdown
    assert "Traceback" not in json.dumps(run.messages[-1]["content"])


def test_ctrl_c_is_one_line_without_the_librarys_frames(server, kernel, live):
    km, kc = kernel
    cells = ["%%openrouter\nTell me a long story",
             "%%openrouter --compare openai/gpt-4o-mini openai/gpt-4o\nTell me a long story",
             "import or_magics\nr = or_magics.ask('Tell me a long story')",
             "import or_magics\nr = or_magics.batch(['a long story'] * 40, progress=False)"]
    for code in cells:
        server.simulator.inject({"answer_bytes": 20000, "token_rate": 300, "latency": 0.3},
                                times=40)
        timer = threading.Timer(1.2, km.interrupt_kernel)
        timer.start()
        run = execute(kc, code, timeout=60)
        timer.cancel()
        error = run.error
        assert error is not None and error["ename"] == "KeyboardInterrupt", code
        shown = "\n".join(error["traceback"])
        assert "or_magics" not in shown.replace("or_magics.session", ""), shown
        assert len(error["traceback"]) == 1 and "what arrived is kept" in shown
        assert execute(kc, "print('next')").text.strip() == "next"
