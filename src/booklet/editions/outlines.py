"""Set a line of text as filled glyph outlines: ink on paper, no text in the PDF's text layer.

The proof slug is an instruction to the print shop, not part of the booklet: as text it would
sit in the text layer between two pages and split a sentence that runs across them for anyone
who copies, searches or checks the text. Outlines keep it visible and out of the way.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fontTools.pens.basePen import BasePen

from booklet.errors import EnvironmentProblem

MISSING_ADVANCE = 0.5  # em; a character the face lacks is left out, with a half-em gap


@dataclass(frozen=True)
class Outlined:
    """A line set as outlines: PDF path operators in text-space points, and its width."""

    ops: bytes
    width: float


class _PdfPen(BasePen):
    """Collect a glyph outline as PDF path operators, scaled and moved into place."""

    def __init__(self, glyphs: Any, scale: float, x: float, y: float, out: list[str]) -> None:
        super().__init__(glyphs)
        self.scale, self.x, self.y, self.out = scale, x, y, out

    def _pt(self, point: tuple[float, float]) -> str:
        return f"{self.x + point[0] * self.scale:.3f} {self.y + point[1] * self.scale:.3f}"

    def _moveTo(self, pt: tuple[float, float]) -> None:
        self.out.append(f"{self._pt(pt)} m")

    def _lineTo(self, pt: tuple[float, float]) -> None:
        self.out.append(f"{self._pt(pt)} l")

    def _curveToOne(self, p1: tuple[float, float], p2: tuple[float, float],
                    p3: tuple[float, float]) -> None:
        self.out.append(f"{self._pt(p1)} {self._pt(p2)} {self._pt(p3)} c")

    def _closePath(self) -> None:
        self.out.append("h")


@functools.cache
def _face(path: Path, index: int) -> tuple[Any, dict[int, str], Any, float]:
    """Open a face once per process: glyph set, character map, advances, units per em."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), fontNumber=index, lazy=True)
    return font.getGlyphSet(), font.getBestCmap(), font["hmtx"], float(font["head"].unitsPerEm)


def advances(text: str, family: str, size: float) -> list[float]:
    """Return each character's advance in points when set in *family* at *size*."""
    _, cmap, hmtx, units = _face(*_resolve(family))
    return [hmtx[cmap[ord(c)]][0] * size / units if ord(c) in cmap else MISSING_ADVANCE * size
            for c in text]


def outline(text: str, family: str, size: float, baseline: float) -> Outlined:
    """Set *text* in *family* at *size* points from x = 0 on *baseline*, as a filled path."""
    glyphs, cmap, hmtx, units = _face(*_resolve(family))
    scale = size / units
    out: list[str] = []
    x = 0.0
    for char in text:
        name = cmap.get(ord(char))
        if name is None:
            x += MISSING_ADVANCE * size
            continue
        glyphs[name].draw(_PdfPen(glyphs, scale, x, baseline, out))
        x += hmtx[name][0] * scale
    if out:
        out.append("f")  # nonzero winding, as the fonts are drawn
    return Outlined("\n".join(out).encode("ascii"), x)


def _resolve(family: str) -> tuple[Path, int]:
    from booklet.content.glyphs import resolve_font

    font = resolve_font(family)
    if font is None:
        raise EnvironmentProblem(f"the font {family!r} is not installed: install it (the README's "
                               "build command installs Noto CJK) or name another in booklet.yaml "
                               "fonts.heading")
    return font.path, font.index
