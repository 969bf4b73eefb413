"""Lines across page references ("（见第3页）"), shrunk by Han glue, read back from the PDF.

WeasyPrint makes the boxes of generated content (a link's `::after` with target-counter)
again when the page numbers are known: the paragraph composer must plan with those boxes,
or they are laid out without the line's letter-spacing, the shrunk line overflows and
WeasyPrint breaks inside the reference ("……（见第3" | "页），").
"""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import pytest
from tests.typography.typo_harness import BODY_CSS, MARKUP_CSS, SOURCE, paragraphs, render

from booklet.compose.typography import linebreak

REF_CSS = 'a.ref::after { content: "第" target-counter(attr(href), page) "页"; }'
WIDTHS = (31, 32, 33)
_HAN = re.compile("[\u4e00-\u9fff]")


def _document(width: int) -> str:
    """Return the source's paragraphs with a page reference after every other "，"."""
    body = []
    for para in paragraphs(SOURCE)[:40]:
        if para.startswith("#"):
            continue
        parts = para.split("，")
        out = []
        for j, part in enumerate(parts):
            out.append(part)
            if j < len(parts) - 1:
                out.append(f'（见<a class="ref" href="#end{j % 3}"></a>），' if j % 2 == 0
                           else "，")
        body.append("<p>" + "".join(out) + "</p>")
    body += [f'<h1 id="end{j}" style="break-before: page">end</h1>' for j in range(3)]
    css = (BODY_CSS + MARKUP_CSS).format(width=width, page_width=width + 2) + REF_CSS
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>{css}'
            f"</style></head><body>{''.join(body)}</body></html>")


def _lines(pdf: Path) -> list[list[dict]]:
    """Return the body lines of the PDF (10.5 pt characters on one baseline), left to right."""
    import pdfplumber

    out = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            rows: dict[float, list[dict]] = {}
            for c in page.chars:
                if abs(c["size"] - 10.5) < 0.05:
                    rows.setdefault(round(c["bottom"], 1), []).append(c)
            out += [sorted(cs, key=lambda c: c["x0"]) for _, cs in sorted(rows.items())]
    return out


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[int, tuple[list[list[dict]], dict[str, int]]]:
    """Render the document at each width; return its lines and the composer's stats."""
    from booklet.render.patches import paragraph

    folder = tmp_path_factory.mktemp("pagerefs")
    out = {}
    for width in WIDTHS:
        pdf = folder / f"refs-{width}em.pdf"
        render(_document(width)).write_pdf(pdf)
        out[width] = (_lines(pdf), dict(paragraph.stats))
    return out


def test_page_references_are_planned_and_never_split(rendered):
    for width, (lines, stats) in rendered.items():
        assert stats["planned"] > 10 and stats["replanned"] == 0, (width, stats)
        texts = ["".join(c["text"] for c in cs) for cs in lines]
        assert not [t for t in texts if re.search(r"第\d*$", t) or re.match(r"\d*页", t)], width


def test_a_shrunk_line_across_page_references_ends_flush(rendered):
    tight = []
    for lines, _ in rendered.values():
        right = max(cs[-1]["x1"] for cs in lines)
        for cs in lines:
            text = "".join(c["text"] for c in cs)
            gaps = [(b["x0"] - a["x1"]) / 10.5 for a, b in pairwise(cs)
                    if _HAN.match(a["text"]) and _HAN.match(b["text"])]
            if gaps and min(gaps) < -0.002 and re.search(r"第\d+页", text):
                tight.append(text)
                assert min(gaps) >= -linebreak.HAN_SHRINK - 0.005, text
                assert abs(right - cs[-1]["x1"]) < 0.2, text  # flush with the measure
    assert tight  # the case this guards: a shrunk line holding a page reference
