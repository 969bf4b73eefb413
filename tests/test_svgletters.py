"""SVG text shapes each distinct letter once per document and writes the same PDF bytes."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from booklet.render.patches import guard, install_patches, svgletters

# Repeated letters in several styles, as matplotlib writes axis labels; a no-break space,
# per-letter positions and rotation, letter-spacing, a right-to-left node and a bold one.
SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="300" height="160" viewBox="0 0 300 160">
 <g font-family="Noto Sans CJK SC" font-size="10">
  <text x="10" y="20">2020 2021 2022 2023 2020</text>
  <text x="10" y="40" font-size="12">10%\u00a020%\u00a010%\u00a020%</text>
  <text x="10" y="60" font-weight="bold">资金资金 2020</text>
  <text x="10" y="80" letter-spacing="2">资金缺口 2020 资金</text>
  <text x="10 30 50 70" y="100" rotate="0 15 30">2020</text>
  <text x="200" y="120" direction="rtl">2020 资金</text>
  <text x="10" y="140" font-family="DejaVu Sans">Aaa Aaa</text>
 </g>
</svg>"""


def _pdf(memo_on: bool, fonts: Any = None, sheets: Any = None) -> tuple[bytes, dict[str, int]]:
    """Write a page with the SVG, the memo on or off; return the PDF and the memo's counters."""
    install_patches()
    if not memo_on:
        svgletters.uninstall()
    try:
        pdf = HTML(string=f"<p>图表</p>{SVG}").write_pdf(font_config=fonts, stylesheets=sheets)
        return pdf, svgletters.stats()
    finally:
        install_patches()


def test_digests_are_the_reviewed_ones():
    assert guard.source_digest("weasyprint.svg.text:text") == svgletters.REVIEWED_TEXT
    assert (guard.source_digest("weasyprint.text.line_break:split_first_line")
            == svgletters.REVIEWED_SPLIT)
    assert (guard.source_digest("weasyprint.text.line_break:Layout.reactivate")
            == svgletters.REVIEWED_REACTIVATE)


def test_memo_writes_the_same_bytes_with_fewer_layouts():
    off, off_stats = _pdf(memo_on=False)
    assert off_stats["calls"] == 0  # uninstalled: nothing went through the memo
    on, stats = _pdf(memo_on=True)
    assert on == off
    letters = sum(len(line) for line in ("2020 2021 2022 2023 2020", "10%\u00a020%" * 2 + "10%",
                                         "资金资金 2020", "资金缺口 2020 资金", "2020",
                                         "2020 资金", "Aaa Aaa"))
    assert stats["calls"] >= letters  # each letter and each node's whole text
    assert stats["shaped"] < stats["calls"] / 2
    assert 0 < stats["reused"] < stats["reactivations"]
    with pdfplumber.open(io.BytesIO(on)) as pdf:
        drawn = "".join(char["text"] for char in pdf.pages[0].chars)
    for piece in ("2023", "资金缺口", "Aaa"):
        assert piece in drawn


def test_later_documents_reuse_the_memo_until_a_font_face_is_added():
    fonts = FontConfiguration()  # as render/layout.py's process-wide one, but this test's own
    first, before = _pdf(memo_on=True, fonts=fonts)
    again, after = _pdf(memo_on=True, fonts=fonts)
    assert again == first
    assert before["shaped"] > 0 and after["shaped"] == 0  # a watch rebuild shapes nothing
    assert after["reused"] > before["reused"]
    face = CSS(string="@font-face { font-family: SvgLettersTest; "
                      f"src: url({_a_font().as_uri()}) }}", font_config=fonts)
    with_face, later = _pdf(memo_on=True, fonts=fonts, sheets=[face])
    assert later["shaped"] == before["shaped"]  # a new font face: everything shaped again
    assert with_face == _pdf(memo_on=False, fonts=fonts, sheets=[face])[0]


def test_html_text_is_not_memoised():
    install_patches()
    HTML(string="<p>资金资金 2020 2020</p>").write_pdf()
    assert svgletters.stats()["calls"] == 0


def _a_font() -> Path:
    """Return the file of a font the test machine has (DejaVu Sans or a Noto CJK face)."""
    from booklet.content.glyphs import resolve_font

    found = resolve_font("DejaVu Sans")
    assert found is not None, "fc-match found no font"
    return found.path


def test_an_unreviewed_weasyprint_is_refused(monkeypatch):
    svgletters.uninstall()
    monkeypatch.setattr(svgletters, "REVIEWED_TEXT", "0" * 16)
    try:
        with pytest.raises(svgletters.SvgLettersError, match=r"svgletters\.py"):
            svgletters.install()
    finally:
        monkeypatch.undo()
        svgletters.install()
