"""A content-addressed cache of drawn figures: checked on every read, never fatal when broken."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def digest(*parts: bytes | str) -> str:
    """Hash the parts (length-prefixed, so boundaries matter) into a hex key."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def atomic_write(path: Path, data: bytes) -> None:
    """Write *data* to *path* via a temporary file and a rename, so readers never see half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class Entry:
    """A verified cache entry: the SVG files and what was recorded when they were drawn."""

    svg: Path
    cmyk: Path | None
    meta: dict[str, Any]


class FigureCache:
    """Figure files named ``<stem>-<key>.svg`` with a ``.json`` record written last."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _paths(self, stem: str, key: str) -> tuple[Path, Path, Path]:
        base = f"{stem}-{key[:20]}"
        return (self.folder / f"{base}.svg", self.folder / f"{base}.cmyk.svg",
                self.folder / f"{base}.json")

    def get(self, stem: str, key: str) -> Entry | None:
        """Return the entry for *key* if every file is present and intact, else None."""
        svg, cmyk, record = self._paths(stem, key)
        try:
            meta = json.loads(record.read_text("utf-8"))
            if not isinstance(meta, dict) or meta.get("key") != key:
                return None
            if _sha(svg) != meta.get("svg_sha256"):
                return None
            if meta.get("cmyk_sha256") is not None and _sha(cmyk) != meta["cmyk_sha256"]:
                return None
        except (OSError, ValueError):
            # Missing, truncated or garbage files mean "not cached": the caller redraws.
            return None
        return Entry(svg, cmyk if meta.get("cmyk_sha256") else None, meta)

    def put(self, stem: str, key: str, svg_text: str, cmyk_text: str | None,
            meta: dict[str, Any]) -> Entry:
        """Store the files of one figure; the record goes last so a crash leaves no entry."""
        svg, cmyk, record = self._paths(stem, key)
        svg_bytes = svg_text.encode("utf-8")
        atomic_write(svg, svg_bytes)
        cmyk_sha = None
        if cmyk_text is not None:
            cmyk_bytes = cmyk_text.encode("utf-8")
            atomic_write(cmyk, cmyk_bytes)
            cmyk_sha = hashlib.sha256(cmyk_bytes).hexdigest()
        meta = {**meta, "key": key, "svg_sha256": hashlib.sha256(svg_bytes).hexdigest(),
                "cmyk_sha256": cmyk_sha}
        atomic_write(record, json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8"))
        return Entry(svg, cmyk if cmyk_sha else None, meta)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
