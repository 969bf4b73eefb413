"""Footnote checks: a note WeasyPrint dropped from every page, or set on another page."""

from __future__ import annotations

from typing import Any

from booklet.check.common import Finding, SourceIndex
from booklet.render.footnotes import call_place, placed_notes


def check_footnotes(document: Any, index: SourceIndex, edition: str) -> list[Finding]:
    """Return an error per lost footnote and a warning per note set on another page."""
    found: list[Finding] = []
    for note in placed_notes(document.pages):
        text = _short("".join(note.element.itertext()).strip())
        where = call_place(note, index.seeds)
        if note.note_page is None:
            found.append(Finding(
                "error", "footnote-lost", f"the footnote {text} is printed on no page: its "
                f"call is on page {note.call_page}, but the layout found no room for the note",
                "shorten the note, or move its call earlier in the paragraph (or split the "
                "paragraph) so the note fits under its call",
                **where, page=note.call_page, edition=edition))
        elif note.note_page != note.call_page:
            found.append(Finding(
                "warning", "footnote-moved", f"the footnote {text} is set on page "
                f"{note.note_page}, its call on page {note.call_page}",
                "shorten the note or move its call earlier in the paragraph so the note fits "
                "under its call", **where, page=note.call_page, edition=edition))
    return found


def _short(text: str, size: int = 24) -> str:
    """Return the text quoted, shortened to *size* characters."""
    return f"“{text[:size]}…”" if len(text) > size else f"“{text}”"
