"""Pages not laid out again are replayed, not drawn: the PDF equals a clean build's."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pypdfium2 as pdfium

from booklet.build import build
from booklet.check.structure import read_tree, reading_order
from booklet.tools.watch import Rebuilder

PDF = "sg-report-2023-highlights.pdf"


def _chapter(root: Path, prefix: str) -> Path:
    return next((root / "seeds" / "chapters").glob(f"{prefix}-*.md"))


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} lacks {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _pages(path: Path) -> tuple[list[str], list[bytes]]:
    """Return every page's text and pixels (rendered at 36 dpi)."""
    doc = pdfium.PdfDocument(str(path))
    try:
        texts = [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
        pixels = [doc[i].render(scale=0.5).to_pil().tobytes() for i in range(len(doc))]
    finally:
        doc.close()
    return texts, pixels


def _tags(path: Path) -> list[tuple[str, int]]:
    """Return the structure tree's elements in reading order, each with its number of kids."""
    with pikepdf.open(path) as pdf:
        tree = read_tree(pdf)
        assert tree is not None
        return [(elem.role, len(elem.kids)) for elem in tree.walk()]


def _same_as_clean(root: Path, watched: Path, rebuilder: Rebuilder) -> None:
    """Assert the watch PDF has a clean build's text, pixels and tags, and its bytes once the
    watcher was idle (the file is linearised then: editions.deferred)."""
    build(root, root / "clean", "screen")
    clean = root / "clean" / PDF
    with pikepdf.open(watched) as pdf:
        assert not pdf.is_linearized  # not finished yet, but already the same booklet:
    assert _pages(watched) == _pages(clean)
    assert _tags(watched) == _tags(clean)
    assert reading_order(watched) == reading_order(clean)
    assert rebuilder.idle()
    assert watched.read_bytes() == clean.read_bytes()  # replay gives the very same file


def test_watch_rebuild_replays_unchanged_pages_and_equals_a_clean_build(project_copy):
    rebuilder = Rebuilder(project_copy)
    assert rebuilder.rebuild().ok
    cache = rebuilder.session.segmenter.drawn
    pages = cache.drawn
    assert pages > 16 and cache.replayed == 0
    _replace(_chapter(project_copy, "04"), "。", "，也就是说。")  # one sentence longer
    outcome = rebuilder.rebuild([_chapter(project_copy, "04")])
    assert outcome.ok, outcome.error
    # Only the edited chapter (and the contents, if a number moved) is drawn again.
    assert 0 < cache.drawn < pages // 2 and cache.replayed == pages - cache.drawn
    assert cache.unkept == {}  # figure pages (groups, patterns) are replayed too
    _same_as_clean(project_copy, project_copy / "dist" / PDF, rebuilder)


def test_a_glyph_dropped_before_a_replayed_page_stays_in_the_font(project_copy):
    # 龘 appears first in chapter 1 and again in chapter 5; when chapter 1 loses it, the
    # replayed pages of chapter 5 must still bring the glyph (and its text) into the subset.
    _replace(_chapter(project_copy, "01"), "。", "龘。")
    _replace(_chapter(project_copy, "05"), "。", "龘。")
    rebuilder = Rebuilder(project_copy)
    assert rebuilder.rebuild().ok
    _replace(_chapter(project_copy, "01"), "龘。", "。")
    outcome = rebuilder.rebuild([_chapter(project_copy, "01")])
    assert outcome.ok, outcome.error
    assert rebuilder.session.segmenter.drawn.replayed > 0
    texts, _ = _pages(project_copy / "dist" / PDF)
    assert sum("龘" in text for text in texts) == 1
    _same_as_clean(project_copy, project_copy / "dist" / PDF, rebuilder)


def test_the_replayed_weasyprint_code_is_the_reviewed_code():
    from booklet.render.patches import replay

    assert replay.changed_sources() == []
