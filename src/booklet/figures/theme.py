"""The Theme a figure module draws with: fonts, colour tokens and sizes from booklet.yaml."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from booklet.content.config import Config, to_pt

if TYPE_CHECKING:
    from matplotlib.figure import Figure

MM = 72 / 25.4
SIZES = ("column", "full")


@dataclass(frozen=True)
class Theme:
    """What figures share with the page: fonts, colour tokens and sizes at print size (pt, mm).

    ``colors`` are the screen edition's values (a token's ``screen:`` where it has one), so the
    RGB SVG meets WCAG contrast; the print twin swaps them, and the tokens' ``rgb`` values
    (``print_rgb``), for the tokens' CMYK.
    """

    font: str
    colors: Mapping[str, str]
    cmyk: Mapping[str, tuple[float, float, float, float]]
    print_rgb: Mapping[str, str]
    column_mm: float
    full_mm: float
    size: str = "column"
    qr_mm: float = 28.0
    min_pt: float = 8.0  # booklet.yaml print.ink.min_text: smaller text stops the build
    small_pt: float = 8.0
    text_pt: float = 8.0
    strong_pt: float = 9.0
    display_pt: float = 24.0
    line_pt: float = 0.6

    def color(self, name: str) -> str:
        """Return the screen RGB hex of colour token *name* (the same tokens as the CSS)."""
        try:
            return self.colors[name]
        except KeyError:
            known = ", ".join(sorted(self.colors))
            raise KeyError(f"no colour token {name!r}; known tokens: {known}") from None

    def width_mm(self, size: str | None = None) -> float:
        """Return the printed width of a figure of *size* (default: the size being drawn)."""
        size = size or self.size
        if size not in SIZES:
            raise ValueError(f"size must be one of {SIZES}, not {size!r}")
        return self.full_mm if size == "full" else self.column_mm

    def figure(self, height_mm: float | None = None, aspect: float = 0.6) -> Figure:
        """Create an empty figure exactly as wide as it will be printed."""
        from matplotlib.figure import Figure

        width = self.width_mm()
        height = height_mm if height_mm is not None else width * aspect
        return Figure(figsize=(width / 25.4, height / 25.4))

    def rc(self) -> dict[str, Any]:
        """Return the rcParams every figure is drawn with."""
        ink, muted, rule = self.color("ink"), self.color("muted"), self.color("rule")
        return {
            "svg.fonttype": "none",  # keep text as <text>: selectable, set by WeasyPrint
            "svg.hashsalt": "booklet",  # stable clip-path ids: identical input, identical bytes
            "font.family": [self.font],
            "font.size": self.text_pt,
            "text.color": ink,
            "axes.edgecolor": rule,
            "axes.labelcolor": ink,
            "axes.linewidth": self.line_pt,
            "axes.facecolor": "none",
            "axes.unicode_minus": False,
            "xtick.color": muted,
            "ytick.color": muted,
            "xtick.labelcolor": ink,
            "ytick.labelcolor": ink,
            "figure.facecolor": "none",
            "savefig.facecolor": "none",
            "savefig.transparent": True,
            "lines.linewidth": 1.2,
            "patch.linewidth": 0,
        }

    def fingerprint(self) -> str:
        """Return a stable text of every field, for cache keys."""
        return json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)


def theme_from(config: Config) -> Theme:
    """Build the figure theme from booklet.yaml: heading font, colour tokens, text measure."""
    page = config.page
    measure = (to_pt(page.width) - to_pt(page.margin.inner) - to_pt(page.margin.outer)) / MM
    return Theme(
        font=config.fonts.heading,
        colors={name: c.on_screen for name, c in sorted(config.colors.items())},
        print_rgb={name: c.rgb for name, c in sorted(config.colors.items())},
        cmyk={name: tuple(c.cmyk) for name, c in sorted(config.colors.items())},  # type: ignore[misc]
        column_mm=round(measure, 2),
        # A wide figure breaks out halfway into the outer margin.
        full_mm=round(measure + to_pt(page.margin.outer) / MM / 2, 2),
        min_pt=to_pt(config.print.ink.min_text),
        small_pt=max(8.0, to_pt(config.print.ink.min_text)),
    )
