"""Terminal IPython under a real pty, as a user types into it: answers are drawn (a table as
a table, not ``|---|``), Ctrl-C is one line, and the panel says it needs Jupyter."""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\r")


class Terminal:
    """``ipython`` on a pty, 100 columns wide; `send` types a line, `until` reads."""

    def __init__(self, tmp_path: Path) -> None:
        self.leader, follower = os.openpty()
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("OPENROUTER_", "JPY_")) and "PROXY" not in k.upper()}
        env.update(PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
                   IPYTHONDIR=str(tmp_path / "ipython"), TERM="xterm-256color",
                   COLUMNS="100", LINES="40")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "IPython", "--simple-prompt", "--no-banner",
             "--colors=NoColor", "--HistoryManager.enabled=False"],
            stdin=follower, stdout=follower, stderr=follower, env=env, cwd=tmp_path,
            close_fds=True)
        os.close(follower)
        self.seen = ""

    def send(self, line: str) -> None:
        os.write(self.leader, line.encode() + b"\n")

    def until(self, pattern: str, start: int = 0, timeout: float = 60) -> str:
        """What was read from ``start`` on (terminal escapes removed) once ``pattern`` shows
        there."""
        deadline = time.monotonic() + timeout
        while not re.search(pattern, self.seen[start:]):
            left = deadline - time.monotonic()
            assert left > 0, f"no {pattern!r} in:\n{self.seen[-3000:]}"
            ready, _, _ = select.select([self.leader], [], [], min(left, 0.5))
            if ready:
                try:
                    chunk = os.read(self.leader, 65536)
                except OSError:  # the other end closed: IPython exited
                    chunk = b""
                if not chunk:
                    assert re.search(pattern, self.seen[start:]), self.seen[-3000:]
                    break
                self.seen += ANSI.sub("", chunk.decode("utf-8", "replace"))
        return self.seen[start:]

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=30)
        os.close(self.leader)


@pytest.fixture
def terminal(tmp_path):
    term = Terminal(tmp_path)
    try:
        yield term
    finally:
        term.close()


def test_terminal_ipython_draws_answers_stops_on_ctrl_c_and_explains_the_panel(terminal):
    terminal.send("%load_ext or_magics")
    terminal.send("%openrouter offline --token-rate 0 --latency 0")
    terminal.until("Answers now come from the built-in simulator")
    terminal.send("%openrouter Make a table of the planets")
    seen = terminal.until(r"tok/s")
    answer = seen.split("a table of the planets", 1)[1]
    assert "simulated" in answer and "Mercury" in answer
    assert re.search(r"[│┃┏┡└━─]", answer), answer  # drawn by rich
    assert not re.search(r"\|\s*-{3,}", answer), answer  # no raw Markdown table rule

    terminal.send("%openrouter offline --token-rate 15")
    terminal.until(r"In \[5\]:")
    before = len(terminal.seen)
    terminal.send("%openrouter Explain recursion in detail, with a table and code")
    terminal.until(r"· simulated\n.*\w{4}", before)  # the answer has begun
    terminal.process.send_signal(signal.SIGINT)  # what Ctrl-C sends
    seen = terminal.until(r"KeyboardInterrupt: stopped; what arrived is kept", before)
    assert "interrupted" in seen
    assert "Traceback" not in seen and "or_magics/" not in seen  # no library frames

    after = len(terminal.seen)
    terminal.send("%openrouter panel")
    terminal.until(r"needs Jupyter \(JupyterLab, Notebook 7 or VS Code\)", after)
    terminal.send("print(40 + 2)")
    terminal.until(r"(?m)^(In \[\d+\]: )?42\s*$", after)  # the shell still answers
    terminal.send("exit")
    assert terminal.process.wait(timeout=30) == 0
