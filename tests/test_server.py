"""`booklet serve`: builds handed to a warm process equal clean builds, one at a time, safely."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from tests.conftest import make_project

from booklet.cli import main
from booklet.tools.client import plain_build
from booklet.tools.server import ping, request_build, socket_path, stop_server

PARAGRAPH = "过去一年，人类经受了各方面的考验，危机与挑战使人们希望且需要的更美好未来更加遥不可及。"


@pytest.fixture()
def serve(tmp_path: Path) -> Iterator[callable]:
    """Start `booklet serve` for a project in a new process; stop it after the test."""
    started: list[tuple[Path, subprocess.Popen[bytes]]] = []

    def start(root: Path) -> subprocess.Popen[bytes]:
        log = (tmp_path / "serve.log").open("wb")
        proc = subprocess.Popen([sys.executable, "-m", "booklet", "serve", str(root)],
                                stdout=log, stderr=subprocess.STDOUT)
        started.append((root, proc))
        deadline = time.monotonic() + 60
        while not ping(root):
            assert proc.poll() is None, (tmp_path / "serve.log").read_text()
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)
        return proc

    yield start
    for root, proc in started:
        if proc.poll() is None:
            stop_server(root)
            assert proc.wait(timeout=30) == 0  # stops cleanly
        assert not socket_path(root).exists()


def page_texts(pdf: Path) -> list[str]:
    document = pdfium.PdfDocument(pdf.read_bytes())
    return [document[i].get_textpage().get_text_range() for i in range(len(document))]


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _chapter(paragraphs: int) -> str:
    body = "\n\n".join(f"{PARAGRAPH}第{n}段。" for n in range(paragraphs))
    return f"---\ntitle: 第一章\nid: one\n---\n\n## 开篇\n\n{body}\n"


def _clean_build(root: Path, out: Path) -> bytes:
    assert main(["build", str(root), "--out", str(out), "--edition", "screen", "-q",
                 "--no-server"]) == 0
    return next(out.glob("*.pdf")).read_bytes()


def test_server_build_equals_a_clean_build_and_sees_every_edit(project_copy, tmp_path, serve):
    serve(project_copy)
    pdf = project_copy / "dist" / "sg-report-2023-highlights.pdf"
    reply = request_build(project_copy, None, "screen")
    assert reply is not None and reply["ok"] and not reply.get("unchanged")
    assert pdf.read_bytes() == _clean_build(project_copy, tmp_path / "clean")
    again = request_build(project_copy, None, "screen")
    assert again is not None and again.get("unchanged")  # nothing changed: answered at once

    # An edit that keeps the file's size and modification time is still seen: the server
    # compares contents, not stamps.
    chapter = next((project_copy / "seeds" / "chapters").glob("02-*.md"))
    text, stat = chapter.read_text(encoding="utf-8"), chapter.stat()
    edited = text.replace("多亿人", "多亿囗", 1)
    assert edited != text and len(edited.encode()) == len(text.encode())
    chapter.write_text(edited, encoding="utf-8")
    os.utime(chapter, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert main(["build", str(project_copy), "-q"]) == 0  # every edition, via the server
    assert any("多亿囗" in page for page in page_texts(pdf))
    clean = tmp_path / "clean-edited"
    assert main(["build", str(project_copy), "--out", str(clean), "-q", "--no-server"]) == 0
    names = sorted(p.name for p in clean.glob("*.pdf"))
    assert len(names) == 3  # screen, print, imposed: each byte-identical to the clean build
    for name in names:
        assert (project_copy / "dist" / name).read_bytes() == (clean / name).read_bytes(), name


def test_two_concurrent_clients_are_served_one_after_the_other(tmp_path, serve):
    root = make_project(tmp_path / "p", _chapter(12))
    serve(root)
    replies: list[dict | None] = [None, None]

    def client(i: int) -> None:
        out = tmp_path / f"out{i}"
        replies[i] = request_build(root, out, "screen")

    threads = [threading.Thread(target=client, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert all(r is not None and r["ok"] for r in replies), replies
    clean = _clean_build(root, tmp_path / "clean")
    assert (tmp_path / "out0" / "test-booklet.pdf").read_bytes() == clean
    assert (tmp_path / "out1" / "test-booklet.pdf").read_bytes() == clean
    # The server answered both, one build after the other (a single accepting thread).
    log = (tmp_path / "serve.log").read_text()
    assert log.count("built screen") == 2, log


def test_a_server_killed_mid_build_leaves_the_last_good_pdf(tmp_path, serve):
    root = make_project(tmp_path / "p", _chapter(600))
    proc = serve(root)
    first = request_build(root, None, "screen")
    assert first is not None and first["ok"]
    pdf = root / "dist" / "test-booklet.pdf"
    good = pdf.read_bytes()

    chapter = root / "seeds" / "chapters" / "01-test.md"
    chapter.write_text(_chapter(600).replace("第一章", "第二章"), encoding="utf-8")
    result: list[dict | None] = []
    thread = threading.Thread(target=lambda: result.append(request_build(root, None, "screen")))
    thread.start()
    busy = _cpu_seconds(proc.pid) + 0.3
    while _cpu_seconds(proc.pid) < busy:  # the server is 0.3 s into the build (~2 s)
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    thread.join(timeout=30)
    assert result == [None]  # the client learns that no server took the build
    assert pdf.read_bytes() == good
    assert socket_path(root).exists()  # a stale socket: the next build must not hang on it
    assert main(["build", str(root), "--edition", "screen", "-q"]) == 0  # falls back in-process
    assert pdf.read_bytes() != good and any("第二章" in t for t in page_texts(pdf))
    socket_path(root).unlink()


def test_a_bad_input_is_reported_by_the_server_with_its_location(tmp_path, serve, capsys):
    root = make_project(tmp_path / "p", _chapter(3))
    serve(root)
    (root / "seeds" / "chapters" / "01-test.md").write_text("---\ntitle: [\n---\n",
                                                             encoding="utf-8")
    assert main(["build", str(root), "-q"]) == 2
    assert "01-test.md" in capsys.readouterr().err


def test_the_entry_point_sends_only_plain_builds_to_the_server():
    assert plain_build(["build"]) == {"project": ".", "out": None, "edition": "all",
                                      "verbose": False, "quiet": False}
    assert plain_build(["build", "p", "--out=d", "--edition", "print", "-v"]) == {
        "project": "p", "out": "d", "edition": "print", "verbose": True, "quiet": False}
    for other in (["check"], ["build", "--help"], ["build", "--no-server"], ["build", "-vq"],
                  ["build", "--edition", "nope"], ["build", "a", "b"], ["--debug", "build"]):
        assert plain_build(other) is None, other


def test_the_booklet_command_is_answered_by_the_server(tmp_path, serve):
    root = make_project(tmp_path / "p", _chapter(3))
    serve(root)
    env = {k: v for k, v in os.environ.items() if k != "BOOKLET_NO_SERVER"}
    for _ in range(2):
        done = subprocess.run([sys.executable, "-m", "booklet", "build", str(root),
                               "--edition", "screen"], capture_output=True, text=True,
                              env=env, check=True)
        assert "(build server)" in done.stdout and "test-booklet.pdf" in done.stdout
    assert "unchanged screen" in (tmp_path / "serve.log").read_text()


def test_the_server_collects_garbage_when_idle_not_before_the_next_request(tmp_path):
    """A build's garbage is collected once the server is idle, not while a client waits."""
    from booklet.tools.server import BuildServer

    root = tmp_path / "p"
    (root / "seeds").mkdir(parents=True)
    events: list[str] = []
    server = BuildServer(root, echo=lambda _: None)
    reply = {"ok": True, "files": [], "warnings": [], "report": None, "timings": {},
             "seconds": 0.0}
    server.handle = lambda request: events.append("build") or reply  # type: ignore
    server.session.settle = lambda: events.append("settle")  # type: ignore[method-assign]
    stop = threading.Event()
    thread = threading.Thread(target=server.serve, args=(stop,), daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not ping(root):
            assert time.monotonic() < deadline
            time.sleep(0.02)
        request_build(root, None, "screen")
        request_build(root, None, "screen")  # at once: served before any collection
        assert events == ["build", "build"]
        deadline = time.monotonic() + 5
        while "settle" not in events:  # the accept timeout passes: the server is idle
            assert time.monotonic() < deadline, events
            time.sleep(0.05)
        assert events == ["build", "build", "settle"]
    finally:
        stop.set()
        thread.join(timeout=10)
