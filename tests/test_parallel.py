"""The print side laid out in a forked process gives the same files as a serial build."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from booklet.editions import parallel
from booklet.errors import ContentError, RenderError

ENV = {**os.environ, "BOOKLET_NO_SERVER": "1"}


def _build(project: Path, out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "booklet", "build", str(project), "--out",
                           str(out), "-q", *args], env=ENV, capture_output=True, text=True,
                          timeout=600)


def test_parallel_editions_equal_serial_ones_byte_for_byte(project_copy, tmp_path):
    serial = _build(project_copy, tmp_path / "serial", "--jobs", "1")
    forked = _build(project_copy, tmp_path / "forked", "--jobs", "2")
    assert serial.returncode == 0, serial.stderr
    assert forked.returncode == 0, forked.stderr
    pdfs = sorted(p.name for p in (tmp_path / "serial").glob("*.pdf"))
    assert len(pdfs) == 3  # screen, print, imposed
    assert sorted(p.name for p in (tmp_path / "forked").glob("*.pdf")) == pdfs
    for name in pdfs:
        assert (tmp_path / "serial" / name).read_bytes() == \
            (tmp_path / "forked" / name).read_bytes(), name
    reports = [json.loads(next((tmp_path / d).glob("*.report.json")).read_text("utf-8"))
               for d in ("serial", "forked")]
    # Same editions in the same order, same warnings; the forked build says it overlapped.
    assert [e["edition"] for e in reports[1]["editions"]] == ["screen", "print", "imposed"]
    assert [(e["edition"], e["pages"], e["bytes"], e["fonts"]) for e in reports[0]["editions"]] \
        == [(e["edition"], e["pages"], e["bytes"], e["fonts"]) for e in reports[1]["editions"]]
    assert reports[0]["warnings"] == reports[1]["warnings"]
    # The seed's print edition is made up with notes pages; the forked side says so too.
    assert reports[0]["notes"] == reports[1]["notes"]
    assert any("notes pages added" in n for n in reports[1]["notes"])
    assert "parallel-render-print" in reports[1]["timings"]
    assert "parallel-render-print" not in reports[0]["timings"]
    assert reports[1]["editions"][1]["seconds"]["layout"] > 0


def _side(monkeypatch: pytest.MonkeyPatch, job) -> parallel.PrintSide:
    monkeypatch.setattr(parallel, "_print_side", job)
    return parallel.fork_print_side(None, None, None, None, Path("."), ("print",))  # type: ignore[arg-type]


def test_an_error_in_the_child_is_raised_in_the_parent(monkeypatch):
    def fail(*_):
        raise ContentError("chapter 3 is broken")

    with pytest.raises(ContentError, match="chapter 3 is broken"):
        _side(monkeypatch, fail).result()


def test_an_unexpected_error_becomes_a_render_error(monkeypatch):
    def crash(*_):
        raise ZeroDivisionError("boom")

    with pytest.raises(RenderError, match="ZeroDivisionError: boom"):
        _side(monkeypatch, crash).result()


def test_a_child_that_dies_is_reported_not_waited_for(monkeypatch):
    def die(*_):
        os._exit(3)

    with pytest.raises(RenderError, match="ended without a result"):
        _side(monkeypatch, die).result()


def test_a_result_crosses_the_pipe(monkeypatch):
    big = b"%PDF" + os.urandom(3 << 20)  # larger than a pipe's buffer

    def ok(*_):
        return parallel.SideResult(contents={"x-print.pdf": big}, layout_seconds=1.5)

    got = _side(monkeypatch, ok).result()
    assert got.contents["x-print.pdf"] == big and got.layout_seconds == 1.5


def test_jobs_default_to_the_usable_cores():
    assert parallel.jobs_wanted(None) == parallel.usable_cores() >= 1
    assert parallel.jobs_wanted(3) == 3
