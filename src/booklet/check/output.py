"""Output checks on the written PDF: fonts, PDF/X structure, RGB in print, page count, bleed."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from booklet.check.common import Finding, Severity, SourceIndex
from booklet.check.rows import page_rows, where_of

if TYPE_CHECKING:
    from booklet.content.config import Config

PT_MM = 25.4 / 72
SHEET = 4  # pages per folded sheet in a saddle-stitched booklet


def pages_list(numbers: list[int]) -> str:
    """Return page numbers as short ranges: 1-3, 7, 9-12."""
    runs: list[list[int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def fonts(data: bytes, edition: str) -> Iterator[Finding]:
    """Yield fonts that are not embedded, not subset, or Type 3."""
    from booklet.editions.pdfinfo import pdf_fonts

    for font in pdf_fonts(data):
        if font.type == "Type3":
            yield Finding("warning", "font-embedding", f"font {font.name} is a Type 3 font "
                          "(bitmap or drawn glyphs; print shops reject them)",
                          "use an OpenType font that has the glyph", edition=edition)
        elif not font.embedded:
            yield Finding("error", "font-embedding", f"font {font.name} is not embedded",
                          "embed every font (WeasyPrint embeds the fonts it finds: install "
                          "the font rather than naming a system alias)", edition=edition)
        elif not font.subset:
            yield Finding("warning", "font-embedding", f"font {font.name} is embedded whole, "
                          "not subset", "subset fonts keep the PDF small (needs "
                          "libharfbuzz-subset)", edition=edition)


def _box(page: Any, name: str) -> list[float] | None:
    """Return a page box as [x0, y0, x1, y1], or None when the page has none."""
    value = page.obj.get(name)
    return [float(v) for v in value] if value is not None else None


def pdfx(pdf: Any, config: Config, edition: str) -> Iterator[Finding]:
    """Yield what keeps the print edition from being a PDF/X-4 file the press accepts."""
    from booklet.content.config import to_pt

    def finding(message: str, hint: str) -> Finding:
        return Finding("error", "pdfx", message, hint, edition=edition)

    intents = pdf.Root.get("/OutputIntents") or []
    if not any(i.get("/S") == "/GTS_PDFX" and "/DestOutputProfile" in i for i in intents):
        yield finding("no PDF/X output intent with a CMYK ICC profile",
                      "render with pdf_variant='pdf/x-4' and the @color-profile device-cmyk "
                      "rule, passing one color_profiles dict to CSS() and render()")
    meta = str(pdf.docinfo.get("/GTS_PDFXVersion", ""))
    if not meta:
        with pdf.open_metadata() as xmp:
            meta = str(xmp.get("pdfxid:GTS_PDFXVersion", ""))
    if not meta.startswith("PDF/X-4"):
        yield finding(f"the PDF/X version is {meta or 'missing'}, not PDF/X-4",
                      "write the print edition with pdf_variant='pdf/x-4'")
    if str(pdf.pdf_version) > "1.6":
        yield finding(f"PDF version {pdf.pdf_version}: PDF/X-4 files are PDF 1.6",
                      "do not raise the version when post-processing (pikepdf save)")
    bleed_pt = to_pt(config.page.bleed)
    size = (to_pt(config.page.width), to_pt(config.page.height))
    problems: dict[str, list[int]] = {}
    for number, page in enumerate(pdf.pages, 1):
        media, trim, bleed = (_box(page, k) for k in ("/MediaBox", "/TrimBox", "/BleedBox"))
        if trim is None or bleed is None or media is None:
            problems.setdefault("no TrimBox/BleedBox", []).append(number)
            continue
        margin = min(trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2],
                     bleed[3] - trim[3])
        if margin < bleed_pt - 0.1:
            problems.setdefault(f"bleed {margin * PT_MM:.1f} mm, less than the "
                                f"{config.page.bleed} in booklet.yaml", []).append(number)
        if any(abs(a - b) > 0.5 for a, b in zip(size, (trim[2] - trim[0], trim[3] - trim[1]),
                                                    strict=True)):
            problems.setdefault(f"TrimBox {(trim[2] - trim[0]) * PT_MM:.0f}×"
                                f"{(trim[3] - trim[1]) * PT_MM:.0f} mm differs from the page "
                                "size in booklet.yaml", []).append(number)
        if media[0] > bleed[0] + 0.01 or media[1] > bleed[1] + 0.01 \
                or media[2] < bleed[2] - 0.01 or media[3] < bleed[3] - 0.01:
            problems.setdefault("BleedBox extends beyond the MediaBox", []).append(number)
    for message, numbers in problems.items():
        yield Finding("error", "pdfx", f"{message} (pages {pages_list(numbers)})",
                      "the print edition needs TrimBox = page size and BleedBox = trim + "
                      "bleed on every page", page=numbers[0], edition=edition)


def page_count(pages: int, edition: str) -> Iterator[Finding]:
    """Yield a finding when a saddle-stitched booklet's page count is not whole sheets."""
    if pages % SHEET:
        add = -pages % SHEET
        yield Finding("error", "page-count", f"{pages} pages is not a multiple of {SHEET}: "
                      "a saddle-stitched booklet is folded sheets of 4 pages",
                      f"add {add} page(s) (blank pages before the back cover), or cut "
                      f"{pages % SHEET}", edition=edition)


