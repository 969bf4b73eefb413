"""Humanitarian funding: what donors gave against what was needed, as one proportional bar."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field, model_validator

from ._style import Label, Number, Sourced, Year, canvas, label, text_mm

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from booklet.figures import Theme

SIZE = "column"
HEIGHT_MM = 36.0


class Data(Sourced):
    """seeds/data/humanitarian-funding.yaml"""

    year: Year
    unit: Label = Field(description="Unit of the amounts as printed, e.g. 亿美元.")
    received: Number = Field(description="Funding received.")
    required: Number = Field(description="Funding required.")
    percent: Number = Field(description="Share received, as the source prints it.")

    @model_validator(mode="after")
    def _consistent(self) -> Data:
        if self.received > self.required:
            raise ValueError("received is larger than required")
        if abs(100 * self.received / self.required - self.percent) > 1:
            raise ValueError("percent does not match received / required")
        return self


def _amount(value: float) -> str:
    return f"{value:g}"


def draw(data: Data, theme: Theme) -> Figure:
    """Draw the required amount as a bar and the received share inside it."""
    from matplotlib.patches import Rectangle

    fig, ax = canvas(theme, HEIGHT_MM)
    width = theme.width_mm()
    top, bar = 13.5, 9.0
    share = width * data.received / data.required
    ax.add_patch(Rectangle((0, top), width, bar, facecolor=theme.color("brand-light"),
                           edgecolor="none"))
    ax.add_patch(Rectangle((0, top), share, bar, facecolor=theme.color("brand"),
                           edgecolor="none"))
    # The headline figure sits over the filled part, its sentence beside it.
    big = f"{data.percent:g}%"
    label(ax, 0, top - 3.0, big, theme, theme.display_pt, "brand", bold=True)
    label(ax, text_mm(big, theme.display_pt, theme, bold=True) + 2.0, top - 3.4,
          "的所需资金已到位", theme, theme.strong_pt, "ink")
    label(ax, share + (width - share) / 2, top + bar / 2, "资金缺口", theme, theme.text_pt,
          "ink", va="center_baseline", ha="center")
    below = top + bar + 6.0
    label(ax, 0, below, f"{_amount(data.received)}{data.unit}", theme, theme.strong_pt,
          "ink", bold=True)
    label(ax, width - 0.5, below, f"{_amount(data.required)}{data.unit}", theme, theme.strong_pt,
          "ink", bold=True, ha="right")
    label(ax, 0, below + 4.5, "捐助方提供", theme, theme.small_pt, "muted")
    label(ax, width - 0.5, below + 4.5, "拯救生命工作所需", theme, theme.small_pt, "muted",
          ha="right")
    return fig


def describe(data: Data) -> str:
    """Return the chart as one Chinese sentence."""
    return (f"条形图：{data.year}年人道主义工作所需资金{_amount(data.required)}{data.unit}，"
            f"捐助方提供{_amount(data.received)}{data.unit}，仅占所需资金的{data.percent:g}%。")
