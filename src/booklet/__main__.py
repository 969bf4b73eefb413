"""Run booklet: the `booklet` command and ``python -m booklet``."""

import sys
from typing import NoReturn

# The garbage collector's thresholds for a process that builds once and exits: a first
# generation of 100 000 objects instead of 700 (booklet.build._freeze_imports keeps them).
ONE_SHOT_THRESHOLDS = (100_000, 50, 100)


def main(argv: list[str] | None = None) -> int:
    """Run a plain build through a running build server, anything else through the CLI."""
    from booklet.tools.client import try_server

    code = try_server(argv)
    if code is not None:
        return code
    one_shot = (sys.argv[1:] if argv is None else argv)[:1] == ["build"]
    if one_shot:
        # Importing and loading make few cyclic objects: with the default thresholds a warm
        # seed build ran 202 collections before the build froze its imports, ~70 ms for
        # 1 033 objects freed (measured with gc.callbacks). `booklet build` exits after
        # one build, so collect rarely from the start.
        import gc

        gc.set_threshold(*ONE_SHOT_THRESHOLDS)
    from booklet.cli import main as cli_main

    code = cli_main(argv)
    if one_shot and argv is None:  # the process itself (not a caller passing arguments)
        _end_process(code)
    return code


def _end_process(code: int) -> NoReturn:
    """Exit without freeing the build's objects one by one (~60 ms of CPU at the seed).

    The exit handlers still run (the temporary font folder is removed, logging flushed);
    the PDFs, the report and the caches are already written and closed.
    """
    import atexit
    import contextlib
    import os

    atexit._run_exitfuncs()  # what the interpreter's own exit would run first
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # closed, or a broken pipe
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    sys.exit(main())
