"""Stage 3: compose the booklet into HTML and stylesheets with Jinja2."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import jinja2

from booklet.compose.loader import GatedLoader, read_stylesheet
from booklet.content import resources
from booklet.content.blocks import Block
from booklet.content.chapters import Booklet, Heading, Prose
from booklet.content.config import Config, Project, to_pt
from booklet.content.intents import output_profile
from booklet.content.labels import resolve_inline
from booklet.content.resources import user_cache
from booklet.errors import RenderError

Edition = Literal["screen", "print"]

# Designers restyle by overriding any of these files by name in the project's styles/.
STYLESHEETS = ("base.css", "pages.css", "components.css")
EDITION_STYLESHEET = {"screen": "screen.css", "print": "print.css"}

COMPACT_TOC_LINES = 30  # grids with fewer lines set the contents tighter



@dataclass(frozen=True)
class ComposedDocument:
    """The HTML and stylesheets of one edition: the hand-off value of the compose stage."""

    edition: Edition
    html: str
    stylesheets: tuple[tuple[str, str], ...]  # (name, css text)
    base_url: str


@dataclass(frozen=True)
class TocEntry:
    """One line of the table of contents."""

    level: int
    title: str
    anchor: str


def compose(booklet: Booklet, figures: Any, edition: Edition, part: str | None = None,
            toc_pages: dict[str, int] | None = None,
            extra_css: str = "", images: Any = None) -> ComposedDocument:
    """Render the document template and gather the stylesheets for *edition*.

    With *part* ("front", a chapter id or "back") only that part of the booklet is composed,
    for laying out parts separately (see booklet.render.segments); *toc_pages* then gives the
    contents' page numbers and *extra_css* the part's start page. *images* (an ImageSet)
    gives each photo's file prepared for the edition; without it the originals are used.
    """
    from markupsafe import Markup

    from booklet.compose.floats import mark_node
    from booklet.compose.mdimages import place_images
    from booklet.compose.typography import prepare_html, stylesheet
    from booklet.content.urls import breakable

    project = booklet.project
    env = _environment(project.root)
    options = typography_options(project.config)
    context = {
        "config": project.config,
        "booklet": booklet,
        "chapters": booklet.chapters,
        "toc": table_of_contents(booklet),
        "edition": edition,
        "figures": figures,
        "is_heading": lambda n: isinstance(n, Heading),
        "is_prose": lambda n: isinstance(n, Prose),
        "is_block": lambda n: isinstance(n, Block),
        "credits": photo_credits(booklet),
        "photo_exists": lambda block: (project.seeds / block.src).is_file()
        and (images is None or block.src not in images.rejected),
        "photo_url": lambda block: _photo_url(block, images, edition),
        "prose_html": lambda node: place_images(node.html, project.seeds, images, edition),
        "figure_for": lambda block: figures.lookup(block) if figures is not None else None,
        "markdown": lambda text: resolve_inline(booklet.labels, _markdown_renderer()(text)),
        "label_for": lambda chapter, block: booklet.labels.for_block(chapter.file, block.line)
        if booklet.labels is not None else None,
        "show": lambda name: part is None or name == part,
        "toc_pages": toc_pages or {},
        "mark_node": mark_node,
        "breakable_url": lambda url: Markup(breakable(url)),
        "part": part,
        "text_lines": text_lines(project.config),
    }
    try:
        html = env.get_template("document.html").render(context)
    except jinja2.TemplateError as exc:
        where = f"{exc.filename}:{exc.lineno}" if getattr(exc, "lineno", None) else ""
        raise RenderError(f"layout template error {where}: {exc.message}") from exc
    html = _prepared(html, options, prepare_html)
    # Only the print edition has an output intent (a missing named profile stops it alone).
    icc = output_profile(project) if edition == "print" else Path()
    sheets = [("generated.css", generated_css(project.config, edition, icc))]
    for name in (*STYLESHEETS, EDITION_STYLESHEET[edition]):
        path = resources.find(project.root, "styles", name)
        sheets.append((name, read_stylesheet(path, trusted_roots(project.root))))
    sheets.append(("typography.css", stylesheet(options)))
    if extra_css:
        sheets.append(("part.css", extra_css))
    return ComposedDocument(edition=edition, html=html, stylesheets=tuple(sheets),
                            base_url=base_url(project))


_PREPARED: dict[tuple[str, Any], str] = {}


def _prepared(html: str, options: Any, prepare: Any) -> str:
    """Return prepare(html, options), remembered: a watch rebuild composes unchanged parts."""
    key = (html, options)
    found = _PREPARED.get(key)
    if found is None:
        found = prepare(html, options)
        if len(_PREPARED) > 160:  # a 438-page booklet has 73 parts
            _PREPARED.clear()
        _PREPARED[key] = found
    return found


def _photo_url(block: Any, images: Any, edition: Edition) -> str:
    """Return the URL of a photo's file prepared for *edition*, or its own path."""
    prepared = images.lookup(block, edition) if images is not None else None
    return prepared.path.as_uri() if prepared is not None else block.src


