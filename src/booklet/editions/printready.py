"""Print production: pad to whole sheets, keep colours CMYK, add crop marks outside the bleed."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import pikepdf

MM = 72 / 25.4
MARK_OFFSET = 1 * MM  # gap between the BleedBox and the start of a crop mark
MARK_LENGTH = 5 * MM  # length of a crop mark
SLUG = MARK_OFFSET + MARK_LENGTH + 1 * MM  # paper added around the BleedBox for the marks
MARK_WIDTH = 0.25  # pt


def is_back_cover(page: Any) -> bool:
    """Return whether a WeasyPrint page holds the back cover (``<section class="back-cover">``)."""
    for box in page._page_box.descendants():
        element = getattr(box, "element", None)
        if element is not None and "back-cover" in (element.get("class") or "").split():
            return True
    return False


def pad_pages(document: Any, multiple: int = 4) -> tuple[Any, int]:
    """Return a copy of *document* padded with blank pages to a multiple of *multiple*.

    Blank pages go at the end, before the back cover when the last page is one. Each is
    the box of the last body page with its content removed: same size, bleed, marks and
    page background, no folio or running head, and no second layout pass.
    """
    from weasyprint.document import Page

    pages = list(document.pages)
    missing = -len(pages) % multiple
    if not missing or not pages:
        return document, 0
    at = len(pages) - 1 if len(pages) > 1 and is_back_cover(pages[-1]) else len(pages)
    template = pages[at - 1]._page_box
    blanks = [Page(template.copy_with_children([])) for _ in range(missing)]
    return document.copy(pages[:at] + blanks + pages[at:]), missing


@lru_cache(maxsize=8)
def _transform(profile: str) -> Any:
    """Return an sRGB -> output-profile colour transform (relative colorimetric)."""
    from PIL import ImageCms

    return ImageCms.buildTransform(
        ImageCms.createProfile("sRGB"), ImageCms.getOpenProfile(profile), "RGB", "CMYK",
        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)


@lru_cache(maxsize=1024)
def rgb_to_cmyk(r: float, g: float, b: float, profile: str) -> tuple[float, ...]:
    """Convert an sRGB colour (0-1) to CMYK (0-1): greys to black only, others by the profile."""
    if abs(r - g) < 1e-3 and abs(g - b) < 1e-3:
        return (0.0, 0.0, 0.0, round(1 - r, 4))
    from PIL import Image, ImageCms

    pixel = Image.new("RGB", (1, 1), tuple(round(v * 255) for v in (r, g, b)))
    cmyk = ImageCms.applyTransform(pixel, _transform(profile)).getpixel((0, 0))
    return tuple(round(v / 255, 4) for v in cmyk)


@contextlib.contextmanager
def cmyk_colours(profile: Path) -> Iterator[None]:
    """Write any sRGB colour left in the document (SVG, defaults) as DeviceCMYK while active."""
    from weasyprint.pdf.stream import Stream

    def set_color_rgb(self: Any, r: float, g: float, b: float, stroke: bool = False) -> None:
        self.set_color_space("DeviceCMYK", stroke)
        self.set_color_special(None, stroke, *rgb_to_cmyk(r, g, b, str(profile)))

    own = Stream.__dict__.get("set_color_rgb")  # None: inherited from pydyf.Stream
    Stream.set_color_rgb = set_color_rgb  # type: ignore[method-assign]
    try:
        yield
    finally:
        if own is None:
            del Stream.set_color_rgb
        else:
            Stream.set_color_rgb = own  # type: ignore[method-assign]


def finish_print(pdf: pikepdf.Pdf, intent: Any = None, overprint: bool = True,
                 slug: bytes | None = None) -> None:
    """Finish WeasyPrint's PDF/X-4 output for press: no links, safe images, ink, marks.

    *intent* (an OutputIntent) names the press condition; *slug* is a proof's slug line.
    """
    from booklet.editions.ink import overprint_black_text
    from booklet.editions.proof import add_slug

    drop_annotations(pdf)
    prepare_images(pdf)
    if overprint:
        overprint_black_text(pdf)
    add_marks(pdf)
    if slug is not None:
        add_slug(pdf, slug)
    if intent is not None:
        name_condition(pdf, intent)


def name_condition(pdf: pikepdf.Pdf, intent: Any) -> None:
    """Name the output intent's press condition (FOGRA39 …) as PDF/X expects."""
    for entry in pdf.Root.get("/OutputIntents", []):
        entry.OutputConditionIdentifier = pikepdf.String(intent.identifier)
        entry.Info = pikepdf.String(intent.info)
        if intent.identifier != "Custom":
            entry.RegistryName = pikepdf.String("http://www.color.org")


def drop_annotations(pdf: pikepdf.Pdf) -> None:
    """Remove link annotations: PDF/X allows no visible annotations inside the BleedBox."""
    for page in pdf.pages:
        if "/Annots" in page.obj:
            del page.obj.Annots


