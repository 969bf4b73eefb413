"""Stage 4: lay out a composed document with WeasyPrint."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

from booklet import resources
from booklet.compose import ComposedDocument
from booklet.config import Project
from booklet.errors import Problem, RenderError


@dataclass
class Rendered:
    """A laid-out edition: the hand-off value of the render stage."""

    edition: str
    document: Any  # weasyprint.Document
    seconds: float
    warnings: list[Problem] = field(default_factory=list)

    @property
    def pages(self) -> int:
        """Return the number of pages."""
        return len(self.document.pages)


class _Collect(logging.Handler):
    """Keep WeasyPrint's warnings so the build can report them instead of printing."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


_FONT_CONFIG: Any = None


def font_config() -> Any:
    """Return the process-wide FontConfiguration (fonts are loaded once per process)."""
    global _FONT_CONFIG
    if _FONT_CONFIG is None:
        from weasyprint.text.fonts import FontConfiguration

        _FONT_CONFIG = FontConfiguration()
    return _FONT_CONFIG


def _footnotes_first(document: Any) -> None:
    """Draw each page's footnote area before its body.

    WeasyPrint draws the footnote area after the body, so a sentence that runs on to the
    next page is interrupted by the footnote in the text layer: copy and paste, search and
    text checks then see "…冲突各方将医1. 按照…院、学校…". Drawing footnotes first keeps
    the body text continuous across pages; positions on the page do not change.
    """
    from weasyprint.formatting_structure.boxes import FootnoteAreaBox

    for page in document.pages:
        box = page._page_box
        notes = [c for c in box.children if isinstance(c, FootnoteAreaBox)]
        if notes and box.children[0] is not notes[0]:
            box.children = notes + [c for c in box.children if c not in notes]


def render(composed: ComposedDocument, project: Project) -> Rendered:
    """Lay out *composed* with WeasyPrint and return the Document."""
    from weasyprint import CSS, HTML

    from booklet.fetcher import ProjectFetcher
    from booklet.typography import install

    install()
    start = time.perf_counter()
    icc = project.resolve(project.config.editions.icc_profile)
    roots = [project.root, resources.defaults_dir("layout"), resources.defaults_dir("styles"), icc]
    fetcher = ProjectFetcher(roots, allow_remote=project.config.allow_remote)
    handler = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        fonts = font_config()
        sheets = [CSS(string=css, base_url=composed.base_url, url_fetcher=fetcher,
                      font_config=fonts) for _, css in composed.stylesheets]
        document = HTML(string=composed.html, base_url=composed.base_url,
                        url_fetcher=fetcher).render(stylesheets=sheets, font_config=fonts)
    except Exception as exc:  # WeasyPrint raises many types; report them as one kind
        raise RenderError(f"WeasyPrint could not lay out the {composed.edition} edition: {exc}") \
            from exc
    finally:
        logger.removeHandler(handler)
    _footnotes_first(document)
    warnings = list(fetcher.refused)
    warnings += [Problem(f"WeasyPrint: {m}") for m in handler.messages
                 if not m.startswith("Failed to load")]
    return Rendered(composed.edition, document, time.perf_counter() - start, warnings)
