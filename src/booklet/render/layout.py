"""Stage 4: lay out a composed document with WeasyPrint."""

from __future__ import annotations

import atexit
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from booklet.compose.html import ComposedDocument
from booklet.content import resources
from booklet.content.config import Project
from booklet.content.intents import output_profile
from booklet.errors import Problem, RenderError


@dataclass
class Rendered:
    """A laid-out edition: the hand-off value of the render stage."""

    edition: str
    document: Any  # weasyprint.Document
    seconds: float
    warnings: list[Problem] = field(default_factory=list)
    refused: list[tuple[str, Problem]] = field(default_factory=list)
    replay: Any = None  # a patches.replay.PageCache: pages drawn before are replayed (watch)

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
        # Drop it before interpreter shutdown: its __del__ removes a temporary folder and
        # fails noisily once the modules it uses are torn down.
        atexit.register(_drop_font_config)
    return _FONT_CONFIG


def _drop_font_config() -> None:
    """Release the process-wide FontConfiguration and remove its temporary font folder."""
    global _FONT_CONFIG
    config, _FONT_CONFIG = _FONT_CONFIG, None
    # Its __del__ removes the folder only if it is freed before the interpreter ends, which
    # the objects laid out with it often prevent: every build left one in the temp folder.
    folder = getattr(config, "_folder", None)
    if folder:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


def _keep_text_continuous(document: Any) -> None:
    """Order each page's drawing so that body text stays continuous across page breaks.

    WeasyPrint draws the body, then the footnote area, then the margin boxes (running head,
    folio). A sentence that runs on to the next page is then interrupted in the PDF's text
    layer ("…冲突各方将医 | 1 按照… | 导言 6 | 院、学校…"), which breaks copy and paste, search
    and text checks. Positions on the page do not change, only the order in the content
    stream: a page that continues a paragraph from the previous page draws its body first;
    any other page draws its body last, so that a paragraph running on to the next page is
    followed directly by its continuation. (Designs must not lay body backgrounds over
    margin boxes, since those are drawn first on most pages.)
    """
    previous_last = None
    for page in document.pages:
        box = page._page_box
        root, others = box.children[0], box.children[1:]
        first, last = _paragraph_ends(root)
        continues = first is not None and first is previous_last
        box.children = [root, *others] if continues else [*others, root]
        previous_last = last


def _paragraph_ends(root: Any) -> tuple[Any, Any]:
    """Return the elements of the first and the last line on a page."""
    from weasyprint.formatting_structure.boxes import LineBox, ParentBox

    first = last = None
    stack = [(root, None)]
    while stack:
        box, element = stack.pop()
        if isinstance(box, LineBox):
            first = first or element
            last = element
            continue
        if isinstance(box, ParentBox):
            element = getattr(box, "element", None) or element
            stack.extend((child, element) for child in reversed(box.children))
    return first, last


def _marks_fonts() -> list[Path]:
    """Return the font files lending Kai text its quotation marks (typography @font-face)."""
    from booklet.compose.typography.prepare import MARKS_FAMILIES
    from booklet.content.glyphs import resolve_font

    return [font.path for family in MARKS_FAMILIES if (font := resolve_font(family))]


_SHEETS: dict[tuple[str, tuple[str, ...]], tuple[list[Any], dict[str, Any]]] = {}


def _stylesheets(composed: ComposedDocument, fetcher: Any,
                 fonts: Any) -> tuple[list[Any], dict[str, Any]]:
    """Return parsed stylesheets, parsed once per process for the same CSS (watch mode)."""
    from weasyprint import CSS

    key = (composed.base_url, tuple(css for _, css in composed.stylesheets))
    if composed.edition == "print" or key not in _SHEETS:
        # The print edition's colour profile is a PDF object written into each PDF and must
        # not be shared between documents; only the screen edition (watch mode) is cached.
        # One dict shared by every stylesheet and the render: @color-profile rules (the
        # print edition's CMYK output intent) are collected into it and reach the PDF.
        profiles: dict[str, Any] = {}
        sheets = [CSS(string=css, base_url=composed.base_url, url_fetcher=fetcher,
                      font_config=fonts, color_profiles=profiles)
                  for _, css in composed.stylesheets]
        if composed.edition == "print":
            return sheets, profiles
        if len(_SHEETS) > 8:  # a long watch session edits styles many times
            _SHEETS.clear()
        _SHEETS[key] = (sheets, profiles)
    return _SHEETS[key]


def render(composed: ComposedDocument, project: Project) -> Rendered:
    """Lay out *composed* with WeasyPrint and return the Document."""
    from weasyprint import HTML

    from booklet.render.fetcher import ProjectFetcher
    from booklet.render.patches import install_patches

    install_patches()
    start = time.perf_counter()
    roots = [project.root, resources.defaults_dir("layout"), resources.defaults_dir("styles")]
    if composed.edition == "print":
        icc = output_profile(project)
        if icc.is_file():  # one file, never a folder: a folder would let everything under it in
            roots.append(icc)
    roots += _marks_fonts()  # the CJK faces of the Kai quotation marks (compose/html.py)
    fetcher = ProjectFetcher(roots, allow_remote=project.config.allow_remote)
    handler = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        fonts = font_config()
        sheets, profiles = _stylesheets(composed, fetcher, fonts)
        # The screen edition's photos are reduced to images.screen_ppi at their placed size
        # when the PDF is written (WeasyPrint reads the option when it loads an image).
        options = {"dpi": project.config.images.screen_ppi} if composed.edition == "screen" \
            else {}
        document = HTML(string=composed.html, base_url=composed.base_url,
                        url_fetcher=fetcher).render(stylesheets=sheets, font_config=fonts,
                                                    color_profiles=profiles, **options)
    except Exception as exc:  # WeasyPrint raises many types; report them as one kind
        raise RenderError(f"WeasyPrint could not lay out the {composed.edition} edition: {exc}") \
            from exc
    finally:
        logger.removeHandler(handler)
    _keep_text_continuous(document)
    # Failed loads are reported by the fetcher with their reason; drop WeasyPrint's echo.
    warnings = [Problem(f"WeasyPrint: {m}") for m in handler.messages
                if not m.startswith("Failed to load")]
    return Rendered(composed.edition, document, time.perf_counter() - start, warnings,
                    fetcher.refused)  # the live list: drawing SVG images fetches more