def base_url(project: Project) -> str:
    """Return the URL relative references in the content are resolved against: seeds/."""
    return project.seeds.as_uri() + "/"


def typography_options(config: Config) -> Any:
    """Map booklet.yaml's typography keys onto the typography layer's options."""
    from booklet.compose.typography import TypographyOptions

    t = config.typography
    return TypographyOptions(cjk_latin_spacing=t.cjk_latin_spacing, punctuation=t.punctuation,
                             quote_font=config.fonts.quote, han_shrink=t.han_shrink)


def _environment(root: Path) -> jinja2.Environment:
    """Return a Jinja2 environment searching the project's layout/ before the defaults."""
    folders = tuple(str(p) for p in resources.search_path(root, "layout"))
    # The names of the templates a project overrides are part of the key: Jinja2 notices a
    # changed template file, but not a new file that now hides a shipped one.
    own = root / "layout"
    names = tuple(sorted(str(p.relative_to(own)) for p in own.rglob("*.html"))) \
        if own.is_dir() else ()
    return _environment_for(folders, names, tuple(str(p) for p in trusted_roots(root)))


def trusted_roots(root: Path) -> list[Path]:
    """Return the folders templates and stylesheets may come from: the project, the defaults."""
    return [root, resources.defaults_dir("layout"), resources.defaults_dir("styles")]


