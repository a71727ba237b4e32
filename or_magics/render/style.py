"""The one small `<style>` of an output: only the rules for the classes it uses.

A saved notebook (and `nbconvert --to markdown`) keeps every output's style block, so it
must cost little: code tokens get three one-letter classes (`markdown.render_code`), the
chrome a few `orm-*` classes, and `stylesheet` writes just the rules whose class occurs.
Every `var(--jp-…)` has a fallback that reads on light and dark backgrounds, for VS Code
and nbconvert HTML where the JupyterLab variables are missing.
"""

from __future__ import annotations

import re

_V = "var(--jp-mirror-editor-{}-color,{})"
_UI2 = "var(--jp-ui-font-color2,#888)"

RULES: dict[str, str] = {
    # code tokens: keywords, literals, comments
    "k": f".orm .k{{color:{_V.format('keyword', '#a2a')}}}",
    "s": f".orm .s{{color:{_V.format('string', '#285')}}}",
    "c": f".orm .c{{color:{_V.format('comment', '#888')}}}",
    # header, footer, waiting mark and the rest of the chrome
    "orm-meta": f".orm-meta{{font-size:var(--jp-ui-font-size0,11px);color:{_UI2}}}",
    "orm-stop": ".orm-stop{font-weight:600}",
    "orm-error": ".orm-error{color:var(--jp-error-color1,#d32f2f)}",
    "orm-reasoning": f".orm-reasoning>summary{{cursor:pointer;color:{_UI2}}}"
    f".orm-reasoning>div{{border-left:2px solid #8884;padding-left:10px;color:{_UI2}}}",
    "orm-preview": ".orm-preview{font-style:italic}",
    "orm-tools": ".orm-tools pre{max-height:16em;overflow:auto}",
}
_CLASSES = re.compile(r'class="([^"]*)"')


def stylesheet(html: str) -> str:
    """A `<style>` element with the rules for the classes used in `html` (or "")."""
    used = {name for attr in _CLASSES.findall(html) for name in attr.split()}
    css = "".join(rule for name, rule in RULES.items() if name in used)
    return f"<style>{css}</style>" if css else ""
