"""The seed booklet at other page sizes: the size matrix of tests, goldens and contact sheets."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# page.size in booklet.yaml -> a file-name-safe label (goldens, contact sheets).
SIZES = {
    "170x240mm": "170x240",
    "A5": "a5",
    "B5": "b5",
    "16开": "16k",
    "大32开": "da32k",
    "A4": "a4",
}


def seed_at(size: str, dst: Path, editions: str = "{screen: true, print: false, "
            "imposed: false}") -> Path:
    """Copy the seed project into *dst* with `page.size: <size>` and return *dst*."""
    shutil.copytree(ROOT / "seeds", dst / "seeds")
    if (ROOT / "figures").is_dir():
        shutil.copytree(ROOT / "figures", dst / "figures")
    config = dst / "seeds" / "booklet.yaml"
    text = config.read_text(encoding="utf-8")
    text, count = re.subn(r"(?m)^  size: .*$", f"  size: {size}", text)
    assert count == 1, "seeds/booklet.yaml must give page.size"
    text = re.sub(r"(?ms)^editions:\n(  .*?\n)+", "", text) + f"editions: {editions}\n"
    config.write_text(text, encoding="utf-8")
    return dst


def body_baselines(pdf: Path, body_size: float) -> dict[int, list[float]]:
    """Return the baselines (pt from the top) of body text, the body face at the body size."""
    import pdfplumber

    found: dict[int, list[float]] = {}
    with pdfplumber.open(pdf) as doc:
        for number, page in enumerate(doc.pages, 1):
            found[number] = sorted({round(page.height - c["matrix"][5], 2) for c in page.chars
                                    if "Serif" in c["fontname"]
                                    and abs(c["size"] - body_size) < 0.05})
    return found


def off_grid(baselines: dict[int, list[float]], line: float, tolerance: float = 0.5
             ) -> list[tuple[int, float]]:
    """Return (page, baseline) of body lines not a whole number of lines below the first."""
    bad = []
    for number, ys in baselines.items():
        for y in ys:
            off = (y - ys[0]) % line
            if min(off, line - off) > tolerance:
                bad.append((number, y))
    return bad


def blank_pages(pdf: Path) -> list[int]:
    """Return the numbers of pages that print nothing."""
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return [n for n, p in enumerate(doc.pages, 1)
                if not p.chars and not p.images and not p.rects and not p.curves
                and not p.lines]


def empty_share(pdf: Path, top: float, bottom: float) -> dict[int, float]:
    """Return, per page, the share of the text block (top..bottom, pt) left empty at its foot."""
    import pdfplumber

    shares = {}
    with pdfplumber.open(pdf) as doc:
        for number, page in enumerate(doc.pages, 1):
            ends = [o["bottom"] for kind in ("chars", "images", "rects", "curves", "lines")
                    for o in getattr(page, kind)
                    if top - 1 <= o["top"] and o["bottom"] <= bottom + 2]
            if ends:
                shares[number] = max(0.0, (bottom - max(ends)) / (bottom - top))
    return shares


def chapter_pages(pdf: Path) -> list[range]:
    """Return the pages of each chapter, from the outline's level-1 entries."""
    import pikepdf

    starts = []
    with pikepdf.open(pdf) as doc, doc.open_outline() as outline:
        for item in outline.root:
            if item.destination is not None:
                starts.append(doc.pages.index(pikepdf.Page(item.destination[0])) + 1)
        count = len(doc.pages)
    starts = sorted(set(starts))
    ends = [*starts[1:], count]  # the last chapter runs to the back cover
    return [range(a, b) for a, b in zip(starts, ends, strict=True)]
