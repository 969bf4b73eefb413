"""Class: lost PDFs. A fault at any step of publishing leaves the complete old or new set."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from booklet.cli import main
from booklet.editions import publish as pub

OLD = {"b.pdf": b"old screen", "b-print.pdf": b"old print", "b.report.json": b"{old}"}
NEW = {"b.pdf": b"new screen", "b-print.pdf": b"new print", "b-imposed.pdf": b"new imposed",
       "b.report.json": b"{new}"}
NAMES = sorted({*OLD, *NEW})


def visible(out: Path) -> dict[str, bytes]:
    """Return what a reader of the output folder sees under the published names."""
    return {n: (out / n).read_bytes() for n in NAMES if (out / n).is_file()}


def assert_whole(out: Path) -> str:
    """Assert the folder shows exactly the old set or exactly the new set; say which."""
    seen = visible(out)
    if seen == OLD:
        return "old"
    assert seen == {**OLD, **NEW}, seen
    return "new"


def seed(out: Path, plain: bool) -> None:
    """Put the old set in place: published by booklet, or plain files of an older booklet."""
    if plain:
        out.mkdir(parents=True)
        for name, data in OLD.items():
            (out / name).write_bytes(data)
    else:
        pub.publish(out, OLD)


def count_steps(tmp_path: Path, plain: bool) -> int:
    """Return how many disk-changing steps one publish takes."""
    out = tmp_path / "count"
    seed(out, plain)
    steps: list[str] = []
    original = pub._checkpoint
    pub._checkpoint = steps.append
    try:
        pub.publish(out, NEW)
    finally:
        pub._checkpoint = original
    return len(steps)


@pytest.mark.parametrize("plain", [False, True], ids=["published", "older-plain-files"])
def test_every_step_shows_a_whole_set(tmp_path, monkeypatch, plain):
    out = tmp_path / "dist"
    seed(out, plain)
    states: list[str] = []
    monkeypatch.setattr(pub, "_checkpoint", lambda step: states.append(assert_whole(out)))
    pub.publish(out, NEW)
    assert assert_whole(out) == "new"
    assert states[0] == "old" and states[-1] == "old"  # the switch is the last step


@pytest.mark.parametrize("fault", ["enospc", "eacces", "interrupt"])
@pytest.mark.parametrize("plain", [False, True], ids=["published", "older-plain-files"])
def test_fault_at_every_step_leaves_old_or_new(tmp_path, monkeypatch, fault, plain):
    steps = count_steps(tmp_path, plain)
    assert steps >= 8
    for n in range(steps):
        out = tmp_path / f"dist-{n}"
        seed(out, plain)
        calls = iter(range(10_000))

        def inject(step: str, n: int = n, calls=calls) -> None:
            if next(calls) == n:
                if fault == "interrupt":
                    raise KeyboardInterrupt
                code = errno.ENOSPC if fault == "enospc" else errno.EACCES
                raise OSError(code, os.strerror(code), step)

        monkeypatch.setattr(pub, "_checkpoint", inject)
        expected = (KeyboardInterrupt,) if fault == "interrupt" else (pub.OutputError,)
        with pytest.raises(expected) as info:
            pub.publish(out, NEW)
        assert assert_whole(out) == "old", f"step {n}"
        if fault != "interrupt":
            message = info.value.format()
            assert "unchanged" in message and "--out" in message and "fix:" in message
        monkeypatch.setattr(pub, "_checkpoint", lambda step: None)
        pub.publish(out, NEW)  # the next build succeeds and cleans up
        assert assert_whole(out) == "new"
        leftovers = sorted(p.name for p in (out / pub.STORE).iterdir())
        assert len(leftovers) == 3 and {"current", "lock"} <= set(leftovers), leftovers


_KILL_SCRIPT = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from booklet.editions import publish as pub
    n = int(sys.argv[2]); calls = iter(range(10_000))
    def kill(step):
        if next(calls) == n:
            os.kill(os.getpid(), signal.SIGKILL)
    pub._checkpoint = kill
    pub.publish(Path(sys.argv[1]), {NEW!r})
""").replace("{NEW!r}", repr(NEW))


@pytest.mark.parametrize("plain", [False, True], ids=["published", "older-plain-files"])
def test_sigkill_at_every_step_leaves_old_or_new(tmp_path, plain):
    steps = count_steps(tmp_path, plain)
    for n in range(steps + 1):
        out = tmp_path / f"dist-{n}"
        seed(out, plain)
        proc = subprocess.run([sys.executable, "-c", _KILL_SCRIPT, str(out), str(n)],
                              capture_output=True, text=True, timeout=60)
        assert_whole(out)
        if n < steps:
            assert proc.returncode == -signal.SIGKILL, proc.stderr
            assert assert_whole(out) == "old", f"killed at step {n}"
        pub.publish(out, NEW)
        assert assert_whole(out) == "new"
        assert len(list((out / pub.STORE).iterdir())) == 3  # lock, current, one generation


