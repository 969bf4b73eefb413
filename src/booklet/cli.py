"""The command line: a thin layer over build() that prints messages, never tracebacks."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import click

from booklet.errors import BookletError

EDITION_CHOICES = ("screen", "print", "imposed", "all")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="booklet")
@click.option("--debug", is_flag=True, help="Show Python tracebacks for errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Typeset print-ready Chinese PDF booklets."""
    ctx.obj = {"debug": debug}
    if debug:  # figures draw in child processes: they print their traceback too
        import os

        os.environ["BOOKLET_DEBUG"] = "1"


@cli.command("build")
@click.argument("project_dir", type=click.Path(path_type=Path), default=".")
@click.option("--out", type=click.Path(path_type=Path), help="Output folder (default: dist/).")
@click.option("--edition", type=click.Choice(EDITION_CHOICES), default="all", show_default=True)
@click.option("-v", "--verbose", is_flag=True, help="Print warnings in full and stage timings.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("--no-server", is_flag=True, envvar="BOOKLET_NO_SERVER",
              help="Build in this process even if `booklet serve` runs for the project.")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Processes to use (default: every usable core); with 2 or more the print "
                   "edition is laid out next to the screen one.")
def build_cmd(project_dir: Path, out: Path | None, edition: str, verbose: bool,
              quiet: bool, no_server: bool, jobs: int | None) -> None:
    """Build the booklet in PROJECT_DIR (default: the current folder)."""
    from booklet.tools.client import print_summary, served

    options = {"project": project_dir, "out": out, "edition": edition, "verbose": verbose,
               "quiet": quiet}
    debug = click.get_current_context().find_root().obj.get("debug")
    if not no_server and not debug and jobs is None and (code := served(options)) is not None:
        if code:
            raise click.exceptions.Exit(code)
        return
    from booklet.build import build

    if quiet:  # nothing to show: rich (~15 ms of imports) is not needed
        build(project_dir, out, edition, one_shot=True, jobs=jobs)
        return
    from rich.console import Console

    from booklet.tools.server import summary

    console = Console(stderr=True)
    if not console.is_terminal:
        result = build(project_dir, out, edition, one_shot=True, jobs=jobs)
    else:
        with console.status("", spinner="dots") as status:
            result = build(project_dir, out, edition, progress=status.update, one_shot=True,
                           jobs=jobs)
    print_summary(summary(result), verbose)


@cli.command("serve")
@click.argument("project_dir", type=click.Path(path_type=Path), default=".")
@click.option("--stop", is_flag=True, help="Stop the server of PROJECT_DIR and exit.")
def serve_cmd(project_dir: Path, stop: bool) -> None:
    """Keep a warm build process for PROJECT_DIR that `booklet build` hands its builds to."""
    from booklet.tools.server import BuildServer, socket_path, stop_server

    if stop:
        click.echo("server stopped" if stop_server(project_dir) else "no server was running")
        return
    server = BuildServer(project_dir, echo=click.echo)
    click.echo(f"build server for {server.root} on {_short(socket_path(server.root))} "
               "(Ctrl-C or `booklet serve --stop` stops)")
    with contextlib.suppress(KeyboardInterrupt):
        server.serve()
    click.echo("build server stopped")


@cli.command("check")
@click.argument("project_dir", type=click.Path(path_type=Path), default=".")
@click.option("--edition", type=click.Choice(("screen", "print", "all")), default="all",
              show_default=True, help="all = every enabled edition, photo placeholders as "
              "warnings; print = ready for the print shop, placeholders are errors.")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.option("-v", "--verbose", is_flag=True, help="List every finding, notes included.")
def check_cmd(project_dir: Path, edition: str, as_json: bool, strict: bool,
              verbose: bool) -> int:
    """Check content, layout and PDF output: exit 0 clean, 1 problems, 2 could not run."""
    from booklet.check.preflight import check_command

    return check_command(project_dir, edition, as_json, strict, verbose)


@cli.command("diff")
@click.argument("old", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(path_type=Path),
              help="Report folder (default: NEW's folder/<name>.diff/).")
