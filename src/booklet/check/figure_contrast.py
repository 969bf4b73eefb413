"""WCAG 2.2 colour contrast (1.4.3, AA) of the text inside the screen edition's figures.

A chart's labels are SVG text: WeasyPrint sets them as PDF text inside the image, so they
are no boxes of the page and the HTML check (check/contrast.py) cannot see them. They are
read from the finished PDF instead: pdfium gives every character's box, size, weight and
fill colour, and the characters inside a figure's image rectangle (from WeasyPrint's boxes)
are that figure's. What lies behind each character is measured on the page as drawn, as
the HTML check does, so bars, dots and the page's own background all count.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from booklet.check.common import Finding
from booklet.check.contrast import LARGE_BOLD_PT, LARGE_PT, PX_PT, _background, ratio
from booklet.content.config import Config

BOLD = re.compile(r"(?<![Ss]emi)(?<![Dd]emi)(Bold|Black|Heavy)")
SCALE = 3.0  # pixels per PDF point: figure labels are small, their boxes must hold pixels
RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Source:
    """Where a drawn figure comes from: its module and the block that places it."""

    name: str  # figures/<figure>.py, or "QR code <url>"
    file: Path | None
    line: int | None


@dataclass(frozen=True)
class Char:
    """One painted character of a page: text, size (pt), bold, colour and box (px, y down)."""

    text: str
    size: float
    bold: bool
    colour: RGB
    alpha: float
    box: tuple[float, float, float, float]


@dataclass(frozen=True)
class FigureContrast:
    """A run of figure text whose contrast falls short."""

    page: int  # 1-based
    source: Source
    text: str
    size_pt: float
    ratio: float
    needed: float
    colour: RGB
    background: RGB


def figure_sources(booklet: Any, figures: Any) -> dict[str, Source]:
    """Map each drawn figure's screen file URL to its module and the block that places it."""
    found: dict[str, Source] = {}
    for file, chart in booklet.charts:
        fig = figures.for_chart(chart)
        if fig is not None:
            found.setdefault(fig.svg.as_uri(), Source(f"figures/{chart.figure}.py", file,
                                                      chart.line))
    for file, qr in booklet.qrs:
        fig = figures.for_qr(qr)
        if fig is not None:
            found.setdefault(fig.svg.as_uri(), Source(f"QR code {qr.url}", file, qr.line))
    return found


def placed(document: Any, sources: Mapping[str, Source]
           ) -> dict[int, list[tuple[tuple[float, float, float, float], Source]]]:
    """Return, per 0-based page, each figure image's rectangle (PDF pt, y down) and source."""
    from weasyprint.layout.absolute import AbsolutePlaceholder

    out: dict[int, list[tuple[tuple[float, float, float, float], Source]]] = {}
    for number, page in enumerate(document.pages):
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            if isinstance(box, AbsolutePlaceholder):
                box = box._box
            element = getattr(box, "element", None)
            src = element.get("src") if element is not None and \
                getattr(box, "replacement", None) is not None else None
            if src in sources:
                x, y = box.content_box_x() * PX_PT, box.content_box_y() * PX_PT
                out.setdefault(number, []).append(
                    ((x, y, x + box.width * PX_PT, y + box.height * PX_PT), sources[src]))
            stack.extend(getattr(box, "children", ()) or ())
    return out


def page_chars(page: Any) -> Iterator[Char | None]:
    """Yield the page's characters in text order; None where a run of text ends."""
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    height = page.get_height()
    try:
        for i in range(textpage.count_chars()):
            text = chr(raw.FPDFText_GetUnicode(textpage.raw, i))
            if not text.strip() or raw.FPDFText_IsGenerated(textpage.raw, i):
                yield None
                continue
            r, g, b, a = (ctypes.c_uint() for _ in range(4))
            if not raw.FPDFText_GetFillColor(textpage.raw, i, *map(ctypes.byref, (r, g, b, a))):
                yield None
                continue
            left, bottom, right, top = textpage.get_charbox(i, loose=True)
            name = ctypes.create_string_buffer(128)
            raw.FPDFText_GetFontInfo(textpage.raw, i, name, 128, None)
            # WeasyPrint's subsets say nothing of weight (pdfium reads 400): the name does.
            bold = raw.FPDFText_GetFontWeight(textpage.raw, i) >= 700 or bool(
                BOLD.search(name.value.decode("latin-1")))
            yield Char(text, round(raw.FPDFText_GetFontSize(textpage.raw, i), 2),
                       bold, (r.value, g.value, b.value), a.value / 255,
                       (left, height - top, right, height - bottom))
    finally:
        textpage.close()


