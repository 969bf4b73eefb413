"""Proof images: a booklet's pages as PNG files and a contact sheet of its spreads.

Designers and reviewers look at pages, not at PDF internals: ``booklet proof`` writes
``dist/proof/page-NN.png`` and ``dist/proof/contact-sheet.png``; the visual regression
tests use :func:`page_images` to compare pages with stored goldens.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from booklet.errors import BookletError, Problem

if TYPE_CHECKING:
    from PIL import Image

# The sheet shows the booklet as it is read: page 1 alone on the right, then facing pages.
SPREAD_GAP = 6  # px between the two pages of a spread: a thin shadow of the spine
CELL_GAP = 28   # px between spreads
LABEL = 18      # px under each spread for its page numbers
BACKDROP = (120, 124, 128)


def _pdfium():
    try:
        import pypdfium2 as pdfium
    except ImportError as exc:  # pragma: no cover - a dev dependency, always there in tests
        raise BookletError("booklet proof needs pypdfium2: pip install 'booklet[dev]'") from exc
    return pdfium


def page_images(pdf: Path, dpi: float = 100, grayscale: bool = False,
                pages: Iterable[int] | None = None) -> list[Image.Image]:
    """Render the pages of *pdf* (all, or the 0-based indexes in *pages*) to Pillow images."""
    pdfium = _pdfium()
    doc = pdfium.PdfDocument(str(pdf))
    try:
        wanted = range(len(doc)) if pages is None else pages
        images = []
        for i in wanted:
            page = doc[i]
            bitmap = page.render(scale=dpi / 72, grayscale=grayscale)
            image = bitmap.to_pil()
            images.append(image.convert("L" if grayscale else "RGB"))
            page.close()
        return images
    finally:
        doc.close()


def write_pages(pdf: Path, out: Path, dpi: float = 100) -> list[Path]:
    """Write every page of *pdf* to ``out/page-NN.png`` and return the paths."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("page-*.png"):
        old.unlink()  # a shorter booklet must not leave last build's pages behind
    paths = []
    images = page_images(pdf, dpi)
    width = max(2, len(str(len(images))))
    for number, image in enumerate(images, start=1):
        path = out / f"page-{number:0{width}d}.png"
        image.save(path, optimize=True)
        paths.append(path)
    return paths


def spreads(count: int) -> list[tuple[int | None, int | None]]:
    """Return the reading spreads of a *count*-page booklet as (left, right) page numbers."""
    pairs: list[tuple[int | None, int | None]] = [(None, 1)] if count else []
    for left in range(2, count + 1, 2):
        pairs.append((left, left + 1 if left + 1 <= count else None))
    return pairs


def contact_sheet(images: Sequence[Image.Image], per_row: int = 4,
                  page_height: int = 300) -> Image.Image:
    """Return one image showing every spread of the booklet, page 1 on the right."""
    from PIL import Image, ImageDraw

    if not images:
        raise ValueError("no pages to show")
    w0, h0 = images[0].size
    ph = page_height
    pw = round(w0 * ph / h0)
    thumbs = [im.convert("RGB").resize((pw, ph), Image.Resampling.LANCZOS) for im in images]
    pairs = spreads(len(thumbs))
    rows = (len(pairs) + per_row - 1) // per_row
    cell_w, cell_h = 2 * pw + SPREAD_GAP, ph + LABEL
    sheet = Image.new("RGB", (per_row * cell_w + (per_row + 1) * CELL_GAP,
                              rows * cell_h + (rows + 1) * CELL_GAP), BACKDROP)
    draw = ImageDraw.Draw(sheet)
    for n, (left, right) in enumerate(pairs):
        x = CELL_GAP + (n % per_row) * (cell_w + CELL_GAP)
        y = CELL_GAP + (n // per_row) * (cell_h + CELL_GAP)
        for page, dx in ((left, 0), (right, pw + SPREAD_GAP)):
            if page is not None:
                sheet.paste(thumbs[page - 1], (x + dx, y))
        label = "-".join(str(p) for p in (left, right) if p is not None)
        draw.text((x + cell_w // 2, y + ph + 4), label, fill=(235, 235, 235), anchor="mt")
    return sheet


def proof(pdf: Path, out: Path, dpi: float = 100, sheet: Path | None = None) -> list[Path]:
    """Write the page PNGs and the contact sheet of *pdf*; return every file written."""
    from PIL import Image

    pages = write_pages(pdf, out, dpi)
    target = sheet or out / "contact-sheet.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    images = [Image.open(p) for p in pages]
    # A palette image is a third of the size and looks the same at contact-sheet scale.
    contact_sheet(images).quantize(colors=256).save(target, optimize=True)
    return [*pages, target]


def proof_project(root: Path, dpi: float = 100, edition: str = "screen",
                  rebuild: bool = True) -> list[Path]:
    """Build *edition* of the project at *root* (unless *rebuild* is off) and proof it.

    Writes ``dist/proof/page-NN.png`` and ``dist/proof/contact-sheet.png``.
    """
    from booklet.content.config import load_project

    project = load_project(root)
    dist = project.root / "dist"
    suffix = "" if edition == "screen" else f"-{edition}"
    pdf = dist / f"{project.config.slug}{suffix}.pdf"
    if rebuild:
        from booklet.build import build

        result = build(project.root, dist, edition)
        pdf = next(f.path for f in result.files if f.edition == edition)
    elif not pdf.is_file():
        raise BookletError(f"no {edition} edition to proof: {pdf} does not exist",
                           [Problem("build the booklet first", pdf,
                                    hint="run `booklet build` or drop --no-build")])
    return proof(pdf, dist / "proof", dpi)
