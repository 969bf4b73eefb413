"""`booklet serve`: a warm build process that `booklet build` hands its builds to.

A new process spends most of a small build importing WeasyPrint, loading fonts and parsing
the stylesheets. The server does that once and then builds on request. It listens on a
Unix socket in the project's `.cache/` (named by a digest of the project path) that
`booklet build` looks for; with none there, or a dead one, the client builds in-process.

Every request is a full build from the files as they are now: the inputs (seeds/, layout/,
styles/, figures/ and the shipped defaults) are read and hashed each time. When neither
they, the request nor the PDFs written last time changed, the last result is answered
again (the files on disk are those bytes); otherwise the booklet is built as a clean build
would, with warm imports, fonts, stylesheets, font subsets and compressed streams, so the
PDFs are byte-identical to a new process's. Requests are served one at a time, so two
clients never build at once, and PDFs are replaced only when complete (editions.atomic):
a server killed mid-build leaves the last good PDFs.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from booklet import __version__

PROTOCOL = f"booklet-build/1 {__version__}"
INPUT_FOLDERS = ("seeds", "layout", "styles", "figures")
MAX_REQUEST = 64 << 10
_SKIPPED = ("__pycache__",)


def socket_path(root: Path) -> Path:
    """Return the socket of the server for the project at *root*."""
    root = root.resolve()
    name = f"server-{hashlib.sha256(str(root).encode()).hexdigest()[:16]}.sock"
    path = root / ".cache" / name
    if len(os.fsencode(path)) < 100:  # sun_path holds 108 bytes
        return path
    return Path(tempfile.gettempdir()) / f"booklet-{os.getuid()}-{name}"


def _input_files(root: Path) -> Iterator[Path]:
    """Yield every file a build may read, in a fixed order."""
    from booklet.content import resources

    folders = [root / name for name in INPUT_FOLDERS]
    folders += [resources.defaults_dir("layout"), resources.defaults_dir("styles")]
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not any(part in _SKIPPED for part in path.parts):
                yield path


def input_digests(root: Path) -> dict[str, str]:
    """Return a content digest of every input file, by path."""
    digests = {}
    for path in _input_files(root):
        try:
            digests[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            digests[str(path)] = "unreadable"
    return digests


def _output_stamps(paths: list[str]) -> list[tuple[int, int, int] | None]:
    """Return (size, mtime_ns, inode) of each output, None where it is missing."""
    stamps: list[tuple[int, int, int] | None] = []
    for path in paths:
        try:
            stat = os.stat(path)
            stamps.append((stat.st_size, stat.st_mtime_ns, stat.st_ino))
        except OSError:
            stamps.append(None)
    return stamps


class BuildServer:
    """Build one project on request, one build at a time, keeping the process warm."""

    def __init__(self, root: Path, echo: Callable[[str], None] = print) -> None:
        from booklet.build import Session

        self.root = root.resolve()
        self.echo = echo
        # Chapters are reused while their content digest is unchanged; the screen edition is
        # laid out part by part (render.segments), which gives the same bytes (tested).
        self.session = Session()
        self.lock = threading.Lock()  # `booklet watch` shares it with its own rebuilds
        self._digests: dict[str, str] = {}
        self._last: tuple[str, list[str], list[Any], dict[str, Any]] | None = None
        self._unsettled = False  # a build ran since the last Session.settle()

    def handle(self, request: dict[str, Any]) -> dict[str, Any]:
        """Build as *request* asks and return the reply (never raises for bad input)."""
        from booklet.errors import BookletError

        if request.get("protocol") != PROTOCOL:
            return {"ok": False, "refused": f"this server speaks {PROTOCOL}"}
        if request.get("root") != str(self.root):
            return {"ok": False, "refused": f"this server builds {self.root}"}
        with self.lock:
            start = time.perf_counter()
            digests = input_digests(self.root)
            key = hashlib.sha256(json.dumps(
                [digests, request.get("out"), request.get("edition"), request.get("epoch")],
                sort_keys=True).encode()).hexdigest()
            if self._last is not None and self._last[0] == key \
                    and _output_stamps(self._last[1]) == self._last[2]:
                reply = dict(self._last[3], unchanged=True)
                reply["seconds"] = time.perf_counter() - start
                return reply
            for file in list(self.session.chapters):  # never trust a stamp over the content
                name = str(Path(file).resolve())
                if name not in digests or digests[name] != self._digests.get(name):
                    del self.session.chapters[file]
            self._digests = digests
            self._last = None
            try:
                with _source_date_epoch(request.get("epoch")):
                    reply = self._build(request)
            except BookletError as exc:
                return {"ok": False, "exit_code": exc.exit_code,
                        "error": exc.format(Path(request.get("cwd") or self.root))}
            except Exception as exc:  # a bug must not end the server; the client says so
                return {"ok": False, "exit_code": 1,
                        "error": f"internal error in the build server: {type(exc).__name__}: "
                                 f"{exc}\n  the previous files are unchanged"}
            paths = [f["path"] for f in reply["files"]]
            self._last = (key, paths, _output_stamps(paths), reply)
            reply = dict(reply, seconds=time.perf_counter() - start)
            return reply

    def _build(self, request: dict[str, Any]) -> dict[str, Any]:
        """Run one build and return its reply."""
        from booklet.build import build

        out = Path(request["out"]) if request.get("out") else None
        result = build(self.root, out, str(request.get("edition") or "all"),
                       session=self.session)
        return summary(result)

    def serve(self, stop: threading.Event | None = None) -> None:
        """Answer requests until *stop* is set, SIGTERM or Ctrl-C; remove the socket after."""
        stop = stop or threading.Event()
        path = socket_path(self.root)
        path.parent.mkdir(parents=True, exist_ok=True)
        if ping(self.root):
            from booklet.errors import BookletError

            raise BookletError(f"a build server already runs for {self.root} ({path})")
        with contextlib.suppress(FileNotFoundError):
            path.unlink()  # left by a server that was killed
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old_mask = os.umask(0o177)  # only this user may connect
        try:
            listener.bind(str(path))
        finally:
            os.umask(old_mask)
        inode = path.stat().st_ino
        listener.listen(16)
        listener.settimeout(0.2)
        previous = None
        if threading.current_thread() is threading.main_thread():
            previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            while not stop.is_set():
                try:
                    conn, _ = listener.accept()
                except TimeoutError:
                    if self._unsettled:  # idle for a moment: now collect (Session.settle)
                        self._unsettled = False
                        self.session.settle()
                    continue
                with conn:
                    self._answer(conn, stop)
        finally:
            listener.close()
            with contextlib.suppress(OSError):
                if path.stat().st_ino == inode:  # not a newer server's socket
                    path.unlink()
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)

    def _answer(self, conn: socket.socket, stop: threading.Event) -> None:
        """Read one request from *conn*, act on it and send the reply."""
        conn.settimeout(10)
        try:
            request = json.loads(_read_line(conn))
        except (OSError, ValueError):
            return  # a client that says nothing sensible gets nothing
        if not isinstance(request, dict):
            return
        op = request.get("op")
        if op == "ping":
            reply: dict[str, Any] = {"ok": True, "protocol": PROTOCOL, "root": str(self.root)}
        elif op == "stop":
            stop.set()
            reply = {"ok": True}
        else:
            reply = self.handle(request)
            self.echo(_log_line(reply))
        conn.settimeout(None)
        with contextlib.suppress(OSError):  # the client may have given up
            conn.sendall(json.dumps(reply).encode() + b"\n")
        if op not in ("ping", "stop") and not reply.get("unchanged"):
            # Collect once the server is idle (no request within the accept timeout), not
            # right away: a request that follows at once is not kept waiting for it.
            self._unsettled = True


def summary(result: Any) -> dict[str, Any]:
    """Return what the CLI prints about a BuildResult, as plain data."""
    root = result.project.root
    return {
        "ok": True,
        "files": [{"edition": f.edition, "path": str(f.path), "pages": f.pages,
                   "bytes": f.bytes} for f in result.files],
        "warnings": [w.format(root) for w in result.warnings],
        "report": result.report.name if result.report else None,
        "timings": result.timings,
        "seconds": result.seconds,
    }


def _log_line(reply: dict[str, Any]) -> str:
    """Return the line the server prints for one build."""
    stamp = time.strftime("%H:%M:%S")
    if not reply.get("ok"):
        first = str(reply.get("error") or reply.get("refused")).splitlines()[0]
        return f"{stamp} build failed: {first}"
    what = "unchanged" if reply.get("unchanged") else "built"
    editions = ", ".join(f["edition"] for f in reply["files"])
    return f"{stamp} {what} {editions} in {reply['seconds']:.2f} s"


@contextlib.contextmanager
def _source_date_epoch(epoch: str | None) -> Iterator[None]:
    """Build with the client's SOURCE_DATE_EPOCH (it sets the documents' date)."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    else:
        os.environ["SOURCE_DATE_EPOCH"] = epoch
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def _read_line(conn: socket.socket) -> bytes:
    """Read one newline-terminated message (at most MAX_REQUEST bytes)."""
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
        if len(data) > MAX_REQUEST:
            raise ValueError("request too long")
    return data


