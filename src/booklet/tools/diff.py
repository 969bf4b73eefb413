"""`booklet diff OLD.pdf NEW.pdf`: which pages changed, by text and by pixels, as an HTML report.

Pages are aligned by their text (folios removed), so an edit that pushes the rest of the
booklet one page on is reported as one changed page plus "pages after 9 shifted by +1",
not as twenty changed pages. Pages whose text is unchanged are still compared pixel by
pixel, which catches colour, image and layout changes that keep the words.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from booklet.errors import BookletError

CELL = 12  # px: changed areas are tinted in cells of this size so small edits stay visible
THRESHOLD = 40  # 0-255: smaller channel differences are anti-aliasing noise, not changes
MIN_PIXELS = 3  # fewer differing pixels than this is not a change
CONTEXT = 14  # characters of unchanged text shown around each text change
_FOLIO = re.compile(r"^\s*[\divxlcIVXLC]+\s*$")


@dataclass
class PageChange:
    """One changed, added or removed page."""

    kind: str  # "changed", "added" or "removed"
    old: int | None  # 1-based page in OLD
    new: int | None  # 1-based page in NEW
    text_changed: bool = False
    pixels: int = 0  # differing pixels at the report's resolution
    edits: list[tuple[str, str, str, str]] = field(default_factory=list)  # before, del, ins, after
    images: dict[str, str] = field(default_factory=dict)  # old/new/diff -> file name


@dataclass
class Shift:
    """A run of unchanged pages: NEW pages first..last equal OLD pages first-offset.."""

    first: int
    last: int
    offset: int


@dataclass
class DiffResult:
    """What changed between two PDFs; the hand-off value for the report and for watch mode."""

    old_pages: int
    new_pages: int
    changes: list[PageChange] = field(default_factory=list)
    shifts: list[Shift] = field(default_factory=list)
    report: Path | None = None

    @property
    def identical(self) -> bool:
        """Return whether no page changed."""
        return not self.changes

    @property
    def changed_pages(self) -> list[int]:
        """Return the NEW page numbers that changed or were added."""
        return [c.new for c in self.changes if c.new is not None]

    @property
    def summary(self) -> str:
        """Return one line such as "3 of 24 pages changed: 7, 8, 9; pages after 9 shifted by 0"."""
        if self.identical:
            return f"no page changed ({self.new_pages} pages)"
        pages = self.changed_pages
        parts = [f"{len(pages)} of {self.new_pages} pages changed: " + ", ".join(map(str, pages))]
        removed = [c.old for c in self.changes if c.kind == "removed" and c.old]
        if removed:
            parts.append("old page(s) removed: " + ", ".join(map(str, removed)))
        last = max(pages, default=0)
        for s in self.shifts:
            if s.first > last and s.last == self.new_pages:
                parts.append(f"pages after {last} shifted by {s.offset:+d}" if s.offset
                             else f"pages after {last} shifted by 0")
            elif s.offset:
                parts.append(f"pages {s.first}-{s.last} shifted by {s.offset:+d} "
                             f"(were {s.first - s.offset}-{s.last - s.offset})")
        return "; ".join(parts)


def _texts(doc: Any) -> list[str]:
    """Return each page's text without its folio, lines joined."""
    texts = []
    for i in range(len(doc)):
        page = doc[i]
        textpage = page.get_textpage()
        lines = textpage.get_text_range().splitlines()
        textpage.close()
        page.close()
        texts.append("".join(line.strip() for line in lines if not _FOLIO.match(line)))
    return texts


def _render(doc: Any, index: int, dpi: float) -> Any:
    """Return page *index* (0-based) as an RGB numpy array."""
    import numpy as np

    page = doc[index]
    image = page.render(scale=dpi / 72).to_pil().convert("RGB")
    page.close()
    return np.asarray(image)


def _compare(a: Any, b: Any) -> tuple[Any, int]:
    """Return the mask of differing pixels (on B's canvas) and how many there are."""
    import numpy as np

    h, w = max(a.shape[0], b.shape[0]), max(a.shape[1], b.shape[1])
    pa = np.full((h, w, 3), 255, np.uint8)
    pb = pa.copy()
    pa[: a.shape[0], : a.shape[1]] = a
    pb[: b.shape[0], : b.shape[1]] = b
    mask = np.abs(pa.astype(np.int16) - pb.astype(np.int16)).max(axis=2) > THRESHOLD
    return mask, int(mask.sum())


def _highlight(new: Any, mask: Any) -> Any:
    """Return NEW faded, with changed cells tinted and changed pixels in red."""
    import numpy as np
    from PIL import Image

    h, w = mask.shape
    canvas = np.full((h, w, 3), 255, np.uint8)
    canvas[: new.shape[0], : new.shape[1]] = new
    faded = (canvas.astype(np.float32) * 0.35 + 255 * 0.65)
    cells = np.zeros_like(mask)
    for y in range(0, h, CELL):
        for x in range(0, w, CELL):
            if mask[y:y + CELL, x:x + CELL].any():
                cells[max(0, y - CELL):y + 2 * CELL, max(0, x - CELL):x + 2 * CELL] = True
    faded[cells] = faded[cells] * 0.6 + np.array([255, 214, 0], np.float32) * 0.4
    faded[mask] = (220, 20, 60)
    return Image.fromarray(faded.astype(np.uint8))


