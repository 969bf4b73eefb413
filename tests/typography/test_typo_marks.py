"""Punctuation faces and the mark before a footnote call, read back from rendered PDFs."""

from __future__ import annotations

import itertools

import pdfplumber
from tests.typography.typo_harness import render

from booklet.compose.typography import TypographyOptions, stylesheet

HEAD = '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>{}</style></head>'
CSS = """
@page { size: 30em 200mm; margin: 10mm 1em; }
:root { --font-quote: 'LXGW WenKai'; }
html { font-family: "Noto Serif CJK SC"; font-size: 10.5pt; }
p { margin: 0; text-align: justify; }
.kai { font-family: var(--font-quote), serif; }
.note { float: footnote; }
::footnote-call { content: counter(footnote); font-size: 0.6em; vertical-align: super; }
"""


def _chars(doc, tmp_path):
    pdf = tmp_path / "marks.pdf"
    doc.write_pdf(pdf)
    with pdfplumber.open(pdf) as opened:
        return [c for page in opened.pages for c in page.chars]


def test_kai_quotes_and_interpunct_come_from_a_cjk_face(tmp_path):
    text = "他说：“我们‘必须’共同努力。”安东尼奥·古特雷斯"
    options = TypographyOptions(quote_font="LXGW WenKai")
    # In the document's own style sheet: @font-face needs the document's font configuration.
    html = (HEAD.format(CSS + stylesheet(options))
            + f'<body><p class="kai">{text}</p><p>{text}</p></body></html>')
    chars = _chars(render(html, options=options), tmp_path)
    kai = chars[:len(text)]
    body = chars[len(text):]
    assert "WenKai" in kai[0]["fontname"]
    for mark in "“”‘’":
        c = next(c for c in kai if c["text"] == mark)
        assert "quote-marks" in c["fontname"] and abs(c["width"] / c["size"] - 1.0) < 0.01
    dots = [c for c in chars if c["text"] == "·"]
    assert len(dots) == 2 and abs(dots[0]["width"] - dots[1]["width"]) < 0.01  # one width
    assert len(body) == len(text)


def test_mark_before_a_footnote_call_is_half_width(tmp_path):
    text = '过去一年，<span class="note">注释。</span>人类经受了各方面的考验。' * 3
    html = HEAD.format(CSS) + f"<body><p>{text}</p></body></html>"
    chars = _chars(render(html), tmp_path)
    calls = [(a, b) for a, b in itertools.pairwise(chars)
             if a["text"] == "，" and b["text"] == "1"]
    assert calls
    comma, call = calls[0]
    assert (call["x0"] - comma["x0"]) / comma["size"] < 0.6  # the call sits in the mark's half
