"""Stage 1: load and validate the chapters into a Booklet content tree."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from markdown_it.token import Token
from pydantic import BaseModel, ConfigDict, Field

from booklet.content.blocks import BLOCK_TYPES, QR, Block, Chart, Photo
from booklet.content.config import Project
from booklet.content.labels import heading_anchor, resolve
from booklet.content.lint import prose_problems, yaml_problems
from booklet.content.markdown import MAX_NESTING, footnote_bodies, image_figures, make_parser
from booklet.content.mdimages import MarkdownImage, block_problems, collect, missing_problem
from booklet.content.textfile import read_text
from booklet.content.yamlsource import parse_yaml, validate
from booklet.errors import ContentError, Problem


class FrontMatter(BaseModel):
    """The YAML header of a chapter file."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    title: Annotated[str, Field(min_length=1)]
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")]
    running_head: str = ""
    new_page: bool = True


@dataclass(frozen=True)
class Heading:
    """A section heading inside a chapter."""

    level: int
    html: str
    text: str
    anchor: str
    line: int
    explicit_id: bool = False  # the anchor comes from a `{#id}` label


@dataclass(frozen=True)
class Prose:
    """A run of Markdown rendered to HTML."""

    html: str
    line: int


Node = Heading | Prose | Block


@dataclass(frozen=True)
class Reference:
    """A file or URL the content asks the renderer to load, with where it is written."""

    target: str
    file: Path
    line: int


@dataclass(frozen=True)
class Chapter:
    """One chapter file: its front matter and its nodes in order."""

    file: Path
    meta: FrontMatter
    nodes: tuple[Node, ...]
    references: tuple[Reference, ...] = ()
    footnotes: int = 0  # footnote calls, for numbering footnotes across separate layouts
    images: tuple[MarkdownImage, ...] = ()  # local Markdown images, for the image stage

    @property
    def anchor(self) -> str:
        """Return the HTML id of the chapter heading."""
        return f"ch-{self.meta.id}"

    @property
    def headings(self) -> list[Heading]:
        """Return the section headings of the chapter."""
        return [n for n in self.nodes if isinstance(n, Heading)]


@dataclass(frozen=True)
class Booklet:
    """The validated content of a whole booklet: the hand-off value of the load stage."""

    project: Project
    chapters: tuple[Chapter, ...]
    warnings: tuple[Problem, ...] = field(default=())
    labels: Any = None  # labels.LabelIndex: numbers of figures and tables, link targets

    @property
    def references(self) -> list[Reference]:
        """Return every image reference in the content, in reading order."""
        return [r for ch in self.chapters for r in ch.references]

    def blocks_of(self, kind: type[Block]) -> list[tuple[Path, Any]]:
        """Return (chapter file, block) for every block of *kind*, in reading order."""
        return [(ch.file, n) for ch in self.chapters for n in ch.nodes if isinstance(n, kind)]

    @property
    def markdown_images(self) -> list[tuple[Path, MarkdownImage]]:
        """Return (chapter file, image) for every local Markdown image, in reading order."""
        return [(ch.file, image) for ch in self.chapters for image in ch.images]

    @property
    def charts(self) -> list[tuple[Path, Chart]]:
        """Return every chart block with its chapter file."""
        return self.blocks_of(Chart)

    @property
    def qrs(self) -> list[tuple[Path, QR]]:
        """Return every QR block with its chapter file."""
        return self.blocks_of(QR)


_FRONT = re.compile(r"\A---\n(.*?\n)---[ \t]*\n", re.S)


ChapterCache = dict[Path, tuple[tuple[int, int], Any]]


def load_booklet(project: Project, cache: ChapterCache | None = None) -> Booklet:
    """Load every chapter of *project*; raise one ContentError listing all problems.

    With *cache* (kept by `booklet watch`), a chapter file whose size and modification
    time are unchanged is not parsed again.
    """
    problems: list[Problem] = []
    warnings: list[Problem] = []
    chapters: list[Chapter] = []
    files = project.chapter_files()
    if not files:
        raise ContentError("the booklet has no chapters", [Problem(
            "no chapter files found", project.seeds / "chapters",
            hint="add Markdown files such as seeds/chapters/01-intro.md")])
    md = make_parser()
    seen_ids: dict[str, Path] = {}
    for file in files:
        try:
            stat = file.stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            stamp = (0, -1)
        if cache is not None and file in cache and cache[file][0] == stamp:
            chapter, meta, found, notes = cache[file][1]
        else:
            notes = []
            chapter, meta, found = _load_chapter(md, file, project, notes)
            if cache is not None:
                cache[file] = (stamp, (chapter, meta, found, notes))
        problems += found
        warnings += notes
        if meta is not None and meta.id in seen_ids:
            other = seen_ids[meta.id].name
            problems.append(Problem(f"chapter id {meta.id!r} is already used by {other}",
                                    file, 2, field="id", hint="give every chapter its own id"))
        if meta is not None:
            seen_ids[meta.id] = file
        if chapter is not None:
            chapters.append(chapter)
    if not problems:
        booklet, problems = resolve(Booklet(project, tuple(chapters), tuple(warnings)))
    if problems:
        raise ContentError(f"{len(problems)} problem(s) in the content", problems)
    from booklet.content.images import reference_problems

    # Photo blocks are opened by the image stage (booklet.images), which locates their faults
    # at the `src:` line with its own limits; every other image reference is checked here.
    # A special file (pipe, device) named as a photo is refused here like any other.
    staged = [*booklet.blocks_of(Photo), *((f, i) for f, i in booklet.markdown_images
                                           if i.raster)]
    photos = {photo.src for _, photo in staged if (project.seeds / photo.src).is_file()
              or not (project.seeds / photo.src).exists()}
    refs = [(r.target, r.file, r.line) for r in booklet.references if r.target not in photos]
    problems = reference_problems(project.seeds, project.root, refs)
    if problems:  # an empty or broken photo would print as an empty frame
        raise ContentError(f"{len(problems)} problem(s) in the content", problems)
    return _with_missing_images(booklet)


