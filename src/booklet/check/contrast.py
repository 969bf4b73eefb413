"""WCAG 2.2 colour contrast (1.4.3, AA) of the screen edition's text.

Each run of text is read from WeasyPrint's laid-out boxes: its colour, size, weight and the
rectangle it occupies. What lies behind it is measured on the page as printed (pdfium draws
the finished PDF, and the commonest colour in the rectangle other than the text's own is the
background), so colour fields, page bands, cards and images all count. Text of 18 pt and
more, or 14 pt bold, needs 3:1; all other text 4.5:1.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from booklet.check.common import Finding, SourceIndex
from booklet.content.config import Config

PX_PT = 0.75
LARGE_PT, LARGE_BOLD_PT = 18.0, 14.0
SCALE = 1.5  # pixels per PDF point when the page is drawn for sampling


@dataclass(frozen=True)
class Contrast:
    """One run of text whose contrast falls short."""

    page: int  # 1-based
    text: str
    ratio: float
    needed: float
    size_pt: float
    colour: tuple[int, int, int]
    background: tuple[int, int, int]
    element: Any


def luminance(rgb: tuple[int, int, int]) -> float:
    """Return the WCAG relative luminance of an sRGB colour (0-255 channels)."""
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """Return the WCAG contrast ratio of two colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_runs(page: Any) -> Iterator[tuple[Any, tuple[float, float, float, float]]]:
    """Yield every painted text box of a page with its rectangle in CSS px."""
    from weasyprint.formatting_structure import boxes as B
    from weasyprint.layout.absolute import AbsolutePlaceholder

    stack = [page._page_box]
    while stack:
        box = stack.pop()
        if isinstance(box, AbsolutePlaceholder):
            box = box._box
        if isinstance(box, B.TextBox) and box.text.strip() and \
                box.style["visibility"] == "visible":
            yield box, (box.position_x, box.position_y,
                        box.position_x + box.width, box.position_y + box.height)
        stack.extend(reversed(getattr(box, "children", ()) or ()))


def _rgba(box: Any) -> tuple[int, int, int, float]:
    """Return a text box's colour as 0-255 sRGB channels and alpha."""
    colour = box.style["color"]
    r, g, b, a = (*colour.to("srgb").coordinates, colour.alpha) if hasattr(colour, "to") \
        else tuple(colour)
    return (round(r * 255), round(g * 255), round(b * 255), float(a))


def _background(pixels: Any, rect: tuple[int, int, int, int],
                ink: tuple[int, int, int]) -> tuple[int, int, int] | None:
    """Return the commonest colour in a rectangle of the page other than the ink's own.

    `pixels` is the page as 24-bit integers (0xRRGGBB), one per pixel.
    """
    import numpy as np

    x0, y0, x1, y1 = rect
    area = pixels[max(y0, 0):max(y1, 0), max(x0, 0):max(x1, 0)].ravel()
    r, g, b = area >> 16, (area >> 8) & 255, area & 255
    area = area[(np.abs(r - ink[0]) + np.abs(g - ink[1]) + np.abs(b - ink[2])) > 24]
    if not len(area):
        return None
    values, counts = np.unique(area, return_counts=True)
    top = int(values[counts.argmax()])
    return (top >> 16, (top >> 8) & 255, top & 255)


def low_contrast(document: Any, pdf: bytes) -> list[Contrast]:
    """Return every run of text in `document` (as printed in `pdf`) below WCAG AA."""
    import numpy as np
    import pypdfium2 as pdfium

    found: list[Contrast] = []
    doc = pdfium.PdfDocument(pdf)
    try:
        for number, page in enumerate(document.pages):
            runs = list(text_runs(page))
            if not runs:
                continue
            rgb = np.asarray(doc[number].render(scale=SCALE).to_pil().convert("RGB"), dtype=int)
            image = (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]
            seen: set[tuple[Any, tuple[int, int, int]]] = set()
            for box, (x0, y0, x1, y1) in runs:
                r, g, b, alpha = _rgba(box)
                k = PX_PT * SCALE
                rect = (int(x0 * k), int(y0 * k), int(x1 * k) + 1, int(y1 * k) + 1)
                behind = _background(image, rect, (r, g, b))
                if behind is None:
                    continue
                ink = tuple(round(c * alpha + bc * (1 - alpha)) for c, bc in zip(
                    (r, g, b), behind, strict=True))
                size = box.style["font_size"] * PX_PT
                bold = box.style["font_weight"] >= 700
                needed = 3.0 if size >= LARGE_PT or (bold and size >= LARGE_BOLD_PT) else 4.5
                value = ratio(ink, behind)  # type: ignore[arg-type]
                key = (box.element, behind)
                if value < needed and key not in seen:
                    seen.add(key)
                    found.append(Contrast(number + 1, box.text.strip(), round(value, 2),
                                          needed, round(size, 1), ink, behind,  # type: ignore[arg-type]
                                          box.element))
    finally:
        doc.close()
    return found


def contrast_findings(document: Any, pdf: bytes, index: SourceIndex,
                      config: Config) -> list[Finding]:
    """Return a located error for every run of screen text below WCAG 2.2 AA contrast."""
    from booklet.check.contrast_fix import token_fix

    tokens: dict[str, str] = {}
    for name, c in config.colors.items():  # two tokens of one colour: name the first
        tokens.setdefault(c.on_screen.upper(), name)

    def named(rgb: tuple[int, int, int]) -> str:
        value = "#{:02X}{:02X}{:02X}".format(*rgb)
        return f"{tokens[value]} ({value})" if value in tokens else value

    found = []
    for low in low_contrast(document, pdf):
        element = low.element
        anchor = element.get("id") if element is not None else None
        # Margin-box text (running heads, folios) comes from CSS, not from a source line.
        where = None if element is None else (
            index.anchors.get(anchor or "") or index.locate_text(low.text))
        classes = (element.get("class") or "") if element is not None else ""
        what = f".{classes.split()[0]}" if classes else \
            ("page margin" if element is None else element.tag)
        hint = ("give the colour token a darker or lighter `screen:` value in booklet.yaml "
                "(colors.NAME.screen), or change the text or background colour in "
                "styles/screen.css")
        config_file = index.seeds / "booklet.yaml"
        fix = token_fix(config, config_file, low.colour, low.background, low.needed, ratio)
        if fix is not None:  # the user's own colour token: say its line and the key to add
            hint = fix[1]
            if where is None or where[0] == config_file:  # folios, covers: point at the token
                where = (config_file, fix[0])
        found.append(Finding(
            "error", "contrast",
            f"“{low.text[:20]}” ({what}, {low.size_pt:g} pt): {named(low.colour)} on "
            f"{named(low.background)} is {low.ratio:.2f}:1, below {low.needed:g}:1",
            hint, file=where[0] if where else None, line=where[1] if where else None,
            page=low.page, edition="screen"))
    return found
