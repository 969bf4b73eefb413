"""`booklet check`'s loose-line and runt findings, on documents laid out through the patches."""

from __future__ import annotations

from pathlib import Path

from tests.typography.typo_harness import document, render

from booklet.check.common import SourceIndex
from booklet.check.layout import page_rows
from booklet.check.spacing import check_spacing, han_gap

LOOSE = "秘书长会见了摄影师Patrick MacLeod和Mark Garten以及António Guterres先生。"
RUNT = "整个联合国系统的工作亮点包括这些内容和那些内容，还有更多的内容需要说明白。"


def _index(tmp_path: Path, *lines: str) -> SourceIndex:
    """Return a SourceIndex over a one-file project holding `lines`."""
    source = tmp_path / "01.md"
    source.write_text("\n".join(lines), encoding="utf-8")
    index = SourceIndex.__new__(SourceIndex)
    index.lines = [(source, n, line) for n, line in enumerate(lines, 1)]
    index.anchors = {}
    return index


def test_loose_line_is_reported_with_page_and_source_line(tmp_path):
    doc = render(document([LOOSE], 16))  # 16 em: the names are never split: a loose line
    index = _index(tmp_path, "# 标题", LOOSE)
    found = [f for f in check_spacing(doc, index, "screen") if f.check == "loose-line"]
    assert found, [han_gap(r) for r in page_rows(doc.pages[0], 1) if r.is_line]
    assert found[0].page == 1 and found[0].line == 2 and found[0].file.name == "01.md"


def test_runt_is_reported_and_the_composer_avoids_it(tmp_path):
    index = _index(tmp_path, RUNT)
    def plain(width: int):  # first fit: the composer is off for `no-typo`
        return render(document([RUNT], width).replace("<p>", '<p class="no-typo">'))

    width = next(w for w in range(16, 30) if _last_line(plain(w)) <= 2)
    plain = plain(width)
    runts = [f for f in check_spacing(plain, index, "screen") if f.check == "short-last-line"]
    assert runts and runts[0].line == 1
    composed = render(document([RUNT], width))
    assert _last_line(composed) > 2
    assert not [f for f in check_spacing(composed, index, "screen")
                if f.check == "short-last-line"]


def _last_line(doc) -> int:
    """Return the characters on the last line of the first paragraph."""
    rows = [r for r in page_rows(doc.pages[0], 1) if r.is_line]
    return len(rows[-1].text)


def test_narrow_measures_are_ragged_without_runts_or_wide_gaps():
    """Captions and cards (< 16 em): planned ragged, justified only with gaps <= 0.1 em."""
    text = RUNT[:28] + "。"  # 2 em indent + 29 characters: one over three lines of 10 em
    seen_runt = False
    for width in range(8, 16):
        plain = render(document([text], width).replace("<p>", '<p class="no-typo">'))
        seen_runt |= _last_line(plain) <= 2
        doc = render(document([text], width))
        rows = [r for r in page_rows(doc.pages[0], 1) if r.is_line]
        assert len(rows[-1].text) > 2, (width, [r.text for r in rows])
        assert max(han_gap(r) for r in rows) <= 0.1 + 1e-6, width
    assert seen_runt  # first fit does leave runts at some of these measures
