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
