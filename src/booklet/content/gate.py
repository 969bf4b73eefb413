"""The one gate every file the build reads passes: inside the allowed roots, a regular file.

Chapters, booklet.yaml, data files, templates, stylesheets and images are all read through
``read_bytes`` (or checked with ``refusal``). A path is resolved with its symlinks first, so a
link pointing out of the project is judged by where it points; special files (FIFOs, devices,
sockets, folders) are refused before they are opened, and opening never blocks.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from booklet.errors import ContentError, Problem

MAX_TEXT_BYTES = 20 * 2**20  # a chapter, template or data file larger than this is a mistake
MAX_FILE_BYTES = 200 * 2**20  # images and profiles


def safe_resolve(path: Path) -> Path | None:
    """Return *path* with every symlink resolved, or None for a symlink loop."""
    try:
        return path.resolve(strict=False)
    except (OSError, RuntimeError, ValueError):  # Python < 3.13 raises RuntimeError on loops
        return None


def inside(path: Path, roots: Iterable[Path]) -> bool:
    """Return whether the resolved *path* lies in one of *roots* (folders) or is one (files)."""
    for root in roots:
        real = safe_resolve(root)
        if real is not None and (path == real or real in path.parents):
            return True
    return False


def refusal(path: Path, roots: Iterable[Path], what: str = "file") -> str | None:
    """Return why *path* may not be read (None if it may), without opening it."""
    real = safe_resolve(path)
    if real is None:
        return "it is a symbolic link that leads back to itself (a symlink loop)"
    if not inside(real, roots):
        return f"it resolves to {real}, outside the project folder"
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        return f"the {what} does not exist"
    except OSError as exc:
        return f"it cannot be read: {exc.strerror}"
    if not stat.S_ISREG(mode):
        return f"it is {kind_of(mode)}, not a regular file"
    return None


def kind_of(mode: int) -> str:
    """Name the kind of a special file for a message."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def read_bytes(path: Path, roots: Iterable[Path], limit: int = MAX_TEXT_BYTES) -> bytes:
    """Read *path* through the gate; raise OSError (with a clear strerror) when refused."""
    roots = list(roots)
    why = refusal(path, roots)
    if why is not None:
        raise GateRefused(why, path)
    real = safe_resolve(path)
    assert real is not None
    # O_NONBLOCK: a FIFO swapped in after the check must not block the build.
    fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise GateRefused(f"it is {kind_of(info.st_mode)}, not a regular file", path)
        if info.st_size > limit:
            raise GateRefused(f"it is {info.st_size / 2**20:.0f} MB, more than the "
                              f"{limit / 2**20:.0f} MB booklet reads", path)
        chunks = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:
            raise GateRefused(f"it grew beyond {limit / 2**20:.0f} MB while being read", path)
        return data
    finally:
        os.close(fd)


class GateRefused(OSError):
    """A file the gate will not read; ``strerror`` says why."""

    def __init__(self, why: str, path: Path) -> None:
        super().__init__(0, why, str(path))


def require(path: Path, roots: Iterable[Path], where: Path | None = None,
            line: int | None = None, field: str | None = None) -> None:
    """Raise a located ContentError if *path* may not be read."""
    why = refusal(path, roots)
    if why is not None:
        raise ContentError("a file cannot be used", [located(path, why, where, line, field)])


def located(path: Path, why: str, where: Path | None = None, line: int | None = None,
            field: str | None = None) -> Problem:
    """Return the problem of a refused file, at *where*:*line* (default: the file itself)."""
    if "loop" in why:
        hint = "replace the link with the file it should point to"
    elif "outside" in why:
        hint = "copy the file into the project (booklet reads only the project's own files)"
    elif "not a regular" in why:
        hint = "put a regular file at this path"
    else:
        hint = "check the path"
    what = f"cannot read {path}" if where is not None and where != path else "cannot read it"
    return Problem(f"{what}: {why}", where or path, line, field=field, hint=hint)


def find_in_design(root: Path, url: str) -> tuple[Path, int] | None:
    """Return the project stylesheet, template or SVG image line that names *url*."""
    from urllib.parse import unquote, urlsplit

    name = unquote(urlsplit(url).path).rsplit("/", 1)[-1] or url
    for kind in ("styles", "layout", "seeds"):
        folder = root / kind
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix not in (".css", ".html", ".svg") or refusal(path, [root]) is not None:
                continue
            text = read_bytes(path, [root]).decode("utf-8", "replace")
            for number, line in enumerate(text.splitlines(), 1):
                if url in line or name in line:
                    return path, number
    return None
