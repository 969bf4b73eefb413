"""The road to the Summit of the Future: a vertical timeline of dated milestones."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

from pydantic import Field, model_validator

from ._style import Label, Sourced, Wrapped, Year, canvas, label

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from booklet.figures import Theme

SIZE = "column"
Month = Annotated[int, Field(strict=True, ge=1, le=12)]
Day = Annotated[int, Field(strict=True, ge=1, le=31)]
ROW_MM, LINE_MM, YEAR_GAP_MM = 7.6, 3.9, 2.6
YEAR_X, DATE_X, AXIS_X, TEXT_X = 0.0, 35.5, 39.0, 43.0  # mm; DATE_X is a right edge


class Event(Wrapped):
    """One milestone: when (as precisely as its source says), what, and where that is from."""

    year: Year
    month: Month | None = None
    day: Day | None = None
    day_end: Day | None = None
    highlight: bool = False
    source: Label

    @model_validator(mode="after")
    def _real_date(self) -> Event:
        if self.day is not None and self.month is None:
            raise ValueError("a day needs a month")
        if self.day_end is not None and (self.day is None or self.day_end <= self.day):
            raise ValueError("day_end needs a day and must come after it")
        for day in (self.day, self.day_end):
            if day is not None and self.month is not None:
                dt.date(self.year, self.month, day)  # raises for 31 September etc.
        return self

    @property
    def when(self) -> str:
        """Return the date without the year, as printed: 9月18日—19日."""
        if self.month is None:
            return ""
        text = f"{self.month}月"
        if self.day is not None:
            text += f"{self.day}日"
        if self.day_end is not None:
            text += f"—{self.day_end}日"
        return text

    def order(self) -> tuple[int, int, int]:
        """Return a sort key; an event dated only by year comes first in its year."""
        return (self.year, self.month or 0, self.day or 0)


class Data(Sourced):
    """seeds/data/summit-timeline.yaml"""

    events: list[Event] = Field(min_length=2)

    @model_validator(mode="after")
    def _in_order(self) -> Data:
        keys = [e.order() for e in self.events]
        if keys != sorted(keys):
            raise ValueError("list the events in date order")
        return self


def _height(events: list[Event]) -> float:
    years = len({e.year for e in events})
    lines = sum(len(e.lines) - 1 for e in events)
    return 3.0 + len(events) * ROW_MM + lines * LINE_MM + (years - 1) * YEAR_GAP_MM + 1.0


def draw(data: Data, theme: Theme) -> Figure:
    """Draw years and dates left of a rule, a dot per event on it, the events to its right."""
    from matplotlib.patches import Circle

    events = data.events
    height = _height(events)
    fig, ax = canvas(theme, height)
    y, year, dots = 6.0, None, []
    for event in events:
        if year is not None and event.year != year:
            y += YEAR_GAP_MM
        if event.year != year:
            label(ax, YEAR_X, y, f"{event.year}", theme, theme.strong_pt + 2, "brand-dark",
                  bold=True)
        year = event.year
        if event.when:
            label(ax, DATE_X, y, event.when, theme, theme.text_pt, "muted", ha="right")
        dots.append((y - 1.2, event.highlight))
        for i, line in enumerate(event.lines):
            label(ax, TEXT_X, y + i * LINE_MM, line, theme,
                  theme.strong_pt if event.highlight else theme.text_pt,
                  "ink", bold=event.highlight)
        y += ROW_MM + (len(event.lines) - 1) * LINE_MM
    ax.plot([AXIS_X, AXIS_X], [dots[0][0], dots[-1][0]], color=theme.color("rule"),
            linewidth=theme.line_pt * 1.5, solid_capstyle="butt")
    for dot_y, big in dots:
        radius = 1.9 if big else 1.15
        ax.add_patch(Circle((AXIS_X, dot_y), radius, facecolor=theme.color("brand"),
                            edgecolor=theme.color("paper"), linewidth=1.2))
    return fig


def describe(data: Data) -> str:
    """Return the timeline as Chinese text, one clause per event."""
    items = [f"{e.year}年{e.when}：{e.label}" for e in data.events]
    return "时间线：通往未来峰会之路。" + "；".join(items) + "。"
