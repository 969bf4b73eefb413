"""Remember the sources of the functions the patch guards pin, per source file version.

Every build checks ~25 pinned WeasyPrint and pydyf functions (guard.code_digest) and
rewrites two (patches.footnotes, patches.fontface): `inspect.getsource` tokenizes each one,
~30 ms of every new process. A function's source depends only on its file's text and its
place in it, so it is kept in the user cache under the file's path, inode, size and
modification time (nanoseconds) and the function's first line and name: an upgraded or
edited file is another key, and its functions are read again. Anything unexpected (no
file, an unreadable cache) reads the source as before.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import os
from pathlib import Path
from typing import Any

from booklet.content.resources import user_cache

_MEMO: dict[str, str] | None = None
_ADDED = False


def cache_file() -> Path:
    """Return the file of remembered sources (per user, beside the other caches)."""
    return user_cache("pinned-sources.json")


def key_of(func: Any) -> str | None:
    """Return the key of *func*'s source as it is on disk now, None if it has none."""
    code = getattr(func, "__code__", None)
    if code is None:
        return None
    try:
        info = os.stat(code.co_filename)
    except (OSError, ValueError):
        return None
    return (f"{code.co_filename}|{info.st_ino}|{info.st_size}|{info.st_mtime_ns}|"
            f"{code.co_firstlineno}|{code.co_name}")


def _memo() -> dict[str, str]:
    global _MEMO
    if _MEMO is None:
        _MEMO = {}
        with contextlib.suppress(OSError, ValueError):
            found = json.loads(cache_file().read_text("utf-8"))
            if isinstance(found, dict):
                _MEMO = {k: v for k, v in found.items() if isinstance(v, str)}
    return _MEMO


def source(func: Any) -> str:
    """Return `inspect.getsource(func)`, remembered across processes by the file's version."""
    global _ADDED
    key = key_of(func)
    if key is None:
        return inspect.getsource(func)
    memo = _memo()
    found = memo.get(key)
    if found is None:
        found = memo[key] = inspect.getsource(func)
        _ADDED = True
    return found


def save() -> None:
    """Write the remembered sources if any were added (after the patches are installed)."""
    global _ADDED
    if not _ADDED or _MEMO is None:
        return
    _ADDED = False
    path = cache_file()
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        if len(_MEMO) > 500:  # upgrades leave keys of old files behind: drop those
            for key in [k for k in _MEMO if not _current(k)]:
                del _MEMO[key]
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(_MEMO, sort_keys=True), "utf-8")
        os.replace(tmp, path)


def _current(key: str) -> bool:
    """Return whether *key*'s file is still the version it names."""
    name, ino, size, mtime = key.split("|")[:4]
    try:
        info = os.stat(name)
    except (OSError, ValueError):
        return False
    return f"{info.st_ino}|{info.st_size}|{info.st_mtime_ns}" == f"{ino}|{size}|{mtime}"
