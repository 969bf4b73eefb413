"""`booklet diff`: the pages an edit changed, shifted pages, and the HTML report."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from booklet.cli import main
from booklet.tools.diff import diff_pdfs

SENTENCE = "他们决心为世界人民切实取得成果"
EDITED = "他们决心为全球人民切实取得成果"  # same length: the edit must not reflow other pages


def _pages(texts: list[str], colour: str = "#000") -> bytes:
    """Return a PDF with one page per text (plain WeasyPrint, no booklet styles)."""
    from weasyprint import HTML

    body = "".join(f'<p style="break-after: page">{t}</p>' for t in texts)
    html = f"<style>@page {{ size: 90mm 60mm }} p {{ color: {colour} }}</style>{body}"
    return HTML(string=html).write_pdf()


def test_one_sentence_edit_changes_exactly_its_page(project_copy: Path, tmp_path: Path):
    from booklet.build import build

    old = build(project_copy, out=tmp_path / "old", edition="screen").files[0].path
    chapter = project_copy / "seeds/chapters/01-introduction.md"
    text = chapter.read_text(encoding="utf-8")
    assert SENTENCE in text
    chapter.write_text(text.replace(SENTENCE, EDITED, 1), encoding="utf-8")
    new = build(project_copy, out=tmp_path / "new", edition="screen").files[0].path

    doc = pdfium.PdfDocument(str(new))
    expected = [i + 1 for i in range(len(doc))  # lines may break inside the phrase
                if "全球人民" in "".join(doc[i].get_textpage().get_text_range().split())]
    result = diff_pdfs(old, new, tmp_path / "report")
    assert result.changed_pages == expected and len(expected) == 1
    page = expected[0]
    assert result.summary.startswith(f"1 of {len(doc)} pages changed: {page}")
    assert f"pages after {page} shifted by 0" in result.summary
    (change,) = result.changes
    assert change.text_changed and any(e[1] == "世界" and e[2] == "全球" for e in change.edits)
    html = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert "<del>世界</del><ins>全球</ins>" in html
    for name in change.images.values():
        assert (tmp_path / "report" / name).is_file() and name in html


def test_shifted_pages_are_not_reported_as_changed(tmp_path: Path):
    old = _pages(["第一页", "第二页", "第三页", "第四页", "第五页"])
    new = _pages(["第一页", "第二页", "新加的一页", "第三页", "第四页", "第五页"])
    result = diff_pdfs(old, new)
    assert [(c.kind, c.new) for c in result.changes] == [("added", 3)]
    assert result.summary == "1 of 6 pages changed: 3; pages after 3 shifted by +1"


def test_appearance_change_with_the_same_text(tmp_path: Path):
    result = diff_pdfs(_pages(["第一页", "第二页"]), _pages(["第一页", "第二页"], "#c00"))
    assert result.changed_pages == [1, 2]
    assert not any(c.text_changed for c in result.changes)
    assert all(c.pixels > 0 for c in result.changes)


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    a.write_bytes(_pages(["第一页", "第二页"]))
    b.write_bytes(_pages(["第一页", "第二页改了"]))
    assert main(["diff", str(a), str(a), "--out", str(tmp_path / "same")]) == 0
    assert "no page changed (2 pages)" in capsys.readouterr().out
    assert main(["diff", str(a), str(b), "--out", str(tmp_path / "r")]) == 1
    out = capsys.readouterr().out
    assert "1 of 2 pages changed: 2" in out and (tmp_path / "r" / "index.html").is_file()
