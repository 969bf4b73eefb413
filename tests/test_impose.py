"""Imposition: read each half-sheet back and compare it with the print edition's pages."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from tests.conftest import make_project

from booklet.editions.impose import folding_order
from booklet.editions.printready import SLUG

MM = 72 / 25.4
NUMBERED = """{% extends "base.html" %}
{% block body %}
{% for n in range(1, PAGES + 1) %}
<section style="break-before: page; font-size: 96pt; text-indent: 0">{{ n }}</section>
{% endfor %}
BACK
{% endblock %}
"""


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def numbered_project(root: Path, pages: int, back_cover: bool, creep: str) -> Path:
    """Write a project whose layout prints one big page number per page."""
    make_project(root, "---\ntitle: 测试\nid: test\n---\n\n正文。\n")
    config = root / "seeds" / "booklet.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "editions: {screen: true, print: false, imposed: false}",
        f"editions: {{screen: false, print: true, imposed: true, creep: {creep}}}"),
        encoding="utf-8")
    back = '<section class="back-cover"><p>封底</p></section>' if back_cover else ""
    (root / "layout").mkdir()
    (root / "layout" / "document.html").write_text(
        NUMBERED.replace("PAGES", str(pages)).replace("BACK", back), encoding="utf-8")
    return root


@pytest.fixture(scope="module", params=[(8, False, "0mm"), (9, True, "1mm")],
                ids=["8-pages", "9-pages-and-back-cover"])
def numbered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """Build the print and imposed editions of a numbered fixture project."""
    from booklet.build import build

    pages, back, creep = request.param
    root = numbered_project(tmp_path_factory.mktemp("numbered"), pages, back, creep)
    result = build(root, out=root / "dist")
    files = {f.edition: f for f in result.files}
    return request.param, files["print"].path, files["imposed"].path


def _plumber_halves(imposed: Path) -> list[tuple[str, str]]:
    """Return the text of the left and right half of every imposed page (pdfplumber crops)."""
    halves = []
    with pdfplumber.open(imposed) as pdf, pikepdf.open(imposed) as pk:
        for page, raw in zip(pdf.pages, pk.pages, strict=True):
            fold = (float(raw.TrimBox[0]) + float(raw.TrimBox[2])) / 2
            x0, top, x1, bottom = page.bbox
            left = page.within_bbox((x0, top, fold, bottom)).extract_text()
            right = page.within_bbox((fold, top, x1, bottom)).extract_text()
            halves.append((_norm(left), _norm(right)))
    return halves


def test_folding_order_of_eight_and_twelve_pages():
    assert folding_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    assert folding_order(12) == [(12, 1), (2, 11), (10, 3), (4, 9), (8, 5), (6, 7)]
    assert folding_order(6) == [(None, 1), (2, None), (6, 3), (4, 5)]


def test_half_sheets_carry_the_print_pages_in_folding_order(numbered):
    (pages, _, _), print_pdf, imposed = numbered
    with pdfplumber.open(print_pdf) as pdf:
        texts = [_norm(p.extract_text()) for p in pdf.pages]
    total = 8 if pages == 8 else 12
    assert len(texts) == total
    expected = folding_order(total)
    halves = _plumber_halves(imposed)
    assert len(halves) == total // 2
    for (left, right), (lt, rt) in zip(expected, halves, strict=True):
        assert (lt, rt) == (texts[left - 1], texts[right - 1])
    # The big numbers themselves, so that the comparison cannot pass on empty pages.
    assert halves[0][1].startswith("1") and halves[1][0].startswith("2")


def test_print_edition_is_padded_before_the_back_cover(numbered):
    (_, back, _), print_pdf, _ = numbered
    with pdfplumber.open(print_pdf) as pdf:
        texts = [_norm(p.extract_text()) for p in pdf.pages]
    assert len(texts) % 4 == 0
    if back:  # 9 numbered pages + back cover on page 10 -> 2 blank pages before it
        assert [t[:1] for t in texts[:9]] == [str(n) for n in range(1, 10)]
        assert texts[9:11] == ["", ""]
        assert "封底" in texts[11]


def test_sheets_are_twice_the_trim_with_bleed_marks_and_output_intent(numbered):
    (_, _, creep), print_pdf, imposed = numbered
    shift = float(creep.removesuffix("mm")) * MM
    with pikepdf.open(print_pdf) as src, pikepdf.open(imposed) as pdf:
        trim = [float(v) for v in src.pages[0].TrimBox]
        width, height = trim[2] - trim[0], trim[3] - trim[1]
        assert "/OutputIntents" in pdf.Root
        profile = pdf.Root.OutputIntents[0].DestOutputProfile
        assert int(profile.N) == 4
        media = [float(v) for v in pdf.pages[0].MediaBox]
        for index, page in enumerate(pdf.pages):
            t, b, m = ([float(v) for v in page[k]] for k in ("/TrimBox", "/BleedBox",
                                                            "/MediaBox"))
            # After creep the sheet's fore-edges are cut further in: the boxes follow.
            s = shift * (index // 2)
            assert t == pytest.approx([s, 0, 2 * width - s, height], abs=0.001)
            for edge in range(4):
                assert abs(t[edge] - b[edge]) == pytest.approx(3 * MM, abs=0.01)
            assert m == media and m[0] < b[0] and m[2] > b[2]


def _placed_extent(page: pikepdf.Page) -> tuple[float, float]:
    """Return the left and right edge of the print pages drawn on a sheet (form BBox + cm)."""
    xs = []
    for operands, op in pikepdf.parse_content_stream(page):
        if str(op) == "cm":
            dx = float(operands[4])
        if str(op) == "Do" and str(operands[0]) in ("/PL", "/PR"):
            box = [float(v) for v in page.Resources.XObject[operands[0]].BBox]
            xs += [box[0] + dx, box[2] + dx]
    return min(xs), max(xs)


def _vertical_marks(page: pikepdf.Page) -> set[float]:
    """Return the x of the vertical crop marks drawn in the sheet's marks form."""
    for name, form in page.Resources.XObject.items():
        if name.startswith("/BookletMarks"):
            text = form.read_bytes().decode()
            return {float(x1) for x1, x2 in re.findall(
                r"([\d.-]+) [\d.-]+ m ([\d.-]+) [\d.-]+ l S", text) if x1 == x2}
    return set()


