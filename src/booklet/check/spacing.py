"""Paragraph composition checks read from the laid-out boxes: loose lines and runts.

The justification patch (`render/patches/justify.py`) records on every text box the gaps it
opened (`booklet_gaps`: character indices and widths), so the widest gap between two Han
characters of a line is known exactly, without measuring glyphs in the PDF.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from booklet.check.common import Finding, SourceIndex
from booklet.check.layout import _HAN, Row, _short, page_rows, where_of

LOOSE = 0.15  # em between two Han characters: a loose line
RUNT = 2  # characters: a paragraph's last line this short is a runt (孤字)


def check_spacing(document: Any, index: SourceIndex, edition: str) -> list[Finding]:
    """Return loose lines and runts of a rendered document."""
    rows = [r for n, p in enumerate(document.pages, 1) for r in page_rows(p, n)]
    return [*loose_lines(rows, index, edition), *runts(rows, index, edition)]


def han_gap(row: Row) -> float:
    """Return the widest gap (em) justification opened between two Han characters of a line."""
    from weasyprint.formatting_structure import boxes as B

    widest = 0.0
    for box in row.box.descendants():
        gaps = getattr(box, "booklet_gaps", None) if isinstance(box, B.TextBox) else None
        if not gaps:
            continue
        text, size = box.text, box.style["font_size"]
        for i, amount in zip(*gaps, strict=True):
            if i + 1 < len(text) and _HAN.match(text[i]) and _HAN.match(text[i + 1]) and size:
                widest = max(widest, amount / size)
    return widest


def loose_lines(rows: list[Row], index: SourceIndex, edition: str) -> Iterator[Finding]:
    """Yield each line whose Han characters stand more than LOOSE em apart."""
    for r in rows:
        if not r.is_line or r.clipped or r.area == "margin":
            continue
        gap = han_gap(r)
        if gap > LOOSE:
            yield Finding("info", "loose-line", f"a loose line: {gap:.2f} em between Han "
                          f"characters: {_short(r.text)}", "add or remove a few characters in "
                          "the paragraph, or let a long English name or number break",
                          **where_of(r, index), page=r.page, edition=edition)


def runts(rows: list[Row], index: SourceIndex, edition: str) -> Iterator[Finding]:
    """Yield paragraphs (body, quotes, notes, captions) ending with a line of <= 2 characters."""
    lines_of: dict[int, int] = defaultdict(int)
    last_line: dict[int, Row] = {}
    for r in rows:
        # Table cells are not paragraphs (and a long table repeats its header cells on every
        # page, which would count one short cell as a paragraph of several lines).
        in_cell = any((b.element_tag or "") in ("td", "th") for b in (r.box, *r.chain))
        if r.is_line and not r.clipped and r.area != "margin" and not in_cell:
            lines_of[id(r.element)] += 1
            last_line[id(r.element)] = r
    for key, r in last_line.items():
        text = "".join(r.text.split())
        if lines_of[key] < 2 or not text or len(text) > RUNT or not _HAN.search(text):
            continue
        yield Finding("info", "short-last-line", f"the paragraph ends with a runt, a line of "
                      f"{len(text)} character(s): {_short(r.text)}", "add or remove a few "
                      "characters so the last line holds at least two and its punctuation",
                      **where_of(r, index), page=r.page, edition=edition)
