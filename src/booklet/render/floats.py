"""Page fill: lay out an edition, float figures where pages would end short, lay out again.

After the first layout, booklet.render.pagination pages each chapter again in a model of
whole body lines and returns Moves: a chart, photo, QR block, quote or callout that would
leave more than 10 % of a running page empty is set elsewhere or a photo drawn smaller
(booklet.compose.floats). Only the chapters with moves are then laid out once more, alone,
and their pages put in place of the old ones (with the chapters after one whose page count
changed, and the contents if a heading moved page). There is no further round; what is
still short is filled by whole lines after layout (booklet.render.fill).
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
                        if item.kind == "figure":
                            item.picture, item.unit = _picture(block), line
                            item.fit = _fit_lines(item.picture, line)
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


def _picture(block: Any) -> tuple[str, float, float, float]:
    """Return (kind, width, height, caption height) in px of a figure's picture, kind "" if none.

    A chart's picture is its image; a photo's is its frame, with the caption set beside it
    (a frame may not become shorter than its caption). A half photo floats: not fitted.
    """
    classes = set((block.element.get("class") or "").split())
    if "photo-half" in classes:
        return ("", 0.0, 0.0, 0.0)
    frame = caption = None
    for box in block.descendants():
        names = set(((getattr(box, "element", None) is not None
                     and box.element.get("class")) or "").split())
        if "chart-image" in names and box.element_tag == "img":
            return ("chart", box.width, box.height, 0.0)
        if "photo-frame" in names and frame is None:
            frame = box
        if "photo-caption" in names and caption is None:
            caption = box
    if frame is None:
        return ("", 0.0, 0.0, 0.0)
    beside = 0.0 if "photo-full" in classes or caption is None else caption.margin_height()
    return ("photo", frame.width, frame.height, beside)


def _fit_lines(picture: tuple[str, float, float, float], line: float) -> int:
    """Return the lines a figure may give up (MAX_FIT of its picture, never below its caption)."""
    from booklet.render.pagination import MAX_FIT

    kind, _, height, caption = picture
    if kind != "photo":
        # A chart is drawn with its smallest text at the 8 pt minimum (figures: theme.small_pt;
        # check: ink-min-size): drawn smaller, it would print under it. Only photos shrink.
        return 0
    return max(0, min(math.floor(MAX_FIT * height / line), math.floor((height - caption) / line)))


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
        by_node = {item.node: item for item in items}
        for node, count, shrink in plan_chapter(items, math.floor(cap + 0.01)):
            chapter, _, index = node.rpartition(":")
            height = width = 0.0
            item = by_node.get(node)
            if shrink and item is not None:
                kind, w, h, _ = item.picture
                if kind == "photo":
                    height = h - shrink * item.unit
                elif kind == "chart":  # drawn narrower: its height follows its aspect ratio
                    width = w * (h - shrink * item.unit - 0.5) / h
            moves.append(Move(chapter, int(index), count, height, width))
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
    booklet.render.segments does); when a heading moved to another page, the front matter
    is laid out again with the new contents numbers; when a chapter's page count changes,
    the chapters after it are laid out again too (their folios move). None when that is
    not enough (a page reference pointing at a moved anchor, a blank page that would have
    to come or go): the caller then lays out the whole booklet once more.
    """
    start = time.perf_counter()
    old = list(first.document.pages)
    spans = _chapter_pages(first.document)
    replaced: dict[int, tuple[list[Any], int]] = {}  # old first page: new pages, old count
    notes = delta = 0
    for chapter in floated.chapters:
        # A chapter with moves is laid out again; so is every chapter after one whose page
        # count changed (its folios and sides move), never more than the booklet once.
        if chapter.meta.id in chapters or delta:
            span = spans.get(chapter.meta.id, [])
            if not chapter.meta.new_page or not span or span != list(range(span[0],
                                                                          span[-1] + 1)):
                return None
            number = span[0] + 1 + delta
            side = "right" if number % 2 else "left"
            css = (f"html {{ break-before: {side}; counter-reset: footnote {notes}; }}\n"
                   f"@page :first {{ counter-reset: page {number}; }}\n")
            part = render(compose(floated, figures, edition, part=chapter.meta.id,
                                  extra_css=css, images=images), project)
            new = list(part.document.pages)
            replaced[span[0]] = (new, len(span))
            delta += len(new) - len(span)
        notes += chapter.footnotes
    if delta and (edition == "print" or project.config.open_on == "recto"):
        return None  # blank pages before the back cover or an opener would change
    pages: list[Any] = []
    index = 0
    while index < len(old):
        if index in replaced:
            new, count = replaced[index]
            pages += new
            index += count
        else:
            pages.append(old[index])
            index += 1
    pages = _contents_again(first, pages, floated, figures, edition, project, images)
    if pages is None:
        return None
    return Rendered(first.edition, first.document.copy(pages), time.perf_counter() - start,
                    first.warnings, first.refused)


def _anchor_pages(pages: list[Any]) -> dict[str, int]:
    """Return the page number each anchor is on (its first page)."""
    found: dict[str, int] = {}
    for number, page in enumerate(pages, 1):
        for anchor in page.anchors:
            found.setdefault(anchor, number)
    return found


def _contents_again(first: Rendered, pages: list[Any], floated: Booklet, figures: Any,
                    edition: Edition, project: Project, images: Any) -> list[Any] | None:
    """Return *pages* with the contents laid out again if a heading moved to another page.

    Only the front matter is laid out again, given the new numbers (as booklet watch does).
    None when that is not enough: a page reference in the text points at a moved anchor,
    or the front matter would change its page count.
    """
    from booklet.compose.html import table_of_contents

    before, after = _anchor_pages(list(first.document.pages)), _anchor_pages(pages)
    moved = {a for a, n in after.items() if before.get(a) != n}
    if not moved:
        return pages
    prose = "".join(getattr(n, "html", "") for c in floated.chapters for n in c.nodes)
    if any(f'href="#{a}"' in prose for a in moved):
        return None  # a [@page:…] reference: the whole booklet is laid out again
    toc = {e.anchor: after[e.anchor] for e in table_of_contents(floated) if e.anchor in after}
    if all(before.get(a) == n for a, n in toc.items()):
        return pages
    spans = _chapter_pages(first.document)
    front = min((span[0] for span in spans.values() if span), default=0)
    css = "html { counter-reset: footnote 0; }\n@page :first { counter-reset: page 1; }\n"
    part = render(compose(floated, figures, edition, part="front", toc_pages=toc,
                          extra_css=css, images=images), project)
    if len(part.document.pages) != front:
        return None
    return list(part.document.pages) + pages[front:]


def _made_up(rendered: Rendered, booklet: Booklet, figures: Any, edition: Edition,
             project: Project) -> Rendered:
    """Return *rendered* with short pages justified (render.fill), made up if print."""
    from booklet.render.fill import justify_pages
    from booklet.render.padding import pad_with_notes

    justify_pages(rendered.document)  # the last resort of page fill: whole lines, no layout
    if edition != "print":
        return rendered
    return pad_with_notes(rendered, booklet, figures, edition, project)
