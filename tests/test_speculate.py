"""A watch rebuild lays a chapter out with its last figure moves while a child checks them."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.test_replay import PDF, _chapter, _replace, _same_as_clean

from booklet.compose.floats import Move
from booklet.render import floats, speculate
from booklet.tools.watch import Rebuilder


@pytest.fixture(autouse=True)
def _idle_machine(monkeypatch):
    """Guess whatever the machine's load (on a busy one the parent plans by itself)."""
    monkeypatch.setattr(speculate, "idle_core", lambda: True)


def _edit_introduction(root: Path) -> Path:
    chapter = _chapter(root, "01")
    _replace(chapter, "人类经受了", "人类又经受了")  # bench/run.py's one-sentence edit
    return chapter


def test_a_right_guess_is_kept_and_equals_a_clean_build(project_copy):
    rebuilder = Rebuilder(project_copy)
    assert rebuilder.rebuild().ok
    segmenter = rebuilder.session.segmenter
    assert segmenter.moves["introduction"]  # the seed's first chapter floats figures
    outcome = rebuilder.rebuild([_edit_introduction(project_copy)])
    assert outcome.ok, outcome.error
    assert segmenter.guesses == {"kept": 1, "wrong": 0}
    _same_as_clean(project_copy, project_copy / "dist" / PDF, rebuilder)


def test_a_wrong_guess_is_laid_out_again_with_the_plan(project_copy):
    rebuilder = Rebuilder(project_copy)
    assert rebuilder.rebuild().ok
    segmenter = rebuilder.session.segmenter
    planned = segmenter.moves["introduction"]
    wrong = [Move("introduction", m.node, m.paragraphs + 1) for m in planned]
    segmenter.moves["introduction"] = wrong
    outcome = rebuilder.rebuild([_edit_introduction(project_copy)])
    assert outcome.ok, outcome.error
    assert segmenter.guesses == {"kept": 0, "wrong": 1}
    assert segmenter.moves["introduction"] != wrong
    _same_as_clean(project_copy, project_copy / "dist" / PDF, rebuilder)


def test_a_failed_child_leaves_the_planning_to_the_parent(project_copy, monkeypatch):
    rebuilder = Rebuilder(project_copy)
    assert rebuilder.rebuild().ok
    segmenter = rebuilder.session.segmenter

    def broken(document):  # the child imports it from render.floats; segments has its own
        raise RuntimeError("the child fails")

    monkeypatch.setattr(floats, "plan_moves", broken)
    outcome = rebuilder.rebuild([_edit_introduction(project_copy)])
    monkeypatch.undo()
    assert outcome.ok, outcome.error
    assert segmenter.guesses == {"kept": 0, "wrong": 0}
    _same_as_clean(project_copy, project_copy / "dist" / PDF, rebuilder)


def test_no_guess_on_a_busy_machine(project_copy, monkeypatch):
    monkeypatch.setattr(speculate, "idle_core", lambda: False)
    rebuilder = Rebuilder(project_copy)
    assert rebuilder.rebuild().ok
    outcome = rebuilder.rebuild([_edit_introduction(project_copy)])
    assert outcome.ok, outcome.error
    assert rebuilder.session.segmenter.guesses == {"kept": 0, "wrong": 0}
    assert speculate.plan_elsewhere(None, None) is None


def test_idle_core_reads_the_runnable_tasks():
    assert isinstance(speculate.idle_core(), bool)
