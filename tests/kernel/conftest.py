"""A real ipykernel whose or_magics session talks to the loopback simulator."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.manager import KernelManager, start_new_kernel

from .iopub import execute

KEY = "sk-or-v1-test-" + "c0ffee" * 6


def kernel_env(base_url: str) -> dict[str, str]:
    return {**os.environ, "OPENROUTER_BASE_URL": base_url, "OPENROUTER_API_KEY": KEY}


@pytest.fixture(scope="module")
def kernel(server) -> Iterator[tuple[KernelManager, BlockingKernelClient]]:
    km, kc = start_new_kernel(kernel_name="python3", env=kernel_env(server.base_url))
    try:
        run = execute(kc, "%load_ext or_magics")
        assert run.reply["status"] == "ok"
        yield km, kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


@pytest.fixture
def kc(kernel, live) -> BlockingKernelClient:
    return kernel[1]
