"""Saddle-stitch imposition: print-edition pages two-up on sheets, in folding order.

A sheet is twice the trim width. Each sheet side carries two pages whose TrimBoxes meet at
the fold; the sheet keeps the pages' bleed on its outer edges and gets crop and fold marks.

Creep compensation (``editions.creep`` in booklet.yaml, a length per sheet): nested sheets
stick out further at the fore-edge the nearer they are to the centre, so trimming the
fore-edge flush eats into their outer margins. Pages of the sheet that is *i* sheets inside
the outermost one are therefore moved **toward the fold (spine)** by ``creep × i``: left
pages to the right, right pages to the left, on both sides of the sheet. The strip that
moves past the fold is cut off there. The sheet's boxes tell the truth: its fore-edges are
trimmed *shift* further in (the flush cut of the bound booklet falls there), so its TrimBox,
BleedBox and crop marks move in with the pages and creep never eats the bleed; the paper
(MediaBox) stays the same for every sheet.
"""

from __future__ import annotations

import io
from typing import Any

import pikepdf

from booklet.content.config import Project, to_pt
from booklet.editions.pdfmeta import replace_uuids, save

Side = tuple[int | None, int | None]  # 1-based page numbers on the left and right half


def folding_order(pages: int) -> list[Side]:
    """Return the sheet sides, front then back of each sheet from the outermost inwards.

    For 8 pages: 8|1, 2|7, 6|3, 4|5. Page numbers past *pages* (when it is not a multiple
    of four) are returned as None, i.e. blank.
    """
    total = -(-pages // 4) * 4

    def page(number: int) -> int | None:
        return number if number <= pages else None

    sides: list[Side] = []
    for sheet in range(total // 4):
        sides.append((page(total - 2 * sheet), page(2 * sheet + 1)))
        sides.append((page(2 * sheet + 2), page(total - 2 * sheet - 1)))
    return sides


def _box(page: pikepdf.Page, name: str) -> list[float]:
    return [float(v) for v in page.obj.get(name, page.obj.MediaBox)]


def _place(out: pikepdf.Pdf, src: pikepdf.Pdf, number: int, left: bool, shift: float,
           width: float) -> tuple[pikepdf.Object, bytes]:
    """Return a form of page *number* clipped at the fold and the operators placing it."""
    page = src.pages[number - 1]
    trim, bleed = _box(page, "/TrimBox"), _box(page, "/BleedBox")
    form = page.as_form_xobject()
    # Target: the page's TrimBox on the left or right half of the sheet, moved toward the fold.
    x = shift if left else width - shift
    dx, dy = x - trim[0], -trim[1]
    if left:  # keep the outer bleed; cut at the fold
        form.BBox = pikepdf.Array([bleed[0], bleed[1], trim[2] - shift, bleed[3]])
    else:
        form.BBox = pikepdf.Array([trim[0] + shift, bleed[1], bleed[2], bleed[3]])
    return out.copy_foreign(form), f"q 1 0 0 1 {dx:.4f} {dy:.4f} cm".encode()


def impose(print_pdf: bytes, project: Project) -> tuple[bytes, int]:
    """Return the imposed edition made from the print edition's PDF, and its page count."""
    from booklet.editions.printready import add_marks
    from booklet.editions.proof import add_slug, slug_form

    creep = to_pt(project.config.editions.creep)
    with pikepdf.open(io.BytesIO(print_pdf)) as src, pikepdf.new() as out:
        first = src.pages[0]
        trim, bleed = _box(first, "/TrimBox"), _box(first, "/BleedBox")
        width, height = trim[2] - trim[0], trim[3] - trim[1]
        b = [trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3]]
        sheet_bleed = [-b[0], -b[1], 2 * width + b[2], height + b[3]]
        for index, (left, right) in enumerate(folding_order(len(src.pages))):
            shift = creep * (index // 2)
            xobjects = pikepdf.Dictionary()
            ops = []
            for slot, number in (("L", left), ("R", right)):
                if number is None:
                    continue
                form, place = _place(out, src, number, slot == "L", shift, width)
                xobjects[f"/P{slot}"] = form
                ops.append(place + f" /P{slot} Do Q".encode())
            # After creep the fore-edges of this sheet are cut *shift* further in.
            trim_now = [shift, 0.0, 2 * width - shift, height]
            bleed_now = [sheet_bleed[0] + shift, sheet_bleed[1], sheet_bleed[2] - shift,
                         sheet_bleed[3]]
            sheet = pikepdf.Dictionary(
                Type=pikepdf.Name.Page, MediaBox=sheet_bleed, TrimBox=trim_now,
                BleedBox=bleed_now, Resources=pikepdf.Dictionary(XObject=xobjects),
                Contents=out.make_stream(b"\n".join(ops)))
            out.pages.append(pikepdf.Page(sheet))
        add_marks(out, folds=(width,), paper=sheet_bleed)
        slug = slug_form(src)  # a proof stays marked as one on the sheets
        if slug is not None:
            add_slug(out, out.copy_foreign(slug))
        _copy_document_info(src, out, f"{project.config.slug}/imposed")
        pages = len(out.pages)
        return save(out), pages


def _copy_document_info(src: pikepdf.Pdf, out: pikepdf.Pdf, seed: str) -> None:
    """Carry the output intent, XMP metadata and Info over from the print edition."""
    root: Any = src.Root
    if "/OutputIntents" in root:
        out.Root.OutputIntents = _copy(out, root.OutputIntents)
    if "/Metadata" in root:
        xmp = replace_uuids(root.Metadata.read_bytes(), seed)
        stream = out.make_stream(xmp)
        stream.Type, stream.Subtype = pikepdf.Name.Metadata, pikepdf.Name.XML
        out.Root.Metadata = stream
    for key, value in src.docinfo.items():
        out.docinfo[key] = value


def _copy(out: pikepdf.Pdf, obj: Any) -> Any:
    """Copy a possibly direct object from another PDF (copy_foreign takes indirect ones)."""
    if isinstance(obj, pikepdf.Object) and obj.is_indirect:
        return out.copy_foreign(obj)
    if isinstance(obj, pikepdf.Dictionary):
        return pikepdf.Dictionary({k: _copy(out, v) for k, v in obj.items()})
    if isinstance(obj, pikepdf.Array):
        return pikepdf.Array([_copy(out, v) for v in obj])
    return obj
