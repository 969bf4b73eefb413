"""Pipeline stage: draw the booklet's charts and QR codes as themed, cached, vector SVG.

A chart block names ``figures/<figure>.py`` and a data file under ``seeds/``. The module
defines ``Data`` (a pydantic model of the data file), ``draw(data, theme) -> Figure`` and
``describe(data) -> str`` (the Chinese text alternative); optionally ``SIZE``. Output is SVG
with text kept as text, so WeasyPrint sets the labels in the body's fonts and they stay
selectable; a CMYK twin of each file serves the print edition.
"""

from __future__ import annotations

import importlib.metadata
import io
import sys
import time
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from booklet.content.blocks import QR, Chart
from booklet.content.config import Project
from booklet.errors import ContentError, FigureError, Problem
from booklet.figures.cache import Entry, FigureCache, digest
from booklet.figures.load import (
    chart_file_problems,
    helper_code,
    line_in,
    load_data,
    load_module,
    package_for,
)
from booklet.figures.qrcode import qr_svg
from booklet.figures.sandbox import DEBUG_HINT, debug_traceback, import_time_limit, run_limited
from booklet.figures.svg import finish_svg, to_cmyk
from booklet.figures.theme import Theme, theme_from

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# Bump when this stage changes what it writes into a figure file: old entries then miss.
PIPELINE_VERSION = "3"


@dataclass(frozen=True)
class FigureFile:
    """One drawn figure, ready to embed: SVG for screen, CMYK SVG for print."""

    key: str
    svg: Path
    cmyk_svg: Path | None
    alt: str
    width_mm: float
    height_mm: float
    drawn: bool
    source: str = ""

    @property
    def src(self) -> str:
        """Return the screen (RGB) file as a URL for <img src>."""
        return self.svg.as_uri()

    def src_for(self, edition: str) -> str:
        """Return the file URL for *edition*: the CMYK twin for "print" when there is one."""
        path = self.cmyk_svg if edition == "print" and self.cmyk_svg else self.svg
        return path.as_uri()


@dataclass(frozen=True)
class FigureSet:
    """Every figure of the booklet by key, and what the stage did to get them."""

    files: Mapping[str, FigureFile]
    drawn: int
    cached: int
    seconds: float
    warnings: tuple[Problem, ...] = ()

    def for_chart(self, chart: Chart) -> FigureFile | None:
        """Return the figure drawn for a chart block, with the block's own alt if it has one."""
        found = self.files.get(chart_key(chart))
        return replace(found, alt=chart.alt) if found and chart.alt else found

    def for_qr(self, qr: QR) -> FigureFile | None:
        """Return the figure drawn for a QR block."""
        return self.files.get(qr_key(qr))

    def lookup(self, block: object) -> FigureFile | None:
        """Return the figure of a chart or QR block, or None for other blocks."""
        if isinstance(block, Chart):
            return self.for_chart(block)
        return self.for_qr(block) if isinstance(block, QR) else None


def chart_key(chart: Chart) -> str:
    """Return the stable key of a chart: figure, data file and any size the block asks for."""
    size = f"@{chart.size}" if "size" in chart.model_fields_set else ""
    return f"chart:{chart.figure}:{chart.data}{size}"


def qr_key(qr: QR) -> str:
    """Return the stable key of a QR code: its URL."""
    return f"qr:{qr.url}"


@dataclass(frozen=True)
class _Job:
    """A chart block resolved to files, with the hash of everything its drawing depends on."""

    key: str
    chapter: Path
    chart: Chart
    module: Path
    data: Path
    theme: Theme
    digest: str


def draw_figures(charts: Sequence[tuple[Path, Chart]], qrs: Sequence[tuple[Path, QR]],
                 project: Project) -> FigureSet:
    """Draw every chart and QR code not already in the cache; return all of them by key."""
    start = time.perf_counter()
    theme = theme_from(project.config)
    cache = FigureCache(project.root / ".cache" / "figures")
    cmyk = project.config.editions.print
    jobs = _resolve(charts, project, theme, cmyk)
    entries = {job.key: cache.get(job.chart.figure, job.digest) for job in jobs}
    pending = [job for job in jobs if entries[job.key] is None]
    for job, meta, svg in _draw_charts(pending, project):
        entries[job.key] = _store(cache, job.chart.figure, job.digest, svg, meta, theme, cmyk)
    files = {job.key: _figure_file(job.key, entries[job.key], job in pending) for job in jobs}
    warnings = [w for job in jobs for w in _warnings(entries[job.key], job.module)]
    drawn = len(pending)
    for _chapter, qr in qrs:
        key = qr_key(qr)
        if key not in files:
            files[key] = _qr_file(qr, theme, cache, cmyk)
            drawn += files[key].drawn
    return FigureSet(files, drawn, len(files) - drawn, round(time.perf_counter() - start, 4),
                     tuple(warnings))