def test_out_is_a_file_or_read_only(tmp_path, capsys):
    from tests.conftest import make_project

    root = make_project(tmp_path / "p", "---\ntitle: 一\nid: one\n---\n\n正文。\n")
    target = tmp_path / "file.pdf"
    target.write_bytes(b"x")
    assert main(["build", str(root), "--out", str(target), "-q"]) == 2
    err = capsys.readouterr().err
    assert "--out" in err and "not a folder" in err and "internal error" not in err
    if os.geteuid() == 0:
        pytest.skip("root can write to read-only folders")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        assert main(["build", str(root), "--out", str(locked), "-q"]) == 2
    finally:
        locked.chmod(0o700)
    err = capsys.readouterr().err
    assert "--out" in err and "writable" in err and "internal error" not in err


def test_unwritable_out_is_said_before_any_work(tmp_path, monkeypatch, capsys):
    from tests.conftest import make_project

    root = make_project(tmp_path / "p", "---\ntitle: 一\nid: one\n---\n\n正文。\n")
    real_mkdir = Path.mkdir

    def refuse(self: Path, *args: object, **kwargs: object) -> None:
        if "locked" in self.parts:
            raise PermissionError(13, "Permission denied", str(self))
        real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", refuse)
    assert main(["build", str(root), "--out", str(tmp_path / "locked" / "out"), "-q"]) == 2
    err = capsys.readouterr().err
    assert "--out" in err and "Permission denied" in err and "writable" in err
    assert "internal error" not in err


_BUILD_SCRIPT = textwrap.dedent("""
    import os, signal, sys
    from booklet.editions import publish as pub
    from booklet.cli import main
    action, at = sys.argv[2], sys.argv[3]
    def fault(step):
        if step.startswith(at):
            os.kill(os.getpid(), signal.SIGKILL if action == "kill" else signal.SIGINT)
    pub._checkpoint = fault
    sys.exit(main(["build", sys.argv[1], "-q"]))
""")


@pytest.mark.parametrize("action,at", [("kill", "rename current"), ("int", "write"),
                                       ("int", "mkdir")])
def test_real_build_killed_while_publishing(project_copy, action, at):
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    dist = project_copy / "dist"
    assert main(["build", str(project_copy), "-q"]) == 0
    before = {p.name: p.read_bytes() for p in dist.iterdir() if p.is_file()}
    chapter = next((project_copy / "seeds" / "chapters").glob("02-*.md"))
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("联合国", "联合国 ", 1),
                       encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", _BUILD_SCRIPT, str(project_copy), action, at],
                          capture_output=True, text=True, timeout=300, env=env)
    if action == "kill":
        assert proc.returncode == -signal.SIGKILL
    else:
        assert proc.returncode == 130, proc.stderr
        assert "previous files" in proc.stderr and "unchanged" in proc.stderr
        assert "Traceback" not in proc.stderr
    assert {p.name: p.read_bytes() for p in dist.iterdir() if p.is_file()} == before


def test_interrupt_after_the_switch_says_the_new_set_is_published(tmp_path, monkeypatch,
                                                                  capsys):
    from tests.conftest import make_project

    root = make_project(tmp_path / "p", "---\ntitle: 一\nid: one\n---\n\n正文。\n")
    original = pub.cleanup

    def interrupted(out: Path) -> None:
        if pub.last_outcome()[0]:
            raise KeyboardInterrupt
        original(out)

    monkeypatch.setattr(pub, "cleanup", interrupted)
    assert main(["build", str(root), "-q"]) == 130
    err = capsys.readouterr().err
    assert "interrupted: the new editions were already published" in err
    assert (root / "dist" / "test-booklet.pdf").read_bytes().startswith(b"%PDF")


def test_viewers_watching_a_name_see_the_rebuild(tmp_path):
    import threading
    import time

    import watchfiles

    out = tmp_path / "dist"
    pub.publish(out, OLD)

    def publish_soon() -> None:
        time.sleep(0.5)
        pub.publish(out, NEW)

    thread = threading.Thread(target=publish_soon)
    thread.start()
    changes = next(iter(watchfiles.watch(out, rust_timeout=5000, yield_on_timeout=True,
                                         recursive=False)))
    thread.join()
    assert any(path.endswith("/b.pdf") for _, path in changes), changes