def _with_missing_images(booklet: Booklet) -> Booklet:
    """Warn about every photo whose file is missing (checked anew on each build)."""
    from booklet.content.nearfiles import block_key_line, missing_photo_hint

    seeds = booklet.project.seeds
    missing = [  # located at the `src:` line, as `booklet check` does
        Problem(f"image {photo.src!r} not found: a placeholder is printed", file,
                block_key_line(file, photo.line, "src:") or photo.line, field="photo.src",
                hint=missing_photo_hint(seeds, photo.src, f"put the image at seeds/{photo.src}"))
        for file, photo in booklet.blocks_of(Photo)
        if not (seeds / photo.src).is_file()
    ] + [missing_problem(image, file, seeds)
         for file, image in booklet.markdown_images
         if not (seeds / image.src).is_file()]
    if not missing:
        return booklet
    return Booklet(booklet.project, booklet.chapters, (*booklet.warnings, *missing),
                   booklet.labels)


def _load_chapter(md: Any, file: Path, project: Project, warnings: list[Problem],
                  ) -> tuple[Chapter | None, FrontMatter | None, list[Problem]]:
    """Parse one chapter file into a Chapter, or return its problems."""
    text, problems = read_text(file, [project.root])
    if not text and problems:
        return None, None, problems
    match = _FRONT.match(text)
    if not match and text.startswith("---\n"):
        return None, None, [*problems, Problem(
            "the front matter that starts on line 1 is never closed", file, 1,
            hint="end it with a line containing only ---")]
    if not match:
        return None, None, [*problems, Problem(
            "the chapter has no front matter", file, 1,
            hint="start the file with a block: ---, title: …, id: …, ---")]
    located, found = parse_yaml(match.group(1), file, first_line=2)
    problems += found
    meta = None
    if located is not None:
        meta, found = validate(FrontMatter, located)
        problems += found
        warnings += yaml_problems(located.node, file, 2)
    body = text[match.end():]
    offset = text.count("\n", 0, match.end())  # lines before the body
    refs: list[Reference] = []
    images: list[MarkdownImage] = []
    nodes, found, footnotes = _parse_body(md, body, offset, file, meta.id if meta else "x",
                                          project, warnings, refs, images)
    problems += found
    if meta is None or problems:
        return None, meta, problems
    if not nodes:
        warnings.append(Problem("the chapter has no content after its front matter", file,
                                offset + 1, hint="add text or remove the file"))
    chapter = Chapter(file=file, meta=meta, nodes=tuple(nodes), references=tuple(refs),
                      footnotes=footnotes, images=tuple(images))
    return chapter, meta, problems


