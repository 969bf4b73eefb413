"""The typography layer measured from rendered PDFs: the torture text at several widths."""

from __future__ import annotations

import re
import statistics
from pathlib import Path

import pytest
from tests.typography.typo_harness import (
    SOURCE,
    TORTURE,
    document,
    paragraphs,
    render,
    write,
)
from tests.typography.typo_metrics import (
    CLOSING,
    OPENING,
    Metrics,
    load_rows,
    measure,
    normalized,
    pdf_text,
)

from booklet.check.pdfread import fidelity, justify, kinsoku
from booklet.compose.typography import TypographyOptions

WIDTHS = (30, 33, 36, 40)  # column widths in em at 10.5pt: the torture text moves across them
MAX_GAP = 0.25  # em between two Han characters of a justified line


@pytest.fixture(scope="module")
def torture(tmp_path_factory) -> dict[int, tuple[Path, Metrics]]:
    """Render the torture text once per width and measure each PDF."""
    folder = tmp_path_factory.mktemp("torture")
    paras = paragraphs(TORTURE)
    out = {}
    for width in WIDTHS:
        pdf = write(paras, folder / f"torture-{width}em.pdf", width)
        out[width] = (pdf, measure(pdf))
    return out


@pytest.mark.parametrize("width", WIDTHS)
def test_every_full_line_is_justified(torture, width):
    _, m = torture[width]
    assert m.full_lines > 40
    # pdfcheck's rule; a paragraph's last line is left ragged (J2), so it is not counted
    assert m.justified_share >= 0.995, m.short


@pytest.mark.parametrize("width", WIDTHS)
def test_no_prohibited_line_start_or_end(torture, width):
    _, m = torture[width]
    assert m.banned == []
    assert m.dash_starts == []  # "——" neither split nor at a line start (clreq strict)
    assert m.unit_breaks == []  # 3 600万, 2023年: a number stays with its unit


@pytest.mark.parametrize("width", WIDTHS)
def test_no_number_or_word_is_split(torture, width):
    """Lines may break only at a space of running English text (pdfcheck counts those too)."""
    _, m = torture[width]
    source = "\n".join(paragraphs(TORTURE))
    for before, after in m.splits:
        assert not before[-1].isdigit(), (before, after)
        # The PDF rows carry no space glyphs: find the junction in the source, where it
        # must be a space.
        tail, head = before[-6:], after[:6]
        junction = "[ ]?".join(map(re.escape, tail)) + " " + "[ ]?".join(map(re.escape, head))
        assert re.search(junction, source), (before, after)
        assert not before.endswith(("Patrick", "Mark", "António"))  # names stay whole


@pytest.mark.parametrize("width", WIDTHS)
def test_gaps_between_han_characters_stay_small(torture, width):
    _, m = torture[width]
    chinese = [gap for gap, text in m.han_gaps if not re.search("[A-Za-z]", text)]
    assert max(chinese) <= MAX_GAP
    # Lines with English runs may open wider: an unbreakable word left the line short.
    wide = [(round(gap, 2), text) for gap, text in m.han_gaps if gap > MAX_GAP]
    assert len(wide) <= 2, wide


@pytest.mark.parametrize("width", WIDTHS)
def test_adjacent_punctuation_is_compressed(torture, width):
    _, m = torture[width]
    assert m.pairs > 70
    assert m.compression_share >= 0.95, m.uncompressed
    assert m.end_marks_half == m.end_marks  # a closing mark ending a line: half width


def test_text_layer_is_the_source_text(torture):
    pdf, _ = torture[WIDTHS[0]]
    text = pdf_text(pdf)
    assert normalized(text) == normalized("".join(p.lstrip("# ") for p in paragraphs(TORTURE)))
    assert not set(text) & {"\u2060", "\u200b", "\u00ad", "\u202f", "\u00a0"}
    assert "Patrick MacLeod" in text and "35 000+" in text and "12 345 678" in text


