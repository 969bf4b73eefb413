"""Vertical justification in whole body lines: the last resort of page fill.

After figures have floated (booklet.render.floats) a running page can still end short: a
heading kept with a timeline, or a run of blocks, did not fit and no paragraph could take
its place. Such a page gets the empty lines at its foot shared out between its blocks,
whole lines at a time (so every baseline stays on the grid and the page ends on the last
line of the text block, backing up its facing page): under a chapter opener's title (a
sink of up to a third of the text block), above headings (up to HEADING_GAP lines), then
around figures and other blocks (up to MAX_GAP), never between two paragraphs.
The boxes are moved after layout; nothing is laid out again. A page with a single block
(nothing to share the space between), or one that would need more than its gaps may
take, is left as it is; `booklet check` reports it (underfull).
"""

from __future__ import annotations

import itertools
from typing import Any

MAX_EMPTY = 0.10  # share of the text block a running page may leave empty (check.placement)
MAX_GAP = 4  # lines added to one gap, at most: more reads as a break in the text
HEADING_GAP = 6  # above a heading more space reads as a section break, not a hole
SINK = 3  # an opener's text may sink by up to a third of the text block under its title
HEADINGS = {"h2", "h3", "h4", "h5", "h6"}
TEXT = {"p", "ul", "ol", "table"}


def _sections(page_box: Any) -> list[Any]:
    """Return the chapter section boxes laid out on a page (in document order)."""
    from weasyprint.formatting_structure import boxes as B

    found, stack = [], list(page_box.children)
    while stack:
        box = stack.pop(0)
        element = getattr(box, "element", None)
        if box.element_tag == "section" and element is not None \
                and "chapter" in (element.get("class") or "").split():
            found.append(box)
        elif isinstance(box, B.ParentBox) and not isinstance(box, B.MarginBox):
            stack[:0] = list(box.children)
    return found


def _weight(before: Any, after: Any) -> int:
    """Return how readily the gap between two blocks takes extra lines (0: never)."""
    if _is_title(before):
        return 3  # the sink of a chapter opener
    if after.element_tag in HEADINGS:
        return 3 if before.element_tag not in HEADINGS else 0  # never split heading runs
    if before.element_tag in HEADINGS:
        return 0  # a heading stays with what it introduces
    if before.element_tag not in TEXT or after.element_tag not in TEXT:
        return 2  # around a figure, quote, card group or callout
    return 0  # never between paragraphs: a gap there reads as a missing line


def _is_title(box: Any) -> bool:
    """Return whether *box* is a chapter's title (its opener's band)."""
    return "chapter-title" in (box.element.get("class") or "").split() \
        if box.element is not None else False


def _share(lines: int, weights: list[int], caps: list[int] | None = None) -> list[int]:
    """Share *lines* between gaps by weight, whole lines, at most their cap each (or [])."""
    caps = caps or [MAX_GAP] * len(weights)
    added = [0] * len(weights)
    for _ in range(lines):
        open_gaps = [(w / (1 + added[i]), -i) for i, w in enumerate(weights)
                     if w and added[i] < caps[i]]
        if not open_gaps:
            return []
        best = max(open_gaps)
        added[-best[1]] += 1
    return added


def content_end(block: Any, foot: float) -> float:
    """Return where the ink of a page's last block ends (px from the page top).

    Its border box, but WeasyPrint stretches a block that runs on to the next page to the
    foot of the page (*foot*): there its children (lines, cards) tell where it ends.
    """
    from weasyprint.formatting_structure import boxes as B

    end = block.border_box_y() + block.border_height()
    if end < foot - 0.5 or not isinstance(block, B.ParentBox) or isinstance(block, B.LineBox):
        return end
    children = [c for c in block.children if c.margin_height() > 0.01]
    if not children:
        return end
    return max(content_end(c, foot) for c in children)


