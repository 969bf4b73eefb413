"""Make benchmark inputs: the seed's prose repeated to a target length, for booklet and Typst."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_SEED_NAME = "000_96f0efd4942c3e09.txt"
# The shared seed text sits next to the main checkout (../shared) or above a worktree.
SEED = next((p / "shared" / "seeds" / _SEED_NAME for p in ROOT.parents
             if (p / "shared" / "seeds" / _SEED_NAME).is_file()),
            ROOT.parent / "shared" / "seeds" / _SEED_NAME)
PAGES_PER_COPY = 11  # one copy of the seed prose fills about 11 pages at 170×240 mm, 10.5 pt


def prose() -> list[str]:
    """Return the seed's body paragraphs (long lines that are not headings, quotes, captions)."""
    text = SEED.read_text(encoding="utf-8").replace("<sup>1</sup> ", "")
    return [line.strip() for line in text.splitlines()
            if len(line.strip()) > 60 and not line.startswith(("#", "(", "“", "-"))]


def booklet_project(root: Path, copies: int, all_editions: bool = False) -> Path:
    """Write a booklet project with *copies* chapters of the seed prose; return its folder.

    *all_editions*: screen, print and imposed (else the screen edition only).
    """
    if root.exists():
        shutil.rmtree(root)
    chapters = root / "seeds" / "chapters"
    chapters.mkdir(parents=True)
    (root / "seeds" / "booklet.yaml").write_text(
        "title: 基准测试\nslug: bench\ndate: 2024-09-01\n"
        "editions: {screen: true, print: %s, imposed: %s}\n" % (("true",) * 2 if all_editions
                                                               else ("false",) * 2),
        encoding="utf-8")
    paragraphs = prose()
    for n in range(copies):
        body = "\n\n".join(paragraphs)
        (chapters / f"{n + 1:03d}-part.md").write_text(
            f"---\ntitle: 第{n + 1}部分\nid: part-{n + 1}\n---\n\n## 秘书长开篇词\n\n{body}\n",
            encoding="utf-8")
    return root


def typst_source(copies: int) -> str:
    """Return a Typst document with the same text, page, margins, fonts and justification."""
    head = """#set page(width: 170mm, height: 240mm,
  margin: (inside: 20mm, outside: 24.06mm, top: 22mm, bottom: 24mm),
  numbering: "1")
#set text(font: "Noto Serif CJK SC", size: 10.5pt, lang: "zh", region: "cn")
#set par(justify: true, first-line-indent: (amount: 2em, all: true), leading: 0.75em,
  spacing: 0.75em)
#show heading: set text(font: "Noto Sans CJK SC")
#show heading.where(level: 1): it => { pagebreak(weak: true); it }
#outline()
"""
    paragraphs = prose()
    parts = [head]
    for n in range(copies):
        parts.append(f"\n= 第{n + 1}部分\n\n== 秘书长开篇词\n\n")
        parts.append("\n\n".join(paragraphs) + "\n")
    return "".join(parts)