def _qr_file(qr: QR, theme: Theme, cache: FigureCache, cmyk: bool) -> FigureFile:
    """Return the QR code of a block from the cache, drawing it if needed."""
    key = digest(PIPELINE_VERSION, importlib.metadata.version("segno"), qr.url,
                 theme.fingerprint(), str(cmyk))
    entry = cache.get("qr", key)
    if entry is not None:
        return _figure_file(qr_key(qr), entry, drawn=False)
    alt = f"二维码，链接到 {qr.url}"
    try:
        svg = qr_svg(qr.url, theme.qr_mm, theme.color("ink"), theme.color("paper"), alt)
    except ValueError as exc:  # segno's DataOverflowError: checked at load, kept as a guard
        raise FigureError("a QR code cannot be drawn", [Problem(
            f"{qr.url[:60]}…: {exc}", hint="use a shorter URL")]) from exc
    meta = {"alt": alt, "width_mm": theme.qr_mm, "height_mm": theme.qr_mm}
    return _figure_file(qr_key(qr), _store(cache, "qr", key, svg, meta, theme, cmyk), True)


def _store(cache: FigureCache, stem: str, key: str, svg: str, meta: dict[str, Any],
           theme: Theme, cmyk: bool) -> Entry:
    """Write a drawn figure (and its CMYK twin) to the cache."""
    try:
        return cache.put(stem, key, svg, _cmyk(svg, theme, cmyk), meta)
    except OSError as exc:
        raise FigureError("cannot write figure files", [Problem(
            str(exc), cache.folder, hint="check that the project folder is writable")]) from exc


def _figure_file(key: str, entry: Entry | None, drawn: bool) -> FigureFile:
    assert entry is not None
    meta = entry.meta
    return FigureFile(key, entry.svg, entry.cmyk, meta["alt"], meta["width_mm"],
                      meta["height_mm"], drawn, meta.get("source", ""))


def _warnings(entry: Entry | None, module: Path) -> list[Problem]:
    meta = entry.meta if entry is not None else {}
    return [Problem(text, module, hint=hint) for text, hint in meta.get("warnings", [])]


def _cmyk(svg: str, theme: Theme, wanted: bool) -> str | None:
    """Return the print twin of *svg*: token colours as device-cmyk()."""
    if not wanted:
        return None
    tokens: dict[str, tuple[float, ...]] = {}
    # The SVG is drawn in screen colours; a token's print rgb (a module may write it as a
    # literal) maps to its CMYK too, unless another token draws in that colour on screen.
    for values in (theme.colors, theme.print_rgb):
        for name, rgb in values.items():
            tokens.setdefault(rgb.upper(), theme.cmyk[name])
    return to_cmyk(svg, tokens)[0]


def _resolve(charts: Sequence[tuple[Path, Chart]], project: Project, theme: Theme,
             cmyk: bool) -> list[_Job]:
    """Find each chart's module and data file; report every missing one at once."""
    folder = project.root / "figures"
    shared = helper_code(folder)
    mpl = importlib.metadata.version("matplotlib")
    jobs: list[_Job] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for chapter, chart in charts:
        key = chart_key(chart)
        module = folder / f"{chart.figure}.py"
        data = project.seeds / chart.data
        problems += chart_file_problems(chapter, chart, module, data, project.root)
        if problems or key in seen:
            continue
        seen.add(key)
        size = chart.size if "size" in chart.model_fields_set else None
        job_theme = replace(theme, size=size) if size else theme
        jobs.append(_Job(key, chapter, chart, module, data, job_theme, digest(
            PIPELINE_VERSION, mpl, module.read_bytes(), shared, data.read_bytes(),
            job_theme.fingerprint(), str(size), str(cmyk))))
    if problems:
        raise ContentError("some charts name a figure module or data file that does not exist",
                           problems)
    return jobs


