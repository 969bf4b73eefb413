"""Stage 2b: prepare every photo for the editions being built, cached by content hash."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from booklet.content.blocks import Photo
from booklet.content.chapters import Booklet
from booklet.content.config import CONFIG_NAME, Project, to_pt
from booklet.content.intents import output_profile
from booklet.content.mdimages import MarkdownImage
from booklet.content.nearfiles import block_key_line
from booklet.errors import ConfigError, ContentError, Problem
from booklet.images import colour
from booklet.images.decode import Decoded, ImageRejected, decode
from booklet.images.prepare import ALPHA_FOLDER, Settings, prepare

VERSION = "images-1"  # bump when the preparation changes what a cached file holds
CACHE = Path(".cache") / "images"
MAX_FILE_BYTES = 200 * 1024 * 1024
# A screen image keeps at most the page width at the target resolution (plus a margin);
# the renderer then reduces each to its placed size (write_pdf's dpi option).
SCREEN_EDGE_MARGIN = 1.25
Staged = Photo | MarkdownImage  # a photo block or a local Markdown image


@dataclass(frozen=True)
class Prepared:
    """One photo prepared for one edition."""

    path: Path
    size: tuple[int, int]  # pixels after cropping (and, for the screen, downsampling)


@dataclass
class ImageSet:
    """The photos of the booklet per edition: the hand-off value of the image stage."""

    files: dict[tuple[str, str, tuple[float, float], str], Prepared] = field(default_factory=dict)
    converted: int = 0
    cached: int = 0
    seconds: float = 0.0
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    rejected: set[str] = field(default_factory=set)  # srcs that print as placeholders

    def lookup(self, block: Staged, layout: str) -> Prepared | None:
        """Return the prepared file of a photo block for *layout*, if there is one."""
        return self.files.get((block.src, str(block.aspect), tuple(block.focus), layout))


def _located(file: Path, photo: Staged, message: str, hint: str | None) -> Problem:
    """Return a problem about *photo*, at the line of its ``src:`` key (or of the image)."""
    if isinstance(photo, MarkdownImage):
        return Problem(f"image {photo.src!r}: {message}", file, photo.line, hint=hint)
    return Problem(f"image {photo.src!r}: {message}", file,
                   block_key_line(file, photo.line, "src:") or photo.line,
                   field="photo.src", hint=hint)


def _settings(project: Project, photo: Staged, layout: str, profile: bytes) -> Settings:
    """Return the preparation settings of *photo* in *layout* from booklet.yaml."""
    images = project.config.images
    if layout == "print":
        return Settings("print", str(photo.aspect), tuple(photo.focus), images.intent,
                        images.black_point_compensation, images.print_quality, 0, profile)
    bleed = 2 * to_pt(project.config.page.bleed)
    edge = round((to_pt(project.config.page.width) + bleed) / 72 * images.screen_ppi
                 * SCREEN_EDGE_MARGIN)
    return Settings("screen", str(photo.aspect), tuple(photo.focus), images.intent,
                    images.black_point_compensation, images.screen_quality, edge, profile)


def _check_profile(decoded: Decoded) -> str | None:
    """Drop an embedded profile that is damaged or for another colour model; say why."""
    if decoded.icc is None:
        return None
    family = {"RGB": "RGB", "RGBA": "RGB", "CMYK": "CMYK", "L": "GRAY", "LA": "GRAY"}
    try:
        space = colour.colour_space(decoded.icc)
    except colour.ProfileProblem as exc:
        decoded.icc = None
        return f"its embedded ICC profile is damaged ({exc}); it is ignored"
    if space != family.get(decoded.image.mode):
        decoded.icc = None
        return f"its embedded ICC profile is for {space}, not {decoded.image.mode}; ignored"
    return None


def _write(path: Path, data: bytes) -> None:
    """Write *path* atomically: a cache file is whole or absent."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _read(project: Project, photo: Staged) -> bytes | None:
    """Return the photo's bytes, or None when it is missing (a placeholder is printed)."""
    path = (project.seeds / photo.src).resolve()
    if project.root not in path.parents or not path.is_file():
        return None
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ImageRejected(f"the file is {path.stat().st_size // 2**20} MB, more than "
                            f"{MAX_FILE_BYTES // 2**20} MB", "export a smaller file")
    return path.read_bytes()