def test_digit_group_space_is_a_quarter_em(torture):
    pdf, _ = torture[WIDTHS[0]]
    gaps = [(b["x0"] - a["x1"]) / r.size for r in load_rows(pdf)
            for a, b in zip(r.chars, r.chars[1:], strict=False)
            if a["text"].isdigit() and b["text"].isdigit() and b["x0"] - a["x1"] > 0.1 * r.size]
    assert len(gaps) >= 12
    assert all(0.2 <= gap <= 0.3 for gap in gaps), gaps  # GB/T 15835: 1/4 em


def test_two_em_dash_is_one_unit_two_em_wide(torture):
    pdf, _ = torture[WIDTHS[0]]
    dashes = [c for r in load_rows(pdf) for c in r.chars if "—" in c["text"]]
    assert dashes
    for c in dashes:  # Noto CJK sets "——" as one ligature glyph
        assert c["text"] == "——" and abs(c["width"] / c["size"] - 2.0) < 0.05


def test_seed_text(tmp_path):
    pdf = write(paragraphs(SOURCE), tmp_path / "seed.pdf", 35)
    m = measure(pdf)
    assert m.kinsoku == [] and m.unit_breaks == [] and m.dash_starts == []
    assert m.justified_share == 1.0, m.short
    assert m.compression_share == 1.0 and m.max_han_gap <= MAX_GAP
    assert normalized(pdf_text(pdf)) == normalized("".join(
        p.lstrip("# ") for p in paragraphs(SOURCE)))
    # the independent checker agrees
    for result in (justify(pdf), kinsoku(pdf), fidelity(pdf, SOURCE)):
        assert result.ok, "\n".join((*result.details, result.summary))


def test_full_width_punctuation_option(tmp_path):
    options = TypographyOptions(punctuation="full-width")
    m = measure(write(paragraphs(TORTURE)[:8], tmp_path / "full.pdf", 33, options=options))
    assert m.pairs > 20 and m.pairs_compressed == 0
    assert m.end_marks and m.end_marks_half == 0
    assert m.kinsoku == [] or all(" " in f"{a} {b}" for a, b in m.splits)


def test_han_latin_spacing_option(tmp_path):
    options = TypographyOptions(cjk_latin_spacing=True)
    paras = paragraphs(TORTURE)[:6]
    pdf = write(paras, tmp_path / "autospace.pdf", 33, options=options)
    rows = load_rows(pdf)
    left = min(r.chars[0]["x0"] for r in rows)
    gaps = []
    for r in rows:
        # a line starting with a digit or Latin letter starts at the margin: no gap there
        if r.chars[0]["text"].isascii() and r.chars[0]["text"].isalnum():
            indent = r.chars[0]["x0"] - left  # 0, or the 2 em paragraph indent
            assert min(abs(indent), abs(indent - 2 * r.size)) < 0.01
        gaps += [(b["x0"] - a["x1"]) / r.size for a, b in zip(r.chars, r.chars[1:], strict=False)
                 if "\u4e00" <= a["text"] <= "\u9fff" and b["text"].isascii()
                 and b["text"].isalnum()]
    # 1/4 em, plus the line's share of justification (wide on the one loose English line)
    assert gaps and min(gaps) >= 0.22 and statistics.median(gaps) <= 0.35, gaps
    assert normalized(pdf_text(pdf)) == normalized("".join(p.lstrip("# ") for p in paras))


def test_escape_hatch_turns_the_rules_off():
    html = document(["他说：“好。”她说：“是。”", "他说：“好。”她说：“是。”"], 30)
    html = html.replace("<p>", '<p class="no-typo">', 1)
    doc = render(html)
    lines = [box for page in doc.pages for box in _text_boxes(page._page_box)]
    widths = [box.width for box in lines]
    assert widths[0] > widths[1]  # the first paragraph keeps its marks full-width


def _text_boxes(box):
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        yield box
    for child in getattr(box, "children", ()):
        yield from _text_boxes(child)


def test_marks_are_full_width_in_the_body_font(torture):
    """The compression tests assume full-width marks: SC forms, 1 em (P4)."""
    pdf, _ = torture[WIDTHS[0]]
    chars = [c for r in load_rows(pdf) for c in r.chars if c["text"] in CLOSING | OPENING]
    assert all("Noto-Serif-CJK-SC" in c["fontname"] for c in chars)
    assert all(abs(c["width"] / c["size"] - 1.0) < 0.01 for c in chars)
