"""Incremental layout (watch): parts laid out alone and merged equal the one-document layout."""

from __future__ import annotations

import io

import pypdfium2 as pdfium

from booklet.content.chapters import load_booklet
from booklet.content.config import load_project
from booklet.figures.draw import draw_figures
from booklet.render.floats import render_floating
from booklet.render.segments import Segmenter


def _texts(document) -> list[str]:
    pdf = pdfium.PdfDocument(io.BytesIO(document.write_pdf()))
    return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]


def test_merged_parts_equal_the_full_layout_and_only_edits_are_relaid(project_copy):
    project = load_project(project_copy)
    booklet = load_booklet(project)
    figures = draw_figures(booklet.charts, booklet.qrs, project)
    full, moves = render_floating(booklet, figures, "screen", project)
    assert moves  # the seed has figures to float: the parts must float them the same way
    segmenter = Segmenter()
    merged = segmenter.render(booklet, figures, project)
    # Page for page the same text: folios, running heads, contents numbers, footnotes.
    assert _texts(merged.document) == _texts(full.document)
    assert [len(p.anchors) for p in merged.document.pages] == \
        [len(p.anchors) for p in full.document.pages]

    again = segmenter.render(booklet, figures, project)
    assert segmenter.relaid == [] and len(again.document.pages) == len(full.document.pages)

    chapter = next((project_copy / "seeds" / "chapters").glob("05-*.md"))
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("联合国2.0", "联合国 2.0", 1),
                       encoding="utf-8")
    edited = load_booklet(project)
    segmenter.render(edited, figures, project)
    assert segmenter.relaid == ["vision"]


def test_relaid_chapters_spliced_equal_a_whole_relayout(tmp_path):
    """At A5 the moves change a chapter's page count and the contents' numbers: the chapters
    laid out again (and the ones after, and the contents) equal one whole layout."""
    from tests.sizes import seed_at

    from booklet.compose.floats import apply_moves
    from booklet.compose.html import compose
    from booklet.render import floats
    from booklet.render.fill import justify_pages
    from booklet.render.layout import render

    project = load_project(seed_at("A5", tmp_path))
    booklet = load_booklet(project)
    figures = draw_figures(booklet.charts, booklet.qrs, project)
    first = render(compose(booklet, figures, "screen"), project)
    moves = floats.plan_moves(first.document)
    floated = apply_moves(booklet, moves)
    whole = render(compose(floated, figures, "screen"), project)
    spliced = floats.relayout_chapters(first, floated, {m.chapter for m in moves}, figures,
                                       "screen", project)
    assert spliced is not None  # no whole relayout
    assert floats._chapter_pages(whole.document) != floats._chapter_pages(first.document)
    justify_pages(whole.document)
    justify_pages(spliced.document)
    assert _texts(spliced.document) == _texts(whole.document)
