"""Spending by priority area, stacked by funding source: horizontal bars, largest first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field, model_validator

from ._style import Label, Model, Number, Sourced, Year, canvas, decimal, label, text_mm

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from booklet.figures import Theme

SIZE = "column"
TOP_MM, ROW_MM, BAR_MM, GROUP_GAP_MM = 10.5, 5.7, 3.9, 3.0
LABEL_RIGHT_MM, BAR_LEFT_MM = 31.0, 33.0
INSIDE_MIN_MM = 9.0  # label a segment inside the bar only when its number fits comfortably


class Funding(Model):
    """A funding source: one colour in every bar."""

    key: Label
    label: Label
    color: Label = Field(description="Colour token of the segment.")
    number_color: Label = Field("paper", description="Colour token of numbers on the segment.")


class Area(Model):
    """One bar: a priority area and its spending per funding source."""

    label: Label
    name: Label = Field(description="The area's name in the source data.")
    amounts: dict[str, Number]
    support: bool = Field(False, description="Not a priority area: drawn last, set apart.")

    def total(self) -> float:
        """Return the area's total spending."""
        return sum(self.amounts.values())


class Data(Sourced):
    """seeds/data/spending-by-priority.yaml"""

    year: Year
    unit: Label = Field(description="Printed unit, e.g. 亿美元.")
    scale: Number = Field(gt=0, description="Amounts are divided by this for printing.")
    funding: list[Funding] = Field(min_length=1)
    areas: list[Area] = Field(min_length=1)

    @model_validator(mode="after")
    def _same_keys(self) -> Data:
        keys = {f.key for f in self.funding}
        for area in self.areas:
            if set(area.amounts) != keys:
                raise ValueError(f"{area.label}: amounts must give exactly {sorted(keys)}")
        return self

    def ordered(self) -> list[Area]:
        """Return the priority areas largest first, then the support areas."""
        main = sorted((a for a in self.areas if not a.support), key=lambda a: -a.total())
        return main + [a for a in self.areas if a.support]


def _height(data: Data) -> float:
    gap = GROUP_GAP_MM if any(a.support for a in data.areas) else 0.0
    return TOP_MM + len(data.areas) * ROW_MM + gap + 6.0


def draw(data: Data, theme: Theme) -> Figure:
    """Draw the legend, one stacked bar per area with its total, and the unit."""
    from matplotlib.patches import Rectangle

    height = _height(data)
    fig, ax = canvas(theme, height)
    width = theme.width_mm()
    areas = data.ordered()
    widest = max(text_mm(decimal(a.total() / data.scale), theme.text_pt, theme, True)
                 for a in areas)
    per_unit = (width - BAR_LEFT_MM - widest - 2.0) / max(a.total() for a in areas)
    x = BAR_LEFT_MM
    for funding in data.funding:
        ax.add_patch(Rectangle((x, 2.6), 2.8, 2.8, facecolor=theme.color(funding.color),
                               edgecolor="none"))
        label(ax, x + 4.0, 5.2, funding.label, theme, theme.text_pt)
        x += 4.0 + text_mm(funding.label, theme.text_pt, theme) + 5.0
    y = TOP_MM
    for area in areas:
        if area.support:
            y += GROUP_GAP_MM
        middle = y + BAR_MM / 2
        label(ax, LABEL_RIGHT_MM, middle, area.label, theme, theme.text_pt,
              "muted" if area.support else "ink", ha="right", va="center_baseline")
        x = BAR_LEFT_MM
        for funding in data.funding:
            value = area.amounts[funding.key] / data.scale
            span = value * data.scale * per_unit
            if span <= 0:
                continue
            ax.add_patch(Rectangle((x, y), span, BAR_MM, facecolor=theme.color(funding.color),
                                   edgecolor="none"))
            if span >= INSIDE_MIN_MM:
                label(ax, x + span / 2, middle, decimal(value), theme, theme.small_pt,
                      funding.number_color, ha="center", va="center_baseline")
            x += span
        label(ax, x + 1.5, middle, decimal(area.total() / data.scale), theme, theme.text_pt,
              "ink", bold=True, va="center_baseline")
        y += ROW_MM
    label(ax, BAR_LEFT_MM, y + 2.5, f"单位：{data.unit}", theme, theme.small_pt, "muted")
    return fig


def describe(data: Data) -> str:
    """Return the chart as Chinese text: every area's total and its split by source."""
    parts = []
    for area in data.ordered():
        split = "，".join(f"{f.label}{decimal(area.amounts[f.key] / data.scale)}"
                         for f in data.funding)
        parts.append(f"{area.label}{decimal(area.total() / data.scale)}（{split}）")
    return (f"横向堆积条形图：{data.year}年联合国秘书处各优先领域支出（单位：{data.unit}），"
            f"按资金来源分为{'、'.join(f.label for f in data.funding)}。" + "；".join(parts) + "。")
