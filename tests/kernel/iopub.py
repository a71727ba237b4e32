"""Run code in a real ipykernel and account for every IOPub message it sends."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from jupyter_client.blocking.client import BlockingKernelClient

DISPLAY = ("display_data", "update_display_data")


@dataclass
class Run:
    reply: dict[str, Any]
    messages: list[dict[str, Any]] = field(default_factory=list)
    started: float = 0.0
    ended: float = 0.0

    def of(self, *types: str) -> list[dict[str, Any]]:
        return [m for m in self.messages if m["msg_type"] in types]

    @property
    def display_bytes(self) -> int:
        """Bytes of display traffic as it crosses IOPub (the JSON of each message content)."""
        return sum(len(json.dumps(m["content"]).encode()) for m in self.of(*DISPLAY))

    def final_outputs(self) -> list[dict[str, str]]:
        """What a notebook keeps: the last bundle of each output, in order of appearance."""
        order: list[str] = []
        last: dict[str, dict[str, str]] = {}
        for m in self.of(*DISPLAY):
            content = m["content"]
            key = (content.get("transient") or {}).get("display_id") or m["header"]["msg_id"]
            if m["msg_type"] == "display_data" and key not in last:
                order.append(key)
            if key in last or m["msg_type"] == "display_data":
                last[key] = content["data"]
        return [last[k] for k in order]

    @property
    def final_bytes(self) -> int:
        return sum(len(json.dumps(data).encode()) for data in self.final_outputs())

    @property
    def text(self) -> str:
        return "".join(m["content"]["text"] for m in self.of("stream"))

    @property
    def error(self) -> dict[str, Any] | None:
        errors = self.of("error")
        return errors[0]["content"] if errors else None


def execute(kc: BlockingKernelClient, code: str, timeout: float = 120,
            on_message: Any = None) -> Run:
    """Execute ``code`` and collect its IOPub messages until the kernel is idle again."""
    msg_id = kc.execute(code)
    run = Run(reply={}, started=time.monotonic())
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status":
            if msg["content"]["execution_state"] == "idle":
                break
            continue
        run.messages.append(msg)
        if on_message is not None:
            on_message(msg)
    run.ended = time.monotonic()
    while True:  # skip a stray reply (a second kernel_info from wait_for_ready)
        reply = kc.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    run.reply = reply["content"]
    return run