def _exchange(root: Path, message: dict[str, Any], timeout: float | None) -> dict[str, Any] | None:
    """Send *message* to the project's server; return its reply, None when there is none."""
    path = socket_path(root)
    if not path.exists():
        return None
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(2)
            conn.connect(str(path))
            conn.sendall(json.dumps(message).encode() + b"\n")
            conn.settimeout(timeout)
            reply = json.loads(_read_line(conn) or b"null")
    except (OSError, ValueError):
        return None  # no server (a stale socket), or it died mid-build
    return reply if isinstance(reply, dict) else None


def ping(root: Path) -> bool:
    """Return whether a server for *root* answers."""
    reply = _exchange(root, {"op": "ping"}, timeout=2)
    return bool(reply and reply.get("protocol") == PROTOCOL)


def stop_server(root: Path) -> bool:
    """Ask the server for *root* to stop; return whether one answered."""
    return _exchange(root, {"op": "stop"}, timeout=5) is not None


def request_build(root: Path, out: Path | None, edition: str) -> dict[str, Any] | None:
    """Have the project's server build; None when no server took the build."""
    root = root.resolve()
    message = {"protocol": PROTOCOL, "root": str(root), "edition": edition,
               "out": str(out.resolve()) if out else None, "cwd": str(Path.cwd()),
               "epoch": os.environ.get("SOURCE_DATE_EPOCH")}
    reply = _exchange(root, message, timeout=None)
    if reply is None or reply.get("refused"):
        return None
    return reply
