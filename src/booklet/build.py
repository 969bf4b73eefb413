"""The pipeline: load -> draw figures -> compose -> render -> write editions -> report."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from booklet.content.chapters import Booklet, ChapterCache, load_booklet
from booklet.content.config import Project, load_project
from booklet.editions.publish import prepare, publish
from booklet.editions.report import BuildResult, report_file
from booklet.editions.write import EDITIONS, produce_editions
from booklet.errors import Problem
from booklet.render.environment import check_environment

Progress = Callable[[str], None]


@dataclass
class Session:
    """State kept between builds of one process (`booklet watch`).

    Parsed chapters are reused by file stamp, and the screen edition is laid out part by
    part so that only the parts an edit touched are laid out again (booklet.render.segments).
    """

    chapters: ChapterCache = field(default_factory=dict)
    segmenter: Any = None  # booklet.render.segments.Segmenter, created on first use
    segments: bool = True  # False: lay the screen edition out whole (the build server)
    # `booklet watch`: publish the screen edition unlinearised, finish it when idle (finish())
    defer_finishing: bool = False
    unfinished: Any = None  # booklet.editions.deferred.Unfinished of the last build

    def finish(self) -> bool:
        """While idle: linearise the last build's screen edition in place; True if done."""
        unfinished, self.unfinished = self.unfinished, None
        return unfinished is not None and unfinished.finish()

    def settle(self) -> None:
        """Between builds: collect garbage once, then keep the survivors out of later scans.

        A warm session holds every part's layout (millions of objects at 438 pages); a full
        collection during a rebuild scans them all (up to 1.1 s measured). Run while idle,
        after a build's result is out: later collections see only the next build's objects,
        and the next settle collects whatever of the frozen ones became garbage.
        """
        import gc

        gc.unfreeze()
        gc.collect()
        gc.freeze()


def wanted_editions(edition: str, project: Project) -> tuple[str, ...]:
    """Return the editions to write for the CLI's --edition value."""
    if edition != "all":
        return (edition,)
    enabled = project.config.editions
    return tuple(e for e in EDITIONS if getattr(enabled, e))


def build(root: Path, out: Path | None = None, edition: str = "all",
          progress: Progress | None = None, session: Session | None = None,
          one_shot: bool = False, jobs: int | None = 1) -> BuildResult:
    """Build the booklet in *root* into *out* (default: root/dist) and return the result.

    *one_shot*: this process builds once and exits (`booklet build`), so the objects made by
    the imports are frozen out of the garbage collector's sight (`gc.freeze()`).
    *jobs*: processes to use (None: every usable core); with two or more, a one-shot build of
    the screen and print editions lays the print side out in a forked process
    (booklet.editions.parallel).
    """
    timings: dict[str, float] = {}
    say = progress or (lambda _: None)

    @contextmanager
    def stage(name: str, label: str) -> Iterator[None]:
        say(label)
        start = time.perf_counter()
        yield
        timings[name] = time.perf_counter() - start

    with stage("load", "读取内容 Loading content"):
        project = load_project(root)
        check_environment(project.config, project.seeds / "booklet.yaml")
        booklet = load_booklet(project, session.chapters if session else None)
    # Imported after loading so that content errors are reported before the heavy imports.
    from booklet.compose.html import base_url
    from booklet.figures.draw import draw_figures
    from booklet.images import prepare_images
    from booklet.render.floats import render_floating
    from booklet.render.footnotes import lost_footnotes

    if one_shot:
        _freeze_imports()
    out = (out or project.root / "dist").resolve()
    prepare(out, clean=True)  # an unusable --out is said now, not after minutes of layout
    wanted = wanted_editions(edition, project)
    with stage("figures", "绘制图表 Drawing figures"):
        figures = draw_figures(booklet.charts, booklet.qrs, project)
    layouts = sorted({"print" if e == "imposed" else e for e in wanted})
    with stage("images", "处理图片 Preparing photos"):
        images = prepare_images(booklet, project, layouts)
    rendered = {}
    warnings = list(booklet.warnings) + images.warnings
    side = _fork_print_side(booklet, figures, project, images, out, wanted, layouts,
                            one_shot, jobs)
    if side is not None:
        layouts = ["screen"]
    with stage("glyphs", "检查字形 Checking glyphs"):
        from booklet.content.glyphs import project_glyph_problems

        # A character no font can draw would print as tofu: say which, where, and why.
        warnings += project_glyph_problems(project)
    for name in layouts:
        if name == "screen" and session is not None and session.segments \
                and _incremental(session, booklet):
            session.segmenter.images = images
            with stage("render-screen", "渲染 Rendering screen (changed parts)"):
                rendered[name] = session.segmenter.render(booklet, figures, project)
            warnings += rendered[name].warnings
            warnings += lost_footnotes(rendered[name].document, project.seeds)
            continue
        with stage(f"render-{name}", f"渲染 Rendering {name}"):
            # Figures float to fill short pages. Each edition plans its own moves, so an
            # edition comes out the same whether or not the others are built with it.
            rendered[name], _ = render_floating(booklet, figures, name,  # type: ignore[arg-type]
                                                project, images=images)
        warnings += rendered[name].warnings
        # WeasyPrint drops a note it finds no room for without a word: say so here.
        warnings += lost_footnotes(rendered[name].document, project.seeds)
    if "print" in layouts or side is not None:
        from booklet.content.intents import output_intent
        from booklet.render.padding import notes_note

        if "print" in rendered:  # else the forked print side says it
            warnings += notes_note(rendered["print"])

        warnings += [w for w in (output_intent(project).warning(),) if w is not None]
    here = tuple(e for e in wanted if side is None or e == "screen")
    defer = session is not None and session.defer_finishing
    pool = _draw_pool(rendered, here, one_shot, jobs, side)
    with stage("write", "写入 Writing PDF"):
        editions, contents = produce_editions(rendered, project, out, here, not defer)
    if pool is not None:
        timings["parallel-draw-wait"] = pool.seconds  # inside "write"
        warnings += [Problem(f"drawing in parallel: {why}; these pages were drawn by the "
                             "main process", hint="the PDF is complete; report this")
                     for why in pool.failed]
    files = list(editions.files)
    for name in layouts:  # after writing: images inside SVG files are fetched while drawing
        warnings += _locate(rendered[name].refused, booklet, base_url(project))
    if side is not None:
        with stage("wait-print", "等待 Waiting for the print edition"):
            printed = side.result()
        timings["parallel-render-print"] = printed.layout_seconds  # overlapped the screen's
        files = sorted(files + printed.files, key=lambda f: wanted.index(f.edition))
        contents.update(printed.contents)
        warnings += printed.warnings + _locate(printed.refused, booklet, base_url(project))
    result = BuildResult(project, files, timings, _unique(warnings),
                         figures.drawn, figures.cached, images.converted, images.cached)
    report, data = report_file(result, out)
    # Every PDF and the report become visible together, in one atomic switch.
    publish(out, {**contents, report.name: data})
    result.report = report
    if defer:
        from booklet.editions.deferred import unfinished

        made = unfinished(result, contents, out)
        if made is not None:  # a build without the screen edition leaves the last one to finish
            session.unfinished = made  # type: ignore[union-attr]
    return result


