"""Proof or press: while a photo is missing the print edition is a proof, marked outside the trim.

The page itself never says so (a print shop would print it); the slug line below each page's
bleed, beside the crop marks, says 校样/PROOF and which images are missing. With every photo
present the edition carries no proof mark at all.
"""

from __future__ import annotations

import io
from typing import Any

import pikepdf

from booklet.content.config import Project

SLUG_NAME = pikepdf.Name("/BookletSlug")  # /Booklet…: skipped by the ink checks
SLUG_TEXT = pikepdf.Name("/BookletText")  # the slug's words, kept beside its outlines
SLUG_HEIGHT = 4.5 * 72 / 25.4  # pt; fits the 7 mm band outside the bleed
SLUG_INSET = 3 * 72 / 25.4  # clear of the vertical crop marks at the trim corners
PROOF_WORDS = "校样 PROOF"


def missing_photos(document: Any) -> list[str]:
    """Return the image paths of the photo placeholders in a WeasyPrint document, in order."""
    found: dict[str, None] = {}
    for page in document.pages:
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is not None and element.get("data-missing"):
                found.setdefault(element.get("data-missing"), None)
    return list(found)


def slug_text(missing: list[str]) -> str:
    """Return the proof line: what this file is, and what is missing."""
    return (f"{PROOF_WORDS} — 不得付印 not for press — {len(missing)}幅图片尚缺原图 "
            f"{len(missing)} photo(s) missing: " + "、".join(missing))


def slug_pdf(project: Project, missing: list[str]) -> bytes:
    """Set the slug line (8 pt, one line, cut with … when too long) as a one-page PDF.

    The line is drawn as glyph outlines in 100 % black, so the print edition's text layer
    holds the booklet's text and nothing else (editions/outlines.py says why).
    """
    from booklet.editions.outlines import outline

    config = project.config
    width = _pt(config.page.width) - 2 * SLUG_INSET
    size = max(8.0, _pt(config.print.ink.min_text))
    family = config.fonts.heading
    text = _fit(slug_text(missing), width, family, size)
    baseline = (SLUG_HEIGHT - size) / 2 + 0.12 * size  # the em box (0.88 up, 0.12 down) centred
    line = outline(text, family, size, baseline)
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(width, SLUG_HEIGHT))
    page = pdf.pages[0]
    page.obj.Contents = pikepdf.Stream(pdf, b"q 0 0 0 1 k\n" + line.ops + b"\nQ\n")
    page.obj[SLUG_TEXT] = pikepdf.String(text)  # what it says, for tools and tests
    buffer = io.BytesIO()
    pdf.save(buffer, deterministic_id=True)
    return buffer.getvalue()


def _fit(text: str, width: float, family: str, size: float) -> str:
    """Return *text* cut with … to fit *width* points when set in *family* at *size*."""
    from booklet.editions.outlines import advances

    widths = advances(text + "…", family, size)
    ellipsis, used = widths[-1], 0.0
    if sum(widths[:-1]) <= width:
        return text
    for index, advance in enumerate(widths[:-1]):
        if used + advance + ellipsis > width:
            return text[:index] + "…"
        used += advance
    return text


def _pt(length: str) -> float:
    from booklet.content.config import to_pt

    return to_pt(length)


def add_slug(pdf: pikepdf.Pdf, slug: bytes | pikepdf.Object) -> None:
    """Place the slug line under each page's BleedBox, between the crop marks."""
    if isinstance(slug, bytes):
        with pikepdf.open(io.BytesIO(slug)) as src:
            xobject = src.pages[0].as_form_xobject()
            xobject[SLUG_TEXT] = src.pages[0].obj.get(SLUG_TEXT, pikepdf.String(""))
            form = pdf.copy_foreign(xobject)
    else:
        form = slug
    for page in pdf.pages:
        trim = [float(v) for v in page.obj.get("/TrimBox", page.obj.MediaBox)]
        bleed = [float(v) for v in page.obj.get("/BleedBox", page.obj.MediaBox)]
        media = [float(v) for v in page.obj.MediaBox]
        page.add_resource(form, pikepdf.Name.XObject, SLUG_NAME)
        x = trim[0] + SLUG_INSET
        y = media[1] + (bleed[1] - media[1] - SLUG_HEIGHT) / 2
        page.contents_add(pikepdf.Stream(
            pdf, f"q 1 0 0 1 {x:.4f} {y:.4f} cm {SLUG_NAME} Do Q\n".encode()))


def slug_form(pdf: pikepdf.Pdf) -> pikepdf.Object | None:
    """Return the slug form of a finished print edition, if it is a proof."""
    for page in pdf.pages:
        resources = page.obj.get("/Resources")
        xobjects = resources.get("/XObject") if resources is not None else None
        if xobjects is not None and SLUG_NAME in xobjects:
            return xobjects[SLUG_NAME]
    return None


def slug_words(pdf: pikepdf.Pdf) -> str | None:
    """Return what a proof's slug line says (it is drawn as outlines), or None for a press file."""
    form = slug_form(pdf)
    return None if form is None else str(form.get(SLUG_TEXT, ""))