@click.option("--dpi", type=click.FloatRange(10, 600), default=60, show_default=True,
              help="Resolution of images (10-600).")
def diff_cmd(old: Path, new: Path, out: Path | None, dpi: float) -> int:
    """Compare two PDFs page by page: exit 0 same, 1 pages differ."""
    from booklet.tools.diff import diff_command

    return diff_command(old, new, out, dpi)


@cli.command("new")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", default="我的小册子", show_default=True, help="The booklet's title.")
def new_cmd(folder: Path, title: str) -> None:
    """Create a booklet project in FOLDER (new or empty) that builds at once."""
    from booklet.content.resources import defaults_dir
    from booklet.tools.scaffold import new_project

    for path in new_project(folder, title):
        click.echo(f"created {_short(path)}")
    click.echo(f"shipped design: {defaults_dir('layout')} and {defaults_dir('styles')}\n"
               f"next: {_booklet_command()} build {_short(folder)}")


@cli.command("proof")
@click.argument("project_dir", type=click.Path(path_type=Path), default=".")
@click.option("--dpi", type=click.FloatRange(10, 1200), default=100, show_default=True,
              help="Resolution of pages (10-1200).")
@click.option("--edition", type=click.Choice(("screen", "print")), default="screen",
              show_default=True)
@click.option("--no-build", is_flag=True, help="Proof the PDF already in dist/.")
def proof_cmd(project_dir: Path, dpi: float, edition: str, no_build: bool) -> None:
    """Write dist/proof/page-NN.png and dist/proof/contact-sheet.png."""
    from booklet.tools.proof import proof_project

    files = proof_project(project_dir, dpi, edition, rebuild=not no_build)
    click.echo(f"{len(files) - 1} pages -> {_short(files[-1].parent)}/ "
               f"(contact sheet: {_short(files[-1])})")


@cli.command("watch")
@click.argument("project_dir", type=click.Path(path_type=Path), default=".")
@click.option("--out", type=click.Path(path_type=Path), help="Output folder (default: dist/).")
@click.option("--print-after", type=float, default=10.0, show_default=True,
              help="Seconds of quiet after which the print and imposed editions are rebuilt.")
def watch_cmd(project_dir: Path, out: Path | None, print_after: float) -> None:
    """Rebuild the screen edition whenever a file in PROJECT_DIR changes."""
    from booklet.tools.watch import watch

    watch(project_dir, out, print_after, echo=click.echo)


def _booklet_command() -> str:
    """Return how to call this booklet again: `booklet` when on PATH, else its full path."""
    import shutil

    me = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    found = shutil.which("booklet")
    if me is not None and me.name == "booklet" and me.exists():
        if found and Path(found).resolve() == me.resolve():
            return "booklet"
        return str(me.absolute())
    if found:
        return "booklet"
    return f"{sys.executable} -m booklet"


def _short(path: Path) -> str:
    """Return *path* relative to the working folder when shorter."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _outputs_state() -> str:
    """Say truthfully what a reader of the output folder sees after a failed command."""
    from booklet.editions.publish import last_outcome

    switched, out = last_outcome()
    if switched:
        return f"the new editions were already published to {_short(Path(out))}"
    where = _short(Path(out)) if out else "the output folder"
    return f"the previous files in {where} are unchanged"


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code: 0 done, 1 failed checks or a bug, 2 bad input."""
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        result = cli.main(args=argv, prog_name="booklet", standalone_mode=False)
    except BookletError as exc:
        if debug:  # booklet's own traceback, then the message (a figure's traceback is in it)
            import traceback

            traceback.print_exc()
        click.echo(f"error: {exc.format(Path.cwd())}", err=True)
        return exc.exit_code
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo(f"interrupted: {_outputs_state()}", err=True)
        return 130
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except Exception as exc:  # a bug of ours: say so plainly, keep the traceback for --debug
        if debug:
            raise
        click.echo(f"internal error: {type(exc).__name__}: {exc}\n"
                   f"  {_outputs_state()}; run again with --debug "
                   "for the traceback, and please report it", err=True)
        return 1
    return result if isinstance(result, int) else 0
