"""`booklet watch`: rebuild after every change, keeping imports, fonts and caches warm."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from booklet.build import Session, build
from booklet.errors import BookletError

WATCHED = ("seeds", "layout", "styles", "figures")
_IGNORED_SUFFIXES = (".swp", ".swx", ".tmp", ".part", "~")


@dataclass(frozen=True)
class Outcome:
    """What one rebuild did."""

    ok: bool
    seconds: float
    edition: str
    pages: int = 0
    redone: str = ""
    error: str = ""

    def line(self) -> str:
        """Return the one line `watch` prints for this rebuild."""
        stamp = time.strftime("%H:%M:%S")
        if self.ok:
            return (f"{stamp} rebuilt {self.edition} in {self.seconds:.2f} s, "
                    f"{self.pages} pages ({self.redone})")
        return (f"{stamp} build failed after {self.seconds:.2f} s; the last good PDF is kept\n"
                f"error: {self.error}")


class Rebuilder:
    """Rebuild one project again and again in this process."""

    def __init__(self, root: Path, out: Path | None = None) -> None:
        self.root = root.resolve()
        self.out = out
        # The screen PDF is published unlinearised and linearised while idle (idle()).
        self.session = Session(defer_finishing=True)

    def rebuild(self, changed: Iterable[Path] = (), edition: str = "screen") -> Outcome:
        """Build *edition* now; never raise for bad input, report it in the outcome."""
        before = {f: entry[0] for f, entry in self.session.chapters.items()}
        start = time.perf_counter()
        try:
            result = build(self.root, self.out, edition, session=self.session)
        except BookletError as exc:
            return Outcome(False, time.perf_counter() - start, edition,
                           error=exc.format(self.root))
        except Exception as exc:  # a bug must not end an editor's watch session
            return Outcome(False, time.perf_counter() - start, edition,
                           error=f"internal error: {type(exc).__name__}: {exc}")
        reparsed = [f.name for f, entry in self.session.chapters.items()
                    if before.get(f) != entry[0]]
        from booklet.tools.watchnames import changed_names

        names = changed_names(changed)
        what = ("first build" if not before else "all editions after the quiet period"
                if edition != "screen" else "no project file changed")
        redone = [f"changed: {', '.join(names)}" if names else what,
                  f"{len(reparsed)} chapter(s) parsed",
                  f"{result.figures_drawn} figure(s) drawn"]
        segmenter = self.session.segmenter
        if segmenter is not None and edition == "screen":
            redone.append(f"laid out: {', '.join(dict.fromkeys(segmenter.relaid)) or 'nothing'}")
        return Outcome(True, time.perf_counter() - start, edition, result.pages,
                       "; ".join(redone))

    def idle(self) -> bool:
        """Finish the last rebuild's screen PDF (linearise it, as a clean build's); True if done.

        Never raises: the unfinished PDF stays published and a later build replaces it.
        """
        try:
            return self.session.finish()
        except Exception:  # the unfinished file is a complete PDF: keep it
            return False


def _interesting(change: object, path: str) -> bool:
    """Ignore editor swap files, caches and outputs."""
    name = Path(path).name
    return not (name.startswith((".", "#")) or name.endswith(_IGNORED_SUFFIXES)
                or "__pycache__" in path or "/.cache/" in path or "/.editions/" in path)


def outputs_filter(out: Path, root: Path | None = None) -> Callable[[object, str], bool]:
    """Return a filter that also ignores what builds write into the output folder.

    `--out` may lie inside a watched folder; without this each build's own PDFs would start
    the next build, forever. When the output folder holds the project itself (`--out .`),
    only the published names in it are ignored, not the sources.
    """
    out = out.resolve()
    holds_sources = root is not None and (out == root.resolve() or out in root.resolve().parents)

    def interesting(change: object, path: str) -> bool:
        p = Path(path)
        if p == out or out in p.parents:
            own = p.parent == out and (p.suffix == ".pdf" or p.name.endswith(".report.json"))
            if not holds_sources or own or p.name == ".editions":
                return False
        return _interesting(change, path)

    return interesting


def watch(root: Path, out: Path | None = None, print_after: float = 10.0,
          echo: Callable[[str], None] = print, stop: threading.Event | None = None) -> None:
    """Rebuild the screen edition on every change; all editions after a quiet period."""
    import watchfiles

    rebuilder = Rebuilder(root, out)
    folders = [rebuilder.root / name for name in WATCHED if (rebuilder.root / name).is_dir()]
    echo(f"watching {', '.join(f.name + '/' for f in folders)} (Ctrl-C stops)")
    print_due: float | None = None
    target = (out or rebuilder.root / "dist").resolve()
    first = True
    for changes in watchfiles.watch(
            *folders, watch_filter=outputs_filter(target, rebuilder.root), debounce=80,
            step=20, stop_event=stop,
            rust_timeout=500, yield_on_timeout=True, raise_interrupt=False):
        if first:
            # The first build runs once the watcher is running, so an edit made while (or
            # just after) it builds is never missed; it comes with the next changes.
            first = False
            echo(rebuilder.rebuild().line())
            rebuilder.session.settle()
            continue
        if changes:
            outcome = rebuilder.rebuild(Path(p) for _, p in changes)
            echo(outcome.line())
            rebuilder.session.settle()  # while the editor is idle, not during the next build
            print_due = time.monotonic() + print_after if outcome.ok else None
        elif rebuilder.session.unfinished is not None:
            rebuilder.idle()  # no change for a moment: linearise the last PDF in place
        elif print_due is not None and time.monotonic() >= print_due:
            echo(rebuilder.rebuild(edition="all").line())
            rebuilder.session.settle()
            print_due = None
    rebuilder.idle()  # stopped: leave the finished file behind
