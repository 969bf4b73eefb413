"""A Jinja2 loader that reads templates through the project's gate (booklet.content.gate)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import jinja2
from jinja2.loaders import split_template_path

from booklet.content import gate
from booklet.errors import ContentError


class GatedLoader(jinja2.BaseLoader):
    """Find a template in *folders* (first wins); refuse links out of *roots* and special files.

    Unlike FileSystemLoader, a template that exists but may not be read is an error, never
    silently replaced by the next folder's file.
    """

    def __init__(self, folders: list[Path], roots: list[Path]) -> None:
        self.folders = folders
        self.roots = roots

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str, Callable[[], bool]]:
        """Return the template's text, its file name and an up-to-date check."""
        pieces = split_template_path(template)  # refuses ".." in names
        for folder in self.folders:
            path = folder.joinpath(*pieces)
            if not os.path.lexists(path):
                continue
            try:
                data = gate.read_bytes(path, self.roots)
                text = data.decode("utf-8-sig")
            except gate.GateRefused as exc:
                raise ContentError("a layout template cannot be used",
                                   [gate.located(path, exc.strerror)]) from None
            except (OSError, UnicodeDecodeError) as exc:
                raise ContentError("a layout template cannot be read", [gate.located(
                    path, getattr(exc, "strerror", None) or f"not UTF-8 ({exc})")]) from None
            mtime = _mtime(path)
            return text, str(path), lambda path=path, mtime=mtime: _mtime(path) == mtime
        raise jinja2.TemplateNotFound(template)


def _mtime(path: Path) -> float:
    """Return the modification time of *path* (0 if it is gone)."""
    try:
        return os.stat(path).st_mtime
    except OSError:
        return 0.0


_READ: dict[tuple[str, tuple[str, ...]], tuple[tuple[int, ...], str]] = {}


def read_stylesheet(path: Path, roots: list[Path]) -> str:
    """Read a stylesheet through the gate; raise a located error when it may not be read.

    A watch rebuild composes every part of the booklet, each with the same stylesheets: a
    file read before is answered from memory while it is the same file (device, inode,
    size, times of the link and of the file), unchanged.
    """
    from booklet.content.textfile import read_text

    key = (str(path), tuple(str(root) for root in roots))
    try:
        link, info = os.lstat(path), os.stat(path)
        stamp: tuple[int, ...] | None = (
            link.st_ino, link.st_mtime_ns, info.st_dev, info.st_ino, info.st_size,
            info.st_mtime_ns, info.st_ctime_ns)
    except OSError:
        stamp = None
    known = _READ.get(key)
    if stamp is not None and known is not None and known[0] == stamp:
        return known[1]
    text, problems = read_text(path, roots)
    if problems:
        raise ContentError("a stylesheet cannot be used", problems)
    if stamp is not None:
        if len(_READ) > 64:
            _READ.clear()
        _READ[key] = (stamp, text)
    return text
