"""The paragraph composer's targets, measured from PDFs: torture texts at 30-40 em (issue 13)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from tests.typography.typo_harness import (
    MARKUP,
    SOURCE,
    TORTURE,
        paragraphs,
    write,
    write_markup,
)
from tests.typography.typo_metrics import Metrics, measure

from booklet.compose.typography import TypographyOptions, linebreak

TEXTS = {"torture": TORTURE, "paragraphs": TORTURE.parent / "paragraphs.md", "source": SOURCE,
         "markup": MARKUP, "autospace": MARKUP}
MARKED = ("markup", "autospace")  # HTML paragraphs: links, emphasis, footnote calls
WIDTHS = (30, 32, 34, 36, 38, 40)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[tuple[str, int], tuple[Path, Metrics]]:
    """Render every text at every width once and measure each PDF."""
    from booklet.render.patches import paragraph

    folder = tmp_path_factory.mktemp("paragraph")
    out = {}
    for name, path in TEXTS.items():
        for width in WIDTHS:
            pdf = folder / f"{name}-{width}em.pdf"
            if name == "markup":
                write_markup(path, pdf, width)
            elif name == "autospace":
                write_markup(path, pdf, width, options=TypographyOptions(cjk_latin_spacing=True))
            else:
                write(paragraphs(path), pdf, width)
            out[name, width] = (pdf, measure(pdf))
            REPLANNED[name, width] = dict(paragraph.stats)
    return out


CASES = [(name, width) for name in TEXTS for width in WIDTHS]
REPLANNED: dict[tuple[str, int], dict[str, int]] = {}
# The markup paragraph "（World Food / Programme）" (5 em without a break after the first line)
# needs its letters spread by up to LETTER_RESCUE em to keep its Han gaps under 0.20 em.
@pytest.mark.parametrize(("name", "width"), CASES)
def test_widest_gap_is_a_fifth_of_an_em(rendered, name, width):
    _, m = rendered[name, width]
    assert m.loose(0.20) == []


@pytest.mark.parametrize(("name", "width"), [c for c in CASES if c[0] in MARKED])
def test_paragraphs_with_markup_are_planned_whole(rendered, name, width):
    """Every line of a paragraph with links, emphasis, calls and English runs follows the plan."""
    stats = REPLANNED[name, width]
    assert stats["planned"] > 20
    assert stats["replanned"] == 0


@pytest.fixture(scope="module")
def natural(tmp_path_factory) -> dict[tuple[str, int], Metrics]:
    """Render the plain texts at every width with Han glue shrink off, and measure them."""
    folder = tmp_path_factory.mktemp("natural")
    options = TypographyOptions(han_shrink=False)
    out = {}
    for name in ("torture", "paragraphs", "source"):
        for width in WIDTHS:
            pdf = folder / f"{name}-{width}em.pdf"
            write(paragraphs(TEXTS[name]), pdf, width, options=options)
            out[name, width] = measure(pdf)
    return out


def test_some_lines_are_set_tighter_than_natural_and_stay_flush(rendered, natural):
    # Han glue shrinks a little (typography.han_shrink, on by default; linebreak.HAN_SHRINK):
    # the line closes up, is drawn where the layout put it, and still ends at the measure.
    tight = [(key, gap) for key in natural for gap, _ in rendered[key][1].tight]
    assert len(tight) >= 5
    assert all(gap >= -linebreak.HAN_SHRINK - 0.005 for _, gap in tight)
    assert not any(m.tight for m in natural.values())  # switched off: none
    # The checks of every rendered text above (flush, rules, runts) hold for these lines;
    # and the texts are no looser than without shrink.
    for limit in (0.10, 0.15, 0.20):
        assert (sum(len(rendered[key][1].loose(limit)) for key in natural)
                <= sum(len(m.loose(limit)) for m in natural.values()))
    assert (max(rendered[key][1].max_han_gap for key in natural)
            <= max(m.max_han_gap for m in natural.values()) + 1e-9)


def test_lines_across_inline_boxes_are_set_tighter_too(rendered):
    # A paragraph with links, emphasis, calls and English spans is planned whole, shrunk
    # lines included: each box takes the line's letter-spacing (paragraph._per_box).
    tight = [gap for name in MARKED for w in WIDTHS for gap, _ in rendered[name, w][1].tight]
    assert tight
    assert all(gap >= -linebreak.HAN_SHRINK - 0.005 for gap in tight)


@pytest.mark.parametrize(("name", "width"), CASES)
def test_word_spaces_stay_under_half_an_em(rendered, name, width):
    _, m = rendered[name, width]
    assert m.max_word_space <= 0.505, max(m.word_spaces)


@pytest.mark.parametrize(("name", "width"), CASES)
def test_no_runt(rendered, name, width):
    _, m = rendered[name, width]
    assert m.paragraphs >= 10
    assert m.runts == []


@pytest.mark.parametrize(("name", "width"), CASES)
def test_rules_hold_and_full_lines_are_flush(rendered, name, width):
    _, m = rendered[name, width]
    assert m.banned == [] and m.unit_breaks == [] and m.dash_starts == []
    assert [s for s in m.splits if s[0][-1].isdigit()] == []  # numbers never split
    assert m.short == []  # every line but a paragraph's last is flush


# Also two marks in two faces ("》" of an <em> in Kai, then "。"), in justified and last lines.
@pytest.mark.parametrize(("name", "width"), CASES)
def test_adjacent_mark_pairs_are_compressed(rendered, name, width):
    _, m = rendered[name, width]
    assert m.compression_share == 1.0, m.uncompressed  # adjacent pairs <= 1.5 em


# Not the markup texts: pdftotext reads the gap beside a superscript footnote call as a space
# ("互联网 5；"), and autospace margins are spaces on purpose.
@pytest.mark.parametrize(("name", "width"), [c for c in CASES if c[0] not in MARKED])
def test_pdftotext_gives_the_source_without_inserted_spaces(rendered, name, width):
    pdf, _ = rendered[name, width]
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    source = "".join(p.lstrip("# ") for p in paragraphs(TEXTS[name]))
    # Line ends: pdftotext ends an English line with its space or not; ignore spaces there.
    # Adjacent compressed marks ("。”“", "》、《") overlap in glyph boxes, and poppler may
    # give them in another order (before ActualText spans as after): compare such runs as sets.
    joined = text.replace("\n", "").replace("\f", "").replace(" ", "")
    assert _marks_sorted(joined) == _marks_sorted(source.replace(" ", ""))
    # A line with Han gaps over 0.1 em reads with a space between every two characters
    # unless it carries its text as ActualText (drawfix): none may show one.
    assert inserted_spaces(text, source) == []


def _marks_sorted(text: str) -> str:
    return re.sub(r"[、。，：；“”‘’（）《》]{2,}", lambda m: "".join(sorted(m.group())), text)


@pytest.mark.parametrize(("name", "width"), [c for c in CASES if c[0] not in MARKED])
def test_pdfium_gives_the_source_without_inserted_spaces(rendered, name, width):
    import pypdfium2 as pdfium

    pdf, _ = rendered[name, width]
    document = pdfium.PdfDocument(str(pdf))
    text = "\r\n".join(page.get_textpage().get_text_range() for page in document)
    document.close()
    source = "".join(p.lstrip("# ") for p in paragraphs(TEXTS[name]))
    assert text.replace("\r\n", "").replace(" ", "") == source.replace(" ", "")
    assert inserted_spaces(text.replace("\r\n", "\n"), source) == []


def inserted_spaces(text: str, source: str) -> list[str]:
    """Return the lines of `text` with a space between two characters the source has not."""
    lines = []
    for line in text.splitlines():
        if any(line[max(k.start() - 3, 0):k.end() + 3] not in source
               for k in re.finditer(r"(?<=[^ ]) (?=[^ ])", line)):
            lines.append(line)
    return lines


def test_loose_lines_carry_their_text_and_stay_where_they_were(rendered, tmp_path, monkeypatch):
    """The ActualText span moves no glyph: same pdfplumber positions, same pixels."""
    import pdfplumber
    import pypdfium2 as pdfium

    from booklet.render.patches import drawfix

    pdf, m = rendered["torture", 38]
    assert m.loose(0.15)  # the case: Han gaps of 0.165 and 0.188 em beside a long name
    monkeypatch.setattr(drawfix, "LIMIT", 10**9)  # no span
    plain = write(paragraphs(TEXTS["torture"]), tmp_path / "plain.pdf", 38)
    assert _spans(pdf) >= 2 and _spans(plain) == 0
    with pdfplumber.open(pdf) as a, pdfplumber.open(plain) as b:
        assert ([(c["text"], c["x0"], c["top"]) for page in a.pages for c in page.chars]
                == [(c["text"], c["x0"], c["top"]) for page in b.pages for c in page.chars])
    a, b = pdfium.PdfDocument(str(pdf)), pdfium.PdfDocument(str(plain))
    assert len(a) == len(b)
    for pa, pb in zip(a, b, strict=True):
        assert pa.render(scale=2).to_pil().tobytes() == pb.render(scale=2).to_pil().tobytes()
    a.close()
    b.close()


def _spans(pdf: Path) -> int:
    """Return how many marked-content spans of the PDF carry an ActualText."""
    import pikepdf

    with pikepdf.open(pdf) as doc:
        return sum(1 for page in doc.pages for op in pikepdf.parse_content_stream(page)
                   if str(op.operator) == "BDC" and len(op.operands) > 1
                   and isinstance(op.operands[1], pikepdf.Dictionary)
                   and "/ActualText" in op.operands[1])


def test_last_lines_keep_their_natural_width(rendered):
    """A paragraph's last line is not stretched, however close to the measure (clreq)."""
    _, m = rendered["source", 36]
    assert m.last_lines > 0  # last lines within 2 em of the measure, left ragged
