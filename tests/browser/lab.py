"""JupyterLab 4 / Notebook 7 in real headless Chromium: the server process, browser settings.

The server runs `python -m jupyter lab` (or `jupyter notebook`, Notebook 7, which is built on
the same JupyterLab front end and server extension) from this interpreter on 127.0.0.1 with
no token, in
a throwaway root dir with its own config, settings, workspace and runtime dirs, and without
any OpenRouter key in its environment, so every answer comes from the simulator. The browser
is Debian's Chromium driven by Playwright (never a downloaded browser). Missing Chromium is a
test failure that says how to install it, never a skip: CI must run these tests.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("OR_MAGICS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INSTALL_HINT = (
    "install Debian's Chromium (as root): apt-get update && apt-get install -y "
    "--no-install-recommends chromium fonts-dejavu-core; or point OR_MAGICS_CHROMIUM at a "
    "Chromium binary. Do not run `playwright install`: the tests use the system browser."
)
START_TIMEOUT = 90.0  # seconds for the server to answer /api/status (cold start on 2 slow cores)
KERNEL_TIMEOUT = 60.0  # seconds for a notebook's kernel to be idle
RUN_TIMEOUT = 90.0  # seconds for run-all to finish every cell

# User settings written before the server starts (Notebook 7 reads the same dir): no
# news/update toasts over the screenshots, and every cell attached to the DOM (no virtual
# scrolling hiding outputs from the queries).
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
        "doNotDisturbMode": True,
    },
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


# -- the Lab server ------------------------------------------------------------------------

# Per front end: its name in messages, its traitlets app class (which owns the option that
# sets `window.jupyterapp`), and the URL that opens a notebook.
APPS = {
    "lab": ("JupyterLab", "LabApp", "/lab/tree/{name}?reset"),
    "notebook": ("Notebook 7", "JupyterNotebookApp", "/notebooks/{name}"),
}


@dataclass
class LabServer:
    url: str
    root: Path
    log_path: Path
    process: subprocess.Popen[bytes]
    app: str = "lab"  # a key of APPS

    @property
    def title(self) -> str:
        return APPS[self.app][0]

    def notebook_url(self, name: str) -> str:
        return self.url + APPS[self.app][2].format(name=name)

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            return f"(no {self.title} log: {exc})"
        return "\n".join(text.splitlines()[-lines:])

    def api(self, method: str, path: str, timeout: float = 10.0) -> Any:
        request = urllib.request.Request(self.url + path, method=method)
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            body = reply.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """Stop every kernel the server started (they live in their own process groups)."""
        with contextlib.suppress(OSError, ValueError):
            for kernel in self.api("GET", "/api/kernels"):
                with contextlib.suppress(OSError):
                    self.api("DELETE", f"/api/kernels/{kernel['id']}", timeout=20.0)

    def write_notebook(self, name: str, sources: list[str]) -> Path:
        """A notebook of code cells in the root dir, with the python3 kernelspec."""
        notebook = nbformat.v4.new_notebook(
            cells=[nbformat.v4.new_code_cell(source) for source in sources],
            metadata={
                "kernelspec": {"name": "python3", "display_name": "Python 3",
                               "language": "python"},
                "language_info": {"name": "python"},
            },
        )
        path = self.root / name
        nbformat.write(notebook, path)
        return path


@contextlib.contextmanager
def serve(app: str, base: Path) -> Iterator[LabServer]:
    """`jupyter lab` or `jupyter notebook` (a key of APPS) on a free port of 127.0.0.1.

    Isolated from the developer's home: root, config, settings and runtime dirs under `base`,
    no token, no OpenRouter key. Fails the test (with the log) if it does not come up.
    """
    title, app_class, _ = APPS[app]
    root = base / "root"
    root.mkdir()
    log_path = base / f"{app}.log"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [
        sys.executable, "-m", "jupyter", app,
        "--no-browser", "--allow-root",
        "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
        "--IdentityProvider.token=", "--ServerApp.password=",
        "--ServerApp.disable_check_xsrf=True",
        f"--{app_class}.expose_app_in_browser=True",
        f"--ServerApp.root_dir={root}",
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=root, env=lab_env(base), stdin=subprocess.DEVNULL,
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    server = LabServer(url=url, root=root, log_path=log_path, process=process, app=app)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"{title} exited with code {process.returncode} before "
                            f"answering /api/status. Log:\n{server.log_tail()}")
            try:
                server.api("GET", "/api/status", timeout=2.0)
                break
            except (OSError, ValueError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"{title} did not answer {url}/api/status within "
                            f"{START_TIMEOUT:.0f} s. Log:\n{server.log_tail()}")
            time.sleep(0.25)
        yield server
    finally:
        if process.poll() is None:
            server.shutdown_kernels()
        stop(process)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def lab_env(base: Path) -> dict[str, str]:
    """The server's environment: no OpenRouter key or base URL, Jupyter dirs under `base`."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("OPENROUTER_API_KEY", "OPENROUTER_BASE_URL")}
    dirs = {
        "JUPYTER_CONFIG_DIR": base / "config",
        "JUPYTER_DATA_DIR": base / "data",
        "JUPYTER_RUNTIME_DIR": base / "runtime",
        "JUPYTERLAB_SETTINGS_DIR": base / "settings",
        "JUPYTERLAB_WORKSPACES_DIR": base / "workspaces",
        "IPYTHONDIR": base / "ipython",
    }
    for name, path in dirs.items():
        path.mkdir(parents=True, exist_ok=True)
        env[name] = str(path)
    for rel, values in LAB_SETTINGS.items():
        target = dirs["JUPYTERLAB_SETTINGS_DIR"] / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values), encoding="utf-8")
    # The kernel imports this checkout's or_magics, whatever is installed.
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    env.pop("JUPYTER_PATH", None)
    env.pop("JUPYTER_CONFIG_PATH", None)
    return env


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 15.0), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


@dataclass
class Console:
    """Browser console errors and uncaught page errors, for failure messages."""

    errors: list[str] = field(default_factory=list)

    def text(self, limit: int = 20) -> str:
        if not self.errors:
            return "(no browser console errors)"
        return "\n".join(self.errors[-limit:])


