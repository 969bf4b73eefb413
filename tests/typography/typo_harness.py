"""Render plain Chinese paragraphs with WeasyPrint, with or without the typography layer."""

from __future__ import annotations

import html
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TORTURE = ROOT / "tests" / "fixtures" / "torture" / "torture.md"
SOURCE = ROOT / "tests" / "fixtures" / "source" / "un-sg-report-2023-highlights.zh.txt"

# The body CSS the pipeline uses (design brief §4), on a column of `width` ems. No
# `line-break: strict`: WeasyPrint 70 ignores it with a warning; Pango + rules.py do the work.
BODY_CSS = """
@page {{ size: {page_width}em 297mm; margin: 15mm 1em; }}
html {{ font-family: "Noto Serif CJK SC"; font-size: 10.5pt; line-height: 1.75; }}
body {{ margin: 0; width: {width}em; }}
p {{ margin: 0; text-align: justify; text-indent: 2em; hyphens: manual; }}
h1 {{ font-family: "Noto Sans CJK SC"; font-size: 14pt; font-weight: bold; }}
"""


def paragraphs(path: Path) -> list[str]:
    """Return the non-empty lines of a Markdown-ish file, markup removed (# headings kept)."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = re.sub(r"<sup>\d+</sup>|\*\*|^- ", "", line.strip()).strip()
        if line:
            out.append(line)
    return out


def document(paras: list[str], width: float = 35) -> str:
    """Return an HTML document of the paragraphs, escaped as the compose stage does."""
    body = []
    for p in paras:
        if p.startswith("#"):
            body.append(f"<h1>{html.escape(p.lstrip('# '))}</h1>")
        else:
            body.append(f"<p>{html.escape(p)}</p>")
    css = BODY_CSS.format(width=width, page_width=width + 2)
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            f"<style>{css}</style></head><body>{''.join(body)}</body></html>")


def render(source: str, typography: bool = True, options=None):
    """Lay out an HTML string; with `typography`, through prepare_html, stylesheet and install."""
    from weasyprint import CSS, HTML

    sheets = []
    if typography:
        from booklet.compose.typography import TypographyOptions, prepare_html, stylesheet
        from booklet.render.patches.justify import install

        options = options or TypographyOptions()
        install()
        source = prepare_html(source, options)
        sheets.append(CSS(string=stylesheet(options)))
    return HTML(string=source).render(stylesheets=sheets)


def write(paras: list[str], pdf: Path, width: float = 35, typography: bool = True,
          options=None) -> Path:
    """Render the paragraphs at a column width of `width` ems into `pdf`."""
    render(document(paras, width), typography, options).write_pdf(pdf)
    return pdf


MARKUP = ROOT / "tests" / "fixtures" / "torture" / "markup.html"
# Inline markup as the booklet styles it (styles/base.css): emphasis in the Kai face, strong
# in the sans, links, footnotes floated to the page foot with a superscript call.
MARKUP_CSS = """
em {{ font-style: normal; font-family: "LXGW WenKai"; }}
strong {{ font-family: "Noto Sans CJK SC"; font-weight: bold; }}
a {{ color: #1a4f8b; text-decoration: none; }}
.footnote {{ float: footnote; font-size: 8pt; line-height: 1.6; text-indent: 0; }}
::footnote-call {{ content: counter(footnote); font-family: "Noto Sans CJK SC"; font-size: 8pt;
  vertical-align: super; line-height: 0; }}
"""


def markup_document(path: Path, width: float = 35) -> str:
    """Return an HTML document of a fixture of HTML paragraphs (one element a line)."""
    body = "".join(line.strip() for line in path.read_text(encoding="utf-8").splitlines()
                   if line.startswith("<h1") or line.startswith("<p"))
    css = (BODY_CSS + MARKUP_CSS).format(width=width, page_width=width + 2)
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            f"<style>{css}</style></head><body>{body}</body></html>")


def markup_text(path: Path) -> str:
    """Return the body text of a markup fixture: tags and footnote bodies removed."""
    source = path.read_text(encoding="utf-8")
    source = re.sub(r"<!--.*?-->", "", source, flags=re.S)
    source = re.sub(r'<span class="footnote">.*?</span>', "", source)
    return html.unescape(re.sub(r"<[^>]+>|\n", "", source))


def write_markup(path: Path, pdf: Path, width: float = 35, typography: bool = True,
                 options=None) -> Path:
    """Render a markup fixture at a column width of `width` ems into `pdf`."""
    render(markup_document(path, width), typography, options).write_pdf(pdf)
    return pdf
