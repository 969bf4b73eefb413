"""Find characters that none of the booklet's fonts can draw, with where they are written.

A character no configured font covers is printed by whatever fallback font fontconfig
finds, or as an empty box ("tofu"). Both are wrong in a designed booklet, and neither
shows up as an error in WeasyPrint, so the build and ``booklet check`` look for them in
the sources: each font's cmap is read once with fontTools and cached on disk.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import json
import os
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from booklet.content import fontmatch
from booklet.content.resources import user_cache
from booklet.errors import Problem

if TYPE_CHECKING:
    from booklet.content.config import Config, Project

# Invisible characters need no glyph: layout consumes them (newline, tab, joiners,
# variation selectors, BOM) or they are whitespace that Pango renders as advance only.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}
_VARIATION = [(0xFE00, 0xFE0F), (0xE0100, 0xE01EF), (0x180B, 0x180D)]
_SPACES = {0x20, 0xA0, 0x3000}
DATA_SUFFIXES = {".yaml", ".yml", ".csv", ".json", ".md", ".txt"}


@dataclass(frozen=True)
class FontFile:
    """A font resolved by fontconfig: the file, the face index inside it, and its family."""

    family: str
    path: Path
    index: int


def needs_glyph(char: str) -> bool:
    """Return whether *char* is drawn with a glyph (not a control, joiner or selector)."""
    code = ord(char)
    if code in _SPACES or unicodedata.category(char) in _INVISIBLE_CATEGORIES:
        return False
    return not any(lo <= code <= hi for lo, hi in _VARIATION)


@functools.cache
def resolve_font(family: str) -> FontFile | None:
    """Return the file fontconfig uses for *family*, or None when it is not installed."""
    if shutil.which("fc-match") is None:
        return None
    remembered = fontmatch.recall(family)  # fc-match's answer in an earlier process
    if remembered is not None:
        return FontFile(family, *remembered)
    out = subprocess.run(["fc-match", "-f", "%{file}\t%{index}\t%{family}", family],
                         capture_output=True, text=True, check=False).stdout
    parts = out.split("\t")
    if len(parts) != 3:
        return None
    families = {name.strip().casefold() for name in parts[2].split(",")}
    # fc-match always answers with *some* font; a different family means "not installed".
    if family.casefold() not in families:
        return None
    found = FontFile(family, Path(parts[0]), int(parts[1] or 0))
    fontmatch.remember(family, found.path, found.index)
    return found


def _cache_dir() -> Path:
    """Return the per-user cache folder for font coverage (fonts are per machine)."""
    return user_cache("cmaps")


def _to_ranges(codes: Iterable[int]) -> list[list[int]]:
    """Compress sorted code points into [first, last] ranges (a CJK cmap is ~2 000 ranges)."""
    ranges: list[list[int]] = []
    for code in sorted(codes):
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return ranges


@functools.cache
def coverage(path: Path, index: int = 0) -> frozenset[int]:
    """Return the code points the font face at *path*/*index* maps to glyphs."""
    starts, ends = coverage_ranges(path, index)
    return frozenset(c for lo, hi in zip(starts, ends, strict=True) for c in range(lo, hi + 1))


@functools.cache
def coverage_ranges(path: Path, index: int = 0) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Return the code points of *path*/*index* as the starts and ends of sorted ranges."""
    stat = path.stat()
    key = hashlib.sha256(f"{path}|{index}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()
    cache = _cache_dir() / f"{key[:32]}.json"
    try:
        ranges = sorted(json.loads(cache.read_text(encoding="utf-8")))
        return tuple(int(lo) for lo, _ in ranges), tuple(int(hi) for _, hi in ranges)
    except (OSError, ValueError, TypeError):
        pass  # no cache yet, or a broken one: read the font again
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), fontNumber=index, lazy=True)
    try:
        ranges = _to_ranges((font.getBestCmap() or {}).keys())
    finally:
        font.close()
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(ranges), encoding="utf-8")
        os.replace(tmp, cache)
    except OSError:
        pass  # a read-only home is not a reason to fail a build
    return tuple(lo for lo, _ in ranges), tuple(hi for _, hi in ranges)


def _covers(ranges: tuple[tuple[int, ...], tuple[int, ...]], code: int) -> bool:
    """Return whether *code* lies in one of the sorted *ranges* (coverage_ranges)."""
    starts, ends = ranges
    at = bisect.bisect_right(starts, code) - 1
    return at >= 0 and code <= ends[at]


def config_fonts(config: Config) -> list[str]:
    """Return the font families the booklet uses: body, heading, quote."""
    return list(dict.fromkeys([config.fonts.body, config.fonts.heading, config.fonts.quote]))


def missing_glyphs(text_by_location: Mapping[tuple[Path, int], str],
                   fonts: Sequence[str | FontFile]) -> list[Problem]:
    """Return one problem per source line holding characters none of *fonts* can draw.

    *text_by_location* maps (file, line number) to the text of that line; *fonts* are
    fontconfig family names (resolved with ``fc-match``) or resolved FontFile values.
    """
    files = [f if isinstance(f, FontFile) else resolve_font(f) for f in fonts]
    found = [f for f in files if f is not None]
    names = ", ".join(f if isinstance(f, str) else f.family for f in fonts)
    if not found:
        return [Problem(f"none of the fonts ({names}) is installed, so no glyph can be checked",
                        hint="install the fonts (make setup) or fix fonts: in booklet.yaml")]
    covered = [coverage_ranges(f.path, f.index) for f in found]
    # Each distinct character is tested once, by bisection in the cmap ranges (building
    # the fonts' sets of ~45 000 code points took ~14 ms of every build); characters known
    # to be drawable are skipped (0.5 s at 438 pages when tested line by line).
    drawable = _drawable_cache(tuple(found))
    new = set().union(*text_by_location.values()) - drawable
    bad = {char for char in new
           if needs_glyph(char) and not any(_covers(c, ord(char)) for c in covered)}
    drawable.update(new - bad)  # a character no font has is never remembered
    problems: list[Problem] = []
    if not bad:
        return problems
    for (file, line), text in text_by_location.items():
        if bad.isdisjoint(text):
            continue
        missing: dict[str, int] = {}
        for column, char in enumerate(text, 1):
            if char in bad and char not in missing:
                missing[char] = column
        listed = ", ".join(f"U+{ord(c):04X} {c} ({unicodedata.name(c, 'unnamed')})"
                           for c in missing)
        problems.append(Problem(
            f"no font in use can draw {listed}", file, line, next(iter(missing.values())),
            hint=f"replace the character, or use fonts that have it (now: {names}); "
                 "it would print as an empty box or in a fallback font"))
    return problems


@functools.cache
def _drawable_cache(fonts: tuple[FontFile, ...]) -> set[str]:
    """Return the process-wide set of characters *fonts* are known to draw (grows as found)."""
    return set()


def source_files(project: Project) -> list[Path]:
    """Return every file whose text is printed: booklet.yaml, the chapters, seeds/data files."""
    files = [project.seeds / "booklet.yaml", *project.chapter_files()]
    data = project.seeds / "data"
    if data.is_dir():
        files += sorted(p for p in data.rglob("*") if p.suffix.lower() in DATA_SUFFIXES)
    return files


def _file_lines(file: Path, text: str) -> dict[tuple[Path, int], str]:
    """Return the printed lines of one source file's *text* by (file, line number)."""
    yaml_like = file.suffix.lower() in {".yaml", ".yml"}
    return {(file, number): line for number, line in enumerate(text.splitlines(), 1)
            if not (yaml_like and line.lstrip().startswith("#"))}  # a comment is never printed


def source_lines(project: Project) -> dict[tuple[Path, int], str]:
    """Return every printed source line: booklet.yaml, the chapters and seeds/data files."""
    lines: dict[tuple[Path, int], str] = {}
    for file in source_files(project):
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue  # unreadable files are reported by content loading with their reason
        lines.update(_file_lines(file, text))
    return lines


# A watch session checks the same files again and again: each file's problems are kept for
# its text (and the fonts), so only an edited file is checked again.
_CHECKED: dict[tuple[Path, str, tuple[str, ...]], list[Problem]] = {}


def project_glyph_problems(project: Project) -> list[Problem]:
    """Return the characters of *project*'s sources that its fonts cannot draw."""
    fonts = config_fonts(project.config)
    if not any(resolve_font(family) for family in fonts):
        return missing_glyphs(source_lines(project), fonts)  # one problem says why
    problems: list[Problem] = []
    for file in source_files(project):
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        key = (file, text, tuple(fonts))
        found = _CHECKED.get(key)
        if found is None:
            found = missing_glyphs(_file_lines(file, text), fonts)
            if len(_CHECKED) > 512:
                _CHECKED.clear()
            _CHECKED[key] = found
        problems += found
    return problems
