"""Stage 5: write the editions (screen, print, imposed) as PDF files."""

from __future__ import annotations

import io
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from booklet.content.config import Project
from booklet.editions.pdfinfo import FontInfo, pdf_fonts
from booklet.editions.pdfmeta import apply_metadata, fixed_xmp_ids, identifier, save
from booklet.render.layout import Rendered

EDITIONS = ("screen", "print", "imposed")
SHEET_PAGES = 4  # a saddle-stitched sheet, folded once, carries four pages


@dataclass(frozen=True)
class EditionFile:
    """One written PDF."""

    edition: str
    path: Path
    pages: int
    bytes: int
    seconds: float = 0.0
    fonts: tuple[FontInfo, ...] = ()
    blank_pages: int = 0


@dataclass(frozen=True)
class Editions:
    """The written editions: the hand-off value of the write stage."""

    files: tuple[EditionFile, ...]
    seconds: float


@dataclass
class Produced:
    """One edition in memory, before it is written."""

    data: bytes
    pages: int
    seconds: float
    blank_pages: int = 0
    fonts: tuple[FontInfo, ...] | None = None  # None: read from *data*


def output_path(project: Project, out: Path, edition: str) -> Path:
    """Return the file name of *edition*."""
    slug = project.config.slug
    suffix = {"screen": "", "print": "-print", "imposed": "-imposed"}[edition]
    return out / f"{slug}{suffix}.pdf"


def screen_pdf(rendered: Rendered, project: Project) -> bytes:
    """Serialise the screen edition: PDF/UA-1, tagged, RGB, deterministic."""
    from booklet.editions.screen import finish_screen

    data = _write_screen(rendered, project, fixed_xmp_ids(f"{project.config.slug}/screen"))
    return finish_screen(data, identifier(project.config, "screen"))


def unfinished_screen_pdf(rendered: Rendered,
                          project: Project) -> tuple[bytes, tuple[FontInfo, ...]]:
    """Serialise the screen edition for a watch rebuild; return it and its fonts.

    The file pydyf writes, with the spreads layout of the finished file but no /ID and not
    linearised (editions.deferred finishes it later); the fonts are read from the document
    pydyf is about to write, not from the bytes (editions.pdfinfo.written_fonts).
    """
    from booklet.editions.screen import with_spreads

    fonts: list[FontInfo] = []
    data = _write_screen(rendered, project,
                         with_spreads(fixed_xmp_ids(f"{project.config.slug}/screen"), fonts))
    return data, tuple(fonts)


def _write_screen(rendered: Rendered, project: Project, finisher: Any) -> bytes:
    """Return the screen edition as WeasyPrint and pydyf write it."""
    from booklet.render.patches.imagedpi import jpeg_quality
    from booklet.render.patches.replay import replaying

    config = project.config
    apply_metadata(rendered.document, config)
    # Photos above images.screen_ppi at their placed size are reduced while writing; in a
    # watch session, pages drawn by the last write and not laid out again are replayed.
    with jpeg_quality(config.images.screen_quality), replaying(rendered.replay):
        # No identifier here: pydyf would serialise every object a second time to hash
        # them, and the /ID is made again when the file is linearised (finish_screen).
        data = rendered.document.write_pdf(
            pdf_variant="pdf/ua-1", pdf_identifier=False, finisher=finisher,
            attachments=attachments(project))
    assert isinstance(data, bytes)
    return data


def attachments(project: Project) -> list[Any]:
    """Return the files of `attachments:` (checked at load to lie in the project) to embed."""
    from weasyprint import Attachment

    from booklet.content import gate
    from booklet.editions.pdfmeta import build_time

    when = build_time(project.config)  # fixed dates: the same inputs give the same bytes
    return [Attachment(string=gate.read_bytes(project.root / name, [project.root],
                                              limit=gate.MAX_FILE_BYTES),
                       name=Path(name).name, created=when, modified=when)
            for name in project.config.attachments]


def print_pdf(rendered: Rendered, project: Project) -> tuple[bytes, int, int]:
    """Serialise the print edition: PDF/X-4, CMYK, whole sheets, crop marks outside the bleed.

    Return the PDF, its page count and the number of blank pages added.
    """
    import pikepdf

    from booklet.content.intents import output_intent
    from booklet.editions.printready import cmyk_colours, finish_print, pad_pages
    from booklet.editions.proof import missing_photos, slug_pdf
    from booklet.images.pdfalpha import cmyk_under_alpha

    config = project.config
    intent = output_intent(project)
    document, blanks = pad_pages(rendered.document, SHEET_PAGES)
    apply_metadata(document, config)
    missing = missing_photos(document)  # while any is missing, the edition is a proof
    with cmyk_colours(intent.path):
        data = document.write_pdf(
            pdf_variant="pdf/x-4", pdf_identifier=identifier(config, "print"),
            finisher=fixed_xmp_ids(f"{config.slug}/print"))
        slug = slug_pdf(project, missing) if missing else None
    with pikepdf.open(io.BytesIO(data)) as pdf:
        finish_print(pdf, intent, config.print.ink.overprint, slug)
        cmyk_under_alpha(pdf, project.root)
        data = save(pdf)
    return data, len(document.pages), blanks


def produce(rendered: dict[str, Rendered], project: Project,
            wanted: tuple[str, ...], linearise: bool = True) -> dict[str, Produced]:
    """Make every wanted edition in memory; the imposed edition is made from the print one.

    *linearise*: False leaves the screen edition unfinished (screen_pdf).
    """
    produced: dict[str, Produced] = {}
    for edition in EDITIONS:  # print before imposed, whatever order was asked for
        if edition not in wanted and not (edition == "print" and "imposed" in wanted):
            continue
        start = time.perf_counter()
        if edition == "screen":
            if linearise:
                produced[edition] = Produced(screen_pdf(rendered["screen"], project),
                                             rendered["screen"].pages, 0.0)
            else:
                data, fonts = unfinished_screen_pdf(rendered["screen"], project)
                produced[edition] = Produced(data, rendered["screen"].pages, 0.0, 0, fonts)
        elif edition == "print":
            data, pages, blanks = print_pdf(rendered["print"], project)
            produced[edition] = Produced(data, pages, 0.0, blanks)
        else:
            from booklet.editions.impose import impose

            data, pages = impose(produced["print"].data, project)
            produced[edition] = Produced(data, pages, 0.0)
        produced[edition].seconds = time.perf_counter() - start
    return {e: produced[e] for e in wanted}


def produce_editions(rendered: dict[str, Rendered], project: Project, out: Path,
                     wanted: tuple[str, ...], linearise: bool = True
                     ) -> tuple[Editions, dict[str, bytes]]:
    """Make every wanted edition in memory; return them and their bytes by file name."""
    start = time.perf_counter()
    produced = produce(rendered, project, wanted, linearise)
    files = []
    contents: dict[str, bytes] = {}
    for edition, made in produced.items():
        path = output_path(project, out, edition)
        contents[path.name] = made.data
        files.append(EditionFile(edition, path, made.pages, len(made.data), made.seconds,
                                 made.fonts if made.fonts is not None
                                 else tuple(pdf_fonts(made.data)), made.blank_pages))
    return Editions(tuple(files), time.perf_counter() - start), contents


def write_editions(rendered: dict[str, Rendered], project: Project, out: Path,
                   wanted: tuple[str, ...]) -> Editions:
    """Write every wanted edition as one set (booklet.editions.publish)."""
    from booklet.editions.publish import publish

    editions, contents = produce_editions(rendered, project, out, wanted)
    publish(out, contents)
    return editions
