"""Plan a chapter's figure moves in a forked process, while this one lays it out with a guess.

A chapter with figures to float is laid out twice: unmoved, to plan the moves
(render.floats.plan_moves), then with them. A clean build plans from the unmoved layout, so
a watch rebuild must too. But after a one-sentence edit the plan is nearly always the last
build's: booklet.render.segments lays the chapter out with the last moves at once, while a
child process forked here lays it out unmoved and sends back the plan (a few Moves, pickled).
When the plan is the guess, the guessed layout is the layout a clean build makes (the same
HTML laid out the same way); when it is not, segments lays the chapter out again with the
real plan. The child never writes anything and ends with os._exit; any failure in it makes
the parent plan as before, by itself.
"""

from __future__ import annotations

import contextlib
import os
import signal
from typing import Any

from booklet.compose.floats import Move
from booklet.render import forked


class Planner:
    """The plan of one chapter, being made in a child process."""

    def __init__(self, pid: int, reader: int) -> None:
        self.pid = pid
        self.reader = reader

    def result(self) -> list[Move] | None:
        """Wait for the child; return its plan, None if it failed (plan here instead)."""
        moves, code = forked.receive(self.pid, self.reader)
        self.pid = 0
        if code != 0 or moves is forked.NO_ANSWER:
            return None
        return moves if isinstance(moves, list) else None

    def cancel(self) -> None:
        """End the child (the parent's own layout failed); idempotent."""
        if self.pid:
            forked.end(self.pid, signal.SIGKILL)
            self.pid = 0
            with contextlib.suppress(OSError):
                os.close(self.reader)


def plan_elsewhere(composed: Any, project: Any) -> Planner | None:
    """Start planning the moves of *composed* (one chapter, unmoved) in a forked child.

    None where fork is not available or fails, or when no core is idle: the caller plans by
    itself. (On a busy machine the two layouts would only take turns: the scheduler gives a
    session's processes one share together, so the guess would cost ~10 % more CPU, the
    child's copy-on-write faults, for nothing.)
    """
    if not hasattr(os, "fork") or not idle_core():
        return None
    reader, writer = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(reader)
        os.close(writer)
        return None
    if pid:
        os.close(writer)
        return Planner(pid, reader)
    def plan() -> Any:  # the child: any failure in it (exit 1) makes the parent plan alone
        import gc

        gc.disable()  # short-lived: a collection would only copy the parent's pages
        os.close(reader)
        from booklet.render.floats import plan_moves
        from booklet.render.layout import render

        return plan_moves(render(composed, project).document)

    forked.send(writer, plan)


def idle_core() -> bool:
    """Return whether a core is idle now (fewer runnable tasks than cores, this one included)."""
    try:
        cores = len(os.sched_getaffinity(0))
        with open("/proc/stat", "rb") as stat:
            for line in stat:
                if line.startswith(b"procs_running "):
                    return int(line.split()[1]) < cores
    except (AttributeError, OSError, ValueError):  # not Linux
        pass
    return (os.cpu_count() or 1) > 1
