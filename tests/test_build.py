"""Build the seed booklet and read the PDF back."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import pdfplumber
import pikepdf
import pypdfium2 as pdfium
from tests.conftest import SOURCE

from booklet.check.pdfread import fidelity


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _page_texts(pdf_path) -> list[str]:
    pdf = pdfium.PdfDocument(pdf_path)
    return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]


def test_every_seed_sentence_is_in_the_pdf(screen_pdf):
    """Our own fidelity check: each sentence of the seed appears in the PDF text."""
    seed = SOURCE.read_text(encoding="utf-8")
    seed = re.sub(r"<sup>\d+</sup>", "\n", seed)
    seed = re.sub(r"^#+ |^- |\*\*", "", seed, flags=re.M)
    sentences = [_norm(p) for line in seed.splitlines()
                 for p in re.split(r"(?<=[。！？；])", line) if len(_norm(p)) >= 4]
    pages = [text.splitlines() for text in _page_texts(screen_pdf)]
    # Running heads and folios are not content: drop digit-only lines and lines that repeat
    # on three or more pages, as an editor copying the text would.
    repeats = Counter(line.strip() for lines in pages for line in set(lines))
    text = _norm("".join(line for lines in pages for line in lines
                         if not re.fullmatch(r"\s*\d+\s*", line) and repeats[line.strip()] < 3))
    missing = [s for s in sentences if s not in text]
    assert len(sentences) > 150
    assert missing == []


def test_pdfcheck_fidelity_is_complete(screen_pdf):
    """The independent checker agrees: 100% of the source's sentences."""
    result = fidelity(screen_pdf, SOURCE)
    assert result.ok, "\n".join((*result.details, result.summary))
    assert "= 100.0%" in result.summary


def test_fonts_are_embedded_and_subset(screen_pdf):
    """Every font is embedded (FontFile*) and subset (ABCDEF+ prefix)."""
    fonts = {}
    with pikepdf.open(screen_pdf) as pdf:
        for page in pdf.pages:
            for _, font in (page.Resources.get("/Font") or {}).items():
                for desc_font in font.get("/DescendantFonts", [font]):
                    desc = desc_font.get("/FontDescriptor")
                    embedded = desc is not None and any(
                        k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                    fonts[str(desc_font.BaseFont)] = embedded
    assert fonts
    for name, embedded in fonts.items():
        assert re.match(r"^/[A-Z]{6}\+", name), f"{name} is not subset"
        assert embedded, f"{name} is not embedded"
    names = " ".join(fonts)
    assert "Noto-Serif-CJK-SC" in names and "Noto-Sans-CJK-SC" in names


def test_toc_numbers_equal_heading_pages(screen_pdf, built):
    """Each TOC entry's number is the page on which its heading is printed."""
    with pikepdf.open(screen_pdf) as pdf:
        outline = {}
        with pdf.open_outline() as root:
            stack = list(root.root)
            while stack:
                item = stack.pop()
                page = pikepdf.Page(item.destination[0]) if item.destination else None
                if page is not None:
                    outline[item.title] = pdf.pages.index(page) + 1
                stack.extend(item.children)
    with pdfplumber.open(screen_pdf) as pdf:
        toc_page = next(p for p in pdf.pages[:5] if "目录" in (p.extract_text() or ""))
        lines = (toc_page.extract_text() or "").splitlines()
    entries = [re.match(r"^(.*?)[.\s]*(\d+)$", line) for line in lines]
    entries = [(m.group(1).strip(), int(m.group(2))) for m in entries if m]
    assert len(entries) >= 10
    for title, number in entries:
        assert outline.get(title) == number, (title, number, outline.get(title))
        heading_page = _page_texts(screen_pdf)[number - 1]
        assert _norm(title) in _norm(heading_page)


def test_metadata_title_and_language(screen_pdf, built):
    with pikepdf.open(screen_pdf) as pdf:
        assert str(pdf.Root.Lang).lower().startswith("zh")
        assert built.project.config.title in str(pdf.docinfo["/Title"])


def test_cover_is_first_page(screen_pdf, built):
    first = _page_texts(screen_pdf)[0]
    assert built.project.config.title in first


def test_build_result_and_report(built):
    editions = {f.edition: f for f in built.files}
    assert editions["screen"].pages == built.pages > 16
    assert editions["screen"].bytes == editions["screen"].path.stat().st_size
    assert built.report is not None and built.report.is_file()
    assert set(built.timings) >= {"load", "figures", "write"}
