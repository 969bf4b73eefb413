"""Footnotes as laid out: the page of each call and the page its note was set on, if any.

WeasyPrint drops a note it reported to the next page when that page has no room for it
either, and says nothing (a long note near the top of a page, or `footnote-policy: auto`).
Comparing the calls in the text with the notes in the pages' footnote areas makes the loss
visible; `booklet check` and `booklet build` report it at the call's source line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from booklet.errors import Problem

_CALL = re.compile(r"\[\^[^\]\s]+\](?!:)")
_MAX_BLOCK = 400  # lines: a paragraph is never longer; bounds the scan of untrusted text


@dataclass(frozen=True)
class PlacedNote:
    """A footnote call and where its note was laid out."""

    key: str  # the note element's id (fn-<chapter>-<n>)
    element: Any  # the note's HTML element
    block: Any  # the nearest element around the call that carries data-src (its paragraph)
    call_page: int  # 1-based
    note_page: int | None  # None: the note is on no page (lost)


def placed_notes(pages: Any) -> list[PlacedNote]:
    """Return every footnote call of the laid-out *pages* with the page of its note."""
    from weasyprint.formatting_structure import boxes as B

    calls: dict[str, tuple[int, Any, Any]] = {}
    notes: dict[str, int] = {}
    for number, page in enumerate(pages, 1):
        stack: list[tuple[Any, Any]] = [(page._page_box, None)]
        while stack:
            box, block = stack.pop()
            element = box.element
            if isinstance(box, B.FootnoteAreaBox):
                for note in box.children:
                    if note.element is not None:
                        notes.setdefault(_key(note.element), number)
                continue
            if (box.element_tag or "").endswith("::footnote-call"):
                if element is not None:
                    calls.setdefault(_key(element), (number, element, block))
                continue
            if element is not None and element.get("data-src") \
                    and "::" not in (box.element_tag or ""):
                block = element
            stack += [(child, block) for child in getattr(box, "children", ())
                      if isinstance(child, B.Box)]
    return [PlacedNote(key, element, block, page, notes.get(key))
            for key, (page, element, block) in calls.items()]


def call_place(note: PlacedNote, seeds: Path) -> dict[str, Any]:
    """Return file/line keyword arguments for the source line of a note's call."""
    from booklet.content.sourcemap import parse

    block = note.block
    parsed = parse(block.get("data-src")) if block is not None else None
    if parsed is None:
        return {}
    file, start = seeds / parsed[0], parsed[1]
    # The call is the k-th footnote of its paragraph: find the k-th [^label] in its source.
    calls = [e for e in block.iter() if "footnote" in (e.get("class") or "").split()]
    k = next((i for i, e in enumerate(calls) if e is note.element), 0)
    try:
        lines = file.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return {"file": file, "line": start}
    seen = 0
    for number in range(start, min(len(lines), start + _MAX_BLOCK) + 1):
        line = lines[number - 1]
        if number > start and not line.strip():
            break
        for _ in _CALL.finditer(line):
            if seen == k:
                return {"file": file, "line": number}
            seen += 1
    return {"file": file, "line": start}


def lost_footnotes(document: Any, seeds: Path) -> list[Problem]:
    """Return a located warning per footnote laid out on no page (for `booklet build`)."""
    problems = []
    for note in placed_notes(document.pages):
        if note.note_page is None:
            text = "".join(note.element.itertext()).strip()
            text = f"“{text[:24]}…”" if len(text) > 24 else f"“{text}”"
            problems.append(Problem(
                f"the footnote {text} is printed on no page (its call is on page "
                f"{note.call_page}): the layout found no room for it", **call_place(note, seeds),
                hint="shorten the note, or move its call earlier in the paragraph; "
                "`booklet check` lists every lost footnote"))
    return problems


def _key(element: Any) -> str:
    """Return the note element's id, or its identity when it has none."""
    return element.get("id") or f"element-{id(element)}"
