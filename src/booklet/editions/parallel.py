"""Lay out and write the print side (print, imposed) in a forked process, next to the screen.

The screen and print editions are laid out separately (bleed, colophon and CMYK art differ)
and neither reads the other, so on a machine with two cores `booklet build --edition all`
lays the print edition out in a child process forked after figures and photos are prepared,
while the parent lays out the screen edition. A WeasyPrint Document holds C pointers and
cannot cross processes, so the child also writes its PDFs and sends back only plain values:
the PDF bytes, the written-file facts, its warnings and refused URLs. Each edition's bytes
depend only on its own inputs, so the files are byte-identical to a serial build's (test).
Only a process that builds once and has no other threads forks (`booklet build`).
"""

from __future__ import annotations

import atexit
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from booklet.content.config import Project
from booklet.editions.write import EditionFile, produce_editions
from booklet.errors import BookletError, Problem, RenderError
from booklet.render import forked

PRINT_SIDE = ("print", "imposed")


def usable_cores() -> int:
    """Return the number of cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def jobs_wanted(jobs: int | None) -> int:
    """Return the number of processes to use: *jobs*, or every usable core when None."""
    if jobs is not None and jobs < 1:
        raise BookletError(f"--jobs must be 1 or more, not {jobs}")
    return jobs if jobs is not None else usable_cores()


@dataclass
class SideResult:
    """What the child sends back: plain, picklable values."""

    files: list[EditionFile] = field(default_factory=list)
    contents: dict[str, bytes] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    refused: list[tuple[str, Problem]] = field(default_factory=list)
    layout_seconds: float = 0.0


class PrintSide:
    """The print side of a build running in a forked child process."""

    def __init__(self, pid: int, reader: int) -> None:
        self.pid = pid
        self.reader = reader

    def result(self) -> SideResult:
        """Wait for the child; return its result or raise its error."""
        answer, code = forked.receive(self.pid, self.reader)
        self.pid = 0
        if answer is forked.NO_ANSWER:
            raise RenderError(f"the print edition's process ended without a result "
                              f"(status {code})")
        kind, value = answer
        if kind == "error":
            raise value
        return value

    def cancel(self) -> None:
        """End the child (the parent failed); idempotent."""
        if self.pid:
            forked.end(self.pid)
            self.pid = 0
            os.close(self.reader)


def fork_print_side(booklet: Any, figures: Any, project: Project, images: Any, out: Path,
                    wanted: tuple[str, ...]) -> PrintSide:
    """Start laying out and writing the print side of *wanted* in a child process."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid:
        os.close(writer)
        side = PrintSide(pid, reader)
        atexit.register(side.cancel)  # the parent failed before asking for the result
        return side

    def answer() -> tuple[str, Any]:  # the child (see render.forked)
        os.close(reader)
        try:
            return ("ok", _print_side(booklet, figures, project, images, out, wanted))
        except BookletError as exc:
            return ("error", exc)
        except Exception as exc:  # reported by the parent like a serial build's error
            return ("error", RenderError(f"{type(exc).__name__}: {exc}"))

    forked.send(writer, answer,
                lambda exc: ("error", RenderError(f"print edition: {exc}")))


def _print_side(booklet: Any, figures: Any, project: Project, images: Any, out: Path,
                wanted: tuple[str, ...]) -> SideResult:
    """Lay out the print edition and write the print-side editions of *wanted*."""
    from booklet.render.floats import render_floating
    from booklet.render.footnotes import lost_footnotes
    from booklet.render.padding import notes_note

    start = time.perf_counter()
    rendered, _ = render_floating(booklet, figures, "print", project, images=images)
    laid = time.perf_counter() - start
    editions, contents = produce_editions({"print": rendered}, project, out, wanted)
    return SideResult(list(editions.files), contents,
                      list(rendered.warnings) + notes_note(rendered)
                      + lost_footnotes(rendered.document, project.seeds),
                      list(rendered.refused), laid)
