"""The seed booklet at six page sizes: grid, fill, blank pages, layout checks and goldens.

Each size is built once (screen edition) from a copy of the seed project whose only change
is `page.size`; the PDF is read back with pdfplumber. The 170 × 240 mm booklet is the seed
itself (the session's `screen_pdf`); its goldens are tests/goldens/, the others'
tests/goldens/<size>/ (`make goldens` writes all of them).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.sizes import (
    SIZES,
    blank_pages,
    body_baselines,
    chapter_pages,
    empty_share,
    off_grid,
    seed_at,
)
from tests.visual import GOLDENS, compare_with_goldens

from booklet.content.config import load_project, to_pt


@pytest.fixture(scope="module", params=list(SIZES), ids=list(SIZES.values()))
def sized(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
          screen_pdf: Path) -> tuple[str, Path, Path]:
    """Return (size, project root, screen PDF) of the seed booklet at one page size."""
    from tests.conftest import ROOT

    from booklet.build import build

    size = request.param
    if size == "170x240mm":  # the seed itself
        return size, ROOT, screen_pdf
    root = seed_at(size, tmp_path_factory.mktemp(SIZES[size]))
    result = build(root, out=root / "dist", edition="screen")
    return size, root, next(f.path for f in result.files if f.edition == "screen")


def test_body_baselines_are_on_the_grid(sized):
    """On every page each body baseline is a whole number of lines below the first."""
    _, root, pdf = sized
    config = load_project(root).config
    body = to_pt(config.typography.body_size)
    baselines = body_baselines(pdf, body)
    assert sum(len(ys) for ys in baselines.values()) > 100  # the check cannot pass on nothing
    assert off_grid(baselines, body * config.typography.line_height) == []


def test_no_blank_page_on_screen(sized):
    """The screen edition has no blank page at all (so never two in a row, nor one before
    the back cover)."""
    _, _, pdf = sized
    assert blank_pages(pdf) == []


def test_running_pages_are_filled(sized):
    """No running page ends more than 10 % of its text block empty (a chapter's last may)."""
    size, root, pdf = sized
    config = load_project(root).config
    m = config.page.margin
    shares = empty_share(pdf, to_pt(m.top), to_pt(config.page.height) - to_pt(m.bottom))
    short = []
    for chapter in chapter_pages(pdf):
        filled = [n for n in chapter if n in shares]
        short += [(n, round(shares[n], 2)) for n in filled[:-1] if shares[n] > 0.105]
    assert short == [], (size, short)


def test_layout_check_finds_no_faults(sized):
    """`booklet check` sees no collision, nothing off the page or the grid, at every size."""
    from booklet.check.preflight import run_checks

    _, root, _ = sized
    report = run_checks(root, edition="screen")
    faults = [f for f in report.findings if f.group == "layout" and f.severity != "info"]
    assert faults == []  # underfull included


def test_pages_match_the_goldens_at_each_size(sized, tmp_path_factory):
    """The 170 × 240 pages are compared in test_visual; every other size here."""
    size, _, pdf = sized
    if size == "170x240mm":
        pytest.skip("tests/test_visual.py compares the seed itself")
    compare_with_goldens(pdf, GOLDENS / SIZES[size], tmp_path_factory)


def test_contents_fit_one_page(sized):
    """The contents never run on to a page of their own for a few entries (A5, 大32开)."""
    import pdfplumber

    _, _, pdf = sized
    with pdfplumber.open(pdf) as doc:
        contents = next(n for n, page in enumerate(doc.pages, 1)
                        if "目录" in (page.extract_text() or ""))
    assert chapter_pages(pdf)[0].start == contents + 1
