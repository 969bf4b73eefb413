"""Page fill: find pages left short by a figure that moved on, and lay out once more.

After a layout, a running page (not a chapter's last) whose text block ends more than 10 %
empty because the next page opens with a chart, photo or QR block gets a Move: the figure is
set after as many of the following paragraphs as fill the gap (booklet.compose.floats). The
booklet is then laid out once more with every move applied; there is no further round, so a
build costs at most one extra layout, and only when a page is short.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from booklet.compose.floats import MAX_PASS, Move, apply_moves
from booklet.compose.html import Edition, compose
from booklet.content.chapters import Booklet
from booklet.content.config import Project
from booklet.render.layout import Rendered, render

MAX_EMPTY = 0.10
FLOATING = {"chart", "photo", "qr"}


@dataclass
class _Block:
    """A top-level block of a chapter on one page."""

    element: Any
    top: float
    bottom: float


@dataclass
class _Page:
    """The chapter blocks of one page and the foot of its text area."""

    section: Any
    blocks: list[_Block]
    top: float
    bottom: float


def _page(page: Any) -> _Page:
    """Return the chapter blocks of a laid-out page."""
    from weasyprint.formatting_structure import boxes as B

    box = page._page_box
    top, bottom = box.content_box_y(), box.content_box_y() + box.height
    section, blocks = None, []
    stack = list(box.children)
    while stack:
        child = stack.pop(0)
        if isinstance(child, B.FootnoteAreaBox):
            if child.children:
                bottom = min(bottom, child.position_y)
            continue
        element = getattr(child, "element", None)
        classes = (element.get("class") or "").split() if element is not None else []
        if child.element_tag == "section" and "chapter" in classes:
            section = element
            for block in child.children:
                if isinstance(block, B.BlockLevelBox) and block.margin_height() > 0.01:
                    blocks.append(_Block(block.element, block.position_y,
                                         block.position_y + block.margin_height()))
            continue
        if isinstance(child, B.ParentBox) and not isinstance(child, B.MarginBox):
            stack[:0] = list(child.children)
    return _Page(section, blocks, top, bottom)


def plan_moves(document: Any) -> list[Move]:
    """Return the figure moves that would fill the short pages of *document*."""
    pages = [_page(p) for p in document.pages]
    moves: list[Move] = []
    for page, following in pairwise(pages):
        if page.section is None or page.section is not following.section \
                or not page.blocks or not following.blocks:
            continue
        gap = page.bottom - max(b.bottom for b in page.blocks)
        if gap <= MAX_EMPTY * (page.bottom - page.top):
            continue
        first = following.blocks[0]
        key = first.element.get("data-node") if first.element is not None else None
        classes = set((first.element.get("class") or "").split()) if key else set()
        if not key or not classes & FLOATING:
            continue
        count, filled = 0, 0.0
        for block in following.blocks[1:MAX_PASS + 1]:
            if block.element is None or block.element.tag != "p":
                break
            count += 1
            filled += block.bottom - block.top
            if filled >= gap:
                break
        if count:
            chapter, _, index = key.rpartition(":")
            moves.append(Move(chapter, int(index), count))
    return moves


def render_floating(booklet: Booklet, figures: Any, edition: Edition, project: Project,
                    moves: list[Move] | None = None) -> tuple[Rendered, list[Move]]:
    """Lay out *edition* with figures floated; return the layout and the moves made.

    Without *moves* the booklet is laid out, short pages are found and, if any, it is laid
    out once more with the moves; with *moves* (another edition's) they are applied at once.
    """
    if moves is None:
        first = render(compose(booklet, figures, edition), project)
        moves = plan_moves(first.document)
        if not moves:
            return _made_up(first, booklet, figures, edition, project), moves
        laid = render(compose(apply_moves(booklet, moves), figures, edition), project)
        laid.seconds += first.seconds
    else:
        laid = render(compose(apply_moves(booklet, moves), figures, edition), project)
    return _made_up(laid, booklet, figures, edition, project), moves


def _made_up(rendered: Rendered, booklet: Booklet, figures: Any, edition: Edition,
             project: Project) -> Rendered:
    """Return the print edition made up to whole sheets with notes pages (render.padding)."""
    from booklet.render.padding import pad_with_notes

    if edition != "print":
        return rendered
    return pad_with_notes(rendered, booklet, figures, edition, project)