def _edits(old: str, new: str) -> list[tuple[str, str, str, str]]:
    """Return (before, deleted, inserted, after) snippets for each character-level change."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    edits = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            edits.append((new[max(0, j1 - CONTEXT):j1], _clip(old[i1:i2]), _clip(new[j1:j2]),
                          new[j2:j2 + CONTEXT]))
    return edits


def _clip(text: str, size: int = 120) -> str:
    """Return *text*, shortened in the middle when a reflow makes it page-long."""
    if len(text) <= size:
        return text
    return f"{text[:size // 2]}〔…{len(text) - size} more…〕{text[-size // 2:]}"


def _open(pdf: Path | bytes) -> Any:
    """Open a PDF with pdfium, turning its errors into a message."""
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(pdf if isinstance(pdf, bytes) else str(pdf))
    except (pdfium.PdfiumError, OSError) as exc:
        name = "PDF" if isinstance(pdf, bytes) else str(pdf)
        raise BookletError(f"cannot read {name}: {exc}") from exc


def diff_pdfs(old: Path | bytes, new: Path | bytes, out: Path | None = None,
              dpi: float = 60) -> DiffResult:
    """Compare two PDFs page by page; with *out*, write out/index.html and page images."""
    old_doc, new_doc = _open(old), _open(new)
    try:
        old_text, new_text = _texts(old_doc), _texts(new_doc)
        result = DiffResult(len(old_text), len(new_text))
        matcher = difflib.SequenceMatcher(None, old_text, new_text, autojunk=False)
        images: dict[int, tuple[Any, Any, Any]] = {}
        runs: list[tuple[int, int, int]] = []  # equal text: NEW pages j1+1..j2, offset
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                runs.append((j1 + 1, j2, j1 - i1))
                if i1 != j1:
                    continue  # moved pages differ by folio and side: their text is the test
            pairs = list(zip(range(i1, i2), range(j1, j2), strict=False))
            for i, j in pairs:
                a, b = _render(old_doc, i, dpi), _render(new_doc, j, dpi)
                mask, count = _compare(a, b)
                text_changed = old_text[i] != new_text[j]
                if count < MIN_PIXELS and not text_changed:
                    continue
                change = PageChange("changed", i + 1, j + 1, text_changed, count,
                                    _edits(old_text[i], new_text[j]) if text_changed else [])
                result.changes.append(change)
                images[id(change)] = (a, b, mask)
            for j in range(j1 + len(pairs), j2):
                result.changes.append(PageChange("added", None, j + 1, True))
                images[id(result.changes[-1])] = (None, _render(new_doc, j, dpi), None)
            for i in range(i1 + len(pairs), i2):
                result.changes.append(PageChange("removed", i + 1, None, True))
                images[id(result.changes[-1])] = (_render(old_doc, i, dpi), None, None)
        result.shifts = _unchanged_runs(runs, set(result.changed_pages))
        result.changes.sort(key=lambda c: (c.new or c.old or 0, c.kind))
        if out is not None:
            result.report = _write_report(result, images, out, old, new)
        return result
    finally:
        old_doc.close()
        new_doc.close()


def _unchanged_runs(runs: list[tuple[int, int, int]], changed: set[int]) -> list[Shift]:
    """Split runs of text-equal pages around the pages whose pixels changed."""
    shifts = []
    for first, last, offset in runs:
        start = first
        for page in range(first, last + 2):
            if page in changed or page == last + 1:
                if start < page:
                    shifts.append(Shift(start, page - 1, offset))
                start = page + 1
    return shifts


def _write_report(result: DiffResult, images: dict[int, tuple[Any, Any, Any]], out: Path,
                  old: Path | bytes, new: Path | bytes) -> Path:
    """Write page images and index.html into *out*; return the index."""
    import jinja2
    from PIL import Image

    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("page-*.png"):
        stale.unlink()  # images of an earlier comparison must not linger beside this one
    for change in result.changes:
        a, b, mask = images[id(change)]
        stem = f"page-{change.new or 0:03d}-{change.kind}" if change.new else \
            f"page-old-{change.old:03d}-removed"
        if a is not None:
            change.images["old"] = f"{stem}-old.png"
            Image.fromarray(a).save(out / change.images["old"])
        if b is not None:
            change.images["new"] = f"{stem}-new.png"
            Image.fromarray(b).save(out / change.images["new"])
        if mask is not None:
            change.images["diff"] = f"{stem}-diff.png"
            _highlight(b, mask).save(out / change.images["diff"])
    env = jinja2.Environment(loader=jinja2.PackageLoader("booklet.tools", "templates"),
                             autoescape=True)
    html = env.get_template("diff.html").render(
        result=result, old=_name(old), new=_name(new))
    index = out / "index.html"
    index.write_text(html, encoding="utf-8")
    return index


def _name(pdf: Path | bytes) -> str:
    """Return a file's name for the report, or a label for in-memory PDFs."""
    return str(pdf) if isinstance(pdf, Path) else "(in memory)"


def diff_command(old: Path, new: Path, out: Path | None, dpi: float = 60) -> int:
    """Run `booklet diff` and return 0 when the PDFs look the same, 1 when pages differ."""
    import click

    out = out or new.parent / f"{new.stem}.diff"
    result = diff_pdfs(old, new, out, dpi)
    click.echo(result.summary)
    for change in result.changes:
        what = "text and layout" if change.text_changed else "appearance only"
        label = {"changed": f"page {change.new} (old {change.old}): {what}",
                 "added": f"page {change.new}: added",
                 "removed": f"old page {change.old}: removed"}[change.kind]
        first = next(iter(change.edits), None)
        if first:
            before, deleted, inserted, after = (_clip(t, 40) for t in first)
            label += f" — …{before}[-{deleted}-]{{+{inserted}+}}{after}…"
        click.echo("  " + label)
    click.echo(f"report: {result.report}")
    return 0 if result.identical else 1
