"""Stage 5: write the editions (screen, print, imposed) as PDF files."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

from booklet.atomic import write_bytes
from booklet.config import Project
from booklet.render import Rendered

EDITIONS = ("screen", "print", "imposed")


@dataclass(frozen=True)
class EditionFile:
    """One written PDF."""

    edition: str
    path: Path
    pages: int
    bytes: int


@dataclass(frozen=True)
class Editions:
    """The written editions: the hand-off value of the write stage."""

    files: tuple[EditionFile, ...]
    seconds: float


def output_path(project: Project, out: Path, edition: str) -> Path:
    """Return the file name of *edition*."""
    slug = project.config.slug
    suffix = {"screen": "", "print": "-print", "imposed": "-imposed"}[edition]
    return out / f"{slug}{suffix}.pdf"


def pdf_bytes(rendered: Rendered, project: Project) -> bytes:
    """Serialise a rendered edition to PDF bytes, deterministically."""
    # A fixed identifier derived from the slug keeps two builds byte-identical.
    identifier = hashlib.sha256(project.config.slug.encode()).hexdigest()[:32].encode()
    options: dict[str, object] = {"pdf_identifier": identifier}
    if rendered.edition == "print":
        options["pdf_variant"] = "pdf/x-4"
    else:
        options["pdf_variant"] = "pdf/ua-1"
    data = rendered.document.write_pdf(**options)
    assert isinstance(data, bytes)
    return data


def write_editions(rendered: dict[str, Rendered], project: Project, out: Path,
                   wanted: tuple[str, ...]) -> Editions:
    """Write every wanted edition; all PDFs are produced before any file is replaced."""
    start = time.perf_counter()
    produced: dict[str, tuple[bytes, int]] = {}
    for edition in wanted:
        if edition == "imposed":
            from booklet.impose import impose

            print_pdf, _ = produced.get("print") or (pdf_bytes(rendered["print"], project), 0)
            data, pages = impose(print_pdf, project)
            produced[edition] = (data, pages)
        else:
            r = rendered[edition]
            produced[edition] = (pdf_bytes(r, project), r.pages)
    files = []
    for edition, (data, pages) in produced.items():
        path = output_path(project, out, edition)
        write_bytes(path, data)
        files.append(EditionFile(edition, path, pages, len(data)))
    return Editions(tuple(files), time.perf_counter() - start)
