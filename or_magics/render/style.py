"""Small embedded stylesheets, scoped to `.orm`, themed with JupyterLab CSS variables.

Every `var(--jp-…)` has a fallback that reads on light and dark backgrounds, for VS Code
and nbconvert HTML where the JupyterLab variables are missing. Pygments marks tokens with
short classes only; JupyterLab styles none of them for HTML output, so the code colours
come from here (the same variables jupyterlab_pygments uses, with attribute selectors to
cover every subtype in a few rules).
"""

from __future__ import annotations

_V = "var(--jp-mirror-editor-{}-color,{})"
_HL = ".orm .highlight "

CODE_CSS = "".join(
    (
        f"{_HL}[class^=k]{{color:{_V.format('keyword', '#a626a4')};font-weight:600}}",
        f"{_HL}[class^=s],{_HL}.dl{{color:{_V.format('string', '#2e8b57')}}}",
        f"{_HL}[class^=c]{{color:{_V.format('comment', '#8a8a8a')};font-style:italic}}",
        f"{_HL}[class^=m],{_HL}.il{{color:{_V.format('number', '#1e88e5')}}}",
        f"{_HL}[class^=o]{{color:{_V.format('operator', '#a626a4')}}}",
        f"{_HL}.nf,{_HL}.fm,{_HL}.nc{{color:{_V.format('def', '#3b7fd6')}}}",
        f"{_HL}.nb,{_HL}.bp,{_HL}.ne{{color:{_V.format('builtin', '#0f9aa8')}}}",
        f"{_HL}.nd,{_HL}.cp{{color:{_V.format('meta', '#c2185b')}}}",
        f"{_HL}.nt{{color:{_V.format('tag', '#d84315')}}}",
        f"{_HL}.na{{color:{_V.format('attribute', '#c77d00')}}}",
        f"{_HL}.gd{{color:#d32f2f}}{_HL}.gi{{color:#2e8b57}}{_HL}.gh,{_HL}.gu{{font-weight:600}}",
        f"{_HL}.err{{color:{_V.format('error', '#d32f2f')}}}",
    )
)

META_CSS = (
    ".orm .orm-meta{font-size:var(--jp-ui-font-size0,11px);"
    "color:var(--jp-ui-font-color2,#888);margin:2px 0;line-height:1.5}"
    ".orm .orm-sim{border:1px solid currentColor;border-radius:3px;padding:0 3px}"
    ".orm .orm-stop{color:var(--jp-ui-font-color1,inherit);font-weight:600}"
    ".orm .orm-error{color:var(--jp-error-color1,#d32f2f);margin:4px 0}"
    ".orm details.orm-reasoning{margin:2px 0 6px}"
    ".orm details.orm-reasoning>summary{cursor:pointer;font-size:var(--jp-ui-font-size1,13px);"
    "color:var(--jp-ui-font-color2,#888)}"
    ".orm .orm-preview{font-style:italic;opacity:.8}"
    ".orm details.orm-reasoning>div{border-left:2px solid var(--jp-border-color2,#8884);"
    "padding-left:10px;color:var(--jp-ui-font-color2,#888)}"
    ".orm .orm-cites,.orm .orm-tools{font-size:var(--jp-ui-font-size1,13px);margin:6px 0}"
    ".orm .orm-cites ol{margin:2px 0;padding-left:2em}"
    ".orm .orm-cites a{color:var(--jp-content-link-color,#1a73e8)}"
    ".orm .orm-tools pre{margin:2px 0;padding:4px 8px;font-size:12px;max-height:16em;"
    "overflow:auto}"
)


def stylesheet(*, code: bool, meta: bool) -> str:
    """A `<style>` element with just the rules this output needs (empty if none)."""
    css = (CODE_CSS if code else "") + (META_CSS if meta else "")
    return f"<style>{css}</style>" if css else ""
