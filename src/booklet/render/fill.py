"""Vertical justification in whole body lines: the last resort of page fill.

After figures have floated (booklet.render.floats) a running page can still end short: a
heading kept with a timeline, or a run of blocks, did not fit and no paragraph could take
its place. Such a page gets the empty lines at its foot shared out between its blocks,
whole lines at a time (so every baseline stays on the grid and the page ends on the last
line of the text block, backing up its facing page): above headings first, then around
figures and other blocks, never between two paragraphs, and never more than MAX_GAP
lines in one place. The boxes are moved after layout; nothing is laid out again. A page with a
single block (nothing to share the space between), or one that would need more than
MAX_GAP lines in a gap, keeps what it cannot fill; `booklet check` reports it (underfull).
"""

from __future__ import annotations

import itertools
from typing import Any

MAX_EMPTY = 0.10  # share of the text block a running page may leave empty (check.placement)
MAX_GAP = 4  # lines added to one gap, at most: more reads as a break in the text
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
    if after.element_tag in HEADINGS:
        return 3 if before.element_tag not in HEADINGS else 0  # never split heading runs
    if before.element_tag in HEADINGS:
        return 0  # a heading stays with what it introduces
    if before.element_tag not in TEXT or after.element_tag not in TEXT:
        return 2  # around a figure, quote, card group or callout
    return 0  # never between paragraphs: a gap there reads as a missing line


def _share(lines: int, weights: list[int]) -> list[int]:
    """Share *lines* between gaps by weight, whole lines, at most MAX_GAP each (or [])."""
    added = [0] * len(weights)
    for _ in range(lines):
        open_gaps = [(w / (1 + added[i]), -i) for i, w in enumerate(weights)
                     if w and added[i] < MAX_GAP]
        if not open_gaps:
            return []
        best = max(open_gaps)
        added[-best[1]] += 1
    return added


def _content_end(blocks: list[Any]) -> float:
    """Return the bottom of the last block's border box (its margin is space, not ink)."""
    last = blocks[-1]
    return last.border_box_y() + last.border_height()


def justify_page(page_box: Any, section: Any, line: float) -> int:
    """Move the blocks of a short running page down in whole lines; return the lines added."""
    from weasyprint.formatting_structure import boxes as B

    blocks = [b for b in section.children if isinstance(b, B.BlockLevelBox)
              and not b.is_absolutely_positioned() and b.margin_height() > 0.01]
    if len(blocks) < 2:
        return 0
    bottom = page_box.content_box_y() + page_box.height
    for child in page_box.children:
        if isinstance(child, B.FootnoteAreaBox) and child.children:
            bottom = min(bottom, child.position_y)
    free = bottom - _content_end(blocks)
    if free <= MAX_EMPTY * page_box.height + 0.5:
        return 0
    lines = int(free / line + 0.01)
    added = _share(lines, [_weight(a, b) for a, b in itertools.pairwise(blocks)])
    if not added:
        return 0
    shift = 0.0
    for block, extra in zip(blocks[1:], added, strict=True):
        shift += extra * line
        block.translate(0, shift)
    return sum(added)


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
