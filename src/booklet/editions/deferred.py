"""Finish a watch rebuild's screen edition later: linearise it while the watcher is idle.

Linearising the screen edition (editions/screen.finish_screen: pikepdf/qpdf opens the whole
file and writes it again, hint tables first) is the largest single cost of a watch rebuild
of a long booklet (0.2 s at 437 pages). A watch rebuild therefore publishes the file pydyf
wrote (the same pages, text and tags; spreads page layout; no /ID; not linearised), and
keeps an Unfinished for it. When the watcher is idle, Unfinished.finish() linearises those
very bytes and publishes the result, which is byte-identical to a clean build's file,
together with the report, as one atomic switch (editions/publish) and only if the folder
still shows the unfinished file (a build that published since then wins). Readers see the
unfinished file or the finished one, never a half-written one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from booklet.editions.publish import publish


@dataclass
class Unfinished:
    """A published screen edition that still has to be linearised."""

    out: Path
    name: str  # the screen PDF's file name in *out*
    data: bytes  # what was published under *name*
    identifier: bytes  # the first part of the finished file's /ID
    result: Any  # the BuildResult, for the report written with the finished file

    def finish(self) -> bool:
        """Linearise the published file and publish it with its report; False if superseded."""
        from booklet.editions.report import report_file
        from booklet.editions.screen import finish_screen

        data = finish_screen(self.data, self.identifier)
        files = [replace(f, bytes=len(data)) if f.path.name == self.name else f
                 for f in self.result.files]
        report, text = report_file(replace(self.result, files=files), self.out)
        return bool(publish(self.out, {self.name: data, report.name: text},
                            expected={self.name: self.data}))


def unfinished(result: Any, contents: dict[str, bytes], out: Path) -> Unfinished | None:
    """Return the Unfinished of a build that left its screen edition unlinearised, if any."""
    from booklet.editions.pdfmeta import identifier

    screen = next((f for f in result.files if f.edition == "screen"), None)
    if screen is None or screen.path.name not in contents:
        return None
    return Unfinished(out, screen.path.name, contents[screen.path.name],
                      identifier(result.project.config, "screen"), result)