def prepare_images(pdf: pikepdf.Pdf) -> int:
    """Make raster images PDF/X-4 safe: RGB tagged as sRGB (ICCBased), no /Interpolate.

    Return the number of RGB images tagged; the RIP converts them with the output intent.
    """
    from importlib.resources import files

    srgb: pikepdf.Object | None = None
    tagged = 0
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream) or obj.get("/Subtype") != "/Image":
            continue
        if "/Interpolate" in obj:
            del obj.Interpolate
        if obj.get("/ColorSpace") == pikepdf.Name.DeviceRGB:
            if srgb is None:
                icc = (files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()
                srgb = pdf.make_indirect(pikepdf.Array(
                    [pikepdf.Name.ICCBased, pdf.make_stream(icc, N=3)]))
            obj.ColorSpace = srgb
            tagged += 1
    return tagged


def _box(page: pikepdf.Page, name: str) -> list[float]:
    return [float(v) for v in page.obj.get(name, page.obj.MediaBox)]


def mark_lines(trim: list[float], bleed: list[float], folds: tuple[float, ...] = ()) -> bytes:
    """Return content-stream path operators for crop marks (and fold marks at x in *folds*)."""
    x0, y0, x1, y1 = trim
    out = []
    for x, y, dx, dy in ((x0, y0, -1, -1), (x1, y0, 1, -1), (x0, y1, -1, 1), (x1, y1, 1, 1)):
        hx = (bleed[2] if dx > 0 else bleed[0]) + dx * MARK_OFFSET
        vy = (bleed[3] if dy > 0 else bleed[1]) + dy * MARK_OFFSET
        out += [f"{hx:.3f} {y:.3f} m {hx + dx * MARK_LENGTH:.3f} {y:.3f} l S",
                f"{x:.3f} {vy:.3f} m {x:.3f} {vy + dy * MARK_LENGTH:.3f} l S"]
    for fx in folds:  # dashed fold marks above and below the sheet
        out += ["[3 2] 0 d",
                f"{fx:.3f} {bleed[3] + MARK_OFFSET:.3f} m {fx:.3f} "
                f"{bleed[3] + MARK_OFFSET + MARK_LENGTH:.3f} l S",
                f"{fx:.3f} {bleed[1] - MARK_OFFSET:.3f} m {fx:.3f} "
                f"{bleed[1] - MARK_OFFSET - MARK_LENGTH:.3f} l S", "[] 0 d"]
    return "\n".join(out).encode()


def _registration(pdf: pikepdf.Pdf) -> pikepdf.Object:
    """Return the registration colour space: it prints on every plate, as marks should."""
    tint = pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0], C1=[1, 1, 1, 1], N=1)
    return pdf.make_indirect(pikepdf.Array(
        [pikepdf.Name.Separation, pikepdf.Name.All, pikepdf.Name.DeviceCMYK,
         pdf.make_indirect(tint)]))


def add_marks(pdf: pikepdf.Pdf, folds: tuple[float, ...] = (),
              paper: list[float] | None = None) -> None:
    """Clip each page to its BleedBox, widen its MediaBox by a slug and draw marks there.

    *paper*: the box the slug is added around when it is not the BleedBox (imposed sheets,
    whose BleedBox shrinks with creep, keep one paper size).
    """
    forms: dict[tuple[float, ...], pikepdf.Object] = {}
    registration = _registration(pdf)
    for page in pdf.pages:
        trim, bleed = _box(page, "/TrimBox"), _box(page, "/BleedBox")
        around = paper or bleed
        media = [around[0] - SLUG, around[1] - SLUG, around[2] + SLUG, around[3] + SLUG]
        key = (*trim, *bleed)
        if key not in forms:
            form = pikepdf.Stream(pdf, b"q /Reg CS 1 SCN %.2f w 0 J\n" % MARK_WIDTH
                                  + mark_lines(trim, bleed, folds) + b"\nQ")
            form.Type, form.Subtype = pikepdf.Name.XObject, pikepdf.Name.Form
            form.BBox = pikepdf.Array(media)
            form.Resources = pikepdf.Dictionary(ColorSpace=pikepdf.Dictionary(Reg=registration))
            forms[key] = pdf.make_indirect(form)
        name = pikepdf.Name(f"/BookletMarks{list(forms).index(key)}")
        page.add_resource(forms[key], pikepdf.Name.XObject, name)
        x0, y0, x1, y1 = bleed
        page.contents_add(pikepdf.Stream(
            pdf, f"q {x0:.4f} {y0:.4f} {x1 - x0:.4f} {y1 - y0:.4f} re W n\n".encode()),
            prepend=True)
        page.contents_add(pikepdf.Stream(pdf, f"\nQ {name} Do\n".encode()))
        page.obj.MediaBox = pikepdf.Array(media)
