"""The `Sink` for a Jupyter kernel: `display(…, display_id=True)` and `update_display`."""

from __future__ import annotations

from typing import Any


class IPythonSink:
    """Publish bundles as raw mimebundles; call from the main thread (the cell's thread).

    Outputs published from another thread may land in the wrong cell, so the magic should
    feed the streamer from the thread that runs the cell.
    """

    def open(self, bundle: dict[str, str]) -> Any:
        from IPython.display import display

        return display(bundle, raw=True, display_id=True)

    def update(self, handle: Any, bundle: dict[str, str]) -> None:
        handle.update(bundle, raw=True)
