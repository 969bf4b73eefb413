"""Proof or press: while a photo is missing the print edition is a proof, marked outside the trim.

The page itself never says so (a print shop would print it); the slug line below each page's
bleed, beside the crop marks, says 校样/PROOF and which images are missing. With every photo
present the edition carries no proof mark at all.
"""

from __future__ import annotations

import html
import io
import unicodedata
from typing import Any

import pikepdf

from booklet.content.config import Project

SLUG_NAME = pikepdf.Name("/BookletSlug")  # /Booklet…: skipped by the ink checks
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
    """Lay out the slug line (8 pt, one line, cut with … when too long) as a one-page PDF."""
    from weasyprint import HTML

    from booklet.render.layout import font_config

    config = project.config
    width = _pt(config.page.width) - 2 * SLUG_INSET
    size = max(8.0, _pt(config.print.ink.min_text))
    text = _fit(slug_text(missing), width / size)
    page = (f"@page {{ size: {width:.2f}pt {SLUG_HEIGHT:.2f}pt; margin: 0; }}"
            "body, p { margin: 0; } "  # no UA body margin: the line must sit in the band
            f"p {{ font: {size:g}pt/{SLUG_HEIGHT:.2f}pt '{config.fonts.heading}'; "
            "color: #000; white-space: nowrap; overflow: hidden; }")
    document = HTML(string=f"<style>{page}</style><p>{html.escape(text)}</p>").render(
        font_config=font_config())
    data = document.write_pdf(pdf_identifier=b"booklet-slug")
    assert isinstance(data, bytes)
    return data


def _fit(text: str, ems: float) -> str:
    """Return *text* cut with … to fit *ems* (Han 1 em; other characters at most 0.62 em).

    Cut here rather than by CSS text-overflow: WeasyPrint maps its ellipsis glyph to all the
    hidden text, a ToUnicode entry longer than PDF readers accept.
    """
    used = 0.0
    for index, char in enumerate(text):
        used += 1.0 if unicodedata.east_asian_width(char) in "WF" else 0.62
        if used > ems - 1:  # room for the "…"
            return text[:index] + "…"
    return text


def _pt(length: str) -> float:
    from booklet.content.config import to_pt

    return to_pt(length)


def add_slug(pdf: pikepdf.Pdf, slug: bytes | pikepdf.Object) -> None:
    """Place the slug line under each page's BleedBox, between the crop marks."""
    if isinstance(slug, bytes):
        with pikepdf.open(io.BytesIO(slug)) as src:
            form = pdf.copy_foreign(src.pages[0].as_form_xobject())
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
