"""Keep the deflated form of large PDF streams on disk, for the next process.

A new build process deflates every stream again although most large ones (font subsets,
photos, long pages) are the bytes of the last build: a warm build of the seed booklet
spends ~40 ms of zlib on its six streams above 256 KB. `compression.deflate` asks this
store for streams of at least `MIN_BYTES` before deflating and gives it what it made.

A file is named by the digest of the raw bytes (the in-process cache's key), their length,
the zlib level and the zlib library's version, so it holds exactly what deflating those
bytes here would give (zlib is deterministic for one version and level). It is written
atomically, and read only if its Adler-32 trailer is that of the raw bytes. The folder
keeps the newest `KEEP_FILES` files.
"""

from __future__ import annotations

import contextlib
import os
import zlib
from pathlib import Path

from booklet.content.resources import user_cache

MIN_BYTES = 64 << 10
KEEP_FILES = 200


def folder() -> Path:
    """Return the store's folder (per user, beside the other caches)."""
    return user_cache("deflated")


def _path(key: bytes, level: int) -> Path:
    return folder() / f"{key.hex()}-{level}-{zlib.ZLIB_RUNTIME_VERSION}.z"


def read(key: bytes, raw: bytes, level: int) -> bytes | None:
    """Return the stored deflated form of *raw*, None when there is none (or a bad one)."""
    try:
        packed = _path(key, level).read_bytes()
    except OSError:
        return None
    if len(packed) < 6 or packed[-4:] != zlib.adler32(raw).to_bytes(4, "big"):
        return None  # not the deflated form of these bytes: deflate again
    return packed


def write(key: bytes, packed: bytes, level: int) -> None:
    """Store *packed* atomically; keep the folder to the newest KEEP_FILES files."""
    path = _path(key, level)
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(packed)
        os.replace(tmp, path)
        files = list(path.parent.glob("*.z"))
        if len(files) > KEEP_FILES:
            files.sort(key=lambda p: p.stat().st_mtime_ns)
            for old in files[:-KEEP_FILES]:
                old.unlink()
