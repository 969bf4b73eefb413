"""Class: file trees with symlinks and special files (hypothesis): the gate never lets
outside text in, never blocks and always answers with a located message."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.hostile.hostile_helpers import FRONT

from booklet.content.chapters import load_booklet
from booklet.content.config import load_project
from booklet.errors import BookletError

SECRET = "SECRETMARKER"
KINDS = ["file", "outside-link", "inside-link", "loop", "self-loop", "fifo", "folder",
         "dangling", "dev-link", "dir-link-out"]


def _make(chapters: Path, outside: Path, name: str, kind: str, index: int) -> None:
    path = chapters / name
    if kind == "file":
        path.write_text(FRONT.replace("id: one", f"id: c{index}") + "正文。\n", encoding="utf-8")
    elif kind == "outside-link":
        os.symlink(outside / "secret.md", path)
    elif kind == "inside-link":
        target = chapters.parent / f"real-{index}.md"
        target.write_text(FRONT.replace("id: one", f"id: r{index}") + "文。\n", encoding="utf-8")
        os.symlink(target, path)
    elif kind == "loop":
        os.symlink(chapters / f"{name}.b", path)
        os.symlink(path, chapters / f"{name}.b")
    elif kind == "self-loop":
        os.symlink(path, path)
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "dangling":
        os.symlink(chapters / "nowhere", path)
    elif kind == "dev-link":
        os.symlink("/dev/zero", path)
    else:
        os.symlink(outside, chapters / f"dir{index}")
        os.symlink(chapters / f"dir{index}" / "secret.md", path)


@settings(max_examples=60, deadline=5000, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(KINDS), min_size=1, max_size=6))
def test_any_tree_loads_or_fails_with_located_problems(kinds):
    base = Path(tempfile.mkdtemp(prefix="booklet-tree-"))
    try:
        outside = base / "outside"
        outside.mkdir()
        (outside / "secret.md").write_text(
            FRONT.replace("第一章", SECRET).replace("id: one", "id: secret") + SECRET + "\n",
            encoding="utf-8")
        root = base / "project"
        chapters = root / "seeds" / "chapters"
        chapters.mkdir(parents=True)
        (root / "seeds" / "booklet.yaml").write_text(
            "title: 树\nslug: tree\ndate: 2024-01-01\n"
            "editions: {screen: true, print: false, imposed: false}\n", encoding="utf-8")
        for i, kind in enumerate(kinds):
            _make(chapters, outside, f"{i:02d}-{kind}.md", kind, i)
        project = load_project(root)
        try:
            booklet = load_booklet(project)
        except BookletError as exc:
            text = exc.format(root)
            assert exc.problems and all(p.file is not None and p.hint for p in exc.problems)
            assert SECRET not in text.replace(str(outside), "")
            return
        safe = {"file", "inside-link"}
        assert set(kinds) <= safe, kinds
        assert all(SECRET not in ch.meta.title for ch in booklet.chapters)
    finally:
        shutil.rmtree(base)
