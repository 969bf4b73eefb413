"""Hand a plain `booklet build` to a running server before the CLI is even imported.

Importing click and the CLI costs a new process ~0.1 s, as much as the server needs to
answer a build where nothing changed. So the entry point (`booklet.__main__.main`) first
looks at the arguments: a plain `build` (project folder, --out, --edition, -v, -q) is sent
to the project's `booklet serve` if one answers (tools.server), with nothing but the
standard library imported; everything else, and every build no server takes, goes to the
click CLI.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

EDITIONS = ("screen", "print", "imposed", "all")


def plain_build(args: list[str]) -> dict[str, Any] | None:
    """Return the options of a plain `build` command line, None for anything else."""
    if not args or args[0] != "build":
        return None
    found: dict[str, Any] = {"project": ".", "out": None, "edition": "all", "verbose": False,
                             "quiet": False}
    positional = False
    rest = iter(args[1:])
    for arg in rest:
        name, eq, value = arg.partition("=")
        if name in ("--out", "--edition"):
            value = value if eq else next(rest, None)
            if value is None or (name == "--edition" and value not in EDITIONS):
                return None
            found[name[2:]] = value
        elif arg in ("-v", "--verbose"):
            found["verbose"] = True
        elif arg in ("-q", "--quiet"):
            found["quiet"] = True
        elif not arg.startswith("-") and not positional:
            found["project"], positional = arg, True
        else:
            return None  # --help, --no-server, combined flags...: the full CLI decides
    return found


def print_summary(done: dict[str, Any], verbose: bool, where: str = "") -> None:
    """Print a build's warnings, timings and files (a `server.summary()`)."""
    # A "note: " line (render/padding.py: notes pages added) is news, not a warning.
    notes = [w for w in done["warnings"] if w.startswith("note: ")]
    warnings = [w for w in done["warnings"] if not w.startswith("note: ")]
    for w in warnings if verbose else warnings[:5]:
        print("warning: " + w, file=sys.stderr)
    if len(warnings) > 5 and not verbose:
        print(f"… {len(warnings) - 5} more warnings (-v shows all, "
              f"and {done['report'] or 'the report'} lists them)", file=sys.stderr)
    if verbose:
        for name, seconds in done["timings"].items():
            print(f"  {name:<16} {seconds:6.2f} s", file=sys.stderr)
    files = done["files"]
    seconds = f", {done['seconds']:.1f} s{where}" if len(files) == 1 else ""
    for f in files:
        size = (f"{f['bytes'] / 1024:.0f} KB" if f["bytes"] < 1 << 20
                else f"{f['bytes'] / 2**20:.1f} MB")
        print(f"{f['edition']}: {f['pages']} pages, {size}{seconds} -> {short(Path(f['path']))}")
    if len(files) > 1:
        print(f"{len(files)} editions in {done['seconds']:.1f} s{where}")
    for note in notes:
        print(note.split("\n", 1)[0])
    sys.stdout.flush()


def short(path: Path) -> str:
    """Return *path* relative to the working folder when shorter."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def served(options: dict[str, Any]) -> int | None:
    """Have the project's server build; return the exit code, None when no server took it."""
    from booklet.tools.server import request_build

    out = Path(options["out"]) if options["out"] else None
    reply = request_build(Path(options["project"]), out, options["edition"])
    if reply is None:
        return None
    if not reply.get("ok"):
        print(f"error: {reply.get('error')}", file=sys.stderr)
        return int(reply.get("exit_code", 1))
    if not options["quiet"]:
        print_summary(reply, options["verbose"], " (build server)")
    return 0


def try_server(argv: list[str] | None = None) -> int | None:
    """Send a plain `booklet build` to the project's server; its exit code, None if not sent."""
    args = sys.argv[1:] if argv is None else argv
    options = plain_build(args)
    if options is None or os.environ.get("BOOKLET_NO_SERVER"):
        return None
    try:
        return served(options)
    except KeyboardInterrupt:
        print("interrupted (the build server may still finish this build)", file=sys.stderr)
        return 130
