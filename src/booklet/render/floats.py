"""Page fill: lay out an edition, float figures where pages would end short, lay out again.

After the first layout, booklet.render.pagination pages each chapter again in a model of
whole body lines and returns Moves: a chart, photo, QR block, quote or callout that would
leave more than 10 % of a running page empty is set after the next paragraphs instead
(booklet.compose.floats). Only the chapters with moves are then laid out once more, alone,
and their pages put in place of the old ones; when that would change a chapter's page count
or the pages its headings fall on, the whole booklet is laid out once more instead. There is
no further round: at most one extra layout of the affected chapters.
"""

from __future__ import annotations

import math
import time
from typing import Any

from booklet.compose.floats import Move, apply_moves
from booklet.compose.html import Edition, compose
from booklet.content.chapters import Booklet
from booklet.content.config import Project
from booklet.render import floatmemo
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
    for page_number, page in enumerate(document.pages):
        box = page._page_box
        top = box.content_box_y()
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
                        # Where the first layout put it: page, lines above its border box.
                        item.found = (page_number, (block.border_box_y() - top) / line)
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
                    moves: list[Move] | None = None,
                    images: Any = None) -> tuple[Rendered, list[Move]]:
    """Lay out *edition* with figures floated; return the layout and the moves made.

    Without *moves* the booklet is laid out, short pages are found and, if any, it is laid
    out once more with the moves; with *moves* (another edition's) they are applied at once.
    """
    if moves is None:
        composed = compose(booklet, figures, edition, images=images)
        memo = floatmemo.key(composed)  # the same inputs as last time: the same moves
        moves = floatmemo.recall(memo)
        if moves is None:
            first = render(composed, project)
            moves = plan_moves(first.document)
            floatmemo.remember(memo, moves)
            if not moves:
                return _made_up(first, booklet, figures, edition, project), moves
            floated = apply_moves(booklet, moves)
            laid = relayout_chapters(first, floated, {m.chapter for m in moves}, figures,
                                     edition, project, images) \
                or render(compose(floated, figures, edition, images=images), project)
            laid.seconds += first.seconds
            return _made_up(laid, booklet, figures, edition, project), moves
        if not moves:  # remembered: nothing floats
            return _made_up(render(composed, project), booklet, figures, edition, project), moves
    laid = render(compose(apply_moves(booklet, moves), figures, edition, images=images), project)
    return _made_up(laid, booklet, figures, edition, project), moves


def _chapter_pages(document: Any) -> dict[str, list[int]]:
    """Return the page indexes each chapter (by id) is laid out on."""
    from weasyprint.formatting_structure import boxes as B

    pages: dict[str, list[int]] = {}
    for index, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if isinstance(box, B.BlockBox) and box.element_tag == "section" \
                    and (element.get("id") or "").startswith("chapter-"):
                pages.setdefault(element.get("id")[len("chapter-"):], []).append(index)
                break
    return pages


def relayout_chapters(first: Rendered, floated: Booklet, chapters: set[str], figures: Any,
                      edition: Edition, project: Project, images: Any = None
                      ) -> Rendered | None:
    """Lay out only the chapters with moves and put their pages in place of the old ones.

    Each chapter is laid out alone with its first page number, side and footnote number (as
    booklet.render.segments does). None when a chapter's pages or the pages of its headings
    change, since folios after it and the contents would then be wrong: the caller then lays
    out the whole booklet once more.
    """
    start = time.perf_counter()
    old = list(first.document.pages)
    spans = _chapter_pages(first.document)
    replaced: dict[int, list[Any]] = {}
    notes = 0
    for chapter in floated.chapters:
        if chapter.meta.id in chapters:
            span = spans.get(chapter.meta.id, [])
            if not chapter.meta.new_page or not span or span != list(range(span[0],
                                                                          span[-1] + 1)):
                return None
            number = span[0] + 1
            side = "right" if number % 2 else "left"
            css = (f"html {{ break-before: {side}; counter-reset: footnote {notes}; }}\n"
                   f"@page :first {{ counter-reset: page {number}; }}\n")
            part = render(compose(floated, figures, edition, part=chapter.meta.id,
                                  extra_css=css, images=images), project)
            new = list(part.document.pages)
            if len(new) != len(span) or any(set(a.anchors) != set(b.anchors)
                                            for a, b in zip(new, old[span[0]:], strict=False)):
                return None
            replaced[span[0]] = new
        notes += chapter.footnotes
    pages: list[Any] = []
    index = 0
    while index < len(old):
        if index in replaced:
            pages += replaced[index]
            index += len(replaced[index])
        else:
            pages.append(old[index])
            index += 1
    return Rendered(first.edition, first.document.copy(pages), time.perf_counter() - start,
                    first.warnings, first.refused)


def _made_up(rendered: Rendered, booklet: Booklet, figures: Any, edition: Edition,
             project: Project) -> Rendered:
    """Return the print edition made up to whole sheets with notes pages (render.padding)."""
    from booklet.render.padding import pad_with_notes

    if edition != "print":
        return rendered
    return pad_with_notes(rendered, booklet, figures, edition, project)
