"""Page fill: find pages left short by a figure that moved on, and lay out once more.

After a layout, a running page (not a chapter's last) whose text block ends more than 10 %
empty because the next page opens with a chart, photo or QR block gets a Move: the figure is
set after as many of the following paragraphs as fill the gap (booklet.compose.floats). The
booklet is then laid out once more with every move applied; there is no further round, so a
build costs at most one extra layout, and only when a page is short.
"""

from __future__ import annotations

import math
from typing import Any

from booklet.compose.floats import Move, apply_moves
from booklet.compose.html import Edition, compose
from booklet.content.chapters import Booklet
from booklet.content.config import Project
from booklet.render.layout import Rendered, render
from booklet.render.pagination import Item, kind_of, plan_chapter


def _line(box: Any) -> float | None:
    """Return the grid unit (--line) in px from a box's style."""
    from booklet.render.patches.grid import line_px

    return line_px(box.style)


def _margin(box: Any, name: str) -> float:
    """Return a block's margin from its style in px (0 for auto or a percentage)."""
    value = box.style[name]
    return float(value.value) if getattr(value, "unit", None) == "px" else 0.0


def chapter_items(document: Any) -> list[tuple[float, list[Item]]]:
    """Return, per chapter that opens a page, its page capacity in lines and its blocks."""
    from weasyprint.formatting_structure import boxes as B

    chapters: dict[int, tuple[float, list[Item]]] = {}
    seen: dict[int, Item] = {}
    for page in document.pages:
        box = page._page_box
        stack = list(box.children)
        while stack:
            child = stack.pop(0)
            element = getattr(child, "element", None)
            classes = (element.get("class") or "").split() if element is not None else []
            if child.element_tag == "section" and "new-page" in classes:
                line = _line(child)
                if not line:
                    continue
                _, items = chapters.setdefault(id(element), (box.height / line, []))
                for block in child.children:
                    if not isinstance(block, B.BlockLevelBox) or block.element is None \
                            or block.margin_height() < 0.01:
                        continue
                    item = seen.get(id(block.element))
                    if item is None:
                        item = seen[id(block.element)] = Item(
                            block.element, kind_of(block.element), 0.0,
                            _margin(block, "margin_top") / line,
                            _margin(block, "margin_bottom") / line,
                            block.element.get("data-node"))
                        items.append(item)
                    item.lines += block.border_height() / line
            elif isinstance(child, B.ParentBox) and not isinstance(child, B.MarginBox):
                stack[:0] = list(child.children)
    notes = _footnotes(document)
    for _, items in chapters.values():
        for item in items:
            item.lines = round(item.lines, 2)
            item.notes = sum(notes.get(id(e), 0.0) for e in item.element.iter()) / line
    return list(chapters.values())


def _footnotes(document: Any) -> dict[int, float]:
    """Return the height in px of each footnote, keyed by id() of its element."""
    from weasyprint.formatting_structure import boxes as B

    heights: dict[int, float] = {}
    for page in document.pages:
        for child in page._page_box.children:
            if isinstance(child, B.FootnoteAreaBox):
                for note in child.children:
                    if note.element is not None:
                        heights[id(note.element)] = heights.get(id(note.element), 0.0) \
                            + note.margin_height()
    return heights


def plan_moves(document: Any) -> list[Move]:
    """Return the figure moves that fill the short pages of *document* (render.pagination)."""
    moves = []
    for cap, items in chapter_items(document):
        for node, count in plan_chapter(items, math.floor(cap + 0.01)):
            chapter, _, index = node.rpartition(":")
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
