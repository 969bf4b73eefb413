"""`booklet watch` names the writer's changed files, not her editor's temporary ones."""

from __future__ import annotations

from pathlib import Path

from booklet.tools.watch import Outcome
from booklet.tools.watchnames import changed_names, is_editor_temp


def test_editor_temp_files_are_left_out():
    paths = [Path("seeds/chapters/02-harvest.md"), Path("seeds/chapters/sediJ9zXB"),
             Path("seeds/chapters/.02-harvest.md.swp"), Path("seeds/chapters/02-harvest.md~"),
             Path("seeds/chapters/#02-harvest.md#"), Path("styles/4913"),
             Path("figures/bars.py"), Path("seeds/data/harvest.yaml")]
    assert changed_names(paths) == ["02-harvest.md", "bars.py", "harvest.yaml"]
    assert is_editor_temp("sedAb12Cd") and not is_editor_temp("sed.md")


def test_failed_rebuild_line_starts_its_error_with_error():
    line = Outcome(False, 0.03, "screen", error="1 problem(s) in the content").line()
    assert line.splitlines()[1] == "error: 1 problem(s) in the content"


def test_rebuild_labels(project_copy):
    from booklet.tools.watch import Rebuilder

    rebuilder = Rebuilder(project_copy)
    assert "first build" in rebuilder.rebuild().redone
    again = rebuilder.rebuild([project_copy / "seeds" / "chapters" / "sedXy12Zq"])
    assert again.ok and "full build" not in again.redone
    assert again.redone.startswith("no project file changed; 0 chapter(s) parsed")
