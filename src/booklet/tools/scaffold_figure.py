"""The example figure `booklet new` writes: a figure module, its data file and a chart block.

The module uses only the documented contract (Data, draw, describe) and the Theme API, so a
writer can copy it as the start of her own chart.
"""

from __future__ import annotations

FIGURE = '''\
"""Example figure: horizontal bars, one per item, with the value printed at the end.

The contract (README, "Writing a booklet"): a pydantic `Data` model for the data file,
`draw(data, theme) -> Figure` and `describe(data) -> str` (the Chinese text alternative).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from matplotlib.figure import Figure

SIZE = "column"  # or "full"; a chart block's `size:` overrides it


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str = Field(min_length=1)
    value: float = Field(ge=0)  # a number; "12" (text) is an error in the data file


class Data(BaseModel):
    model_config = ConfigDict(extra="forbid")
    source: str = Field(min_length=1)  # full provenance of every number
    credit: str = Field(min_length=1)  # the short line printed as 资料来源
    unit: str
    items: list[Item] = Field(min_length=1)


def draw(data: Data, theme) -> Figure:
    fig = theme.figure(height_mm=8 + 7 * len(data.items))  # as wide as the column
    ax = fig.add_axes((0.22, 0.08, 0.68, 0.9))
    labels = [item.label for item in data.items][::-1]
    values = [item.value for item in data.items][::-1]
    ax.barh(labels, values, color=theme.color("brand"), height=0.6)
    for y, value in enumerate(values):
        # A gap in points, not a leading space: SVG text drops leading spaces.
        ax.annotate(f"{value:g}{data.unit}", xy=(value, y), xytext=(3, 0),
                    textcoords="offset points", va="center", fontsize=theme.small_pt,
                    color=theme.color("ink"), annotation_clip=False)
    ax.set_xticks([])
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0, labelsize=theme.text_pt)
    return fig


def describe(data: Data) -> str:
    parts = "，".join(f"{item.label}{item.value:g}{data.unit}" for item in data.items)
    return f"条形图：{parts}。"
'''

DATA = """\
# Data of figures/example-bars.py. Numbers are written as numbers (12.5), never as text ("12.5").
source: 示例数据，仅用于演示（写明每个数字的完整出处）。
credit: 示例数据
unit: 万人
items:
  - label: 甲地区
    value: 12.5
  - label: 乙地区
    value: 8
  - label: 丙地区
    value: 3.2
"""

CHART_BLOCK = """
```chart
id: example
figure: example-bars
data: data/example-bars.yaml
caption: "示例图表：各地区受益人数"
```

图表有 `id:` 时自动编号，正文用 [@fig:example] 引用它（见[@page:fig:example]）。
"""
