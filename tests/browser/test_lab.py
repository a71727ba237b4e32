"""or_magics in JupyterLab 4 in real headless Chromium, on the built-in simulator.

What only a browser can tell: that model-controlled HTML stays inert in Lab's output area
(Lab runs `<script>` and `onerror` in trusted outputs, which a cell's own fresh outputs are),
that the answer is really rendered and its math typeset, and that the model panel works
with a mouse and a keyboard.
"""

from __future__ import annotations

import re

import pytest

from .helpers import (
    OUTPUT,
    compare_layout,
    diagnostics,
    open_notebook,
    output_text,
    run_all,
    run_cell,
    screenshot,
    screenshot_notebook,
    wait_js,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

# Model-controlled HTML: the simulator quotes the prompt in its answer ("You asked: “…”"),
# so this arrives verbatim in the streamed text, exactly as a model could write it.
PAYLOAD = ('<img src=x onerror="window.__orm_xss=1"> and '
           "<script>window.__orm_xss=2</script>")
PROMPT = f"Write a report on {PAYLOAD} sorting, with a table and code"
SETUP = ["%load_ext or_magics", "%openrouter offline --token-rate 0 --latency 0"]



def _dom_report(page, index: int) -> dict:
    """What cell `index`'s output area holds: text, headings, tables, code, math, dangers."""
    return page.evaluate(f"""(i) => {{
        const node = ({OUTPUT})(i);
        const visible = el => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
        const all = sel => Array.from(node.querySelectorAll(sel));
        return {{
            text: node.innerText,
            headings: all('h1,h2,h3').filter(visible).map(h => h.textContent.trim()),
            tables: all('table').filter(visible).length,
            code_blocks: all('pre').filter(visible).length,
            math: all('mjx-container').length,
            onerror_imgs: all('img[onerror]').map(el => el.outerHTML),
            handlers: all('*').filter(el => Array.from(el.attributes)
                .some(a => a.name.toLowerCase().startsWith('on'))).map(el => el.outerHTML),
            scripts: all('script').map(el => el.outerHTML),
            simulated_visible: all('*').filter(el => visible(el) && el.children.length === 0
                && /simulated/i.test(el.textContent)).length,
            html: node.innerHTML.slice(0, 400),
        }};
    }}""", index)


def _assert_inert(page, lab, cells: dict[int, str]) -> None:
    """No handler attribute, no <script>, and nothing ran: checked in the live page."""
    problems = []
    for index, what in cells.items():
        report = _dom_report(page, index)
        for key, label in (("onerror_imgs", "<img onerror>"), ("handlers", "on* attributes"),
                           ("scripts", "<script> elements")):
            if report[key]:
                problems.append(f"{what} (cell {index}): {label} in the DOM: {report[key]}")
    flag = page.evaluate("typeof window.__orm_xss === 'undefined' ? null : window.__orm_xss")
    if flag is not None:
        problems.append(f"model HTML ran in the page: window.__orm_xss = {flag!r}")
    assert not problems, "\n".join(problems) + diagnostics(page, lab)


def test_answer_renders_and_model_html_stays_inert(page, lab):
    """A streamed answer (and a -f html one) shows as Markdown, math typeset, HTML inert."""
    cells = [
        *SETUP,
        f"%%openrouter openai/gpt-4o-mini -o xss_answer\n{PROMPT}",  # 2: streamed Markdown
        f"%%openrouter openai/gpt-4o-mini -f html\n{PROMPT}",  # 3: -f html (sanitized HTML)
    ]
    lab.write_notebook("xss.ipynb", cells)
    open_notebook(page, lab, "xss.ipynb")
    ran = run_all(page, lab)
    assert "<img" in output_text(ran[2]), "the payload must reach the answer verbatim"
    page.wait_for_timeout(1500)  # time for any onerror / script to fire

    answer = _dom_report(page, 2)
    context = f"\noutput DOM starts: {answer['html']}" + diagnostics(page, lab)
    assert answer["headings"], "no rendered heading in the answer" + context
    assert answer["tables"] >= 1, "no rendered table in the answer" + context
    assert answer["code_blocks"] >= 1, "no rendered code block in the answer" + context
    assert answer["simulated_visible"], "the 'simulated' label is not visible" + context
    assert "<img" in answer["text"], "the payload should show as text" + context

    _assert_inert(page, lab, {2: "streamed answer", 3: "-f html answer"})

    # Lab typesets math in HTML outputs too (RenderedHTML runs the LaTeX typesetter).
    wait_js(page, lab, f"() => ({OUTPUT})(2).querySelector('mjx-container') !== null",
            "MathJax to typeset the answer's math", 30.0)
    math = _dom_report(page, 2)
    assert math["math"] >= 2, f"expected inline and display math typeset, got {math['math']}"

    screenshot_notebook(page, "answer-and-xss.png")


def test_a_displayed_response_keeps_model_html_inert(page, lab):
    """A `Response` as a cell's value renders through its own `_repr_mimebundle_`."""
    cells = [
        *SETUP,
        "from or_magics import Client\n"
        f"response = Client(offline=True).chat({PROMPT!r}, model='openai/gpt-4o-mini')",
        "response",
    ]
    lab.write_notebook("response_repr.ipynb", cells)
    open_notebook(page, lab, "response_repr.ipynb")
    ran = run_all(page, lab)
    assert "<img" in output_text(ran[3]), "the payload must reach the answer verbatim"
    page.wait_for_timeout(1500)  # time for any onerror / script to fire
    try:
        _assert_inert(page, lab, {3: "Response repr"})
    finally:
        page.evaluate(f"() => ({OUTPUT})(3).scrollIntoView()")
        screenshot(page, "response-repr.png")


# The panel's DOM contract (classes set with add_class in or_magics/explorer.py).
ANY_BUTTON = "button.{0}, .{0} button"


def _text(page, selector: str) -> str:
    return page.locator(selector).first.inner_text()


def test_model_panel_search_choose_use_and_try(page, lab):
    cells = [
        *SETUP,
        "%openrouter panel",
        "import or_magics\nprint('MODEL=' + str(or_magics.session.model))",
    ]
    lab.write_notebook("panel.ipynb", cells)
    open_notebook(page, lab, "panel.ipynb")
    run_all(page, lab)
    wait_js(page, lab, "() => !!document.querySelector('.orm-panel .orm-models select option')",
            "the panel (.orm-panel) to render with its model list", 30.0)

    options = "Array.from(document.querySelectorAll('.orm-models select option'))"
    before = page.evaluate(f"() => {options}.length")
    page.locator(".orm-search input").fill("claude")
    chosen = wait_js(page, lab, f"""(before) => {{
        const opts = {options};
        if (!opts.length || opts.length >= before) return null;
        const o = opts.find(o => /anthropic\\//.test(o.value + ' ' + o.textContent));
        return o ? o.value : null;
    }}""", f"the search to narrow the {before} models to some anthropic/… ones", 20.0,
                     arg=before)
    model_id = re.search(r"anthropic/[\w.:\-]+", chosen).group(0)
    page.select_option(".orm-models select", value=chosen)
    wait_js(page, lab, """(id) => {
        const d = document.querySelector('.orm-details');
        return d && d.innerText.includes(id); }""",
            f".orm-details to show {model_id}", 20.0, arg=model_id)

    page.locator(ANY_BUTTON.format("orm-use")).first.click()
    wait_js(page, lab, """(line) => {
        const c = document.querySelector('.orm-code');
        return c && c.innerText.includes(line); }""",
            f".orm-code to show '%%openrouter {model_id}'", 20.0,
            arg=f"%%openrouter {model_id}")
    code = _text(page, ".orm-code")
    assert "(" in code.split(f"%%openrouter {model_id}", 1)[1], \
        f".orm-code should also show the Python call:\n{code}"
    wait_js(page, lab, """(id) => {
        const s = document.querySelector('.orm-status');
        return s && s.innerText.includes(id); }""",
            f".orm-status to confirm {model_id} is the default", 20.0, arg=model_id)

    page.locator(".orm-try-prompt textarea").fill("Explain binary search with an example")
    page.locator(ANY_BUTTON.format("orm-try-run")).first.click()
    wait_js(page, lab, """() => {
        const o = document.querySelector('.orm-try-output');
        return o && /simulated/i.test(o.innerText) && o.innerText.length > 200; }""",
            "a streamed, simulated answer in .orm-try-output", 30.0)
    answer = _text(page, ".orm-try-output")
    assert "binary" in answer.lower(), f"the try-it answer ignores the prompt:\n{answer[:500]}"
    wait_js(page, lab, "() => !!document.querySelector('.orm-try-output mjx-container')",
            "the try-it answer's math to be typeset, as in a cell", 30.0)

    ran = run_cell(page, lab, 3)
    printed = output_text(ran[3])
    assert f"MODEL={model_id}" in printed, \
        f"'Use' did not make {model_id} the session model; the cell printed {printed!r}" \
        + diagnostics(page, lab)

    screenshot_notebook(page, "panel.png", {"panel-widget.png": ".orm-panel"})


def test_compare_shows_models_side_by_side_with_a_failure_in_its_column(page, lab):
    cells = [
        *SETUP,
        "%%openrouter --compare openai/gpt-4o-mini anthropic/claude-haiku-4.5 "
        f"nosuch/model -o answers\n{PROMPT}",
        "print('ERRORS=' + ','.join(str(bool(r.error)) for r in answers))",
    ]
    lab.write_notebook("compare.ipynb", cells)
    open_notebook(page, lab, "compare.ipynb")
    ran = run_all(page, lab)
    assert "ERRORS=False,False,True" in output_text(ran[3]), output_text(ran[3])
    page.wait_for_timeout(1000)  # time for any onerror / script to fire
    layout = compare_layout(page, 2)
    context = f"\n{layout}" + diagnostics(page, lab)
    assert len(layout["heads"]) == 3, "expected one column per model" + context
    assert layout["lefts"] == sorted(set(layout["lefts"])), "columns are not side by side" + context
    assert layout["headings"][0] and layout["headings"][1], "answers not rendered" + context
    assert re.search(r"40[04]|not found|unknown", layout["texts"][2], re.I), \
        "the failing model's column does not show its error" + context
    _assert_inert(page, lab, {2: "compare table"})
    screenshot_notebook(page, "compare.png")