@functools.lru_cache(maxsize=8)
def _environment_for(folders: tuple[str, ...], names: tuple[str, ...],
                     roots: tuple[str, ...]) -> jinja2.Environment:
    """Return one environment per search path and set of overrides, kept by the process.

    Compiled templates are kept, and Jinja2 reloads a template whose file changed (watch).
    Across processes, compiled templates are kept on disk by Jinja2's bytecode cache (keyed
    by the template's path and a checksum of its source): compiling the shipped templates
    took ~0.1-0.25 s of every new process.
    """
    return jinja2.Environment(
        loader=GatedLoader([Path(f) for f in folders], [Path(r) for r in roots]),
        autoescape=True,
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        bytecode_cache=_bytecode_cache())


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Return the per-user compiled-template cache, or None when it cannot be created."""
    folder = user_cache("jinja")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def table_of_contents(booklet: Booklet) -> list[TocEntry]:
    """Return the chapters and their level-2 sections in reading order."""
    entries: list[TocEntry] = []
    for chapter in booklet.chapters:
        entries.append(TocEntry(1, chapter.meta.title, chapter.anchor))
        entries += [TocEntry(2, h.text, h.anchor) for h in chapter.headings if h.level == 2]
    return entries


def photo_credits(booklet: Booklet) -> list[str]:
    """Return the distinct photo credits for the colophon, in order of appearance."""
    from booklet.content.blocks import Photo

    seen: dict[str, None] = {}
    for _, photo in booklet.blocks_of(Photo):
        if photo.credit:
            seen.setdefault(photo.credit, None)
    return list(seen)


@functools.cache
def _markdown_renderer() -> Any:
    """Return a function rendering a short Markdown string to inline HTML."""
    from booklet.content.markdown import make_parser, render_inline

    md = make_parser()
    return lambda text: render_inline(md, text)


def generated_css(config: Config, edition: Edition, icc: Path) -> str:
    """Return page geometry and colour tokens from booklet.yaml as CSS."""
    page, m = config.page, config.page.margin
    lines = [":root {"]
    for name, color in config.colors.items():
        if edition == "print":
            c, mg, y, k = (v / 100 for v in color.cmyk)
            lines.append(f"  --{name}: device-cmyk({c:g} {mg:g} {y:g} {k:g});")
        else:
            lines.append(f"  --{name}: {color.on_screen};")  # WCAG AA: see check/contrast
    measure = to_pt(page.width) - to_pt(m.inner) - to_pt(m.outer)
    body = to_pt(config.typography.body_size)
    line = body * config.typography.line_height
    text_height = to_pt(page.height) - to_pt(m.top) - to_pt(m.bottom)
    # Display type (cover, big numbers) follows the page width, from the 170 mm design.
    scale = min(1.25, max(0.75, to_pt(page.width) / to_pt("170mm")))
    lines += [
        f"  --font-body: '{config.fonts.body}';",
        f"  --font-heading: '{config.fonts.heading}';",
        f"  --font-quote: '{config.fonts.quote}';",
        f"  --body-size: {config.typography.body_size};",
        f"  --line-height: {config.typography.line_height};",
        f"  --measure: {measure:.3f}pt;",
        # One body line: the unit of the vertical grid (heading space = whole lines).
        f"  --line: {line:.3f}pt;",
        # The grid (booklet.content.pagesize): characters across, whole lines down.
        f"  --chars: {round(measure / body)};",
        f"  --lines: {text_lines(config)};",
        f"  --text-height: {text_height:.3f}pt;",
        f"  --page-scale: {scale:.3f};",
        f"  --gutter: {0.75 * line:.3f}pt;",
        # Cards with big numbers need about 9 characters each: three across from 30.
        f"  --stats-columns: {' '.join(['minmax(0, 1fr)'] * (3 if measure / body >= 29.5 else 2))}"
        ";",
        *(f"  --photo-{name}-height: {lines * line:.3f}pt;"
          for name, lines in photo_lines(measure, to_pt(m.outer), line, 0.75 * line).items()),
        *(f"  --size-{name}: {size};" for name, size in config.sizes.items()),
        f"  --page-width: {page.width};",
        f"  --page-height: {page.height};",
        f"  --margin-inner: {m.inner};",
        f"  --margin-outer: {m.outer};",
        f"  --margin-top: {m.top};",
        f"  --margin-bottom: {m.bottom};",
        f"  --bleed: {page.bleed if edition == 'print' else '0mm'};",
        "}",
        f"@page {{ size: {page.width} {page.height}; "
        f"margin: {m.top} {m.outer} {m.bottom} {m.inner}; }}",
        f"@page :left {{ margin-left: {m.outer}; margin-right: {m.inner}; }}",
        f"@page :right {{ margin-left: {m.inner}; margin-right: {m.outer}; }}",
    ]
    if text_lines(config) < COMPACT_TOC_LINES:
        # A short text block (A5, 大32开: 25-26 lines) cannot hold the contents with their
        # half-line spaces: the last 2 entries ran on to a page of their own. Chapter entries
        # then take one line and a half-line space, a saving of half a line each.
        lines.append(".toc .toc-level-1 { line-height: var(--line); }  /* pagesize: short grid */")
    if config.open_on == "recto":
        lines.append("html .chapter.new-page { break-before: right; }  /* chapters.open_on */")
    if edition == "print":
        lines += [
            # Crop marks are drawn after rendering, outside the bleed (booklet.printready).
            f"@page {{ bleed: {page.bleed}; }}",
            # WeasyPrint 70 needs `components` to write the profile's /N (4 for CMYK).
            f"@color-profile device-cmyk {{ src: url('{icc.as_uri()}'); "
            "components: cyan, magenta, yellow, black; }",
        ]
    return "\n".join(lines) + "\n"


def photo_lines(measure: float, outer: float, line: float, gutter: float) -> dict[str, int]:
    """Return the photo frame heights in whole body lines (about 3:2 at each photo width)."""
    widths = {"column": (measure - gutter) * 2 / 3, "full": measure + outer / 2,
              "half": 0.48 * measure}
    ratios = {"column": 2 / 3, "full": 0.507, "half": 0.66}
    return {name: max(3, round(widths[name] * ratios[name] / line)) for name in widths}


def text_lines(config: Config) -> int:
    """Return how many body lines the text block holds."""
    m = config.page.margin
    line = to_pt(config.typography.body_size) * config.typography.line_height
    return int((to_pt(config.page.height) - to_pt(m.top) - to_pt(m.bottom)) / line + 0.01)
