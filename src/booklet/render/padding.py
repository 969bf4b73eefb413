"""Designed pages instead of blank ones: the print edition is made up to whole sheets.

A saddle-stitched booklet has a multiple of four pages, and the back cover is a left-hand
page. The pages still missing at the end (and the blank left before the back cover) become
notes pages (笔记: a title and ruled lines, no folio), so the print edition never ends with
a run of empty pages. The notes pages are laid out once, as a small document of their own
(six pages, right-hand first), and as many as needed are put in place with
`Document.copy()`; the booklet itself is not laid out again. booklet.editions.printready then
has nothing left to pad.
"""

from __future__ import annotations

from typing import Any

from booklet.compose.html import Edition, compose
from booklet.content.chapters import Booklet
from booklet.content.config import Project
from booklet.errors import Problem
from booklet.render.layout import Rendered, render

SHEET = 4  # pages on one folded sheet


def _has_class(page: Any, name: str) -> bool:
    """Return whether any box of *page* belongs to an element of class *name*."""
    for box in page._page_box.descendants():
        element = getattr(box, "element", None)
        if element is not None and name in (element.get("class") or "").split():
            return True
    return False


def is_blank(page: Any) -> bool:
    """Return whether a laid-out page prints nothing (no text, no picture)."""
    from weasyprint.formatting_structure import boxes as B

    return not any(isinstance(b, B.TextBox | B.ReplacedBox) and getattr(b, "text", "x").strip()
                   for b in page._page_box.descendants())


def pad_with_notes(rendered: Rendered, booklet: Booklet, figures: Any, edition: Edition,
                   project: Project) -> Rendered:
    """Return *rendered* made up to whole sheets with notes pages before the back cover."""
    pages = list(rendered.document.pages)
    if len(pages) < 2:
        return rendered
    at = len(pages) - 1 if _has_class(pages[-1], "back-cover") else len(pages)
    start = at
    while start > 1 and is_blank(pages[start - 1]):
        start -= 1  # blank pages already in front of the back cover are replaced too
    missing = -len(pages) % SHEET
    count = (at - start) + missing
    if count == 0:
        return rendered
    notes = render(compose(booklet, figures, edition, part="notes"), project)
    laid = notes.document.pages
    # Page n (1-based) is a right-hand page when n is odd; the notes start on a right one.
    first = 0 if (start + 1) % 2 else 1
    if len(laid) < first + count \
            or not all(_has_class(p, "notes-page") for p in laid[first:first + count]):
        return rendered  # a project's own document.html without notes pages: pad with blanks
    fill = laid[first:first + count]
    document = rendered.document.copy(pages[:start] + fill + pages[at:])
    return Rendered(rendered.edition, document, rendered.seconds + notes.seconds,
                    rendered.warnings, rendered.refused)


def notes_note(rendered: Rendered) -> list[Problem]:
    """Say how many notes pages the print edition got, so they are not a surprise."""
    pages = rendered.document.pages
    count = sum(_has_class(page, "notes-page") for page in pages)
    if not count:
        return []
    plural = "s" if count > 1 else ""
    return [Problem(f"note: {count} notes page{plural} added (笔记) to make {len(pages)} pages, "
                    f"a multiple of {SHEET}", hint="a saddle-stitched booklet has a multiple of "
                    "4 pages; text added or cut changes how many (README, “Editions”)")]
