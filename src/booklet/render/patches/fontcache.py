"""Reuse font subsets between builds: in the process (`booklet watch`) and on disk.

Every `write_pdf()` subsets each CJK font anew with HarfBuzz (~30 ms a font idle, 0.17 s on
a busy machine). After a one-sentence edit the glyphs in use are usually the same, so the
subset is too: this wraps WeasyPrint 70's `Font.subset` with a small in-process cache
keyed by the font and the glyph ids it must keep, backed by a per-user disk cache for new
processes (`~/.cache/booklet/subsets`, the newest `_DISK_FILES` kept). The disk key adds a
digest of the font file's first 256 KB: its table directory, where every table's checksum
is, so a changed font file gives another key without hashing all of its ~25 MB.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections import OrderedDict
from pathlib import Path
from typing import Any

from booklet.content.resources import user_cache
from booklet.render.patches.guard import PatchReviewError, require

from . import fontblob

REVIEWED_SOURCE = "61ed6bc2e9a7e43a"  # sha256[:16] of WeasyPrint 70.0's Font.subset source
_CACHE: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
_LIMIT = 24  # subsets kept; a booklet uses about five fonts
_DISK_FILES = 256  # subsets kept on disk (~0.1-1 MB each)
_HEAD = 256 << 10  # bytes of the font file in the disk key: its table directory


class FontCacheError(PatchReviewError):
    """WeasyPrint's Font.subset is not the code this cache was reviewed against."""


def install() -> None:
    """Wrap Font.subset with the cache (idempotent)."""
    from weasyprint.pdf.fonts import Font

    original = Font.subset
    if getattr(original, "__booklet_cached__", False):
        return
    require(original, REVIEWED_SOURCE, "weasyprint.pdf.fonts.Font.subset",
            "fontcache.py", FontCacheError)

    def subset(self: Any, to_unicode: dict[int, Any], hinting: bool) -> None:
        """Subset as WeasyPrint does, or take the same subset from the cache."""
        if not to_unicode:
            return
        key = (self.hash, self.index, fontblob.size(self), bool(self.missing), hinting,
               tuple(sorted(to_unicode)))
        if key in _CACHE:
            _CACHE.move_to_end(key)
            self.file_content = _CACHE[key]
            return
        disk = _disk_path(key, fontblob.head(self, _HEAD))
        cached = _read(disk)
        if cached is not None:
            self.file_content = cached
        else:
            whole = fontblob.size(self)
            original(self, to_unicode, hinting)
            if fontblob.size(self) != whole:  # HarfBuzz subsetted it (else: a warning)
                _write(disk, self.file_content)
        _CACHE[key] = self.file_content
        if len(_CACHE) > _LIMIT:
            _CACHE.popitem(last=False)

    subset.__booklet_cached__ = True  # type: ignore[attr-defined]
    subset.__wrapped__ = original  # type: ignore[attr-defined]
    Font.subset = subset


def _disk_path(key: tuple[Any, ...], head: bytes) -> Path | None:
    """Return the disk-cache file of a subset, or None without a usable cache folder."""
    digest = hashlib.sha256(repr(key).encode())
    digest.update(head[:_HEAD])
    return user_cache("subsets", f"{digest.hexdigest()[:32]}.font")


def _read(path: Path | None) -> bytes | None:
    """Return a cached subset, None when there is none."""
    if path is None:
        return None
    try:
        return path.read_bytes() or None
    except OSError:
        return None


def _write(path: Path | None, data: bytes) -> None:
    """Store a subset atomically; keep the folder to the newest _DISK_FILES."""
    if path is None:
        return
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        files = sorted(path.parent.glob("*.font"), key=lambda p: p.stat().st_mtime)
        for old in files[:-_DISK_FILES]:
            old.unlink()
