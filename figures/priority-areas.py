"""The Secretariat's priority areas around its staff figure: a hub with eight spokes."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from pydantic import Field

from ._style import Label, Sourced, Wrapped, canvas, label, nb

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from booklet.figures import Theme

SIZE = "column"
HEIGHT_MM = 76.0
HUB_MM, NODE_MM = 17.5, 9.4  # radii of the centre disc and of each area's disc
ORBIT_MM = (47.0, 27.2)  # the ellipse the area discs sit on (x, y radii)


class Data(Sourced):
    """seeds/data/priority-areas.yaml"""

    headline: Label = Field(description="The staff figure, e.g. 35 000+.")
    lead: list[Label] = Field(min_length=1, max_length=2, description="Lines under it.")
    areas: list[Wrapped] = Field(min_length=3, max_length=10)


def draw(data: Data, theme: Theme) -> Figure:
    """Draw the headline in a centre disc and the areas on an ellipse around it."""
    from matplotlib.patches import Circle

    fig, ax = canvas(theme, HEIGHT_MM)
    cx, cy = theme.width_mm() / 2, HEIGHT_MM / 2
    count = len(data.areas)
    for i, area in enumerate(data.areas):
        # Clockwise from twelve o'clock, like reading a dial.
        angle = math.pi / 2 - 2 * math.pi * i / count
        dx, dy = math.cos(angle), -math.sin(angle)
        x, y = cx + ORBIT_MM[0] * dx, cy + ORBIT_MM[1] * dy
        reach = math.hypot(x - cx, y - cy)
        ux, uy = (x - cx) / reach, (y - cy) / reach
        ax.plot([cx + ux * (HUB_MM + 1.2), x - ux * (NODE_MM + 1.2)],
                [cy + uy * (HUB_MM + 1.2), y - uy * (NODE_MM + 1.2)],
                color=theme.color("rule"), linewidth=theme.line_pt, solid_capstyle="round")
        ax.add_patch(Circle((x, y), NODE_MM, facecolor=theme.color("brand-light"),
                            edgecolor="none"))
        lines = area.lines
        step = 3.6
        first = y - step * (len(lines) - 1) / 2
        for j, line in enumerate(lines):
            label(ax, x, first + j * step, line, theme, theme.text_pt, "ink", bold=True,
                  ha="center", va="center_baseline")
    ax.add_patch(Circle((cx, cy), HUB_MM, facecolor=theme.color("brand"), edgecolor="none"))
    label(ax, cx, cy - 2.2, nb(data.headline), theme, theme.display_pt - 4, "paper", bold=True,
          ha="center", va="baseline")
    for j, line in enumerate(data.lead):
        label(ax, cx, cy + 3.2 + j * 3.4, line, theme, theme.small_pt, "paper", ha="center",
              va="baseline")
    return fig


def describe(data: Data) -> str:
    """Return the diagram as Chinese text: the headline, then every area."""
    areas = "、".join(a.label for a in data.areas)
    return (f"示意图：中心为“{nb(data.headline)}{''.join(data.lead)}”，"
            f"周围是{len(data.areas)}个优先领域：{areas}。")
