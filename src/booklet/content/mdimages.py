"""Markdown images `![alt](path)`: resolve the path inside seeds/, place them, say where.

A local image is a photo like a `photo` block's: its path is relative to seeds/ (the README's
rule) or, as editor previews read it, to the chapter file (`../images/x.jpg` from
seeds/chapters/). Either way it must stay inside seeds/. The image stage (booklet.images)
prepares it per edition; compose puts the prepared file or a placeholder in its place.
An image must stand alone in its paragraph (it becomes a captioned figure): inside a line of
text, a heading, a table or a footnote it is a located error, since a photo cannot be set at
the height of a line and a figure cannot break a line of text.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markdown_it.token import Token

from booklet.content.nearfiles import IMAGE_SUFFIXES, nearest
from booklet.errors import Problem

RASTER = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp", ".gif", ".bmp")
_IN_TEXT = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")  # an image in a block's Markdown text


@dataclass(frozen=True)
class MarkdownImage:
    """A local Markdown image: its path under seeds/, alt text and where it is written.

    `aspect` and `focus` make it look like an uncropped photo block to the image stage, which
    then shares the prepared files (and cache) with a photo block of the same file.
    """

    src: str  # POSIX path relative to seeds/, e.g. "images/garden.jpg"
    alt: str
    line: int
    written: str = ""  # the path as written, when it differs (../images/garden.jpg)
    aspect: str = ""
    focus: tuple[float, float] = (0.5, 0.5)

    @property
    def raster(self) -> bool:
        """Return whether the image stage prepares it (SVG is drawn by the renderer)."""
        return self.src.lower().endswith(RASTER)


def is_local(src: str) -> bool:
    """Return whether *src* names a file (not a web, data: or file: URL)."""
    parts = urlsplit(src)
    return not parts.scheme and not parts.netloc and bool(parts.path)


def resolve(written: str, chapter: Path, seeds: Path) -> tuple[str | None, str]:
    """Return (path under seeds/, "") for a local image path, or (None, why it is refused).

    The path under seeds/ is returned whether or not the file exists. A path starting with
    ../ is read from the chapter's folder first; any other path from seeds/ first; the other
    reading is used when only it names an existing file.
    """
    path = unquote(urlsplit(written).path)
    if path.startswith("/") or (len(path) > 1 and path[1] == ":"):
        return None, "an absolute path may not be used: content stays inside seeds/"
    try:
        folder = chapter.parent.relative_to(seeds).as_posix()
    except ValueError:
        folder = "chapters"
    readings = [posixpath.normpath(path), posixpath.normpath(posixpath.join(folder, path))]
    if path.startswith("../"):
        readings.reverse()
    inside = [r for r in readings if r != ".." and not r.startswith("../") and r != "."]
    if not inside:
        return None, "the path leads outside seeds/ (content may only use files inside it)"
    existing = [r for r in inside if (seeds / r).is_file()]
    return (existing or inside)[0], ""


def suggestion(missing: str, seeds: Path) -> str | None:
    """Return the existing image under seeds/ that *missing* most likely means, if any."""
    return nearest(seeds, missing, IMAGE_SUFFIXES)


def missing_problem(image: MarkdownImage, file: Path, seeds: Path) -> Problem:
    """Return the located warning for an image whose file does not exist."""
    shown = image.written or image.src
    near = suggestion(image.src, seeds)
    hint = (f"did you mean {near}? " if near else f"put the image at seeds/{image.src}; ") \
        + "paths are relative to seeds/ (e.g. images/garden.jpg) or to the chapter file " \
        "(../images/garden.jpg)"
    return Problem(f"{shown!r} not found (looked for seeds/{image.src}): a placeholder "
                   "is printed", file, image.line, field="image", hint=hint)


def _line_of(inline: Token, child: int, offset: int) -> int:
    """Return the source line of the *child*-th token of an inline run."""
    first = offset + (inline.map[0] + 1 if inline.map else 1)
    breaks = sum(c.type in ("softbreak", "hardbreak") for c in (inline.children or [])[:child])
    return first + breaks


def _alone(tokens: list[Token], index: int) -> bool:
    """Return whether inline token *index* is a visible paragraph holding one image only."""
    opener = tokens[index - 1] if index else None
    if opener is None or opener.type != "paragraph_open" or opener.hidden:
        return False
    kids = [c for c in tokens[index].children or []
            if not (c.type in ("text", "softbreak") and not c.content.strip())]
    return len(kids) == 1 and kids[0].type == "image"


def collect(tokens: list[Token], offset: int, file: Path, seeds: Path,
            ) -> tuple[list[MarkdownImage], list[Problem]]:
    """Resolve every local image of a chapter in place (token src under seeds/); return them.

    Each image token alone in its paragraph gets meta["figure"]; an image anywhere else, or
    whose path is refused, is a located problem.
    """
    images: list[MarkdownImage] = []
    problems: list[Problem] = []
    in_footnote = False
    for index, token in enumerate(tokens):
        if token.type == "footnote_block_open":
            in_footnote = True
        if token.type != "inline":
            continue
        for number, child in enumerate(token.children or []):
            written = str(child.attrGet("src") or "") if child.type == "image" else ""
            if not written or not is_local(written):
                continue
            line = _line_of(token, number, offset)
            src, why = resolve(written, file, seeds)
            if src is None:
                problems.append(Problem(f"image {written!r}: {why}", file, line,
                                        hint="put the image in seeds/images/ and write "
                                             "images/NAME (relative to seeds/)"))
                continue
            if in_footnote or not _alone(tokens, index):
                problems.append(Problem(
                    f"image {written!r} is inside a line of text (or a heading, table or "
                    "footnote): booklet sets a Markdown image as a figure of its own", file,
                    line, hint="put the image on its own line, with a blank line before and "
                               "after it"))
                continue
            child.attrSet("src", src)
            child.meta = {**(child.meta or {}), "figure": True}
            alt = "".join(c.content for c in child.children or [] if c.type == "text")
            images.append(MarkdownImage(src, alt, line, written if written != src else ""))
    return images, problems



def block_problems(text: str, kind: str, file: Path, line: int) -> list[Problem]:
    """Return an error for each local image written in a block's Markdown (e.g. a callout)."""
    return [Problem(f"image {src!r} inside a {kind} block: a Markdown image is a figure of "
                    "its own in the chapter text", file, line,
                    hint="put the image in the chapter text, alone in its paragraph, or use "
                         "a photo block")
            for src in _IN_TEXT.findall(text) if is_local(src)]
