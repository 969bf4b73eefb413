"""Pages drawn by forked processes give the very PDF a serial build writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from booklet.render import drawpool

ENV = {**os.environ, "BOOKLET_NO_SERVER": "1"}

# Builds the screen edition in a new process (as `booklet build` does) and prints what the
# pool did; FAULT makes the children fail in one of the ways a process can.
DRIVER = """
import json, os, signal, sys
from pathlib import Path
from booklet.build import build
from booklet.render import drawpool

seen = {}
fault = os.environ.get("FAULT", "")
end = drawpool.DrawPool.end
def spy(self):
    if self._mine is None:
        seen.update(replayed=self.replayed_here, renamed=self.renamed,
                    drawn_here=self.drawn_here, ranges=self._ranges,
                    failed=self.failed, pages=len(self.document.pages))
    end(self)
drawpool.DrawPool.end = spy
if fault == "fork":
    def no_fork():
        raise OSError("Resource temporarily unavailable")
    drawpool.os.fork = no_fork
elif fault:
    paint = drawpool.DrawPool.paint
    def broken(self, page, stream, scale, inner):
        if self._mine is not None:
            if fault == "kill":
                os.kill(os.getpid(), signal.SIGKILL)
            raise RuntimeError("drawing broke")
        paint(self, page, stream, scale, inner)
    drawpool.DrawPool.paint = broken
result = build(Path(sys.argv[1]), Path(sys.argv[2]), edition="screen", one_shot=True,
               jobs=int(sys.argv[3]))
seen["warnings"] = [w.message for w in result.warnings]
print(json.dumps(seen))
"""


def _build(project: Path, out: Path, jobs: int, fault: str = "") -> dict:
    done = subprocess.run([sys.executable, "-c", DRIVER, str(project), str(out), str(jobs)],
                          env={**ENV, "FAULT": fault}, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture()
def referring_project(project_copy: Path) -> Path:
    """The seed (figures, a footnote) with page references and notes in its last chapters."""
    chapters = project_copy / "seeds" / "chapters"
    summit = chapters / "04-summit.md"
    summit.write_text(summit.read_text(encoding="utf-8").replace(
        "## 通往未来峰会之路", "## 通往未来峰会之路 {#summit}", 1), encoding="utf-8")
    for name, extra in (("02-highlights.md", "峰会一节在[@page:sec:summit]。\n"),
                        ("04-summit.md", "另见[@page:sec:summit]。[^p1]\n\n[^p1]: 第四章的注。\n"),
                        ("05-vision.md", "峰会见[@sec:summit]，在[@page:sec:summit]。[^v1]"
                         "再议。[^v2]\n\n[^v1]: 第五章的注。\n\n[^v2]: 第五章的第二个注。\n")):
        path = chapters / name
        path.write_text(path.read_text(encoding="utf-8") + "\n" + extra, encoding="utf-8")
    return project_copy


def test_pages_drawn_in_two_and_three_processes_equal_a_serial_build(referring_project,
                                                                      tmp_path):
    serial = _build(referring_project, tmp_path / "one", 1)
    assert serial == {"warnings": serial["warnings"]}  # no pool with --jobs 1
    pdf = next((tmp_path / "one").glob("*.pdf"))
    for jobs in (2, 3):
        seen = _build(referring_project, tmp_path / str(jobs), jobs)
        assert (tmp_path / str(jobs) / pdf.name).read_bytes() == pdf.read_bytes(), jobs
        assert len(seen["ranges"]) == jobs and seen["failed"] == []
        # Most of the children's pages were replayed, not drawn again by the parent.
        theirs = seen["pages"] - seen["ranges"][0][1]
        assert seen["replayed"] + seen["drawn_here"] == theirs
        assert seen["replayed"] >= theirs * 0.7, seen
        assert seen["renamed"] > 0  # the figures' groups were renumbered, as drawing here would
        assert seen["warnings"] == serial["warnings"]
    # The page references, the footnotes and the figures are in the pages the children drew.
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    text = "".join(document[i].get_textpage().get_text_range()
                   for i in range(len(document) // 2, len(document)))
    assert "第五章的第二个注" in text and "页" in text


@pytest.mark.parametrize("fault", ["raise", "kill", "fork"])
def test_a_failing_drawing_process_leaves_the_pages_to_the_parent(referring_project, tmp_path,
                                                                  fault):
    _build(referring_project, tmp_path / "one", 1)
    seen = _build(referring_project, tmp_path / "two", 2, fault)
    pdf = next((tmp_path / "one").glob("*.pdf"))
    assert (tmp_path / "two" / pdf.name).read_bytes() == pdf.read_bytes()
    assert seen["replayed"] == 0 and len(seen["failed"]) == 1
    assert any("drawing in parallel" in w for w in seen["warnings"])


def test_split_makes_even_ranges():
    assert drawpool.split(437, 2) == [(0, 218), (218, 437)]
    assert drawpool.split(10, 3) == [(0, 3), (3, 7), (7, 10)]
    assert drawpool.split(1, 4) == [(0, 1)]


def test_counted_resources_are_renamed_as_drawing_here_would_name_them():
    resources = {"ExtGState": {"a1.0": 1, "s1": 2}, "XObject": {"x0": 3, "i9f0": None},
                 "Pattern": {}, "Shading": {}}
    # The child had no resources when it drew the page, and made a state and two groups.
    added = [[("a1.0", 1), ("s1", 5)], [("x0", 6), ("i9f0", None), ("x2", 7)], [], []]
    renames = drawpool._renames(((), (), (), ()), added, resources)
    assert renames == {("ExtGState", "s1"): "s2", ("XObject", "x0"): "x2",
                       ("XObject", "x2"): "x3"}
    ops = b"q\n/s1 gs\n/x0 Do\n/i9f0 Do\n1 0 0 /x2 Do\n[<0012>] TJ"
    assert drawpool._renamed(ops, renames) == \
        b"q\n/s2 gs\n/x2 Do\n/i9f0 Do\n1 0 0 /x3 Do\n[<0012>] TJ"
    # A by-value resource the child had before the page and the parent lacks: draw here.
    assert drawpool._renames((("a0.5",), (), (), ()), [[], [], [], []], resources) is None


def test_the_default_jobs_leave_short_booklets_to_one_process(monkeypatch):
    from types import SimpleNamespace

    from booklet import build
    from booklet.editions import parallel

    monkeypatch.setattr(parallel, "usable_cores", lambda: 4)

    def pool(pages: int, jobs: int | None, side: object = None, one_shot: bool = True):
        screen = SimpleNamespace(document=SimpleNamespace(pages=[None] * pages), replay=None)
        made = build._draw_pool({"screen": screen}, ("screen",), one_shot, jobs, side)
        return made and made.jobs

    assert pool(21, None) is None  # the seed: drawing costs about what a fork does
    assert pool(437, None) == 4 and pool(100, None) == 3
    assert pool(21, 2) == 2  # asked for: done
    assert pool(437, 2, side=object()) is None  # the print side has the second core
    assert pool(437, 4, one_shot=False) is None  # watch, server: never forked
    assert pool(437, 1) is None
