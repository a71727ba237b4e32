"""What a new user meets when something goes wrong: one line each, with the way out, and
README (Troubleshooting) quoting exactly that line (it fails here when they drift).

Every case runs in a shell with the extension loaded, against the simulator (in process, or
as a loopback server where the network itself is the problem); nothing leaves the machine.
"""

from __future__ import annotations

import _thread
import socket
import threading
from pathlib import Path

import pytest
from IPython.utils.capture import capture_output

import or_magics
from or_magics import Client
from or_magics.explorer.panel import Panel
from or_magics.offline import SimulatorTransport

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "README.md"  # its Troubleshooting section
KEY = "sk-or-v1-test-" + "7e57" * 12
BAD_KEY = "sk-or-v1-invalid-" + "0" * 40  # the simulator's "User not found."


def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def run(shell, cell: str) -> list[str]:
    """The lines the cell prints (its output and its one-line error)."""
    with capture_output() as captured:
        shell.run_cell(cell)
    return [line for line in (captured.stdout + captured.stderr).splitlines() if line.strip()]


def online(sim, key: str | None = KEY, **settings) -> None:
    """The session talking to "OpenRouter" with a key: the simulator, in process."""
    or_magics.session.use(Client(api_key=key, transport=SimulatorTransport(sim), **settings))


#: Every line the guide quotes, as the tests below see the library print it.
LINES = {
    "no key": "UsageError: No OpenRouter API key, so nothing was sent: set OPENROUTER_API_KEY, "
              "run %openrouter key, or %openrouter offline for the simulator.",
    "simulated": "No OpenRouter API key found: answers come from the built-in simulator "
                 "(labelled “simulated”). Set OPENROUTER_API_KEY or run %openrouter key to "
                 "use OpenRouter.",
    "online": "Answers now come from https://openrouter.ai/api/v1, but there is no API key "
              "yet: run %openrouter key or set OPENROUTER_API_KEY (nothing is sent without "
              "one).",
    "401": "UsageError: 401 Authentication failed — User not found. (set OPENROUTER_API_KEY, "
           "or run %openrouter key)",
    "402": "UsageError: 402 Insufficient credits — This request requires more credits, or "
           "fewer max_tokens. You requested up to 16384 tokens, but can only afford 0. To "
           "increase, visit https://openrouter.ai/settings/credits and upgrade to a paid "
           "account",
    "429 free": "UsageError: 429 Rate limited — Rate limit exceeded: free-models-per-min.",
    "429": "UsageError: 429 Rate limited — OpenAI is temporarily rate-limited upstream. Please "
           "retry shortly, or add your own key to accumulate your rate limits: "
           "https://openrouter.ai/settings/integrations",
    "typo": "UsageError: 400 Bad request — openai/gpt-4o-mni is not a valid model ID; did you "
            "mean openai/gpt-4o-mini, openai/gpt-4.1-mini, openai/gpt-5-mini?",
    "no author": "UsageError: Invalid parameter — model: 'gpt-4o' is not a model id; ids look "
                 "like 'author/slug', e.g. 'openai/gpt-4o-mini' (see %openrouter models)",
    "subcommand": "UsageError: %openrouter modles: did you mean %openrouter models? (to ask a "
                  "model, write %openrouter ask modles)",
    "interrupt": "KeyboardInterrupt: stopped; what arrived is kept (or_magics.session.last)",
    "timeout": "UsageError: Request timed out — the answer was not complete within "
               "timeout=0.5 s; what came so far is kept",
    "first token": "UsageError: Request timed out — no token from openrouter.ai within "
                   "first_token_timeout=0.5 s; not retried, as the server has the request "
                   "and a second try could pay twice",
    "proxy": "UsageError: Connection error — All connection attempts failed (127.0.0.1, "
             "through the proxy 127.0.0.1:3128 from HTTP_PROXY; NO_PROXY=127.0.0.1 goes "
             "around it)",
    "panel": "UsageError: the panel is made of widgets and needs Jupyter (JupyterLab, Notebook "
             "7 or VS Code); here, %openrouter models lists the catalogue",
    "widgets": "<or_magics panel: openai/gpt-4o-mini — an interactive widget; run the cell to "
               "use it (if this text stays, the frontend shows no widgets: pip install -U "
               "ipywidgets in the kernel and where Jupyter runs, then reload the page)>",
}


def documented(name: str) -> str:
    """The line the guide quotes for ``name``, as written."""
    line = LINES[name]
    assert line in quotes(), f"README (Troubleshooting) does not quote:\n{line}"
    return line


def quotes() -> list[str]:
    """The guide's quoted messages: each a line of its own, ``> `the message```."""
    return [line[2:].strip().strip("`") for line in guide().splitlines()
            if line.startswith("> `")]


def test_no_key_is_one_line_before_anything_is_sent(shell, sim, monkeypatch):
    monkeypatch.setattr("or_magics.client.config.hooks.key_provider", lambda: None)
    shell.run_line_magic("openrouter", "online")
    before = sim.stats["chat_requests"]
    assert run(shell, "%%openrouter\nWhat is the capital of France?")[-1] == documented("no key")
    assert sim.stats["chat_requests"] == before


