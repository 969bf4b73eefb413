"""Run one figure's drawing in a forked child process, so it can be stopped.

A figure module is project code, but a bug in it must not hang or end the build: a draw()
that never returns is killed after the time limit (booklet.yaml `figure_timeout`, default
60 s), and one that calls sys.exit() or crashes the interpreter is reported, located at the
module, instead of ending booklet with exit 0 and nothing written. The child is a fork of
the build process, so matplotlib, the fonts and the loaded module are already in memory.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from booklet.errors import BookletError, FigureError, Problem


def run_limited(work: Callable[[], Any], module: Path, timeout: float) -> Any:
    """Return work() computed in a child process; raise a located FigureError on failure."""
    _warm_matplotlib()
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(send, work, module), daemon=True)
    child.start()
    send.close()
    try:
        if not receive.poll(timeout):
            raise FigureError(f"figures/{module.name} did not finish drawing", [Problem(
                f"draw() was stopped after {timeout:g} s", module,
                hint="make draw() finish (look for an endless loop), or raise "
                     "`figure_timeout` in booklet.yaml")])
        try:
            status, payload = receive.recv()
        except (EOFError, OSError):
            child.join(5)
            status, payload = "died", child.exitcode
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join(5)
    if status == "ok":
        return payload
    if status == "booklet":
        message, problems = payload
        raise FigureError(message, problems)
    if status == "exit":
        raise FigureError(f"figures/{module.name} ended the program instead of drawing", [
            Problem(f"the module called sys.exit({payload!r}) or exit()", module,
                    hint="remove the exit call: draw() must return a matplotlib Figure")])
    if status == "error":
        kind, text, line = payload
        raise FigureError(f"figures/{module.name} failed to draw", [Problem(
            f"{kind}: {text}", module, line,
            hint=DEBUG_HINT)])
    raise FigureError(f"figures/{module.name} crashed while drawing", [Problem(
        f"the drawing process ended with code {payload}", module,
        hint="the module crashed Python (e.g. os._exit or a crash in C code); fix draw()")])


DEBUG_HINT = ("fix the module's draw(); `booklet --debug build` prints the traceback "
              "(README, “Figures”)")


def debug_traceback(exc: BaseException) -> str:
    """Return the traceback of *exc* as text after a newline under --debug, else ""."""
    if not os.environ.get("BOOKLET_DEBUG"):
        return ""
    return "\n" + "".join(traceback.format_exception(exc)).rstrip()


def _child(send: Any, work: Callable[[], Any], module: Path) -> None:
    """Compute work() and send ("ok", result) or what went wrong; never return normally."""
    try:
        result: tuple[str, Any] = ("ok", work())
    except BookletError as exc:
        result = ("booklet", (exc.message, exc.problems))
    except SystemExit as exc:
        result = ("exit", exc.code)
    except BaseException as exc:  # everything else becomes a located message
        lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__)
                 if f.filename == str(module)]
        result = ("error", (type(exc).__name__, str(exc) + debug_traceback(exc),
                            lines[-1] if lines else None))
    try:
        send.send(result)
    except Exception as exc:  # e.g. a result that cannot be pickled
        send.send(("error", (type(exc).__name__, str(exc), None)))
    finally:
        send.close()
    os._exit(0)  # skip atexit and the parent's cleanup handlers inherited by the fork


def _warm_matplotlib() -> None:
    """Import matplotlib and load its font list once here, so every child inherits them."""
    import matplotlib.backends.backend_svg
    import matplotlib.figure  # noqa: F401
    from matplotlib import font_manager

    font_manager.fontManager  # noqa: B018 - loading it is the point


@contextlib.contextmanager
def import_time_limit(seconds: float, module: Path) -> Iterator[None]:
    """Stop the import of a figure module that runs longer than *seconds* (main thread only).

    Importing happens in the build process (the data model must live there), so a timer
    signal interrupts it; Python code is interrupted at once, a long C call when it returns.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise FigureError(f"figures/{module.name} did not finish importing", [Problem(
            f"importing the module was stopped after {seconds:g} s", module,
            hint="move slow work out of the module's top level (into draw()), or raise "
                 "`figure_timeout` in booklet.yaml")])

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
