"""SDG progress: the share of targets on track, as a hundred-cell waffle beside the number."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field

from ._style import Label, Number, Sourced, Year, canvas, label, text_mm

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from booklet.figures import Theme

SIZE = "column"
HEIGHT_MM = 30.0
COLUMNS, ROWS = 20, 5  # 100 cells: one per cent; filled column by column


class Data(Sourced):
    """seeds/data/sdg-progress.yaml"""

    year: Year
    percent: Number = Field(le=100, description="Share of targets on track, in per cent.")
    on_track: Label = Field(description="Legend text for the targets on track.")
    off_track: Label = Field(description="Legend text for the rest.")
    lead: list[Label] = Field(min_length=1, max_length=3, description="Lines beside the number.")


def draw(data: Data, theme: Theme) -> Figure:
    """Draw the big percentage on the left and a 20 × 5 waffle on the right."""
    from matplotlib.patches import Rectangle

    fig, ax = canvas(theme, HEIGHT_MM)
    width = theme.width_mm()
    label(ax, 0, 13.0, f"{data.percent:g}%", theme, theme.display_pt + 6, "brand", bold=True)
    for i, line in enumerate(data.lead):
        label(ax, 0, 19.5 + i * 4.2, line, theme, theme.text_pt, "ink")
    # The waffle takes what the number and its lines leave, so nothing overlaps on narrow
    # pages (A5, 32开); at most 4.2 mm a cell pitch, as on a 170 mm page.
    beside = max([text_mm(line, theme.text_pt, theme) for line in data.lead]
                 + [text_mm(f"{data.percent:g}%", theme.display_pt + 6, theme)]) + 4.0
    pitch = min(4.2, (width - beside + 0.8) / COLUMNS)
    cell, gap = 0.81 * pitch, 0.19 * pitch
    grid = COLUMNS * cell + (COLUMNS - 1) * gap
    left, top = width - grid, 2.0
    filled = round(data.percent)
    for i in range(COLUMNS * ROWS):
        col, row = divmod(i, ROWS)
        on = i < filled
        ax.add_patch(Rectangle(
            (left + col * (cell + gap), top + row * (cell + gap)), cell, cell,
            facecolor=theme.color("brand" if on else "brand-light"), edgecolor="none"))
    key_y = top + ROWS * (cell + gap) + 4.6
    keys = sum(3.8 + text_mm(t, theme.small_pt, theme) + 5.0 for t in (data.on_track,
                                                                        data.off_track))
    # Under the waffle when the key fits beside the scale note, else from the left edge.
    x = left if left + keys + text_mm("每格代表1%", theme.small_pt, theme) <= width else 0.0
    for colour, text in (("brand", data.on_track), ("brand-light", data.off_track)):
        ax.add_patch(Rectangle((x, key_y - 2.4), 2.6, 2.6, facecolor=theme.color(colour),
                               edgecolor="none"))
        label(ax, x + 3.8, key_y, text, theme, theme.small_pt, "ink")
        x += 3.8 + text_mm(text, theme.small_pt, theme) + 5.0
    label(ax, width - 0.5, key_y, "每格代表1%", theme, theme.small_pt, "muted", ha="right")
    return fig


def describe(data: Data) -> str:
    """Return the chart as one Chinese sentence."""
    rest = 100 - data.percent
    return (f"百格图：{data.year}年，可持续发展目标具体目标中只有{data.percent:g}%符合计划进展，"
            f"其余{rest:g}%未符合计划进展。")
