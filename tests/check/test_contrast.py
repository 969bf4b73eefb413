"""WCAG 2.2 contrast of the screen edition: the formula and `booklet check` on a fixture."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from booklet.check.contrast import ratio
from booklet.cli import main

FIXTURE = Path(__file__).parents[1] / "fixtures" / "check" / "low-contrast"


@pytest.mark.parametrize(("a", "b", "expected"), [
    ((0, 0, 0), (255, 255, 255), 21.0),
    ((255, 255, 255), (0, 158, 219), 3.04),  # white on the print blue #009EDB
    ((255, 255, 255), (0, 109, 176), 5.51),  # white on the screen blue #006DB0
    ((119, 119, 119), (255, 255, 255), 4.48),  # #777: the classic just-too-light grey
])
def test_ratio_is_the_wcag_formula(a, b, expected):
    assert round(ratio(a, b), 2) == expected


def test_check_reports_low_contrast_with_colours_and_source_line(tmp_path, capsys):
    path = tmp_path / "p"
    shutil.copytree(FIXTURE, path)
    code = main(["check", str(path), "--json", "--edition", "screen"])
    report = json.loads(capsys.readouterr().out)
    found = [f for f in report["findings"] if f["check"] == "contrast"]
    assert code == 1
    body = [f for f in found if "这一段正文" in f["message"]]
    assert len(body) == 1 and body[0]["severity"] == "error"
    assert "ink (#AAAAAA) on paper (#FFFFFF) is 2.32:1, below 4.5:1" in body[0]["message"]
    assert body[0]["file"].endswith("chapters/01-contrast.md") and body[0]["line"] == 8
    back = [f["message"] for f in found if "back-title" in f["message"]]
    assert back and "paper (#FFFFFF) on brand (#009EDB) is 3.04:1" in back[0]
    # The folios (page margin, no source line) point at the token's line in booklet.yaml.
    folios = [f for f in found if "brand (#009EDB) on paper" in f["message"]
              and "page margin" in f["message"]]
    assert folios and all((f["file"], f["line"]) == ("seeds/booklet.yaml", 8) for f in folios)
    assert 'add `screen: "#006DB0"` to colors.brand' in folios[0]["hint"]


def test_seed_screen_edition_has_no_contrast_failure(built):
    from booklet.check.contrast import low_contrast
    from booklet.compose.html import compose
    from booklet.content.chapters import load_booklet
    from booklet.editions.write import produce
    from booklet.figures.draw import draw_figures
    from booklet.render.layout import render

    project = built.project
    booklet = load_booklet(project)
    figures = draw_figures(booklet.charts, booklet.qrs, project)
    rendered = render(compose(booklet, figures, "screen"), project)
    pdf = produce({"screen": rendered}, project, ("screen",))["screen"].data
    assert low_contrast(rendered.document, pdf) == []
    from booklet.check.figure_contrast import (
        figure_sources,
        low_contrast_figures,
        page_chars,
        placed,
    )

    sources = figure_sources(booklet, figures)
    assert low_contrast_figures(rendered.document, pdf, sources) == []
    # The figure check saw every chart, and the white labels the seed sets on its blue.
    where = placed(rendered.document, sources)
    assert {s.name for spots in where.values() for _, s in spots} >= {
        "figures/spending-by-priority.py", "figures/humanitarian-funding.py"}
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    white = [c.text for number, spots in where.items() for c in page_chars(doc[number])
             if c is not None and c.colour == (255, 255, 255)
             and any(r[0] <= c.box[0] <= r[2] and r[1] <= c.box[1] <= r[3] for r, _ in spots)]
    doc.close()
    assert "23.2" in "".join(white)


def test_screen_colour_token_is_validated_and_used_only_on_screen():
    from pydantic import ValidationError

    from booklet.content.config import Color

    color = Color(rgb="#009EDB", cmyk=(100, 10, 0, 0), screen="#006db0")
    assert color.on_screen == "#006DB0" and color.rgb == "#009EDB"
    assert Color(rgb="#009EDB", cmyk=(100, 10, 0, 0)).on_screen == "#009EDB"
    with pytest.raises(ValidationError, match="hex colour"):
        Color(rgb="#009EDB", cmyk=(100, 10, 0, 0), screen="blue")


def test_passing_colour_is_just_dark_or_light_enough():
    from booklet.check.contrast_fix import passing_colour

    darker = passing_colour((0, 158, 219), (255, 255, 255), 4.5, ratio)
    assert darker is not None and 4.5 <= ratio(darker, (255, 255, 255)) < 4.8
    lighter = passing_colour((90, 90, 90), (20, 20, 20), 4.5, ratio)
    assert lighter is not None and ratio(lighter, (20, 20, 20)) >= 4.5 and sum(lighter) > 270
