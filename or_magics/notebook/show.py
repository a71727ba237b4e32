"""Small outputs of the subcommands: a bundle with plain text (for terminals and saved
notebooks), optional Markdown and HTML, and tables rendered both ways."""

from __future__ import annotations

import html

__all__ = ["html_table", "plain_table", "show", "table"]


def show(plain: str, markdown: str | None = None, html_text: str | None = None) -> None:
    from IPython.display import display

    bundle = {"text/plain": plain}
    if markdown is not None:
        bundle["text/markdown"] = markdown
    if html_text is not None:
        bundle["text/html"] = html_text
    display(bundle, raw=True)  # type: ignore[no-untyped-call]


def table(headers: list[str], rows: list[list[str]], align: str) -> tuple[str, str]:
    """(plain, html) renderings of one small table; ``align`` is "l"/"r" per column."""
    escaped = [[html.escape(c) for c in r] for r in rows]
    return plain_table(headers, rows, align), html_table(headers, escaped, align)


def plain_table(headers: list[str], rows: list[list[str]], align: str) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.rjust(w) if a == "r" else c.ljust(w)
                         for c, w, a in zip(cells, widths, align, strict=True)).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]),
                      *(line(r) for r in rows)])


def html_table(headers: list[str], cells: list[list[str]], align: str) -> str:
    """An HTML table of cells that are HTML already."""
    style = ["text-align:right" if a == "r" else "text-align:left" for a in align]
    head = "".join(f"<th style='{s}'>{html.escape(h)}</th>"
                   for h, s in zip(headers, style, strict=True))
    body = "".join("<tr>" + "".join(f"<td style='{s}'>{c}</td>"
                                    for c, s in zip(r, style, strict=True)) + "</tr>"
                   for r in cells)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
