"""`booklet check`: tell editors and the print shop what is wrong before printing.

The check renders the editions itself, in memory, and never reads or writes dist/: the
layout checks need WeasyPrint's boxes (which paragraph a line belongs to, the column it
was set in), which exist only in the process that laid the pages out, and a PDF lying in
dist/ may be stale or edited by hand. Rendering the seed booklet costs ~2 s per edition.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from booklet import __version__
from booklet.check.common import CHECKS, SEVERITIES, Finding, SourceIndex, merge_editions
from booklet.errors import BookletError, ConfigError, ContentError, Problem

if TYPE_CHECKING:
    from rich.console import Console

    from booklet.content.chapters import Booklet
    from booklet.content.config import Project

SCHEMA = "booklet-check/1"
GROUPS = ("content", "copy", "layout", "output")
Progress = Callable[[str], None]


@dataclass
class CheckReport:
    """Everything a check found, and what it could not check."""

    root: Path
    edition: str
    strict: bool = False
    title: str = ""
    editions: list[str] = field(default_factory=list)
    pages: dict[str, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, severity: str) -> int:
        """Return how many findings have *severity*."""
        return sum(f.severity == severity for f in self.findings)

    @property
    def exit_code(self) -> int:
        """Return 1 when there are errors (or warnings under --strict), else 0."""
        if self.count("error") or (self.strict and self.count("warning")):
            return 1
        return 0

    def to_json(self) -> dict[str, Any]:
        """Return the report as plain data (the documented --json schema)."""
        return {
            "schema": SCHEMA, "booklet": __version__, "project": str(self.root),
            "title": self.title, "edition": self.edition, "editions": self.editions,
            "pages": self.pages, "strict": self.strict, "exit_code": self.exit_code,
            "seconds": round(self.seconds, 2),
            "summary": {s: self.count(s) for s in SEVERITIES},
            "skipped": self.skipped,
            "findings": [f.to_json(self.root) for f in self.findings],
        }


def editions_to_check(edition: str, project: Project) -> list[str]:
    """Return the editions to render: the one asked for, or every enabled one for "all"."""
    if edition != "all":
        return [edition]
    enabled = project.config.editions
    wanted = [e for e in ("screen", "print")
              if getattr(enabled, e) or (e == "print" and enabled.imposed)]
    return wanted or ["screen"]


def run_checks(root: Path, edition: str = "all", strict: bool = False,
               progress: Progress | None = None) -> CheckReport:
    """Check the project in *root*; raise BookletError (exit 2) when checking is impossible."""
    from booklet.content.config import CONFIG_NAME, load_project
    from booklet.render.environment import check_environment

    say = progress or (lambda _: None)
    start = time.perf_counter()
    report = CheckReport(root.resolve(), edition, strict)
    if not (report.root / "seeds" / CONFIG_NAME).is_file():
        load_project(report.root)  # raises the "no booklet project here" error
    try:
        project = load_project(report.root)
    except ConfigError as exc:
        report.findings += [Finding.of(p, "error", "config") for p in exc.problems]
        report.skipped.append("content, layout and output: fix booklet.yaml first")
        return _done(report, start)
    report.title = project.config.title
    # A machine without the fonts cannot check: exit 2.
    check_environment(project.config, project.seeds / CONFIG_NAME)
    _check_project(project, report, say)
    from booklet.check.copy import copy_queries

    report.findings += copy_queries(project, report.pages.get("screen") or max(
        report.pages.values(), default=None))
    return _done(report, start)


def _done(report: CheckReport, start: float) -> CheckReport:
    """Merge, sort and time the findings."""
    order = {g: i for i, g in enumerate(GROUPS)}
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    report.findings = sorted(merge_editions(report.findings), key=lambda f: (
        order.get(f.group, 9), rank[f.severity], f.check, str(f.file or ""), f.line or 0,
        f.page or 0))
    report.seconds = time.perf_counter() - start
    return report


def _check_project(project: Project, report: CheckReport, say: Progress) -> None:
    """Run the content checks, then render each edition and run the layout/output checks."""
    from booklet.check import content
    from booklet.content.chapters import load_booklet

    say("检查内容 Checking content")
    report.findings += content.glyphs(project)
    report.findings += content.config_punctuation(project)
    try:
        booklet = load_booklet(project)
    except ContentError as exc:
        report.findings += content.problems_to_findings(exc.problems, "content")
        report.skipped.append("layout and output: fix the content errors first")
        return
    # Placeholders stand in for photos while drafting; a print run must not carry them.
    report.findings += content.missing_images(
        booklet, "error" if report.edition == "print" else "warning")
    report.findings += [Finding.of(w, "warning", "content") for w in booklet.warnings
                        if w.field not in ("photo.src", "image")]
    index = SourceIndex(project, booklet)
    from booklet.figures.draw import draw_figures

    try:
        figures = draw_figures(booklet.charts, booklet.qrs, project)
    except BookletError as exc:
        report.findings += _error_findings(exc, "content")
        report.skipped.append("layout and output: the figures could not be drawn")
        return
    report.editions = editions_to_check(report.edition, project)
    from booklet.images import prepare_images

    say("处理图片 Preparing photos")
    images = prepare_images(booklet, project, report.editions, strict=False)
    report.findings += [Finding.of(p, "error", "image-invalid") for p in images.errors]
    report.findings += [Finding.of(p, "warning", "image-colour") for p in images.warnings]
    for name in report.editions:
        _check_edition(project, booklet, figures, images, index, name, report, say)


def _check_edition(project: Project, booklet: Booklet, figures: Any, images: Any,
                   index: SourceIndex, name: str, report: CheckReport, say: Progress) -> None:
    """Render one edition and run the layout and output checks on it."""
    from booklet.check import content
    from booklet.check.footnotes import check_footnotes
    from booklet.check.layout import check_document
    from booklet.check.output import check_pdf, image_resolution, image_sources, size_budget
    from booklet.check.placement import check_placement
    from booklet.check.spacing import check_spacing
    from booklet.compose.html import base_url
    from booklet.editions.write import produce
    from booklet.render.floats import render_floating

    say(f"渲染 Rendering {name}")
    try:
        rendered, _ = render_floating(booklet, figures, name, project,  # type: ignore[arg-type]
                                      images=images)
    except BookletError as exc:
        report.findings += _error_findings(exc, "render", name)
        report.skipped.append(f"layout and output of the {name} edition: it did not render")
        return
    report.findings += content.render_warnings(
        rendered.warnings + _locate(rendered.refused, booklet, base_url(project)), name)
    say(f"检查版面 Checking {name} layout")
    report.findings += content.links(rendered.document, index, booklet, name)
    report.findings += check_document(rendered.document, index, name)
    report.findings += check_footnotes(rendered.document, index, name)
    report.findings += check_spacing(rendered.document, index, name)
    report.findings += check_placement(rendered.document, index, name)
    if name == "print":  # the screen edition's photos are reduced to screen_ppi on purpose
        settings = project.config.images
        report.findings += image_resolution(rendered.document, index, name,
                                            settings.print_warn_ppi, settings.print_min_ppi)
    say(f"检查 PDF Checking {name} PDF")
    try:
        made = produce({name: rendered}, project, (name,))[name]
    except BookletError as exc:
        report.findings += _error_findings(exc, "render", name)
        report.skipped.append(f"output checks of the {name} edition: no PDF was written")
        return
    report.pages[name] = made.pages
    sources = image_sources(rendered.document, index) if name == "print" else None
    report.findings += check_pdf(made.data, project.config, name, sources)
    if name == "screen":
        report.findings += size_budget(len(made.data), project.config.images.screen_budget_mb,
                                       name)
        from booklet.check.contrast import contrast_findings

        report.findings += contrast_findings(rendered.document, made.data, index, project.config)
        from booklet.check.figure_contrast import figure_contrast_findings

        report.findings += figure_contrast_findings(rendered.document, made.data, booklet,
                                                    figures, project.config)
    if name == "print":
        from booklet.check.ink import check_ink
        from booklet.content.intents import output_intent

        report.findings += check_ink(made.data, project.config, index, name)
        generic = output_intent(project).warning()  # the printer must confirm it
        if generic is not None:
            report.findings.append(Finding.of(generic, "warning", "output-intent", name))


def _locate(refused: list[tuple[str, Problem]], booklet: Booklet, base: str) -> list[Problem]:
    """Return the renderer's refused loads with the source line that asked for them."""
    from dataclasses import replace

    where = {urljoin(base, ref.target): ref for ref in booklet.references}
    return [replace(p, file=where[url].file, line=where[url].line) if url in where else p
            for url, p in refused]