def _fork_print_side(booklet: Booklet, figures: Any, project: Project, images: Any, out: Path,
                     wanted: tuple[str, ...], layouts: list[str], one_shot: bool,
                     jobs: int | None) -> Any:
    """Start the print side in a forked process when that is safe and useful, else None."""
    import os

    if not one_shot or layouts != ["print", "screen"] or not hasattr(os, "fork"):
        return None
    from booklet.editions.parallel import fork_print_side, jobs_wanted

    if jobs_wanted(jobs) < 2:
        return None
    return fork_print_side(booklet, figures, project, images, out,
                           tuple(e for e in wanted if e != "screen"))


# Below this many pages per process a fork costs about what drawing the pages would (the
# 21-page seed draws in ~0.15 s), so the default --jobs leaves short booklets to one process.
PAGES_PER_PROCESS = 32


def _draw_pool(rendered: dict[str, Any], here: tuple[str, ...], one_shot: bool,
               jobs: int | None, side: Any) -> Any:
    """Have the screen edition's pages drawn by forked processes when cores are free."""
    import os

    screen = rendered.get("screen")
    if not one_shot or "screen" not in here or screen is None or screen.replay is not None \
            or not hasattr(os, "fork"):
        return None
    from booklet.editions.parallel import jobs_wanted
    from booklet.render.drawpool import DrawPool

    free = jobs_wanted(jobs) - (side is not None)  # the print side has a core of its own
    if jobs is None:  # by default a process draws at least PAGES_PER_PROCESS pages
        free = min(free, len(screen.document.pages) // PAGES_PER_PROCESS)
    if free < 2:
        return None
    screen.replay = DrawPool(document=screen.document, jobs=free)
    return screen.replay


def _freeze_imports() -> None:
    """Import WeasyPrint and the patches, freeze them out of GC scans, collect less often.

    Layout makes millions of short-lived objects; with Python's default thresholds the
    collector ran 9 full and 126 middle collections during a 438-page build, 1.2 s in all
    (measured with gc.callbacks); with a first threshold of 100 000 it runs no full one,
    0.17 s, at the same peak memory (437 MB). Only for a process that exits after one build:
    a long-lived one would keep frozen garbage forever.
    """
    import gc

    from booklet.render.patches import install_patches

    install_patches()
    if gc.get_threshold()[0] < 100_000:  # else booklet.__main__ collected rarely from the start:
        gc.collect()  # the few cyclic objects left are not worth a full scan (~20 ms)
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)


def _incremental(session: Session, booklet: Booklet) -> bool:
    """Return whether this session lays out the screen edition part by part."""
    from booklet.content import resources
    from booklet.render.segments import Segmenter

    # A project's own document.html may not know how to show one part at a time.
    own = booklet.project.root / "layout" / "document.html"
    shipped = resources.defaults_dir("layout") / "document.html"
    if own.is_file() and own.resolve() != shipped.resolve():
        return False
    if not Segmenter.applies(booklet):
        return False
    if session.segmenter is None:
        session.segmenter = Segmenter()
    return True


def _locate(refused: list[tuple[str, Problem]], booklet: Booklet, base: str) -> list[Problem]:
    """Attach the source file and line where the content wrote each refused URL."""
    where = {urljoin(base, ref.target): ref for ref in booklet.references}
    out = []
    for url, problem in refused:
        ref = where.get(url)
        if ref is not None:
            out.append(replace(problem, file=ref.file, line=ref.line))
            continue
        from booklet.content.gate import find_in_design

        found = find_in_design(booklet.project.root, url)  # e.g. url() in a stylesheet
        out.append(replace(problem, file=found[0], line=found[1]) if found else problem)
    return out


def _unique(problems: list[Problem]) -> list[Problem]:
    """Drop repeated warnings (each edition renders the same content)."""
    return list(dict.fromkeys(problems))
