"""`booklet new DIR`: start a booklet project that builds at once.

A new project needs only ``seeds/``: the page design (layout/ and styles/) ships with the
package. The project gets empty ``layout/`` and ``styles/`` folders with a note on how to
override one file, so a designer sees where the design lives without copying all of it.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from booklet.errors import BookletError, Problem
from booklet.tools.scaffold_figure import CHART_BLOCK, DATA, FIGURE

CONFIG = """\
# The booklet's settings. `booklet build` turns seeds/ into dist/<slug>.pdf.
title: {title}
subtitle: 示例小册子
slug: {slug}
language: zh-CN
author: 编写组
publisher: 出版单位
date: {date}
edition: 中文版
description: 用 booklet 排版的中文小册子示例：章节、亮点数字、引语、图片与脚注。
rights: © 出版单位
page:
  # A4, A5, A6, B5, JIS-B5, 16开, 大16开, 32开, 大32开 or WIDTHxHEIGHTmm, e.g. 170x240mm. The
  # text block is derived as whole characters x whole lines, margins by a rule.
  size: 170x240mm
typography:
  body_size: 10.5pt
  line_height: 1.75
# Design tokens: colours as RGB (screen) + CMYK percentages (print), and the type scale.
# CSS reads them as var(--brand), var(--size-title) ...; unlisted tokens keep their defaults.
colors:
  # `screen:` is the screen edition's colour where `rgb` would fail WCAG contrast (white text
  # on #009EDB is 3.0:1, on #006DB0 5.5:1); print keeps rgb and cmyk.
  brand: {{rgb: "#009EDB", cmyk: [100, 10, 0, 0], screen: "#006DB0"}}
  brand-dark: {{rgb: "#005A8C", cmyk: [100, 45, 0, 30]}}
sizes:
  title: 21pt
  section: 14pt
editions:
  screen: true
  print: true
  imposed: true
"""

CHAPTER = """\
---
title: "第一章"
id: chapter-one
---

这是正文的第一段。正文用宋体五号（10.5磅），行距1.75，两端对齐，首行缩进两个字。\
每一章从新的一页开始，页眉显示章名，页码在外侧下角。

```stats
items:
  - label: "示例数字"
    value: "1 500万"
    text: "说明这个数字的一句话"
  - label: "第二个数字"
    value: "92"
    text: "数字和单位分开排版，单位较小"
  - label: "第三个数字"
    value: "2.03亿美元"
    text: "九个数字排成三行三列最整齐"
```

## 一节的标题

脚注写在段落里，排在同一页的页脚。[^1]图片文件缺失时，会印出同样大小的占位框，\
并注明“图片待补”。

```quote
text: "“引语用楷体，注明说话人的职务和姓名。”"
role: "职务"
name: "姓名"
```

```photo
src: images/example.jpg
alt: "示例图片"
caption: "图片说明排在图片旁边。图片文件还没有时，先印出同样大小的占位框。"
place: "地点"
date: "2024年1月"
credit: "摄影者"
```

```callout
title: "如何修改设计"
items:
  - "颜色和字号：seeds/booklet.yaml 中的 colors 和 sizes"
  - "版式：在本项目的 styles 或 layout 文件夹里放一个同名文件"
  - "校样图：booklet proof"
```

[^1]: 脚注用六号字（8磅）。
"""

OVERRIDE_NOTE = """\
Put a file here with the same name as one of booklet's own {kind} files to replace it for
this project only: {examples}. Copy the shipped file first (`booklet new` printed where the
defaults live) and change what you need; files you do not copy keep the shipped design.
"""

GITIGNORE = "/dist/\n/.cache/\n"


def slug_for(folder: Path) -> str:
    """Return a valid slug from a folder name (lowercase ASCII, digits, hyphens)."""
    slug = re.sub(r"[^a-z0-9]+", "-", folder.name.lower()).strip("-")[:80].rstrip("-")
    return slug if slug and slug[0].isalnum() else "booklet"


def new_project(folder: Path, title: str = "我的小册子",
                today: dt.date | None = None) -> list[Path]:
    """Create a booklet project in *folder* (new or empty); return the files written."""
    bad = re.search(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]", title)
    if bad or not title.strip() or len(title) > 200:
        why = (f"it contains the control character U+{ord(bad.group()):04X}" if bad
               else "it is empty" if not title.strip() else "it is longer than 200 characters")
        raise BookletError("cannot create a project with this title", [Problem(
            why, field="--title", hint="give a plain one-line title, e.g. --title 我的小册子")])
    folder = folder.resolve()
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BookletError(f"cannot create a project in {folder}", [Problem(
            "the folder exists and is not empty", folder,
            hint="name a new folder, e.g. `booklet new my-booklet`")])
    date = (today or dt.date.today()).isoformat()
    from booklet.content.resources import defaults_dir

    files = {
        "seeds/booklet.yaml": CONFIG.format(title=_yaml_text(title), slug=slug_for(folder),
                                            date=date),
        "seeds/chapters/01-chapter-one.md": CHAPTER.replace("\n## 一节的标题", CHART_BLOCK
                                                            + "\n## 一节的标题", 1),
        "seeds/images/.gitkeep": "",
        "seeds/data/example-bars.yaml": DATA,
        "figures/example-bars.py": FIGURE,
        "styles/README.txt": OVERRIDE_NOTE.format(
            kind="stylesheet", examples=", ".join(
                p.name for p in sorted(defaults_dir("styles").glob("*.css")))),
        "layout/README.txt": OVERRIDE_NOTE.format(
            kind="template", examples="cover.html, chapter.html, components/quote.html …"),
        ".gitignore": GITIGNORE,
    }
    written = []
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _yaml_text(text: str) -> str:
    """Quote *text* as a YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