def _error_findings(exc: BookletError, check: str, edition: str | None = None) -> list[Finding]:
    """Return an error's located problems, or its message, as error findings."""
    if exc.problems:
        return [Finding.of(p, "error", check, edition) for p in exc.problems]
    return [Finding("error", check, exc.message, edition=edition)]


# --- human output ------------------------------------------------------------------------

_STYLE = {"error": "bold red", "warning": "yellow", "info": "dim"}
_LABEL = {"error": "error", "warning": "warning", "info": "note"}
SHOWN_PER_CHECK = 5


def print_report(report: CheckReport, console: Console, verbose: bool = False) -> None:
    """Print the findings as one table per group, then a one-line verdict."""
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    pages = ", ".join(f"{e} {n} pages" for e, n in report.pages.items()) or "not rendered"
    console.print(f"[bold]booklet check[/] {report.title} — {pages} — {report.seconds:.1f} s")
    if report.edition != "print" and any(f.check == "image-missing" for f in report.findings):
        console.print("[dim]photo placeholders count as warnings; "
                      "`booklet check --edition print` makes them errors[/]")
    several = len(report.editions) > 1
    for group in GROUPS:
        items = [f for f in report.findings if f.group == group
                 and (verbose or f.severity != "info" or group == "copy")]
        if not items:
            continue
        table = Table(title=group.capitalize(), title_justify="left", box=box.SIMPLE_HEAD,
                      expand=True, title_style="bold", pad_edge=False)
        table.add_column("", no_wrap=True, width=7)
        table.add_column("where", no_wrap=True, overflow="ellipsis", max_width=44)
        table.add_column("problem  [dim]→ fix[/]", ratio=1)
        shown: Counter[str] = Counter()
        hidden: Counter[str] = Counter()
        for f in items:
            if shown[f.check] >= SHOWN_PER_CHECK and not verbose:
                hidden[f.check] += 1
                continue
            shown[f.check] += 1
            where = f.where(report.root)
            if several and f.edition and "+" not in f.edition:
                where += f" ({f.edition})"
            text = escape(f.message) + (f"\n[dim]→ {escape(f.hint)}[/]" if f.hint else "")
            table.add_row(f"[{_STYLE[f.severity]}]{_LABEL[f.severity]}[/]", where or "—", text)
        for check, n in hidden.items():
            table.add_row("", "", f"[dim]… {n} more {check} (--verbose shows all)[/]")
        console.print(table)
    for note in report.skipped:
        console.print(f"[yellow]not checked:[/] {note}")
    errors, warnings, notes = (report.count(s) for s in SEVERITIES)
    verdict = ("[bold red]✗ not ready[/]" if report.exit_code else "[bold green]✓ ready[/]")
    extra = " (--strict: warnings fail)" if report.strict and warnings else ""
    # Notes of the Copy group are always listed: say "-v" only when some were left out.
    unlisted = sum(1 for f in report.findings if f.severity == "info" and f.group != "copy")
    hidden_notes = " (-v lists them)" if unlisted and not verbose else ""
    console.print(f"{verdict}: {errors} error(s), {warnings} warning(s), {notes} note(s)"
                  f"{hidden_notes}{extra} — exit {report.exit_code}")