def justify_page(page_box: Any, section: Any, line: float) -> int:
    """Move the blocks of a short running page down in whole lines; return the lines added."""
    from weasyprint.formatting_structure import boxes as B

    blocks = _blocks(section)
    if len(blocks) < 2:
        return 0
    bottom = foot = page_box.content_box_y() + page_box.height
    for child in page_box.children:
        if isinstance(child, B.FootnoteAreaBox) and child.children:
            bottom = min(bottom, child.position_y)
    end = content_end(blocks[-1], foot)
    free = bottom - end
    # A block grown to whole lines (the grid) may end in up to a line of its own white, so
    # a page within a line of MAX_EMPTY by its boxes can be beyond it by its ink: fill it.
    if free <= MAX_EMPTY * page_box.height - line + 0.5 or free < 2 * line - 0.5:
        return 0
    lines = int(free / line + 0.01)
    sink = max(MAX_GAP, int(page_box.height / line / SINK))
    pairs = list(itertools.pairwise(blocks))
    added = _share(lines, [_weight(a, b) for a, b in pairs],
                   [sink if _is_title(a) else HEADING_GAP if b.element_tag in HEADINGS
                    else MAX_GAP for a, b in pairs])
    if not added:
        return 0
    shift = 0.0
    for block, extra in zip(blocks[1:], added, strict=True):
        shift += extra * line
        block.translate(0, shift)
    _clamp(blocks[-1], foot)
    for block, extra in zip(blocks[1:], itertools.accumulate(added), strict=True):
        if extra:
            _backgrounds_again(page_box, block)
    return sum(added)


def _backgrounds_again(page_box: Any, block: Any) -> None:
    """Place a moved block's backgrounds again: WeasyPrint fixes them in page coordinates
    after layout, and Box.translate does not move them. The images already fetched are
    given back (nothing is fetched again)."""
    from weasyprint.layout.background import layout_box_backgrounds

    known: dict[str, Any] = {}
    stack = [block]
    while stack:
        box = stack.pop()
        background = getattr(box, "background", None)
        if background is not None:
            for (kind, value), layer in zip(box.style["background_image"], background.layers,
                                            strict=False):
                if kind == "url":
                    known[value] = layer.image
        for name, attr in (("border_image_source", "border_image"),
                           ("mask_border_source", "mask_border_image")):
            kind, value = box.style[name]
            if kind == "url" and getattr(box, attr, None) is not None:
                known[value] = getattr(box, attr)
        stack.extend(getattr(box, "all_children", lambda: ())())

    def fetch(url: str, **_: Any) -> Any:
        return known.get(url)

    layout_box_backgrounds(page_box, block, fetch)


def _clamp(box: Any, foot: float) -> None:
    """Cut the stretched boxes of a block running on to the next page back to the page foot."""
    from weasyprint.formatting_structure import boxes as B

    over = box.border_box_y() + box.border_height() - foot
    if over <= 0.5 or not isinstance(box, B.ParentBox) or isinstance(box, B.LineBox):
        return
    box.height = max(0.0, box.height - over)
    for child in box.children:
        _clamp(child, foot)


def _blocks(section: Any) -> list[Any]:
    """Return the in-flow blocks of a chapter section on one page."""
    from weasyprint.formatting_structure import boxes as B

    return [b for b in section.children if isinstance(b, B.BlockLevelBox)
            and not b.is_absolutely_positioned() and b.margin_height() > 0.01]


def justify_pages(document: Any) -> list[tuple[int, int]]:
    """Fill the short running pages of *document* in place; return (page index, lines added).

    A chapter's last page ends where its text ends and is left alone. Page objects of
    changed pages are made again, so that their links and anchors follow the moved boxes.
    """
    from weasyprint.document import Page

    from booklet.render.patches.grid import line_px

    pages = list(document.pages)
    last: dict[int, int] = {}
    found: list[list[Any]] = []
    for index, page in enumerate(pages):
        sections = _sections(page._page_box)
        found.append(sections)
        for section in sections:
            last[id(section.element)] = index
    done = []
    for index, (page, sections) in enumerate(zip(pages, found, strict=True)):
        if not sections or last[id(sections[-1].element)] == index:
            continue
        line = line_px(sections[-1].style)
        if not line:
            continue
        added = justify_page(page._page_box, sections[-1], line)
        if added:
            document.pages[index] = Page(page._page_box)
            done.append((index, added))
    return done
