"""A real ipykernel whose or_magics session talks to the loopback simulator."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.manager import KernelManager, start_new_kernel

from .iopub import execute

KEY = "sk-or-v1-test-" + "c0ffee" * 6


def kernel_env(base_url: str) -> dict[str, str]:
    return {**os.environ, "OPENROUTER_BASE_URL": base_url, "OPENROUTER_API_KEY": KEY}


@contextmanager
def loaded_kernel(env: dict[str, str], *, allow_stdin: bool = True
                  ) -> Iterator[tuple[KernelManager, BlockingKernelClient]]:
    """A fresh kernel with ``env`` and the extension loaded; shut down afterwards."""
    km, kc = start_new_kernel(kernel_name="python3", env=env)
    kc.allow_stdin = allow_stdin
    try:
        run = execute(kc, "%load_ext or_magics")
        assert run.reply["status"] == "ok"
        yield km, kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


@pytest.fixture(scope="module")
def kernel(server) -> Iterator[tuple[KernelManager, BlockingKernelClient]]:
    with loaded_kernel(kernel_env(server.base_url)) as pair:
        yield pair


@pytest.fixture
def kc(kernel, live) -> BlockingKernelClient:
    return kernel[1]
