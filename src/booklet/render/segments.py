"""Incremental layout for `booklet watch`: each part laid out alone, again only when it changed.

A full build lays out the booklet as one WeasyPrint document. Chapters start on a new page,
so they can also be laid out separately — the front matter, each chapter, the back cover —
and the pages merged with `Document.copy()`. Each part is laid out with its first page
number, page side and footnote number, so folios, page masters and notes come out as in one
document; the contents' page numbers are read from the merged layout and given to the front
matter. A part is laid out again only when its HTML, stylesheets or start page changed, so
after a one-sentence edit only the edited chapter (and the contents, if a number moved) is
laid out. A chapter with figures to float (booklet.render.floats) is laid out once more,
alone, as in a full build; after an edit, with the moves of its last build while a forked
process checks them against the plan of its unmoved layout (booklet.render.speculate).
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass, field
from typing import Any

from booklet.compose.floats import Move, apply_moves
from booklet.compose.html import compose, table_of_contents
from booklet.content.chapters import Booklet
from booklet.content.config import Project
from booklet.render.fill import justify_pages
from booklet.render.floats import plan_moves
from booklet.render.layout import Rendered, render
from booklet.render.patches.replay import PageCache
from booklet.render.speculate import plan_elsewhere


@dataclass
class Segmenter:
    """Laid-out parts of the last build, reused while their inputs are unchanged."""

    parts: dict[str, tuple[str, Rendered]] = field(default_factory=dict)
    toc_pages: dict[str, int] = field(default_factory=dict)
    anchor_pages: dict[str, int] = field(default_factory=dict)  # for [@page:…] references
    relaid: list[str] = field(default_factory=list)
    images: Any = None  # the build's ImageSet (booklet.images)
    drawn: PageCache = field(default_factory=PageCache)  # unchanged pages are not drawn again
    moves: dict[str, list[Move]] = field(default_factory=dict)  # each chapter's last plan
    guesses: dict[str, int] = field(default_factory=lambda: {"kept": 0, "wrong": 0})

    @staticmethod
    def applies(booklet: Booklet) -> bool:
        """Return whether every chapter opens a page (else chapters share pages)."""
        return all(chapter.meta.new_page for chapter in booklet.chapters)

    def render(self, booklet: Booklet, figures: Any, project: Project) -> Rendered:
        """Lay out the changed parts, merge all parts, and return the screen edition."""
        start = time.perf_counter()
        self.relaid = []
        front = self._part("front", booklet, figures, project, 1, 0)
        page, notes = 1 + front.pages, 0
        laid: list[Rendered] = [front]
        anchors: dict[str, int] = {}
        starts: list[tuple[int, int]] = []
        for chapter in booklet.chapters:
            part = self._part(chapter.meta.id, booklet, figures, project, page, notes)
            for index, laid_page in enumerate(part.document.pages):
                for anchor in laid_page.anchors:  # an element over pages: its first page
                    anchors.setdefault(anchor, page + index)
            laid.append(part)
            starts.append((page, notes))
            page += part.pages
            notes += chapter.footnotes
        # A page reference to another part cannot be resolved by that part's own layout
        # (target-counter); it is given as CSS from the merged layout, and a part whose
        # referenced pages moved is laid out once more.
        self.anchor_pages = anchors
        for k, chapter in enumerate(booklet.chapters):
            if _PAGE_REF.search(_part_html(chapter)):
                laid[k + 1] = self._part(chapter.meta.id, booklet, figures, project, *starts[k])
        # On screen the back cover follows the last page: no inside back cover (screen.css).
        back = self._part("back", booklet, figures, project, page, notes)
        toc_pages = {e.anchor: anchors[e.anchor] for e in table_of_contents(booklet)
                     if e.anchor in anchors}
        if toc_pages != self.toc_pages:
            self.toc_pages = toc_pages
            laid[0] = self._part("front", booklet, figures, project, 1, 0)
        pages = [p for part in laid for p in part.document.pages]
        pages += back.document.pages
        document = laid[0].document.copy(pages)
        everything = [*laid, back]
        return Rendered("screen", document, time.perf_counter() - start,
                        [w for part in everything for w in part.warnings],
                        [r for part in everything for r in part.refused], self.drawn)

    def _part(self, name: str, booklet: Booklet, figures: Any, project: Project,
              first_page: int, notes: int) -> Rendered:
        """Return the layout of one part, from the cache when nothing it depends on changed."""
        side = "right" if first_page % 2 else "left"
        css = (f"html {{ break-before: {side}; counter-reset: footnote {notes}; }}\n"
               f"@page :first {{ counter-reset: page {first_page}; }}\n")
        toc = self.toc_pages if name == "front" else None
        chapter = next((c for c in booklet.chapters if c.meta.id == name), None)
        if chapter is not None:
            targets = sorted(set(_PAGE_REF.findall(_part_html(chapter))))
            css += "".join(f'a.page-ref[href="#{a}"]::after {{ content: "第{n}页"; }}\n'
                           for a in targets if (n := self.anchor_pages.get(a)))
        composed = compose(booklet, figures, "screen", part=name, toc_pages=toc, extra_css=css,
                           images=self.images)
        digest = hashlib.sha256(composed.html.encode())
        for _, sheet in composed.stylesheets:
            digest.update(sheet.encode())
        key = digest.hexdigest()
        cached = self.parts.get(name)
        if cached is not None and cached[0] == key:
            return cached[1]
        if name in ("front", "back"):
            rendered = render(composed, project)
        else:
            rendered = self._floated(name, composed, booklet, figures, project, css)
        justify_pages(rendered.document)
        self.parts[name] = (key, rendered)
        self.relaid.append(name)
        return rendered

    def _floated(self, name: str, composed: Any, booklet: Booklet, figures: Any,
                 project: Project, css: str) -> Rendered:
        """Lay out a chapter with its figures floated, planned from its unmoved layout.

        When the last build of this chapter moved figures, it is laid out with those moves at
        once while a forked child plans from the unmoved layout (render.speculate); the guess
        is kept only when it is the plan.
        """

        def moved(moves: list[Move]) -> Rendered:
            return render(compose(apply_moves(booklet, moves), figures, "screen", part=name,
                                  extra_css=css, images=self.images), project)

        guess = self.moves.get(name)
        planner = plan_elsewhere(composed, project) if guess else None
        if planner is not None:
            try:
                laid = moved(guess)  # type: ignore[arg-type]
            except BaseException:
                planner.cancel()
                raise
            moves = planner.result()
            if moves is not None:
                self.guesses["kept" if moves == guess else "wrong"] += 1
                self.moves[name] = moves
                if moves == guess:
                    return laid
                return moved(moves) if moves else render(composed, project)
        rendered = render(composed, project)
        moves = plan_moves(rendered.document)
        self.moves[name] = moves
        # Figures float within the chapter: one more layout of this chapter only.
        return moved(moves) if moves else rendered


_PAGE_REF = re.compile(r'class="page-ref" href="#([^"]+)"')


def _part_html(chapter: Any) -> str:
    """Return the prose HTML of a chapter (where its page references are)."""
    return "".join(getattr(node, "html", "") for node in chapter.nodes)
