"""Hand one pickled answer from a forked child process to its parent through a pipe.

Three parts of a build fork a child that works on a copy of the parent's memory and sends
back plain values: the print side (editions.parallel), a chapter's float plan
(render.speculate) and page ranges drawn for the screen edition (render.drawpool). They
share this protocol: the child pickles one answer into its end of a pipe and ends with
os._exit (never returning into the caller's code, never running the parent's atexit
handlers); the parent reads the whole answer, then reaps the child.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
from collections.abc import Callable
from typing import Any, NoReturn

NO_ANSWER = object()  # the child died before its answer was complete


def send(writer: int, make: Callable[[], Any],
         fallback: Callable[[Exception], Any] | None = None) -> NoReturn:
    """Child: pickle `make()` into *writer* and end the process (exit 1 if nothing was sent).

    When `make()` or pickling raises, `fallback(exc)` is sent instead, if given.
    """
    code = 0
    try:
        try:
            data = pickle.dumps(make(), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:
            if fallback is None:
                raise
            data = pickle.dumps(fallback(exc))
        with os.fdopen(writer, "wb") as pipe:
            pipe.write(data)
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def receive(pid: int, reader: int) -> tuple[Any, int]:
    """Parent: read the child's answer, reap it; return (answer or NO_ANSWER, exit code)."""
    chunks = []
    with os.fdopen(reader, "rb") as pipe:
        while chunk := pipe.read(1 << 20):
            chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    try:
        return pickle.loads(b"".join(chunks)), code
    except Exception:  # a child that died mid-answer
        return NO_ANSWER, code


def end(pid: int, how: int = signal.SIGTERM) -> None:
    """End a child whose answer is no longer wanted, and reap it."""
    with contextlib.suppress(ProcessLookupError, ChildProcessError):
        os.kill(pid, how)
        os.waitpid(pid, 0)
