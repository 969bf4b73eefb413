"""Publish a build's outputs as one set: readers see all old files or all new ones, never a mix.

Layout of an output folder (``dist/``)::

    dist/<slug>.pdf          -> .editions/current/<slug>.pdf     (a relative symlink)
    dist/<slug>-print.pdf    -> .editions/current/<slug>-print.pdf
    dist/.editions/current   -> g-<id>                            (the one switch)
    dist/.editions/g-<id>/   every output of one build (older outputs carried over as links)

A build writes a complete new generation folder, then replaces the ``current`` symlink with
``os.replace`` (one atomic rename). Until that rename every name in ``dist/`` shows the old
file; after it, every name shows the new one. A kill, Ctrl-C or full disk at any step leaves
the old set (or, after the switch, the new set); leftovers are removed at the next publish.
Other files in the output folder (``proof/``, diff reports) are never touched.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path

from booklet.errors import BookletError, Problem

STORE = ".editions"
CURRENT = "current"


class OutputError(BookletError):
    """The output folder cannot be used or written."""


# What the last publish in this process did, for the CLI's closing message.
_state = {"switched": False, "out": ""}


def last_outcome() -> tuple[bool, str]:
    """Return (whether the last publish switched to the new set, its output folder)."""
    return bool(_state["switched"]), str(_state["out"])


def _checkpoint(step: str) -> None:
    """Mark a step that changes the disk; tests replace this to inject faults at each one."""


def publish(out: Path, files: Mapping[str, bytes],
            expected: Mapping[str, bytes] | None = None) -> list[Path]:
    """Write *files* (name -> bytes) into *out* as one set and return their paths.

    With *expected* (name -> bytes), publish only while readers see exactly those bytes
    under those names (checked under the lock); else change nothing and return [].
    """
    _state.update(switched=False, out=str(out))
    store = prepare(out)
    try:
        with _locked(store):
            cleanup(out)
            old = _current(store)
            if expected is not None and not _shows(old, expected):
                return []
            old = _adopt_plain_files(out, store, old, files)
            gen = _write_generation(store, old, files)
            for name in files:
                _link_name(out, name)
            _checkpoint("switch")
            _switch(store, gen.name)
            _state["switched"] = True
            with contextlib.suppress(OSError):  # the next publish removes what is left
                _renew_links(out, files)
                cleanup(out)
    except OSError as exc:
        raise _os_problem(exc, out, bool(_state["switched"])) from exc
    return [out / name for name in files]


def prepare(out: Path, clean: bool = False) -> Path:
    """Create *out* and its store, or raise a located error saying why it cannot be used.

    With *clean*, also remove what an interrupted earlier build left (at a build's start).
    """
    if clean:  # a new build: what an earlier build in this process did is no longer news
        _state.update(switched=False, out=str(out))
    try:
        if out.exists() and not out.is_dir():
            raise OutputError(f"cannot write the editions to {out}", [Problem(
                "it is a file, not a folder", field="--out",
                hint="give --out a folder (new or existing), not a file")])
        out.mkdir(parents=True, exist_ok=True)
        store = out / STORE
        store.mkdir(exist_ok=True)
        probe = store / f"probe-{uuid.uuid4().hex}.part"
        probe.write_bytes(b"")
        probe.unlink()
        if clean:
            with _locked(store):
                cleanup(out)
    except OSError as exc:
        raise _os_problem(exc, out, False) from exc
    return store


def cleanup(out: Path) -> None:
    """Remove what interrupted builds left: unswitched generations, temporaries, dead links."""
    store = out / STORE
    if not store.is_dir():
        return
    keep = os.readlink(store / CURRENT) if (store / CURRENT).is_symlink() else None
    for entry in store.iterdir():
        if entry.name in (CURRENT, keep, "lock"):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                entry.unlink()
    for entry in out.iterdir():
        # ".<name>.<random>.part" files come from earlier versions of booklet.
        stale = entry.name.startswith(".") and entry.name.endswith(".part") and entry.is_file()
        if stale or (entry.is_symlink() and _ours(entry) and not entry.exists()):
            with contextlib.suppress(OSError):
                entry.unlink()


def _ours(link: Path) -> bool:
    """Return whether *link* is one of the names this module publishes."""
    try:
        return os.readlink(link) == f"{STORE}/{CURRENT}/{link.name}"
    except OSError:
        return False


@contextlib.contextmanager
def _locked(store: Path) -> Iterator[None]:
    """Hold an exclusive lock, so two builds into one folder never interleave (watch + build)."""
    fd = os.open(store / "lock", os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _current(store: Path) -> Path | None:
    """Return the generation folder readers see now, if any."""
    link = store / CURRENT
    if link.is_symlink() and (store / os.readlink(link)).is_dir():
        return store / os.readlink(link)
    return None


def _shows(current: Path | None, expected: Mapping[str, bytes]) -> bool:
    """Return whether the current generation holds exactly *expected*."""
    for name, data in expected.items():
        try:
            if current is None or (current / name).stat().st_size != len(data) \
                    or (current / name).read_bytes() != data:
                return False
        except OSError:
            return False
    return True


def _adopt_plain_files(out: Path, store: Path, old: Path | None,
                       files: Mapping[str, bytes]) -> Path | None:
    """Turn plain output files (older booklet, or copied in) into links without changing them."""
    plain = [n for n in files if (out / n).is_file() and not (out / n).is_symlink()]
    if not plain:
        return old
    if old is None:
        old = store / f"g-{uuid.uuid4().hex}"
        _checkpoint("adopt-mkdir")
        old.mkdir()
        for name in plain:
            _checkpoint("adopt-link")
            _link_or_copy(out / name, old / name)
        _fsync_dir(old)
        _switch(store, old.name)
    else:
        for name in plain:
            _checkpoint("adopt-copy")
            _replace_with_copy(out / name, old / name)
    for name in plain:
        _link_name(out, name)
    return old


def _write_generation(store: Path, old: Path | None, files: Mapping[str, bytes]) -> Path:
    """Write a complete new generation: the new files plus links to every other old one."""
    gen = store / f"g-{uuid.uuid4().hex}"
    _checkpoint("mkdir")
    gen.mkdir()
    for name, data in files.items():
        _checkpoint(f"write {name}")
        _write(gen / name, data)
    if old is not None:
        for entry in sorted(old.iterdir()):
            if entry.name not in files and entry.is_file():
                _checkpoint(f"carry {entry.name}")
                _link_or_copy(entry, gen / entry.name)
    _fsync_dir(gen)
    return gen


def _write(path: Path, data: bytes) -> None:
    """Write and flush *data* to *path*, readable like any other output file."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)


def _link_or_copy(src: Path, dst: Path) -> None:
    """Hard-link *src* to *dst* (free and instant), copying where links are not possible."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def _replace_with_copy(src: Path, dst: Path) -> None:
    """Atomically put a copy of *src* at *dst*."""
    tmp = dst.with_name(f"{dst.name}.{uuid.uuid4().hex}.part")
    _link_or_copy(src, tmp)
    os.replace(tmp, dst)


def _link_name(out: Path, name: str) -> None:
    """Make ``out/name`` a link through ``current`` (dangling until the switch if new)."""
    path = out / name
    target = f"{STORE}/{CURRENT}/{name}"
    if path.is_symlink() and os.readlink(path) == target:
        return
    _checkpoint(f"link {name}")
    tmp = out / STORE / f"link-{uuid.uuid4().hex}"
    os.symlink(target, tmp)
    _checkpoint(f"place link {name}")
    os.replace(tmp, path)


def _renew_links(out: Path, names: Mapping[str, bytes]) -> None:
    """Replace each published link by an identical one, after the switch.

    Readers see no change (the link still goes through ``current``), but PDF viewers that
    reload a file when it changes watch its name in ``out/``, not ``.editions/current``.
    """
    for name in names:
        tmp = out / STORE / f"link-{uuid.uuid4().hex}"
        os.symlink(f"{STORE}/{CURRENT}/{name}", tmp)
        os.replace(tmp, out / name)


def _switch(store: Path, generation: str) -> None:
    """Point ``current`` at *generation* with one atomic rename."""
    tmp = store / f"switch-{uuid.uuid4().hex}"
    os.symlink(generation, tmp)
    _checkpoint("rename current")
    os.replace(tmp, store / CURRENT)
    _fsync_dir(store)


def _fsync_dir(folder: Path) -> None:
    """Flush a folder's entries to disk, so a power cut keeps the renames in order."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _os_problem(exc: OSError, out: Path, switched: bool) -> OutputError:
    """Explain an OS error while writing outputs, and say truthfully what readers now see."""
    state = ("the new editions were published before the error" if switched
             else f"the previous files in {out} are unchanged")
    hints = {
        errno.ENOSPC: "free some disk space, or give --out a folder on another disk",
        errno.EDQUOT: "free some disk space (your quota is full)",
        errno.EACCES: "make the folder writable, or give --out a folder you can write to",
        errno.EPERM: "make the folder writable, or give --out a folder you can write to",
        errno.EROFS: "the disk is read-only: give --out a folder on a writable disk",
        errno.ENOTDIR: "give --out a folder, not a file",
    }
    where = exc.filename or out
    return OutputError(f"cannot write the editions to {out}: {state}", [Problem(
        f"{exc.strerror or exc} ({where})", field="--out",
        hint=hints.get(exc.errno or 0, "check the output folder and try again"))])
