"""Page sizes by name or by size, the grid derived from them, recto openers, notes pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from tests.conftest import make_project

from booklet.cli import main
from booklet.compose.html import generated_css
from booklet.content.config import Config, load_project, to_pt
from booklet.content.pagesize import NAMED_SIZES, derive_grid, parse_size

FRONT = "---\ntitle: 测试\nid: test\n---\n\n"


def config(**page: object) -> Config:
    return Config(title="t", slug="s", date=dt.date(2024, 1, 1), page=page)


@pytest.mark.parametrize("name", list(NAMED_SIZES))
def test_named_sizes_give_a_whole_grid(name):
    """Measure = whole characters, height = whole lines, margins split by the rule."""
    c = config(size=name)
    width, height = NAMED_SIZES[name]
    assert (c.page.width, c.page.height) == (f"{width:g}mm", f"{height:g}mm")
    m = c.page.margin
    measure = to_pt(c.page.width) - to_pt(m.inner) - to_pt(m.outer)
    text = to_pt(c.page.height) - to_pt(m.top) - to_pt(m.bottom)
    assert measure / 10.5 == pytest.approx(round(measure / 10.5), abs=0.01)
    assert text / 18.375 == pytest.approx(round(text / 18.375), abs=0.01)
    assert to_pt(m.outer) > to_pt(m.inner) and to_pt(m.bottom) > to_pt(m.top)


def test_the_seed_size_is_34_characters_by_30_lines():
    grid = derive_grid(to_pt("170mm"), to_pt("240mm"), 10.5, 18.375)
    assert (grid.chars, grid.lines) == (34, 30)
    css = generated_css(config(size="170x240mm"), "screen", None)  # type: ignore[arg-type]
    assert "--chars: 34;" in css and "--lines: 30;" in css


def test_sizes_by_dimensions_and_orientation():
    assert parse_size("170x240mm") == parse_size("170 × 240") == (170, 240)
    c = config(size="A5", orientation="landscape")
    assert (c.page.width, c.page.height) == ("210mm", "148mm")


def test_width_height_and_margins_as_before():
    """booklet.yaml files written before sizes had names build exactly as they did."""
    c = config(width="170mm", height="240mm",
               margin={"top": "22mm", "bottom": "23.53mm", "inner": "20mm", "outer": "24.06mm"})
    assert (c.page.width, c.page.margin.top, c.page.margin.outer) == ("170mm", "22mm", "24.06mm")


def test_unknown_size_is_a_located_error(tmp_path, capsys):
    make_project(tmp_path, FRONT + "正文。\n", config_extra="page:\n  size: A7\n")
    code = main(["build", str(tmp_path), "-q"])
    err = capsys.readouterr().err
    assert code == 2
    assert "booklet.yaml:6: page.size" in err and "大32开" in err


def test_no_style_places_anything_in_millimetres():
    """Every position and size in the shipped styles comes from the tokens."""
    from tests.conftest import ROOT

    for sheet in (ROOT / "styles").glob("*.css"):
        code = re.sub(r"/\*.*?\*/", "", sheet.read_text(encoding="utf-8"), flags=re.S)
        assert not re.search(r"\d\s*mm\b", code), sheet.name


def test_chapters_open_on_recto(tmp_path):
    """chapters.open_on: recto puts every chapter opener on an odd page."""
    import pikepdf

    from booklet.build import build

    for n in (1, 2, 3):
        make_project(tmp_path, f"---\ntitle: 第{n}章\nid: c{n}\n---\n\n正文。\n", f"0{n}.md")
    config_file = tmp_path / "seeds/booklet.yaml"
    config_file.write_text(config_file.read_text("utf-8")
                           + "chapters: {open_on: recto}\n", encoding="utf-8")
    assert load_project(tmp_path).config.open_on == "recto"
    result = build(tmp_path, out=tmp_path / "dist", edition="screen")
    pdf = next(f.path for f in result.files if f.edition == "screen")
    with pikepdf.open(pdf) as doc, doc.open_outline() as outline:
        starts = [doc.pages.index(pikepdf.Page(i.destination[0])) + 1 for i in outline.root]
    assert len(starts) == 3 and all(p % 2 == 1 for p in starts), starts


def test_print_edition_is_made_up_with_notes_pages(built):
    """Whole sheets, no two empty pages in a row: notes pages (笔记) instead."""
    import pdfplumber

    pdf = next(f.path for f in built.files if f.edition == "print")
    with pdfplumber.open(pdf) as doc:
        texts = [(p.extract_text() or "").strip() for p in doc.pages]
    assert len(texts) % 4 == 0
    assert "笔记" in texts[-2]  # the page before the back cover
    empty = [n for n, t in enumerate(texts) if not t]  # crop marks print on every page
    assert not [n for n in empty if n + 1 in empty], empty
