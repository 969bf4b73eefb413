"""booklet.check.pdfread: the checks hold on the seed booklet and fall short where they should."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pikepdf
import pytest
from tests.conftest import SOURCE

from booklet.check import pdfread
from booklet.check.pdfread import (
    fidelity,
    fonts,
    justify,
    kinsoku,
    outline,
    pdfx,
    tagged,
)


def _share(summary: str) -> float:
    """Return the percentage a summary ends its figure with."""
    match = re.search(r"= (\d+\.\d)%", summary)
    assert match, summary
    return float(match[1])


@pytest.fixture(scope="module")
def print_pdf(built) -> Path:
    return next(f.path for f in built.files if f.edition == "print")


@pytest.fixture()
def blank_pdf(tmp_path: Path) -> Path:
    """Write a one-page PDF with no text, tags, fonts or bookmarks."""
    path = tmp_path / "blank.pdf"
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(path)
    return path


def _weasy_pdf(path: Path, sentences: list[str]) -> Path:
    """Typeset Chinese sentences, one paragraph each, with WeasyPrint."""
    from weasyprint import HTML

    body = "".join(f"<p>{s}</p>" for s in sentences)
    HTML(string=f'<html lang="zh"><body style="font-family: \'Noto Serif CJK SC\'">{body}'
              "</body></html>").write_pdf(path)
    return path


# The seed booklet, as the build writes it.

def test_screen_is_justified(screen_pdf):
    result = justify(screen_pdf)
    assert result.ok, result
    assert _share(result.summary) >= 98.0
    assert result.summary.startswith("justify: ") and len(result.details) <= 8


def test_screen_keeps_the_line_break_rules(screen_pdf):
    result = kinsoku(screen_pdf)
    assert result.ok and result.details == (), result
    assert re.fullmatch(r"kinsoku: 0 violations in \d+ lines", result.summary)


def test_screen_carries_every_source_sentence(screen_pdf):
    result = fidelity(screen_pdf, SOURCE)
    assert result.ok and result.details == (), result
    assert _share(result.summary) == 100.0
    assert int(re.search(r"(\d+)/", result.summary)[1]) > 150


def test_screen_fonts_are_embedded_and_subset(screen_pdf):
    result = fonts(screen_pdf)
    assert result.ok and result.details == (), result
    assert re.fullmatch(r"fonts: [1-9]\d* fonts, 0 not embedded/subset or Type 3", result.summary)


def test_screen_is_tagged(screen_pdf):
    result = tagged(screen_pdf)
    assert result.ok and result.summary == "tagged: 0 problems", result


def test_screen_has_bookmarks(screen_pdf):
    result = outline(screen_pdf)
    count = int(result.summary.split()[1])
    assert result.ok and count >= 5
    assert len(result.details) == min(count, 40)
    assert not outline(screen_pdf, minimum=count + 1).ok


def test_pdfx_fails_on_screen_and_holds_on_print(screen_pdf, print_pdf):
    screen = pdfx(screen_pdf)
    assert not screen.ok and "no GTS_PDFX output intent" in screen.details
    printed = pdfx(print_pdf)
    assert printed.ok and printed.details == (), printed
    assert re.fullmatch(r"pdfx: version PDF/X-4, \d+ pages, 0 problems", printed.summary)


# Small PDFs that must fail.

def test_untagged_pdf_is_not_tagged(blank_pdf):
    result = tagged(blank_pdf)
    assert not result.ok
    assert {"MarkInfo/Marked not true", "no StructTreeRoot", "no Title"} <= set(result.details)
    assert result.summary == f"tagged: {len(result.details)} problems"


def test_blank_pdf_has_no_fonts_and_no_bookmarks(blank_pdf):
    assert not fonts(blank_pdf).ok
    assert outline(blank_pdf).summary == "outline: 0 bookmarks"
    assert not outline(blank_pdf).ok
    assert not pdfx(blank_pdf).ok


def test_missing_sentence_fails_fidelity(tmp_path):
    kept = ["联合国在二零二三年继续工作。", "各国共同推进可持续发展目标。"]
    pdf = _weasy_pdf(tmp_path / "short.pdf", kept)
    source = tmp_path / "source.txt"
    source.write_text("".join(kept) + "\n", encoding="utf-8")
    assert fidelity(pdf, source).ok
    lost = "这一句话没有排进小册子。"
    source.write_text("".join(kept) + lost + "\n", encoding="utf-8")
    result = fidelity(pdf, source)
    assert not result.ok
    assert result.details == ("missing: " + lost,)
    assert result.summary == "fidelity: 2/3 seed sentences in the PDF = 66.7%"
    assert fidelity(pdf, source, minimum=0.6).ok


def test_a_missing_pdfplumber_is_named(blank_pdf, monkeypatch):
    monkeypatch.setitem(sys.modules, "pdfplumber", None)  # makes the import fail
    with pytest.raises(RuntimeError, match="pip install pdfplumber"):
        kinsoku(blank_pdf)


# The command line.

def test_main_exit_codes(screen_pdf, blank_pdf, capsys):
    assert pdfread.main(["tagged", str(screen_pdf)]) == 0
    assert capsys.readouterr().out == "tagged: 0 problems\n"
    assert pdfread.main(["tagged", str(blank_pdf)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == tagged(blank_pdf).summary
    assert lines[:-1] == ["  " + d for d in tagged(blank_pdf).details]
    assert pdfread.main(["fidelity", str(screen_pdf), "--source", str(SOURCE)]) == 0
    assert pdfread.main(["outline", str(screen_pdf), "--min", "9999"]) == 1
    capsys.readouterr()


@pytest.mark.parametrize("argv", [[], ["nope", "x.pdf"], ["fidelity", "x.pdf"],
                                  ["justify", "x.pdf", "--min", "lots"]])
def test_main_usage_errors_exit_2(argv, capsys):
    assert pdfread.main(argv) == 2
    assert "usage:" in capsys.readouterr().err


def test_checks_are_named_after_their_functions():
    assert list(pdfread.CHECKS) == ["justify", "kinsoku", "fidelity", "fonts", "pdfx",
                                    "tagged", "outline"]
