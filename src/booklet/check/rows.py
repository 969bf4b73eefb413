"""The rows of laid-out pages: each line of text or picture with its boxes, page and place.

The layout checks (layout.py), the placement checks (placement.py) and the output checks read
pages through these rows, and `where_of` finds a row's source file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from booklet.check.common import SourceIndex

PX_PT = 0.75  # CSS px to pt
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


@dataclass
class Row:
    """A line of text or a picture on a page, with the boxes that hold it."""

    page: int  # 1-based
    box: Any  # LineBox or ReplacedBox
    parent: Any  # the block box the row sits in (a fragment of a paragraph)
    chain: tuple[Any, ...]  # ancestor boxes, outermost first
    area: str  # flow, footnote or margin
    text: str  # printed text without generated content
    x0: float
    x1: float
    y0: float
    y1: float
    absolute: bool = False
    clipped: bool = False

    @property
    def element(self) -> Any:
        """Return the HTML element of the paragraph (the same object on every page)."""
        return self.box.element

    @property
    def is_line(self) -> bool:
        """Return whether the row is a line of text."""
        return type(self.box).__name__ == "LineBox"

    def in_heading(self) -> bool:
        """Return whether the row is part of a heading."""
        return any((b.element_tag or "").split("::")[0] in HEADINGS for b in self.chain)


@dataclass(frozen=True)
class PageFrame:
    """A page's geometry in CSS px: trim size, bleed and content (type) area."""

    width: float
    height: float
    bleed: dict[str, float]
    content: tuple[float, float, float, float]  # x0, y0, x1, y1


def frame_of(page: Any) -> PageFrame:
    """Return the trim, bleed and content area of a WeasyPrint page."""
    box = page._page_box
    x0, y0 = box.content_box_x(), box.content_box_y()
    return PageFrame(page.width, page.height, dict(page.bleed),
                     (x0, y0, x0 + box.width, y0 + box.height))


def page_rows(page: Any, number: int) -> list[Row]:
    """Return the lines and pictures of a page in reading order."""
    from weasyprint.formatting_structure import boxes as B
    from weasyprint.layout.absolute import AbsolutePlaceholder

    rows: list[Row] = []

    def walk(box: Any, chain: tuple[Any, ...], area: str, absolute: bool, clipped: bool) -> None:
        if isinstance(box, AbsolutePlaceholder):
            box, absolute = box._box, True
        if isinstance(box, B.MarginBox):
            area = "margin"
        elif isinstance(box, B.FootnoteAreaBox):
            area = "footnote"
        if isinstance(box, B.LineBox):
            rows.append(_line_row(box, number, chain, area, absolute, clipped))
            return
        if isinstance(box, B.ReplacedBox):
            x, y = box.border_box_x(), box.border_box_y()
            rows.append(Row(number, box, chain[-1] if chain else box, chain, area, "",
                            x, x + box.border_width(), y, y + box.border_height(),
                            absolute, clipped))
            return
        clips = box.style["overflow"] != "visible" if hasattr(box, "style") else False
        for child in getattr(box, "children", ()):
            if isinstance(child, B.Box | AbsolutePlaceholder):
                walk(child, (*chain, box), area, absolute, clipped or clips)

    walk(page._page_box, (), "flow", False, False)
    return rows


def _line_row(line: Any, number: int, chain: tuple[Any, ...], area: str, absolute: bool,
              clipped: bool) -> Row:
    """Return a Row for a line box: its printed text and the extent of its glyph boxes."""
    from weasyprint.formatting_structure import boxes as B

    text, xs, ys = [], [], []
    for box in line.descendants():
        tag = box.element_tag or ""
        if tag.endswith("::marker"):
            continue  # list bullets hang outside the column by design
        if isinstance(box, B.TextBox | B.InlineReplacedBox | B.InlineBlockBox):
            xs += [box.position_x, box.position_x + box.margin_width()]
            ys += [box.position_y, box.position_y + box.margin_height()]
            if isinstance(box, B.TextBox) and "::" not in tag:
                text.append(box.text)
    if not xs:
        xs, ys = [line.position_x], [line.position_y]
    return Row(number, line, chain[-1], chain, area, "".join(text).strip(), min(xs), max(xs),
               min(ys), max(ys), absolute, clipped)


def where_of(row: Row, index: SourceIndex) -> dict[str, Any]:
    """Return file/line keyword arguments for a finding about *row*."""
    element = row.box.element
    anchor = element.get("id") if element is not None else None
    if anchor in index.anchors:  # a heading: its id names the exact source line
        file, line = index.anchors[anchor]
        return {"file": file, "line": line}
    for box in (row.box, *reversed(row.chain)):  # the innermost element the parser marked
        mark = box.element.get("data-src") if box.element is not None else None
        if mark:
            found = index.locate_source(mark, row.text)
            if found:
                return {"file": found[0], "line": found[1]}
    # A photo's original path (data-image): its src is the image stage's prepared file.
    src = (element.get("data-image") or element.get("src")) if element is not None else None
    found = (index.find(f"src: {src}") or index.find(src)) if src \
        else index.locate_text(row.text)
    return {"file": found[0], "line": found[1]} if found else {}
