"""Finish the screen edition: page layout for spreads, and a linearised file (fast web view)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any


def finish_screen(data: bytes, identifier: bytes) -> bytes:
    """Return the screen PDF opening as spreads after the cover, linearised and deterministic.

    WeasyPrint writes the structure tree, the language and `DisplayDocTitle`; this adds
    `/PageLayout /TwoPageRight` (page 1 alone, then left|right spreads as printed) and saves
    the file linearised, so a browser shows the first page before the rest has arrived. The
    first part of the /ID is *identifier* (fixed per booklet and edition); the saving makes
    the second from the content.
    """
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.trailer.ID = pikepdf.Array([pikepdf.String(identifier)] * 2)
        pdf.Root.PageLayout = pikepdf.Name.TwoPageRight
        prefs = pdf.Root.get("/ViewerPreferences") or pikepdf.Dictionary()
        prefs.DisplayDocTitle = True
        pdf.Root.ViewerPreferences = prefs
        out = io.BytesIO()
        pdf.save(out, linearize=True, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def with_spreads(finisher: Callable[[Any, Any], None],
                 fonts: list[Any] | None = None) -> Callable[[Any, Any], None]:
    """Return a WeasyPrint finisher that also opens the file as spreads (for an unfinished file).

    A watch rebuild writes the screen edition before finish_screen runs on it (later, while
    the watcher is idle: editions.deferred); this gives that file the same page layout, and
    puts the fonts pydyf is about to write into *fonts* (editions.pdfinfo.written_fonts).
    """

    def finish(document: Any, pdf: Any) -> None:
        finisher(document, pdf)
        pdf.catalog["PageLayout"] = "/TwoPageRight"
        if fonts is not None:
            from booklet.editions.pdfinfo import written_fonts

            fonts.extend(written_fonts(pdf))

    return finish
