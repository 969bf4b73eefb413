"""Interrupted and failed builds leave the previous outputs intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from booklet.cli import main
from booklet.editions.atomic import atomic_path, write_bytes


def test_atomic_path_keeps_the_old_file_on_failure(tmp_path):
    target = tmp_path / "out.pdf"
    write_bytes(target, b"old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_bytes(b"half-writ")
        raise RuntimeError("crash while writing")
    assert target.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [target]


def _outputs(dist: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(dist.iterdir()) if p.is_file()}


def test_failed_build_keeps_previous_pdf(project_copy, capsys):
    assert main(["build", str(project_copy), "--edition", "screen", "-q"]) == 0
    before = _outputs(project_copy / "dist")
    chapter = next((project_copy / "seeds" / "chapters").glob("02-*.md"))
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n```quote\nbad: 1\n```\n",
                       encoding="utf-8")
    assert main(["build", str(project_copy), "--edition", "screen", "-q"]) == 2
    assert "quote.bad" in capsys.readouterr().err
    assert _outputs(project_copy / "dist") == before


def test_sigint_mid_build_leaves_previous_pdfs_byte_identical(project_copy):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, "-m", "booklet", "build", str(project_copy), "-q"]
    subprocess.run(cmd, check=True, env=env)
    dist = project_copy / "dist"
    before = _outputs(dist)
    assert any(name.endswith(".pdf") for name in before)
    # Change the text so that a completed rebuild would give different bytes, and make the
    # rebuild long (~40 more pages): the seed alone now builds in about a second, so the
    # signal would come after the build had finished.
    chapter = next((project_copy / "seeds" / "chapters").glob("02-*.md"))
    extra = "\n\n".join(f"第{i}段：" + "联合国继续为和平、发展与人权而努力。" * 12
                        for i in range(150))
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("联合国", "联合国 ", 1)
                       + "\n\n" + extra + "\n", encoding="utf-8")
    proc = subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE, text=True)
    time.sleep(1.2)  # past the imports, inside layout or writing
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert _outputs(dist) == before
    assert not [p for p in dist.iterdir() if p.name.endswith(".part")]