def _inside(char: Char, rect: tuple[float, float, float, float]) -> bool:
    x, y = (char.box[0] + char.box[2]) / 2, (char.box[1] + char.box[3]) / 2
    return rect[0] - 1 <= x <= rect[2] + 1 and rect[1] - 1 <= y <= rect[3] + 1


def _measure(char: Char, image: Any) -> tuple[float, RGB, RGB] | None:
    """Return the contrast of one character against what is drawn behind it."""
    x0, y0, x1, y1 = char.box
    rect = (int(x0 * SCALE) - 1, int(y0 * SCALE) - 1, int(x1 * SCALE) + 2, int(y1 * SCALE) + 2)
    behind = _background(image, rect, char.colour)
    if behind is None:
        return None
    ink = tuple(round(c * char.alpha + b * (1 - char.alpha))
                for c, b in zip(char.colour, behind, strict=True))
    return ratio(ink, behind), ink, behind  # type: ignore[arg-type,return-value]


def low_contrast_figures(document: Any, pdf: bytes,
                         sources: Mapping[str, Source]) -> list[FigureContrast]:
    """Return each run of figure text in *pdf* below WCAG AA, worst character first."""
    import numpy as np
    import pypdfium2 as pdfium

    where = placed(document, sources)
    found: list[FigureContrast] = []
    doc = pdfium.PdfDocument(pdf)
    try:
        for number, figures in sorted(where.items()):
            page = doc[number]
            rgb = np.asarray(page.render(scale=SCALE).to_pil().convert("RGB"), dtype=int)
            image = (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]
            run: list[tuple[Char, Source, float, RGB, RGB]] = []
            for char in (*page_chars(page), None):
                hit = None if char is None else next(
                    (s for rect, s in figures if _inside(char, rect)), None)
                same = run and hit is run[-1][1] and char is not None and \
                    (char.colour, char.size) == (run[-1][0].colour, run[-1][0].size)
                if run and not same:
                    low = _verdict(run, number + 1)
                    if low is not None:
                        found.append(low)
                    run = []
                if char is None or hit is None:
                    continue
                measured = _measure(char, image)
                if measured is not None:
                    run.append((char, hit, *measured))
            page.close()
    finally:
        doc.close()
    return found


def _verdict(run: list[tuple[Char, Source, float, RGB, RGB]], page: int) -> FigureContrast | None:
    """Return the run's worst character against its threshold, or None when all pass."""
    first = run[0][0]
    large = first.size >= LARGE_PT or (first.bold and first.size >= LARGE_BOLD_PT)
    needed = 3.0 if large else 4.5
    _char, source, value, ink, behind = min(run, key=lambda item: item[2])
    if value >= needed:
        return None
    text = "".join(item[0].text for item in run)
    return FigureContrast(page, source, text, first.size, round(value, 2), needed, ink, behind)


def figure_contrast_findings(document: Any, pdf: bytes, booklet: Any, figures: Any,
                             config: Config) -> list[Finding]:
    """Return a located error for each run of figure text below WCAG 2.2 AA contrast."""
    tokens: dict[str, str] = {}
    for name, c in config.colors.items():
        tokens.setdefault(c.on_screen.upper(), name)

    def named(rgb: RGB) -> str:
        value = "#{:02X}{:02X}{:02X}".format(*rgb)
        return f"{tokens[value]} ({value})" if value in tokens else value

    out: list[Finding] = []
    seen: set[tuple[Any, ...]] = set()
    for low in low_contrast_figures(document, pdf, figure_sources(booklet, figures)):
        key = (low.source, low.text, low.colour, low.background)
        if key in seen:
            continue
        seen.add(key)
        out.append(Finding(
            "error", "contrast",
            f"{low.source.name}: “{low.text[:24]}” ({low.size_pt:g} pt): {named(low.colour)} "
            f"on {named(low.background)} is {low.ratio:.2f}:1, below {low.needed:g}:1",
            "figures draw with the screen colours: give the token a darker or lighter "
            f"`screen:` value in booklet.yaml (colors.NAME.screen), or draw the text in "
            f"another token in {low.source.name}",
            file=low.source.file, line=low.source.line, page=low.page, edition="screen"))
    return out