def _output_profile(project: Project) -> bytes:
    """Return the output-intent profile's bytes (print conversion; CMYK photos on screen)."""
    path = output_profile(project)
    try:
        data = colour.read_profile(path)
        if colour.colour_space(data) == "CMYK":
            return data
        why = f"{path} is a {colour.colour_space(data)} profile, not CMYK"
    except (OSError, colour.ProfileProblem) as exc:
        why = f"cannot read the ICC profile {path}: {exc}"
    raise ConfigError("the print edition's output profile is unusable", [Problem(
        why, project.seeds / CONFIG_NAME, field="editions.icc_profile",
        hint="name a CMYK output-intent profile (.icc), e.g. the one your printer sends")])


def prepare_images(booklet: Booklet, project: Project, layouts: tuple[str, ...] | list[str],
                   strict: bool = True) -> ImageSet:
    """Prepare every photo for each layout ("screen", "print"); reuse cached files.

    With *strict*, unusable photos raise ContentError (all of them, located); otherwise they
    are returned in ``errors`` and print as placeholders.
    """
    start = time.perf_counter()
    result = ImageSet()
    folder = project.root / CACHE
    # Markdown images (content/mdimages.py) are photos too, without crop; SVG is not staged.
    photos = [*booklet.blocks_of(Photo), *((f, i) for f, i in booklet.markdown_images
                                           if i.raster)]
    present = any((project.seeds / p.src).is_file() for _, p in photos)
    profile = _output_profile(project) if present else b""
    seen: set[tuple[str, str, tuple[float, float]]] = set()
    for file, photo in photos:
        ident = (photo.src, str(photo.aspect), tuple(photo.focus))
        if ident in seen:
            continue
        seen.add(ident)
        try:
            data = _read(project, photo)
            if data is None:
                continue
            _prepare_one(project, photo, file, data, layouts, profile, folder, result)
        except ImageRejected as exc:
            result.errors.append(_located(file, photo, exc.message, exc.hint))
            result.rejected.add(photo.src)
    result.seconds = time.perf_counter() - start
    if strict and result.errors:
        raise ContentError(f"{len(result.errors)} photo(s) cannot be used", result.errors)
    return result


def _prepare_one(project: Project, photo: Staged, file: Path, data: bytes,
                 layouts: tuple[str, ...] | list[str], profile: bytes, folder: Path,
                 result: ImageSet) -> None:
    """Prepare one photo for every layout, decoding it only when some file is not cached."""
    import hashlib
    import json

    from PIL import Image, features

    version = f"{VERSION}/{Image.__version__}/{features.version('littlecms2')}"
    # What decoding said about the source is kept too, so a cached rebuild warns the same.
    notes_file = folder / f"{hashlib.sha256(version.encode() + data).hexdigest()[:40]}.json"
    decoded: Decoded | None = None
    notes: list[list[str]] | None = None
    if notes_file.is_file():
        notes = json.loads(notes_file.read_text(encoding="utf-8"))
    for layout in layouts:
        settings = _settings(project, photo, layout, profile)
        key = settings.key(data, version)
        hit = next((p for p in (folder / f"{key}.jpg", folder / f"{key}.png") if p.is_file()),
                   None)
        if hit is not None and notes is not None:
            with Image.open(hit) as cached:
                size = cached.size
            result.files[(photo.src, str(photo.aspect), tuple(photo.focus), layout)] = \
                Prepared(hit, size)
            result.cached += 1
            continue
        if decoded is None:
            decoded = decode(project.seeds / photo.src, data,
                             project.config.images.max_megapixels * 1e6)
            notes = [list(n) for n in decoded.notes]
            if (why := _check_profile(decoded)) is not None:
                notes.append([why, "re-export the photo with its profile (e.g. sRGB)"])
            if decoded.icc is None and decoded.image.mode in ("RGB", "RGBA"):
                notes.append(["untagged RGB (no ICC profile): treated as sRGB",
                              "export the photo with an embedded profile (sRGB or Adobe RGB)"])
            _write(notes_file, json.dumps(notes).encode("utf-8"))
        try:
            output = prepare(decoded, settings, data)
        except colour.ProfileProblem as exc:
            raise ImageRejected(f"its colours could not be converted ({exc})") from exc
        path = folder / f"{key}{output.suffix}"
        if output.twin is not None:
            _write(folder / ALPHA_FOLDER / f"{output.twin[0]}.cmyk", output.twin[1])
        _write(path, output.data)
        result.files[(photo.src, str(photo.aspect), tuple(photo.focus), layout)] = \
            Prepared(path, output.size)
        result.converted += 1
    result.warnings += [_located(file, photo, m, h) for m, h in notes or []]
