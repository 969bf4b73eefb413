"""Ink of the print edition, read from the seed booklet's content streams (booklet.editions.ink)."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from booklet.check.common import SourceIndex
from booklet.check.ink import breaches, check_ink
from booklet.content.config import Config, to_pt
from booklet.editions.ink import Paint, is_black, overprint_black_text, paints, plates


def _files(built) -> dict[str, Path]:
    return {f.edition: f.path for f in built.files}


@pytest.fixture(scope="module")
def print_paints(built) -> list[Paint]:
    with pikepdf.open(_files(built)["print"]) as pdf:
        return list(paints(pdf))


def _font(paint: Paint) -> str:
    return paint.font.split("+")[-1]


def test_body_caption_and_footnote_text_is_100_k_and_overprints(print_paints, built):
    config = built.project.config
    body = to_pt(config.typography.body_size)
    caption, small = to_pt(config.sizes["caption"]), to_pt(config.sizes["small"])
    serif = [p for p in print_paints if p.kind == "text" and "Serif" in _font(p)
             and plates(p.colour) > 0]  # paper-white serif text is the back-cover copy
    body_text = [p for p in serif if p.size == pytest.approx(body)]
    footnotes = [p for p in serif if p.size == pytest.approx(small)]
    captions = [p for p in print_paints if p.kind == "text" and "WenKai" in _font(p)
                and p.size == pytest.approx(caption)]
    assert len(body_text) > 100 and footnotes and captions
    for p in body_text + footnotes + captions:
        assert p.colour == ("/DeviceCMYK", (0.0, 0.0, 0.0, 1.0)), p
        assert p.overprint, p


def test_only_black_text_overprints(print_paints):
    overprinting = [p for p in print_paints if p.overprint]
    assert overprinting and all(p.kind == "text" and is_black(p.colour) for p in overprinting)
    # Everything else knocks out: white text on the blue fields must stay visible.
    assert any(p.kind == "text" and plates(p.colour) == 0 and not p.overprint
               for p in print_paints)


def test_small_text_and_hairlines_on_one_plate_and_nothing_under_8_pt(print_paints):
    text = [p for p in print_paints if p.kind == "text"]
    assert min(p.size for p in text) >= 8 - 0.01, min(text, key=lambda p: p.size)
    assert not [p for p in text if p.size < 10 - 0.01 and plates(p.colour) > 1]
    lines = [p for p in print_paints if p.kind in ("stroke", "fill") and 0.01 < p.size <= 0.5]
    assert not [p for p in lines if plates(p.colour) > 1]


def test_booklet_check_finds_no_ink_breach_in_the_seed(built):
    data = _files(built)["print"].read_bytes()
    assert check_ink(data, built.project.config) == []


def test_check_reports_each_breach_with_its_rule(built):
    """The same PDF against stricter tokens: every rule can fail and says which."""
    config = built.project.config
    ink = config.print.ink.model_copy(update={
        "single_plate_below": "30pt", "min_text": "9pt", "hairline": "2pt"})
    strict = config.model_copy(update={"print": config.print.model_copy(update={"ink": ink})})
    found = breaches(_files(built)["print"].read_bytes(), strict)
    kinds = {key[0] for key in found}
    assert {"ink-min-size", "ink-plates", "ink-hairline"} <= kinds
    assert all(p.size < 9 for key, ps in found.items() if key[0] == "ink-min-size" for p in ps)
    findings = check_ink(_files(built)["print"].read_bytes(), strict, SourceIndex(built.project))
    located = [f for f in findings if f.file is not None and f.file.suffix == ".md"]
    assert located and all(f.page and f.line for f in located)
    assert all(f.severity == "error" and f.check.startswith("ink-") for f in findings)


def test_overprint_rewrite_reads_back(tmp_path):
    """A hand-made page: the black text overprints, the cyan text and the rectangle do not."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font,
                                                Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    page = pdf.add_blank_page(page_size=(200, 200))
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.Contents = pdf.make_stream(
        b"0 0 0 1 k BT /F1 10 Tf 10 10 Td (black) Tj ET "
        b"1 0 0 0 k BT /F1 10 Tf 10 30 Td (cyan) Tj ET 0 0 0 1 k 0 50 100 20 re f")
    assert overprint_black_text(pdf) == 1
    pdf.save(tmp_path / "op.pdf")
    with pikepdf.open(tmp_path / "op.pdf") as again:
        read = [(p.kind, p.colour[1], p.overprint) for p in paints(again)]
        states = again.pages[0].Resources.ExtGState
        assert bool(states.BookletOP.OP) and bool(states.BookletOP.op)
        assert int(states.BookletOP.OPM) == 1
    assert read == [("text", (0.0, 0.0, 0.0, 1.0), True), ("text", (1.0, 0.0, 0.0, 0.0), False),
                    ("fill", (0.0, 0.0, 0.0, 1.0), False)]


def test_ink_tokens_have_defaults_and_validate():
    config = Config(title="t", slug="t", date="2024-01-01")
    ink = config.print.ink
    assert (ink.overprint, ink.single_plate_below, ink.hairline, ink.min_text) == \
        (True, "10pt", "0.5pt", "8pt")
    assert config.colors["ink"].cmyk == (0, 0, 0, 100)
    with pytest.raises(ValueError):
        Config(title="t", slug="t", date="2024-01-01", print={"ink": {"min_text": "eight"}})