def _draw_charts(jobs: list[_Job], project: Project) -> list[tuple[_Job, dict[str, Any], str]]:
    """Load modules and data for every job (reporting all problems), then draw each."""
    if not jobs:
        return []
    package = package_for(project.root / "figures")
    loaded = []
    module_problems: list[Problem] = []
    data_problems: list[Problem] = []
    for job in jobs:
        with import_time_limit(project.config.figure_timeout, job.module):
            module = load_module(job.module, package, module_problems)
        if module is None:
            continue
        data = load_data(module, job.data, data_problems)
        if data is not None:
            loaded.append((job, module, data))
    if module_problems:
        raise FigureError("some figure modules cannot be loaded", module_problems)
    if data_problems:
        raise ContentError("some figure data files are not valid", data_problems)
    out = []
    for job, module, data in loaded:
        size = job.theme.size if "size" in job.chart.model_fields_set else getattr(
            module, "SIZE", "column")
        theme = replace(job.theme, size=size)
        # In a child process with a time limit: a hanging or exiting module is an error.
        svg, width, height, warnings, alt = run_limited(
            lambda m=module, d=data, t=theme, p=job.module: _draw_one(m, d, t, p),
            job.module, project.config.figure_timeout)
        meta = {"alt": alt, "width_mm": width, "height_mm": height,
                "source": getattr(data, "credit", "") or "", "warnings": warnings}
        out.append((job, meta, finish_svg(svg, alt)))
    return out


def _draw_one(module: types.ModuleType, data: Any, theme: Theme,
              path: Path) -> tuple[str, float, float, list[tuple[str, str]], str]:
    """Draw one figure and describe it: what runs in the time-limited child."""
    svg, width, height, warnings = _render(module, data, theme, path)
    try:
        alt = str(module.describe(data))
    except Exception as exc:
        raise FigureError(f"figures/{path.name} failed to describe its data", [
            Problem(f"{type(exc).__name__}: {exc}", path, line_in(exc, path),
                    hint="describe(data) must return the figure's Chinese text alternative")
        ]) from exc
    return svg, width, height, warnings, alt


def _render(module: types.ModuleType, data: Any, theme: Theme,
            path: Path) -> tuple[str, float, float, list[tuple[str, str]]]:
    """Draw one figure with matplotlib's global state reset around it; return SVG and size."""
    import matplotlib
    from matplotlib.text import Text

    with matplotlib.rc_context():
        # Start from matplotlib's defaults, not the machine's matplotlibrc, so every
        # machine draws the same bytes (the plot_directive habit).
        matplotlib.rcdefaults()
        matplotlib.rcParams.update(theme.rc())
        fig = None
        try:
            fig = module.draw(data, theme)
            buffer = io.StringIO()
            fig.savefig(buffer, format="svg", metadata={"Date": None})
        except Exception as exc:
            raise FigureError(f"figures/{path.name} failed to draw", [
                Problem(f"{type(exc).__name__}: {exc}{debug_traceback(exc)}", path,
                        line_in(exc, path), hint=DEBUG_HINT)
            ]) from exc
        finally:
            _close(fig)
    width, height = (v * 25.4 for v in fig.get_size_inches())
    if abs(width - theme.width_mm()) > 0.05:
        raise FigureError(f"figures/{path.name} draws at the wrong width", [Problem(
            f"the figure is {width:.1f} mm wide but a {theme.size} figure is "
            f"{theme.width_mm():.1f} mm", path, hint="create it with theme.figure(...)")])
    small = sorted({t.get_text() for t in fig.findobj(Text)
                    if t.get_visible() and t.get_text().strip()
                    and t.get_fontsize() < theme.min_pt - 1e-6})
    if small:  # the house rule (print.ink.min_text): the press cannot hold smaller type
        raise FigureError(f"figures/{path.name} sets text under {theme.min_pt:g} pt", [Problem(
            f"text smaller than {theme.min_pt:g} pt at print size: " + "、".join(small), path,
            hint=f"use theme.small_pt ({theme.small_pt:g} pt) or larger")])
    return buffer.getvalue(), round(width, 2), round(height, 2), []


def _close(fig: Figure | None) -> None:
    """Release the figure from pyplot if the module used it (we never import pyplot)."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if fig is not None and pyplot is not None:
        pyplot.close(fig)