def test_imposed_boxes_and_marks_match_the_sheet_after_creep(numbered):
    """Read from the imposed PDF: the pages' bleed reaches the BleedBox, marks sit at the trim."""
    (pages, _, _), _, imposed = numbered
    with pikepdf.open(imposed) as pdf:
        for index, page in enumerate(pdf.pages):
            t, b = ([float(v) for v in page[k]] for k in ("/TrimBox", "/BleedBox"))
            left, right = _placed_extent(page)
            # Blank halves (None in the folding order) carry nothing; placed halves reach
            # exactly the BleedBox at the fore-edge.
            sides = folding_order(pages + (-pages % 4))[index]
            if sides[0] is not None:
                assert left == pytest.approx(b[0], abs=0.01), index
            if sides[1] is not None:
                assert right == pytest.approx(b[2], abs=0.01), index
            marks = _vertical_marks(page)
            for x in (t[0], t[2]):  # the crop marks point at this sheet's own cut
                assert any(abs(x - mark) < 0.01 for mark in marks), (index, x, marks)


def test_creep_moves_inner_pages_toward_the_spine(numbered):
    (_, _, creep), print_pdf, imposed = numbered
    shift = float(creep.removesuffix("mm")) * MM

    def first_char_x(pdf: pdfplumber.PDF, index: int, lo: float, hi: float) -> float:
        chars = [c for c in pdf.pages[index].chars if lo <= c["x0"] < hi and c["size"] > 50]
        return min(c["x0"] for c in chars)

    with pdfplumber.open(print_pdf) as src, pdfplumber.open(imposed) as out, \
            pikepdf.open(print_pdf) as pk:
        width = float(pk.pages[0].TrimBox[2]) - float(pk.pages[0].TrimBox[0])
        for index, (left, right) in enumerate(folding_order(len(src.pages))):
            sheet = index // 2
            for number, lo, hi, sign, offset in ((left, 0, width, 1, 0.0),
                                                 (right, width, 2 * width, -1, width)):
                if not _norm(src.pages[number - 1].extract_text())[:1].isdigit():
                    continue
                x_print = first_char_x(src, number - 1, 0, width)
                x_sheet = first_char_x(out, index, lo, hi) - offset
                assert x_sheet - x_print == pytest.approx(sign * shift * sheet, abs=0.01), \
                    (number, sheet)


def test_seed_booklet_imposed_in_folding_order(built):
    files = {f.edition: f for f in built.files}

    def chars(page: pdfplumber.page.Page) -> str:
        # Content-stream order, no layout pass; the proof slug line below the bleed (the
        # paper's lowest SLUG points) belongs to the sheet, not to a page.
        return "".join(c["text"] for c in page.chars if c["y0"] > SLUG - 1)

    with pdfplumber.open(files["print"].path) as src, \
            pdfplumber.open(files["imposed"].path) as out:
        texts = [chars(p) for p in src.pages]
        assert len(texts) % 4 == 0 and len(out.pages) == len(texts) // 2
        assert sum(bool(t) for t in texts) > len(texts) // 2
        for page, (left, right) in zip(out.pages, folding_order(len(texts)), strict=True):
            fold = page.width / 2 + page.bbox[0]  # the sheet is symmetric about the fold
            x0, top, x1, bottom = page.bbox
            halves = (chars(page.crop((x0, top, fold, bottom))),
                      chars(page.crop((fold, top, x1, bottom))))
            assert halves == (texts[left - 1], texts[right - 1]), (left, right)
