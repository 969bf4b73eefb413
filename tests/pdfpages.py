"""Read a booklet PDF back as pages of text lines, for the design tests.

A line is the characters that share a baseline; each line knows its font, size and where it
sits: in the running head (top margin), the text block, or the foot (folio). Page geometry
comes from booklet.yaml, so the tests follow the design tokens.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pdfplumber
import pikepdf

from booklet.content.config import Config, to_pt


def norm(text: str) -> str:
    """Return *text* without white space, NFKC-normalised (NNBSP, thin spaces, …)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@dataclass
class Line:
    """Characters on one baseline of one page."""

    chars: list[dict]
    baseline: float  # from the top of the page, in pt

    @property
    def text(self) -> str:
        return "".join(c["text"] for c in self.chars)

    @property
    def x0(self) -> float:
        return min(c["x0"] for c in self.chars)

    @property
    def x1(self) -> float:
        return max(c["x1"] for c in self.chars)

    @property
    def size(self) -> float:
        """The most common character size on the line."""
        sizes = [round(c["size"], 2) for c in self.chars if c["text"].strip()]
        return max(set(sizes), key=sizes.count) if sizes else 0.0

    @property
    def font(self) -> str:
        """The most common font name, without the subset prefix."""
        names = [c["fontname"].split("+")[-1] for c in self.chars if c["text"].strip()]
        return max(set(names), key=names.count) if names else ""

    def is_body(self, config: Config) -> bool:
        """Body text: the body face at the body size."""
        return "Serif" in self.font and abs(self.size - to_pt(config.typography.body_size)) < 0.1


@dataclass
class Page:
    """One page: its number (1-based), its lines and the design's page geometry."""

    number: int
    lines: list[Line]
    height: float
    config: Config
    flow: str = ""  # the page's text in drawing (reading) order, normalised

    @property
    def is_right(self) -> bool:
        return self.number % 2 == 1

    @property
    def block_left(self) -> float:
        """x of the text block's left edge: inner margin on right pages, outer on left."""
        m = self.config.page.margin
        return to_pt(m.inner if self.is_right else m.outer)

    @property
    def top(self) -> float:
        return to_pt(self.config.page.margin.top)

    @property
    def bottom(self) -> float:
        return self.height - to_pt(self.config.page.margin.bottom)

    @property
    def head(self) -> str:
        """Text printed in the top margin (the running head)."""
        return "".join(ln.text for ln in self.lines if ln.baseline < self.top).strip()

    @property
    def folio(self) -> str:
        """Text printed below the text block (the folio)."""
        return "".join(ln.text for ln in self.lines if ln.baseline > self.bottom + 4).strip()

    @property
    def block(self) -> list[Line]:
        """Lines inside the text block, top to bottom."""
        return [ln for ln in self.lines if self.top <= ln.baseline <= self.bottom + 4]

    @property
    def text(self) -> str:
        """The page's text in reading order (not line by line: columns stay apart)."""
        return self.flow

    @property
    def blank(self) -> bool:
        return not any(ln.text.strip() for ln in self.lines)


class Booklet:
    """A rendered booklet PDF read back for tests."""

    def __init__(self, pdf: Path, config: Config) -> None:
        self.path = pdf
        self.config = config

    @cached_property
    def pages(self) -> list[Page]:
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(str(self.path))
        flows = [norm(doc[i].get_textpage().get_text_range()) for i in range(len(doc))]
        doc.close()
        import pikepdf

        with pikepdf.open(self.path) as raw:  # a proof's slug line lies below the bleed
            bands = [float(p.obj.get("/BleedBox", p.mediabox)[1]) - float(p.mediabox[1])
                     for p in raw.pages]
        pages = []
        with pdfplumber.open(self.path) as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                by_baseline: dict[float, list[dict]] = defaultdict(list)
                for c in page.chars:
                    if c["top"] >= page.bbox[3] - bands[number - 1]:
                        continue
                    baseline = round(page.height - c["matrix"][5], 1)
                    by_baseline[baseline].append(c)
                lines = [Line(sorted(cs, key=lambda c: c["x0"]), y)
                         for y, cs in sorted(by_baseline.items())]
                pages.append(Page(number, lines, float(page.height), self.config,
                                  flows[number - 1]))
        return pages

    @cached_property
    def outline(self) -> list[tuple[int, str, int]]:
        """(level, title, page number) of every bookmark, in document order."""
        found: list[tuple[int, str, int]] = []
        with pikepdf.open(self.path) as pdf, pdf.open_outline() as root:
            def walk(items, level):
                for item in items:
                    if item.destination is not None:
                        page = pikepdf.Page(item.destination[0])
                        found.append((level, str(item.title), pdf.pages.index(page) + 1))
                    walk(item.children, level + 1)
            walk(root.root, 1)
        return found

    def page_of(self, text: str) -> list[int]:
        """Return the numbers of the pages whose text contains *text* (normalised)."""
        wanted = norm(text)
        return [p.number for p in self.pages if wanted in p.text]
