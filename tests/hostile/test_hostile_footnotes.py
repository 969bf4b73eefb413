"""Class: footnotes. Notes citing notes keep the numbering; the count scan is linear."""

from __future__ import annotations

from tests.hostile.hostile_helpers import assert_located, project, run


def test_note_citing_a_note_keeps_numbers_in_order(tmp_path, capsys):
    import pdfplumber

    body = "正文一[^a]，正文二[^b]。\n\n[^a]: 注一，见[^b]。\n[^b]: 注二。\n"
    root = project(tmp_path / "p", body=body)
    code, err = run(capsys, "build", str(root), "-v")
    assert code == 0
    assert_located(err, "01-test.md:8", "cites another footnote")
    with pdfplumber.open(root / "dist" / "test-booklet.pdf") as pdf:
        page = next(p.extract_text() for p in pdf.pages if "正文一" in (p.extract_text() or ""))
    assert "正文一1，正文二2。" in page
    assert "1 注一" in page and "2 注二" in page and "3 " not in page and "4 " not in page


def test_footnote_scan_patch_applies_to_this_weasyprint():
    import inspect
    import textwrap

    import weasyprint.layout.block as block

    from booklet.render.patches import footnotes, install_patches

    install_patches()
    assert block._linebox_layout.__booklet_patched__
    # The patched scan must exist exactly once in the function WeasyPrint ships.
    original = inspect.getsource(block)
    assert textwrap.dedent(original).count(footnotes.SCAN) == 1


def test_footnote_prints_on_the_page_of_its_call(tmp_path, capsys):
    """A call on the last line of a full page: the note must not go a page late, nor vanish.

    `footnote-policy: line` has to sit on the footnote element (it is not inherited); on the
    paragraph it did nothing, and WeasyPrint printed the note on the next page, or, when that
    page was full too, not at all. 24 chapters put the call on each line near a page foot.
    """
    import pdfplumber

    root = tmp_path / "p"
    (root / "seeds" / "chapters").mkdir(parents=True)
    (root / "seeds" / "booklet.yaml").write_text(
        "title: 测试小册子\nslug: test-booklet\ndate: 2024-01-01\npage: {size: A5}\n"
        "editions: {screen: true, print: false, imposed: false}\n", encoding="utf-8")
    fill = "河流治理并不只是工程问题，更关乎生活在河边的人们。" * 40
    for i in range(24):
        text = fill[:359 + 12 * i] + "。"
        (root / "seeds" / "chapters" / f"{i + 1:02d}-c.md").write_text(
            f"---\ntitle: 第{i + 1}章\nid: c{i}\n---\n\n{text}\n\n"
            f"记录第{i + 1}号，河流回到了城市，也回到了人们的日常生活中。[^n{i}]\n\n"
            f"[^n{i}]: 注释第{i + 1}号：巡河志愿者的统计口径为全年参加巡河四次以上的人员。\n",
            encoding="utf-8")
    code, _ = run(capsys, "build", str(root), "--no-server", "-q")
    assert code == 0
    with pdfplumber.open(root / "dist" / "test-booklet.pdf") as pdf:
        texts = [page.extract_text() or "" for page in pdf.pages]
    for i in range(1, 25):
        calls = [n for n, t in enumerate(texts, 1) if f"记录第{i}号" in t]
        notes = [n for n, t in enumerate(texts, 1) if f"注释第{i}号" in t]
        assert calls == notes, f"note {i}: call on page {calls}, note on page {notes}"
