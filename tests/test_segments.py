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
