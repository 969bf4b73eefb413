"""Page sizes by name or by size, and the text block derived from them as a grid.

The text block is a whole number of characters across (measure = N × body size) and a whole
number of body lines down (height = M × line), so that justified Chinese lines need no
stretching and full pages end on the same baseline. The rule, for a page W × H:

- N = round(0.74 × W / body size), M = round(0.81 × H / line), never fewer than 16 × 12;
- the spare width goes 45 % to the inner margin (spine) and 55 % to the outer margin;
- the spare height goes 46 % above the text block and 54 % below it (the folio sits there).

At 170 × 240 mm with 10.5 pt type on 1.75 lines this gives 34 characters × 30 lines, the
grid the seed booklet was designed on. Margins given in booklet.yaml are kept as they are.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

MM_PT = 72 / 25.4
MEASURE_SHARE, HEIGHT_SHARE = 0.74, 0.81
INNER_SHARE, TOP_SHARE = 0.45, 0.46
MIN_CHARS, MIN_LINES = 16, 12

# Trim sizes in mm, portrait. 开 sizes are the Chinese book formats (GB/T 788).
NAMED_SIZES: dict[str, tuple[float, float]] = {
    "A4": (210, 297),
    "A5": (148, 210),
    "A6": (105, 148),
    "B5": (176, 250),
    "JIS-B5": (182, 257),
    "16开": (185, 260),
    "大16开": (210, 285),
    "32开": (130, 184),
    "大32开": (140, 203),
}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[x×*]\s*(\d+(?:\.\d+)?)\s*(mm)?\s*$", re.IGNORECASE)


def parse_size(value: str) -> tuple[float, float]:
    """Return (width, height) in mm of a named size or of a size such as ``170x240mm``."""
    for name, size in NAMED_SIZES.items():
        if value.strip().casefold() == name.casefold():
            return size
    match = _SIZE.match(value)
    if not match:
        names = ", ".join(NAMED_SIZES)
        raise ValueError(f"unknown page size {value!r}\nuse one of {names} (any case), or "
                         "WIDTHxHEIGHTmm such as 170x240mm (mm may be left out: 170x240)")
    width, height = float(match.group(1)), float(match.group(2))
    if not (50 <= width <= 1000 and 50 <= height <= 1000):
        raise ValueError(f"page size {value!r}: each side must be 50 to 1000 mm")
    return width, height


def oriented(size: tuple[float, float], orientation: str) -> tuple[float, float]:
    """Return *size* turned to *orientation* (portrait: the long side vertical)."""
    short, long = sorted(size)
    return (long, short) if orientation == "landscape" else (short, long)


@dataclass(frozen=True)
class Grid:
    """The text block as characters × lines, and the margins around it, in points."""

    chars: int
    lines: int
    top: float
    bottom: float
    inner: float
    outer: float


def derive_grid(width_pt: float, height_pt: float, body_pt: float, line_pt: float) -> Grid:
    """Return the grid and margins of a page by the rule in this module's docstring."""
    chars = max(MIN_CHARS, round(MEASURE_SHARE * width_pt / body_pt))
    lines = max(MIN_LINES, round(HEIGHT_SHARE * height_pt / line_pt))
    spare_x = width_pt - chars * body_pt
    spare_y = height_pt - lines * line_pt
    return Grid(chars, lines, top=spare_y * TOP_SHARE, bottom=spare_y * (1 - TOP_SHARE),
                inner=spare_x * INNER_SHARE, outer=spare_x * (1 - INNER_SHARE))


def mm(points: float) -> str:
    """Return *points* as a CSS length in mm, rounded down to 1/1000 mm.

    Down, so that the text block is never a hair shorter than its whole lines: a block
    grown to whole lines (the grid) that ends on the last line must still fit the page.
    """
    return f"{math.floor(points / MM_PT * 1000 + 1e-6) / 1000:.3f}mm"
