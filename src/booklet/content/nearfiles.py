"""Suggest the file a writer meant: a photo in the right folder, the data file that is there.

A path with a typo (`image/tomatoes.jpg`, `data/harvest.yml`) is answered with the existing
file of the same name elsewhere in seeds/, or the closest path of the same kind, instead of
telling the writer to create the misspelt one. The search is bounded (content is untrusted).
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

MAX_FILES = 5000  # files looked at in seeds/ at most
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp", ".gif", ".svg")
DATA_SUFFIXES = (".yaml", ".yml", ".csv", ".json")


def project_files(seeds: Path, suffixes: tuple[str, ...]) -> list[str]:
    """Return the paths (relative to seeds/, with /) of files with one of *suffixes*."""
    found: list[str] = []
    seen = 0
    for folder, dirs, files in os.walk(seeds):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            seen += 1
            if seen > MAX_FILES:
                return found
            if name.lower().endswith(suffixes) and not name.startswith("."):
                found.append(Path(folder, name).relative_to(seeds).as_posix())
    return found


def nearest(seeds: Path, wanted: str, suffixes: tuple[str, ...]) -> str | None:
    """Return the existing file *wanted* most likely means, or None."""
    candidates = [c for c in project_files(seeds, suffixes) if c != wanted]
    name = Path(wanted).name.lower()
    same = [c for c in candidates if Path(c).name.lower() == name]
    if same:
        return same[0]
    stem = Path(wanted).stem.lower()
    same_stem = [c for c in candidates if Path(c).stem.lower() == stem]
    if same_stem:
        return same_stem[0]
    close = difflib.get_close_matches(wanted, candidates, n=1, cutoff=0.75)
    return close[0] if close else None


def block_key_line(file: Path, start: int, key: str) -> int | None:
    """Return the first line at or after *start* whose text starts with *key* (a block key)."""
    try:
        lines = file.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for number in range(start, min(len(lines), start + 40) + 1):
        if lines[number - 1].lstrip().startswith(key):
            return number
        if number > start and lines[number - 1].startswith("```"):
            return None
    return None


def missing_photo_hint(seeds: Path, src: str, otherwise: str) -> str:
    """Return the fix for a missing photo: the existing file it likely means, else *otherwise*."""
    near = nearest(seeds, src, IMAGE_SUFFIXES)
    if near is None:
        return otherwise
    return f"did you mean `src: {near}`? That file exists. Otherwise {otherwise}"
