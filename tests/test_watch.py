"""`booklet watch`: rebuild on change, survive a failure, keep the last good PDF."""

from __future__ import annotations

import queue
import threading
import time
from pathlib import Path

from booklet.tools.watch import Rebuilder, watch


def _pdf(root: Path) -> Path:
    return root / "dist" / "sg-report-2023-highlights.pdf"


def _finished(path: Path, timeout: float = 30) -> bool:
    """Return whether *path* becomes the linearised (finished) PDF while watch is idle."""
    import pikepdf

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with pikepdf.open(path) as pdf:
            if pdf.is_linearized:
                return True
        time.sleep(0.1)
    return False


def test_rebuilder_reparses_only_the_changed_chapter(project_copy):
    rebuilder = Rebuilder(project_copy)
    first = rebuilder.rebuild()
    assert first.ok and first.pages > 16
    assert "5 chapter(s) parsed" in first.redone
    chapter = next((project_copy / "seeds" / "chapters").glob("02-*.md"))
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("多亿人", "多亿人们"),
                       encoding="utf-8")
    second = rebuilder.rebuild([chapter])
    assert second.ok, second.error
    assert "changed: 02-highlights.md; 1 chapter(s) parsed; 0 figure(s) drawn" in second.redone


def test_watch_rebuilds_on_change_and_survives_a_failure(project_copy):
    lines: queue.Queue[str] = queue.Queue()
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(project_copy,),
                              kwargs={"echo": lines.put, "stop": stop, "print_after": 3600},
                              daemon=True)
    thread.start()

    def next_build(timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = lines.get(timeout=deadline - time.monotonic())
            if "rebuilt" in line or "failed" in line:
                return line
        raise AssertionError("no rebuild")

    try:
        assert next_build().split(" ", 1)[1].startswith("rebuilt screen")
        assert _finished(_pdf(project_copy))  # linearised in place once idle
        good = _pdf(project_copy).read_bytes()
        chapter = next((project_copy / "seeds" / "chapters").glob("02-*.md"))
        text = chapter.read_text(encoding="utf-8")

        chapter.write_text(text + "\n```quote\ntext: 引文\n```\n", encoding="utf-8")
        failed = next_build()
        assert "build failed" in failed and "02-highlights.md" in failed
        assert "quote.name: this required key is missing" in failed
        assert _pdf(project_copy).read_bytes() == good

        chapter.write_text(text.replace("多亿人", "多亿人们"), encoding="utf-8")
        rebuilt = next_build()
        assert "rebuilt screen" in rebuilt and "02-highlights.md" in rebuilt
        assert _pdf(project_copy).read_bytes() != good
        assert _finished(_pdf(project_copy))
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