_RGB_NAMES = {"/DeviceRGB", "/CalRGB", "/RGB"}


def _is_rgb(space: Any, resources: Any) -> bool:
    """Return whether a colour space (a name or an array) has three RGB components."""
    import pikepdf

    if isinstance(space, pikepdf.Name):
        if str(space) in _RGB_NAMES:
            return True
        named = (resources.get("/ColorSpace") or {}).get(str(space)) if resources else None
        return named is not None and _is_rgb(named, None)
    if isinstance(space, pikepdf.Array) and len(space):
        family = str(space[0])
        if family == "/ICCBased":
            return int(space[1].get("/N", 0)) == 3
        if family in ("/CalRGB",):
            return True
        if family in ("/Indexed", "/Pattern") and len(space) > 1:
            return _is_rgb(space[1], resources)
    return False


def _hex(values: list[Any]) -> str:
    """Return RGB components 0-1 as #RRGGBB."""
    return "#" + "".join(f"{round(float(v) * 255):02X}" for v in values)


def _rgb_in(content: Any, resources: Any, found: dict[str, set[str]],
            seen: set[tuple[int, int]]) -> None:
    """Collect RGB colours, images, gradients and blending groups drawn by a page or form."""
    import pikepdf

    obj = content.obj if isinstance(content, pikepdf.Page) else content
    if obj.is_indirect:
        if obj.objgen in seen:
            return
        seen.add(obj.objgen)
    resources = resources if resources is not None else pikepdf.Dictionary()
    group = obj.get("/Group")
    if group is not None and "/CS" in group and _is_rgb(group.CS, resources):
        found["blend"].add("group")
    fill_rgb = stroke_rgb = False
    for operands, op in pikepdf.parse_content_stream(content):
        name = str(op)
        if name in ("rg", "RG"):
            found["colour"].add(_hex(operands))
        elif name in ("cs", "CS"):
            rgb = _is_rgb(operands[0], resources)
            fill_rgb, stroke_rgb = (rgb, stroke_rgb) if name == "cs" else (fill_rgb, rgb)
        elif name in ("sc", "scn", "SC", "SCN") and (fill_rgb if name.islower() else stroke_rgb):
            values = [v for v in operands if not isinstance(v, pikepdf.Name)]
            if len(values) == 3:
                found["colour"].add(_hex(values))
        elif name == "sh":
            shading = (resources.get("/Shading") or {}).get(str(operands[0]))
            if shading is not None and _is_rgb(shading.get("/ColorSpace"), resources):
                found["shading"].add("gradient")
        elif name == "Do":
            xobject = (resources.get("/XObject") or {}).get(str(operands[0]))
            if xobject is None:
                continue
            if xobject.get("/Subtype") == "/Image":
                if _is_rgb(xobject.get("/ColorSpace"), resources):
                    found["image"].add(f"{int(xobject.Width)}×{int(xobject.Height)} px")
            elif xobject.get("/Subtype") == "/Form":
                _rgb_in(xobject, xobject.get("/Resources") or resources, found, seen)
    for pattern in (resources.get("/Pattern") or {}).values():
        if pattern.get("/PatternType") == 2:
            if _is_rgb((pattern.get("/Shading") or {}).get("/ColorSpace"), resources):
                found["shading"].add("gradient")
        elif isinstance(pattern, pikepdf.Stream):
            _rgb_in(pattern, pattern.get("/Resources") or resources, found, seen)


