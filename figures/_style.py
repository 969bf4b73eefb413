"""Shared helpers for the booklet's figures: strict data types, number formats, a mm canvas."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from booklet.figures import Theme

MM = 72 / 25.4
# Strict: a number written as text ("227") is an error in the data file, never coerced.
Number = Annotated[float, Field(strict=True, ge=0)]
Year = Annotated[int, Field(strict=True, ge=1945, le=2100)]
Label = Annotated[str, Field(strict=True, min_length=1)]
NBSP = "\u00a0"  # Noto Sans CJK has no U+202F, so digit groups are glued with U+00A0


class Model(BaseModel):
    """A data-file section: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Sourced(Model):
    """A data file: where its numbers come from, and the short line printed under the figure."""

    source: Label = Field(description="Full provenance of every number in the file.")
    credit: Label = Field(description="Short Chinese source line printed under the figure.")


class Wrapped(Model):
    """A label that may be set on two or more lines without changing its text."""

    label: Label
    wrap: list[Label] = Field(default_factory=list, description="The label split into lines.")

    @model_validator(mode="after")
    def _same_text(self) -> Wrapped:
        if self.wrap and "".join(self.wrap) != self.label:
            raise ValueError("the lines of `wrap` must join to exactly the label")
        return self

    @property
    def lines(self) -> list[str]:
        """Return the label's lines."""
        return list(self.wrap) or [self.label]


def nb(text: str) -> str:
    """Glue digit groups ("35 000+") with a no-break space, as the body text does."""
    return re.sub(r"(?<=\d) (?=\d{3}\b)", NBSP, text)


def decimal(value: float, digits: int = 1) -> str:
    """Format a number with fixed decimals (73.2)."""
    return f"{value:.{digits}f}"


def text_mm(text: str, size: float, theme: Theme, bold: bool = False) -> float:
    """Return the advance width of *text* at *size* pt in the theme's font, in mm."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    prop = FontProperties(family=theme.font, size=size, weight="bold" if bold else "normal")
    width, _, _ = text_to_path.get_text_width_height_descent(text, prop, ismath=False)
    return width / MM


def canvas(theme: Theme, height_mm: float) -> tuple[Figure, Axes]:
    """Return a figure as wide as it prints and an axes in mm, origin top left, y down."""
    fig = theme.figure(height_mm=height_mm)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, theme.width_mm())
    ax.set_ylim(height_mm, 0)
    ax.set_axis_off()
    return fig, ax


def label(ax: Axes, x: float, y: float, text: str, theme: Theme, size: float | None = None,
          color: str = "ink", bold: bool = False, **kwargs: Any) -> None:
    """Set one line of text at (x, y) mm, baseline at y unless ``va`` says otherwise."""
    kwargs.setdefault("va", "baseline")
    ax.text(x, y, text, fontsize=size or theme.text_pt, color=theme.color(color),
            fontweight="bold" if bold else "normal", **kwargs)
