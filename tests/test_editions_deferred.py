"""A watch rebuild's screen PDF is linearised while the watcher is idle, atomically."""

from __future__ import annotations

import json
from pathlib import Path

import pikepdf

from booklet.build import build
from booklet.editions import publish
from booklet.editions.pdfinfo import pdf_fonts
from booklet.tools.watch import Rebuilder

PDF = "sg-report-2023-highlights.pdf"
REPORT = "sg-report-2023-highlights.report.json"


def _edit(root: Path) -> Path:
    chapter = next((root / "seeds" / "chapters").glob("02-*.md"))
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("多亿人", "多亿人们", 1),
                       encoding="utf-8")
    return chapter


def test_idle_linearises_in_place_and_readers_see_whole_files_only(project_copy, monkeypatch):
    rebuilder = Rebuilder(project_copy)
    assert rebuilder.rebuild().ok
    assert rebuilder.idle()
    outcome = rebuilder.rebuild([_edit(project_copy)])
    assert outcome.ok, outcome.error
    path = project_copy / "dist" / PDF
    unfinished = path.read_bytes()
    with pikepdf.open(path) as pdf:
        assert not pdf.is_linearized and pdf.Root.PageLayout == "/TwoPageRight"
        pages = len(pdf.pages)
    assert pages == outcome.pages
    # The report's fonts were read from the document pydyf wrote, not from the bytes: the same.
    files = rebuilder.session.unfinished.result.files
    assert files[0].fonts == tuple(pdf_fonts(unfinished)) and len(files[0].fonts) > 2

    seen: list[bytes] = []

    def look(step: str) -> None:  # at every step of the idle publish, as a reader would
        data = path.read_bytes()
        with pikepdf.open(path) as pdf:
            assert len(pdf.pages) == pages, step
        seen.append(data)

    monkeypatch.setattr(publish, "_checkpoint", look)
    assert rebuilder.idle()
    monkeypatch.undo()
    finished = path.read_bytes()
    assert seen and set(seen) <= {unfinished, finished} and unfinished in seen
    with pikepdf.open(path) as pdf:
        assert pdf.is_linearized
    report = json.loads((project_copy / "dist" / REPORT).read_text(encoding="utf-8"))
    assert report["editions"][0]["bytes"] == len(finished)
    assert report["editions"][0]["file"] == f"dist/{PDF}"
    assert not rebuilder.idle()  # nothing left to finish

    build(project_copy, project_copy / "clean", "screen")
    assert finished == (project_copy / "clean" / PDF).read_bytes()


def test_idle_never_replaces_what_a_later_build_published(project_copy):
    rebuilder = Rebuilder(project_copy)
    assert rebuilder.rebuild().ok
    assert rebuilder.session.unfinished is not None
    _edit(project_copy)
    build(project_copy, None, "screen")  # e.g. `booklet build --no-server` into the same dist/
    newer = (project_copy / "dist" / PDF).read_bytes()
    assert not rebuilder.idle()
    assert (project_copy / "dist" / PDF).read_bytes() == newer


def test_the_server_and_clean_builds_finish_at_once(project_copy):
    build(project_copy, None, "screen")
    with pikepdf.open(project_copy / "dist" / PDF) as pdf:
        assert pdf.is_linearized
