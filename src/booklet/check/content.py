"""Content checks: missing images, characters no font has, broken and local links."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

from booklet.check.common import Finding, Severity, SourceIndex
from booklet.content.glyphs import project_glyph_problems
from booklet.errors import Problem

if TYPE_CHECKING:
    from booklet.content.chapters import Booklet
    from booklet.content.config import Project


def problems_to_findings(problems: list[Problem], check: str,
                         severity: Severity = "error") -> list[Finding]:
    """Wrap a loader's located problems as findings."""
    return [Finding.of(p, severity, check) for p in problems]


def missing_images(booklet: Booklet, severity: Severity) -> list[Finding]:
    """Return one finding per photo or Markdown image whose image file does not exist."""
    from booklet.content.blocks import Photo
    from booklet.content.nearfiles import block_key_line, missing_photo_hint

    found = []
    for file, photo in booklet.blocks_of(Photo):
        path = booklet.project.seeds / photo.src
        if path.is_file():
            continue
        line = block_key_line(file, photo.line, "src:") or photo.line
        found.append(Finding(
            severity, "image-missing", f"image {photo.src!r} not found: a placeholder is printed",
            missing_photo_hint(booklet.project.seeds, photo.src,
                               f"add seeds/{photo.src} (300 ppi or more at its printed size)"),
            file, line))
    from booklet.content.mdimages import missing_problem

    seeds = booklet.project.seeds
    found += [Finding.of(missing_problem(image, file, seeds), severity, "image-missing")
              for file, image in booklet.markdown_images if not (seeds / image.src).is_file()]
    return found


def config_punctuation(project: Project) -> list[Finding]:
    """Return full-width commas inside YAML lists of booklet.yaml (one item, not several)."""
    from booklet.content.lint import yaml_problems
    from booklet.content.textfile import read_text
    from booklet.content.yamlsource import parse_yaml

    file = project.seeds / "booklet.yaml"
    text, _ = read_text(file)
    located, _ = parse_yaml(text, file) if text else (None, [])
    if located is None:
        return []
    return [Finding.of(p, "warning", "config") for p in yaml_problems(located.node, file, 1)]


def glyphs(project: Project) -> list[Finding]:
    """Return the characters in the sources that no configured font can draw."""
    return [Finding.of(p, "error", "glyph-missing") for p in project_glyph_problems(project)]


def links(document: Any, index: SourceIndex, booklet: Booklet, edition: str) -> list[Finding]:
    """Return internal links to anchors that do not exist and links to local files."""
    anchors: set[str] = set()
    for page in document.pages:
        anchors.update(page.anchors)
    chapters = {ch.file.resolve(): ch.anchor for ch in booklet.chapters}
    found: list[Finding] = []
    seen: set[str] = set()
    for number, page in enumerate(document.pages, 1):
        for kind, target, _rect, box in page.links:
            mark = box.element.get("data-src") if getattr(box, "element", None) is not None \
                else None
            if kind == "internal" and target not in anchors and target not in seen:
                seen.add(target)
                where = index.locate_source(mark) or index.find(f"#{target}")
                found.append(Finding(
                    "error", "link-broken", f"link to #{target}, which does not exist",
                    "link to an anchor that exists: #ch-<chapter id> for a chapter; give a "
                    "heading an id (## 标题 {#summit}) and link to #sec-summit, or write "
                    "[@sec:summit]",
                    *(where or (None, None)), page=number, edition=edition))
            elif kind == "external" and target.startswith("file:") and target not in seen:
                seen.add(target)
                path = Path(unquote(urlparse(target).path))
                name = path.name
                where = index.locate_source(mark) or index.find(f"]({name}") or index.find(name)
                anchor = chapters.get(path.resolve())
                hint = (f"link to the chapter's anchor instead: (#{anchor})" if anchor
                        else "link to a web address (https://…) or an anchor (#…)")
                found.append(Finding(
                    "error", "link-local", f"link to the local file {name}, which readers "
                    "of the PDF do not have", hint, *(where or (None, None)), page=number,
                    edition=edition))
    return found


def render_warnings(problems: list[Problem], edition: str) -> list[Finding]:
    """Return the renderer's warnings, minus the missing anchors links() reports with a fix."""
    return [Finding.of(p, "warning", "render", edition) for p in problems
            if "No anchor" not in p.message]
