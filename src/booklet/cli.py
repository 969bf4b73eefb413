"""The command line: a thin layer over build() that prints messages, never tracebacks."""

from __future__ import annotations

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


@cli.command("build")
@click.argument("project_dir", type=click.Path(path_type=Path), default=".")
@click.option("--out", type=click.Path(path_type=Path), help="Output folder (default: dist/).")
@click.option("--edition", type=click.Choice(EDITION_CHOICES), default="all", show_default=True)
@click.option("-v", "--verbose", is_flag=True, help="Print warnings in full and stage timings.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def build_cmd(project_dir: Path, out: Path | None, edition: str, verbose: bool,
              quiet: bool) -> None:
    """Build the booklet in PROJECT_DIR (default: the current folder)."""
    from rich.console import Console

    from booklet.build import build

    console = Console(stderr=True)
    if quiet or not console.is_terminal:
        result = build(project_dir, out, edition)
    else:
        with console.status("", spinner="dots") as status:
            result = build(project_dir, out, edition, progress=status.update)
    root = result.project.root
    if not quiet:
        for w in result.warnings if verbose else result.warnings[:5]:
            click.echo("warning: " + w.format(root), err=True)
        if len(result.warnings) > 5 and not verbose:
            click.echo(f"… {len(result.warnings) - 5} more warnings (-v shows all, "
                       f"and {result.report.name if result.report else 'the report'} lists them)",
                       err=True)
        if verbose:
            for name, seconds in result.timings.items():
                click.echo(f"  {name:<16} {seconds:6.2f} s", err=True)
        for f in result.files:
            size = f"{f.bytes / 1024:.0f} KB" if f.bytes < 1 << 20 else f"{f.bytes / 2**20:.1f} MB"
            where = _short(f.path)
            click.echo(f"{f.edition}: {f.pages} pages, {size}, {result.seconds:.1f} s -> {where}")


def _short(path: Path) -> str:
    """Return *path* relative to the working folder when shorter."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code."""
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        cli.main(args=argv, prog_name="booklet", standalone_mode=False)
    except BookletError as exc:
        if debug:
            raise
        click.echo(f"error: {exc.format(Path.cwd())}", err=True)
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("interrupted: the previous files in dist/ are unchanged", err=True)
        return 130
    except KeyboardInterrupt:
        click.echo("interrupted: the previous files in dist/ are unchanged", err=True)
        return 130
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    return 0