def rgb_in_print(pdf: Any, config: Config, edition: str,
                 images: dict[tuple[int, str], dict[str, Any]] | None = None
                 ) -> Iterator[Finding]:
    """Yield one finding per page that draws anything in an RGB colour space.

    *images* maps (page, "W×H px") to the image's src and source line, to name the file.
    """
    tokens = {c.rgb: name for name, c in config.colors.items()}
    seen: set[tuple[int, int]] = set()
    for number, page in enumerate(pdf.pages, 1):
        found: dict[str, set[str]] = {"colour": set(), "image": set(), "shading": set(),
                                      "blend": set()}
        _rgb_in(page, page.obj.get("/Resources"), found, seen)
        if not any(found.values()):
            continue
        parts, where = [], {}
        if found["colour"]:
            named = [f"{c} (--{tokens[c]})" if c in tokens else c for c in sorted(found["colour"])]
            parts.append("colours " + ", ".join(named[:6]) + (" …" if len(named) > 6 else ""))
        if found["image"]:
            named = []
            for size in sorted(found["image"]):
                source = (images or {}).get((number, size))
                named.append(f"{source['src']} ({size})" if source else size)
                if source and not where:
                    where = {k: source[k] for k in ("file", "line") if k in source}
            parts.append(f"{len(named)} RGB image(s) " + ", ".join(named))
        if found["shading"]:
            parts.append("RGB gradient")
        if found["blend"]:
            parts.append("transparency group blending in RGB")
        hint = ("convert images to CMYK with the output-intent profile before printing; "
                "use var(--token) colours (device-cmyk in print) instead of hex values in CSS "
                "and figures")
        yield Finding("error", "rgb-in-print", "RGB in the print edition: " + "; ".join(parts),
                      hint, **where, page=number, edition=edition)