def _parse_body(md: Any, body: str, offset: int, file: Path, chapter_id: str, project: Project,
                warnings: list[Problem], refs: list[Reference], images: list[MarkdownImage],
                ) -> tuple[list[Node], list[Problem], int]:
    """Split the Markdown body into headings, prose and validated blocks."""
    env: dict[str, Any] = {"footnote_prefix": f"fn-{chapter_id}", "line_offset": offset,
                           "source": _seeds_path(file, project)}
    tokens = md.parse(body, env)
    found_images, problems = collect(tokens, offset, file, project.seeds)
    images += found_images
    env["footnote_html"] = footnote_bodies(md, tokens, env)
    warnings += prose_problems(tokens, env, body, file, offset)
    deep = next((t for t in tokens if t.level >= MAX_NESTING and t.map), None)
    # Inline markup nested hundreds deep (*** … ***) would exhaust the renderer's recursion.
    inline = next((t for t in tokens if t.type == "inline" and t.map and any(
        c.level >= MAX_NESTING for c in t.children or [])), None)
    if deep is None and inline is not None:
        problems.append(Problem(
            "emphasis, links or other inline markup are nested too deeply", file,
            offset + inline.map[0] + 1,  # type: ignore[index]
            hint="remove the extra *, _, [ or ` characters (at most about 90 levels)"))
        return [], problems, 0
    if deep is not None:
        problems.append(Problem(
            "lists or quotes are nested too deeply; text below this point would be lost",
            file, offset + deep.map[0] + 1,  # type: ignore[index]
            hint="flatten the nesting (at most about 30 levels)"))
        return [], problems, 0
    nodes: list[Node] = []
    pending: list[Token] = []
    pending_line = 0
    anchors: set[str] = set()
    end = next((i for i, t in enumerate(tokens) if t.type == "footnote_block_open"), len(tokens))
    footnotes = sum(child.type == "footnote_ref" for token in tokens[:end]
                    if token.type == "inline" for child in token.children or [])
    for nested in env.get("nested_footnotes", []):
        warnings.append(Problem(
            "a footnote cites another footnote; the inner call is left out", file,
            offset + nested, hint="write the other note's text into this one, or cite it "
                                  "from the main text"))

    def flush() -> None:
        if pending:
            html = image_figures(md.renderer.render(pending, md.options, env))
            if html.strip():
                nodes.append(Prose(html=html, line=pending_line))
            pending.clear()

    i = 0
    while i < len(tokens):
        token = tokens[i]
        line = offset + (token.map[0] + 1 if token.map else 1)
        if token.type == "footnote_block_open":
            break  # definitions are rendered at their calls
        if token.type == "heading_open":
            flush()
            level = int(token.tag[1])
            inline = tokens[i + 1]
            if level == 1:
                problems.append(Problem(
                    "a chapter body may not contain a level-1 heading (#)", file, line,
                    hint="the chapter title comes from `title:` in the front matter; "
                         "use ## for sections"))
            explicit = token.attrGet("id")
            nodes.append(Heading(
                level=level, text=inline.content,
                html=md.renderer.renderInline(inline.children or [], md.options, env),
                anchor=heading_anchor(chapter_id, str(explicit or ""), inline.content, anchors),
                line=line, explicit_id=bool(explicit)))
            i += 3
            continue
        if token.type == "fence":
            flush()
            block, found = _parse_block(token, line, file, project, warnings)
            problems += found
            if block is not None:
                nodes.append(block)
                if not isinstance(block, Photo):
                    problems += block_problems(str(block.model_dump()), block.kind, file, line)
                if isinstance(block, Photo):
                    refs.append(Reference(block.src, file, line))
            i += 1
            continue
        if not pending:
            pending_line = line
        pending.append(token)
        i += 1
    flush()
    refs += _image_references(tokens, offset, file, nodes)
    return nodes, problems, footnotes


def _seeds_path(file: Path, project: Project) -> str:
    """Return *file* relative to seeds/ (for data-src), or its name."""
    try:
        return file.resolve().relative_to(project.seeds.resolve()).as_posix()
    except ValueError:
        return file.name


def _image_references(tokens: list[Token], offset: int, file: Path,
                      nodes: list[Node]) -> list[Reference]:
    """Return every image the chapter asks for, with its line: prose, headings, footnotes,
    and Markdown inside callouts (so a refused image is reported where it is written)."""
    refs = []
    line = offset + 1
    for token in tokens:
        if token.map:
            line = offset + token.map[0] + 1
        for child in token.children or []:
            if child.type == "image":
                refs.append(Reference(str(child.attrGet("src") or ""), file, line))
    for node in nodes:
        if isinstance(node, Block) and not isinstance(node, Photo):
            for target in re.findall(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)", str(node.model_dump())):
                refs.append(Reference(target, file, node.line))
    return refs


def _parse_block(token: Token, line: int, file: Path, project: Project,
                 warnings: list[Problem]) -> tuple[Block | None, list[Problem]]:
    """Validate one fenced YAML block against the schema of its type."""
    kind = token.info.strip().split(" ")[0]
    model = BLOCK_TYPES.get(kind)
    if model is None:
        known = ", ".join(sorted(BLOCK_TYPES))
        what = f"unknown block type {kind!r}" if kind else "a fenced block without a type"
        return None, [Problem(what, file, line,
                              hint=f"use one of: {known} (raw code blocks are not supported)")]
    located, problems = parse_yaml(token.content, file, first_line=line + 1)
    if located is None or problems:
        return None, problems
    warnings += yaml_problems(located.node, file, line + 1)
    if not isinstance(located.data, dict):
        from booklet.content.plainwords import fullwidth_key, fullwidth_key_words

        if (found := fullwidth_key(token.content)) is not None:
            message, hint = fullwidth_key_words(found[1])
            return None, [Problem(message, file, line + 1 + found[0], hint=hint)]
        return None, [Problem(f"the {kind} block must be a mapping of `key: value` lines",
                              file, line + 1, hint=f"see the README for the {kind} block")]
    block, problems = validate(model, located, prefix=f"{kind}.")
    if block is None:
        return None, problems
    return block.at_line(line), []
