"""Class: watch wedged or looping: it ignores its own outputs and recovers from any failure."""

from __future__ import annotations

import time

from tests.hostile.hostile_helpers import project

from booklet.tools.watch import Rebuilder, outputs_filter


def test_outputs_inside_watched_folders_are_ignored(tmp_path):
    root = project(tmp_path / "p")
    out = root / "seeds" / "out"
    keep = outputs_filter(out)
    assert not keep(None, str(out / "test-booklet.pdf"))
    assert not keep(None, str(out / ".editions" / "g-1" / "test-booklet.pdf"))
    assert not keep(None, str(root / "dist" / ".editions" / "g-2" / "test-booklet.pdf"))
    assert keep(None, str(root / "seeds" / "chapters" / "01-test.md"))


def test_out_holding_the_project_ignores_only_the_outputs(tmp_path):
    root = project(tmp_path / "p")
    keep = outputs_filter(root, root)  # booklet watch --out .
    assert not keep(None, str(root / "test-booklet.pdf"))
    assert not keep(None, str(root / ".editions" / "g-1" / "test-booklet.pdf"))
    assert keep(None, str(root / "seeds" / "chapters" / "01-test.md"))


def test_out_inside_seeds_does_not_rebuild_for_ever(tmp_path):
    import threading

    from booklet.tools.watch import watch

    root = project(tmp_path / "p")
    lines: list[str] = []
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(root, root / "seeds" / "out"),
                              kwargs={"echo": lines.append, "stop": stop, "print_after": 3600},
                              daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not any("rebuilt" in line or "failed" in line for line in lines):
        assert time.monotonic() < deadline
        time.sleep(0.2)
    time.sleep(3)  # a watcher seeing its own outputs would have started a second build
    stop.set()
    thread.join(timeout=30)
    builds = [line for line in lines if "rebuilt" in line or "failed" in line]
    assert len(builds) == 1, lines
    assert "rebuilt" in builds[0], lines


def test_rebuilder_recovers_after_an_alias_bomb(tmp_path):
    from tests.hostile.test_hostile_yaml import LAUGHS

    root = project(tmp_path / "p")
    rebuilder = Rebuilder(root)
    assert rebuilder.rebuild().ok
    chapter = root / "seeds" / "chapters" / "01-test.md"
    good = chapter.read_text(encoding="utf-8")
    chapter.write_text(good.replace("id: one\n", "id: one\n" + LAUGHS), encoding="utf-8")
    start = time.perf_counter()
    failed = rebuilder.rebuild([chapter])
    assert not failed.ok and "alias bomb" in failed.error
    assert time.perf_counter() - start < 10
    chapter.write_text(good.replace("正文", "新的正文"), encoding="utf-8")
    assert rebuilder.rebuild([chapter]).ok