def check_command(project_dir: Path, edition: str, as_json: bool, strict: bool,
                  verbose: bool) -> int:
    """Run `booklet check` and return its exit code (0 clean, 1 problems, 2 could not run)."""
    import json
    import os

    import click
    from rich.console import Console

    # Piped output (CI logs, files) gets a readable fixed width unless COLUMNS says otherwise.
    piped = not Console().is_terminal and "COLUMNS" not in os.environ
    console = Console(stderr=False, width=120 if piped else None)
    status = Console(stderr=True)
    try:
        try:
            if as_json or not status.is_terminal:
                report = run_checks(project_dir, edition, strict)
            else:
                with status.status("", spinner="dots") as spinner:
                    report = run_checks(project_dir, edition, strict, progress=spinner.update)
        except (BookletError, KeyboardInterrupt):
            raise
        except Exception as exc:  # a bug in a check must not read as "problems found" (1)
            raise BookletError(f"booklet check could not run: {type(exc).__name__}: {exc} "
                               "(--debug shows the traceback; please report it)") from exc
    except BookletError as exc:
        if not as_json:
            raise
        click.echo(json.dumps({"schema": SCHEMA, "booklet": __version__, "exit_code": 2,
                               "error": exc.format(Path.cwd())}, ensure_ascii=False, indent=2))
        return 2
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print_report(report, console, verbose)
    return report.exit_code


__all__ = ["CHECKS", "CheckReport", "check_command", "print_report", "run_checks"]
