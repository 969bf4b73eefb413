"""Remember the figure moves planned for a layout, so a new process lays the booklet out once.

Floating figures (booklet.render.floats) costs a first layout to find the short pages, then
a second layout of the chapters whose figures move. The moves depend only on what that
first layout depends on, so they are kept in the user's cache under a digest of all of it:
the composed HTML and stylesheets, the bytes of every local file they refer to (figures,
photos), booklet's own code, WeasyPrint's and Pango's versions and the state of the
fontconfig caches (a font installed or removed changes their folders). A new process whose
inputs are unchanged applies the moves at once and lays the booklet out a single time;
the pages are the same as after planning (test), since planned moves are applied the same
way (the chapters laid out again equal a whole layout, or the whole booklet is laid out).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

from booklet import __version__
from booklet.compose.floats import Move
from booklet.compose.html import ComposedDocument
from booklet.content.resources import user_cache

_KEEP = 64  # plans kept on disk (a few hundred bytes each)
_WHOLE_FILE = 8 << 20  # larger referenced files are keyed by size and time, not bytes
_REFERENCE = re.compile(r'(?:src|href)="([^"#][^"]*)"|url\(\s*["\']?([^"\')]+)')
_FONTCONFIG_CACHES = ("/var/cache/fontconfig", "~/.cache/fontconfig", "~/.fontconfig")


def cache_dir() -> Path:
    """Return the folder of the remembered plans (per user, like the subset cache)."""
    return user_cache("floats")


def key(composed: ComposedDocument) -> str:
    """Return the digest of everything the first layout of *composed* depends on."""
    from weasyprint import __version__ as weasyprint_version
    from weasyprint.text.ffi import pango

    digest = hashlib.sha256()
    for part in (__version__, weasyprint_version, str(pango.pango_version()), composed.edition,
                 composed.base_url, composed.html, *(css for _, css in composed.stylesheets)):
        digest.update(part.encode() + b"\0")
    digest.update(_code_state().encode())
    digest.update(_fontconfig_state().encode())
    texts = [composed.html, *(css for _, css in composed.stylesheets)]
    for path in sorted(_local_files(texts, composed.base_url)):
        digest.update(_file_state(path))
    return digest.hexdigest()


def recall(digest: str) -> list[Move] | None:
    """Return the moves remembered under *digest*, None when there are none."""
    try:
        data = json.loads((cache_dir() / f"{digest[:32]}.json").read_text("utf-8"))
        return [Move(str(m[0]), int(m[1]), int(m[2]), float(m[3]), float(m[4]))
                for m in data["moves"]]
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


def remember(digest: str, moves: list[Move]) -> None:
    """Keep *moves* under *digest*; keep the folder to the newest _KEEP plans."""
    folder = cache_dir()
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{digest[:32]}.json"
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"moves": [[m.chapter, m.node, m.paragraphs, m.height, m.width]
                                             for m in moves]}), "utf-8")
        os.replace(tmp, path)
        plans = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime)
        for old in plans[:-_KEEP]:
            old.unlink()


def _local_files(texts: list[str], base: str) -> set[Path]:
    """Return the local files the HTML and CSS refer to."""
    found = set()
    for text in texts:
        for match in _REFERENCE.finditer(text):
            url = urlparse(urljoin(base, (match.group(1) or match.group(2)).strip()))
            if url.scheme == "file":
                path = Path(unquote(url.path))
                if path.is_file():
                    found.add(path)
    return found


def _file_state(path: Path) -> bytes:
    """Return a file's bytes digest (its size and time when large)."""
    stat = path.stat()
    head = f"{path}\0{stat.st_size}\0".encode()
    if stat.st_size > _WHOLE_FILE:
        return head + str(stat.st_mtime_ns).encode()
    return head + hashlib.sha256(path.read_bytes()).digest()


@functools.cache  # the modules a process runs are those it imported: read them once
def _code_state() -> str:
    """Return the size and time of every module of booklet (the layout patches are code)."""
    root = Path(__file__).resolve().parents[1]
    return "".join(f"{p}:{s.st_size}:{s.st_mtime_ns};" for p in sorted(root.rglob("*.py"))
                   if (s := p.stat()))


def _fontconfig_state() -> str:
    """Return the state of the fontconfig caches and settings (fonts added or removed)."""
    parts = [os.environ.get(name, "") for name in ("FONTCONFIG_FILE", "FONTCONFIG_PATH")]
    for folder in (*_FONTCONFIG_CACHES, os.path.join(os.environ.get("XDG_CACHE_HOME", ""),
                                                     "fontconfig")):
        with contextlib.suppress(OSError):
            stat = os.stat(os.path.expanduser(folder))
            parts.append(f"{folder}:{stat.st_mtime_ns}")
    return ";".join(parts)