def test_without_a_key_the_session_says_once_that_answers_are_simulated(shell, sim):
    lines = run(shell, "%openrouter -f text -- Say hi")
    assert lines[0] == documented("simulated") and "· simulated]" in lines[1]
    assert documented("simulated") not in run(shell, "%openrouter -f text -- Again")
    assert run(shell, "%openrouter online")[-1] == documented("online")


def test_a_key_openrouter_does_not_know_is_a_401_naming_the_ways_out(shell, sim):
    online(sim, BAD_KEY)
    assert run(shell, "%%openrouter\nHello")[-1] == documented("401")


def test_out_of_credits_is_a_402_with_the_figures_and_where_to_add_credits(shell, sim):
    online(sim)
    sim.inject(status=402)
    line = run(shell, "%%openrouter\nHello")[-1]
    assert line == documented("402") and line.count("https://") == 1


@pytest.mark.parametrize(("model", "name"), [
    ("meta-llama/llama-3.3-70b-instruct:free", "429 free"), ("openai/gpt-4o-mini", "429")])
def test_a_rate_limit_is_retried_then_one_line(shell, sim, model, name):
    online(sim, max_retries=2)
    sim.inject(status=429, retry_after=0.01, times=3)
    assert run(shell, f"%%openrouter -m {model}\nHello")[-1] == documented(name)
    assert sim.stats["chat_requests"] == 3  # the first try and two retries


@pytest.mark.parametrize(("words", "name"), [
    ("-m openai/gpt-4o-mni", "typo"), ("-m gpt-4o", "no author")])
def test_a_mistyped_model_says_what_was_meant(shell, sim, words, name):
    online(sim)
    assert run(shell, f"%%openrouter {words}\nHello")[-1] == documented(name)


def test_a_mistyped_subcommand_is_not_sent_as_a_prompt(shell, sim):
    assert run(shell, "%openrouter modles")[-1] == documented("subcommand")
    assert sim.stats["chat_requests"] == 0


def test_a_python_call_with_a_mistyped_model_names_the_close_ids(sim):
    with Client(api_key=KEY, transport=SimulatorTransport(sim)) as client, \
            pytest.raises(or_magics.BadRequestError) as info:
        client.chat("hi", model="openai/gpt-4o-mni")
    assert str(info.value).endswith("; did you mean openai/gpt-4o-mini, openai/gpt-4.1-mini, "
                                    "openai/gpt-5-mini?")
    online(sim)
    with pytest.raises(or_magics.BadRequestError) as info:  # the helpers say the same
        or_magics.ask("hi", model="openai/gpt-4o-mni")
    assert str(info.value).endswith("did you mean openai/gpt-4o-mini, openai/gpt-4.1-mini, "
                                    "openai/gpt-5-mini?")


def test_ctrl_c_is_one_line_and_keeps_what_arrived(shell, sim):
    online(sim)
    sim.inject(stall=30, after_chunks=2)
    timer = threading.Timer(0.5, _thread.interrupt_main)  # a real Ctrl-C, mid-answer
    timer.start()
    try:
        lines = run(shell, "%%openrouter\nHello")
    finally:
        timer.cancel()
    assert lines[-1] == documented("interrupt")
    assert or_magics.session.last.interrupted and or_magics.session.last.text
    assert not any("or_magics/" in line for line in lines)  # none of the library's frames


def test_timeouts_keep_what_came_and_say_which_deadline(shell, sim):
    online(sim)
    sim.inject(stall=5, after_chunks=1)
    assert run(shell, "%%openrouter --timeout 0.5\nHello")[-1] == documented("timeout")
    assert or_magics.session.last.text
    sim.inject(stall=5, after_chunks=0)
    assert run(shell, "%%openrouter --first-token-timeout 0.5\nHello")[-1] == \
        documented("first token")


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_proxy_that_is_down_is_named(shell, sim, monkeypatch):
    from or_magics.offline import serve_in_thread

    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    port = closed_port()
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{port}")
    with serve_in_thread(port=0) as server:  # up, but the proxy in front of it is not
        or_magics.session.use(Client(api_key=KEY, base_url=server.base_url, max_retries=0))
        line = run(shell, "%%openrouter\nHello")[-1]
    assert line.replace(f"127.0.0.1:{port}", "127.0.0.1:3128") == documented("proxy")


def test_the_panel_outside_jupyter_and_where_widgets_do_not_show(shell, sim):
    assert run(shell, "%openrouter panel")[-1] == documented("panel")
    text = Panel()._repr_mimebundle_()["text/plain"]  # what a frontend without widgets shows
    assert text == documented("widgets")


def test_the_guide_quotes_nothing_the_library_no_longer_prints():
    """A quoted line no test here checks would be a message reworded since."""
    stale = [line for line in quotes() if line not in LINES.values()]
    assert not stale, f"README (Troubleshooting) quotes lines nobody prints: {stale}"


def test_options_then_a_prompt_without_dashes_is_sent_as_written(shell, sim):
    """A plain first word after the options is the prompt's, not a model id ("What")."""
    lines = run(shell, "%openrouter -t 0.2 What is the capital of France?")
    assert "Paris" in "\n".join(lines) and not any("UsageError" in line for line in lines)
    assert or_magics.session.last.request["messages"][-1]["content"] == (
        "What is the capital of France?")
    assert or_magics.session.last.request["temperature"] == 0.2
    assert run(shell, "%openrouter -t 0.2 gpt-4o What is the capital?")[-1] == LINES[
        "no author"]  # a model id without its author is still said to be one