def bleed(data: bytes, edition: str, dpi: float = 72) -> Iterator[Finding]:
    """Yield pages where colour reaches a trim edge but stops short of the bleed edge."""
    import numpy as np
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        for number in range(1, len(doc) + 1):
            page = doc[number - 1]
            crop, trim, bleed_box = page.get_cropbox(), page.get_trimbox(), page.get_bleedbox()
            if trim == bleed_box:
                page.close()
                continue
            scale = dpi / 72
            pixels = np.asarray(page.render(scale=scale).to_pil().convert("L"))
            page.close()

            def px(x: float, y: float) -> tuple[int, int]:
                return int((x - crop[0]) * scale), int((crop[3] - y) * scale)  # noqa: B023

            inset = 1.0 / PT_MM  # sample 1 mm inside the trim
            t0, t1 = px(trim[0] + inset, trim[3] - inset), px(trim[2] - inset, trim[1] + inset)
            # Sample one pixel inside the bleed edge: the edge pixel itself is anti-aliased.
            b0, b1 = px(bleed_box[0], bleed_box[3]), px(bleed_box[2], bleed_box[1])
            b0, b1 = (b0[0] + 1, b0[1] + 1), (b1[0] - 1, b1[1] - 1)
            h, w = pixels.shape
            ys = slice(t0[1] + (t1[1] - t0[1]) // 10, t1[1] - (t1[1] - t0[1]) // 10)
            xs = slice(t0[0] + (t1[0] - t0[0]) // 10, t1[0] - (t1[0] - t0[0]) // 10)
            sides = {"left": (pixels[ys, t0[0]], pixels[ys, max(b0[0], 0)]),
                     "right": (pixels[ys, t1[0]], pixels[ys, min(b1[0], w - 1)]),
                     "top": (pixels[t0[1], xs], pixels[max(b0[1], 0), xs]),
                     "bottom": (pixels[t1[1], xs], pixels[min(b1[1], h - 1), xs])}
            short = [side for side, (inside, edge) in sides.items()
                     if ((inside < 245) & (edge >= 245)).mean() > 0.05]
            if short:
                yield Finding("error", "bleed", "colour reaches the trim but not the bleed edge "
                              f"({', '.join(short)}): the cut would leave a white sliver",
                              "extend backgrounds and full-bleed photos by the bleed, e.g. "
                              "margin: calc(-1 * var(--bleed))", page=number, edition=edition)
    finally:
        doc.close()


def check_pdf(data: bytes, config: Config, edition: str,
              images: dict[tuple[int, str], dict[str, Any]] | None = None) -> list[Finding]:
    """Run every output check that applies to *edition* on the PDF bytes."""
    import pikepdf

    found = list(fonts(data, edition))
    if edition != "print":
        return found
    with pikepdf.open(io.BytesIO(data)) as pdf:
        found += pdfx(pdf, config, edition)
        found += page_count(len(pdf.pages), edition)
        found += rgb_in_print(pdf, config, edition, images)
    found += bleed(data, edition)
    return found


def image_resolution(document: Any, index: SourceIndex, edition: str, warn: float = 300,
                     fail: float = 200) -> Iterator[Finding]:
    """Yield placed raster images whose effective resolution is below *warn* (error: *fail*).

    The effective resolution is the image's pixels (after the image stage's crop) over the
    size the layout gives it; with object-fit: cover the frame shows only part of the image,
    which counts too (the smaller of the two ratios).
    """
    for number, page in enumerate(document.pages, 1):
        for r in page_rows(page, number):
            image = getattr(r.box, "replacement", None)
            if type(image).__name__ != "RasterImage" or not r.box.width or not r.box.height:
                continue
            w_in, h_in = r.box.width / 96, r.box.height / 96
            ratios = (image.width / w_in, image.height / h_in)
            contain = r.box.style["object_fit"] in ("contain", "scale-down")
            ppi = max(ratios) if contain else min(ratios)
            if ppi >= warn:
                continue
            severity: Severity = "error" if ppi < fail else "warning"
            element = r.box.element
            src = (element.get("data-image") or element.get("src")) if element is not None \
                else "?"
            # The pixels the frame needs at *warn* ppi, in the image's own proportions.
            scale = warn / ppi
            need = f"{round(image.width * scale)}×{round(image.height * scale)} px"
            yield Finding(severity, "image-resolution",
                          f"image {src} is {image.width}×{image.height} px placed at "
                          f"{w_in * 25.4:.0f}×{h_in * 25.4:.0f} mm: {ppi:.0f} ppi "
                          f"({warn:.0f} wanted, below {fail:.0f} fails)",
                          f"supply at least {need} (after any crop), or print it smaller",
                          **where_of(r, index), page=number, edition=edition)


def size_budget(size: int, budget_mb: float, edition: str) -> Iterator[Finding]:
    """Yield an error when the edition's PDF is larger than its budget."""
    if size > budget_mb * 1e6:
        yield Finding("error", "size-budget", f"the {edition} PDF is {size / 1e6:.1f} MB, "
                      f"over the budget of {budget_mb:g} MB (images.screen_budget_mb)",
                      "lower images.screen_ppi or images.screen_quality, or raise the budget",
                      edition=edition)


def image_sources(document: Any, index: SourceIndex) -> dict[tuple[int, str], dict[str, Any]]:
    """Map (page, "W×H px") of each raster image to its src and source location."""
    found: dict[tuple[int, str], dict[str, Any]] = {}
    for number, page in enumerate(document.pages, 1):
        for r in page_rows(page, number):
            image = getattr(r.box, "replacement", None)
            if type(image).__name__ == "RasterImage" and r.box.element is not None:
                found[(number, f"{image.width}×{image.height} px")] = {
                    "src": r.box.element.get("data-image") or r.box.element.get("src"),
                    **where_of(r, index)}
    return found
