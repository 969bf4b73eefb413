"""Benchmarks of booklet against Typst, the rows of issue 14's table; writes bench/RESULTS.md.

Each row runs booklet and Typst alternately in the same loop (the machine may be shared:
the ratio of two medians measured side by side is what to read), and reports medians.

Run: .venv/bin/python bench/run.py [--quick] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import ROOT, booklet_project, typst_source

PY = sys.executable
BOOKLET = [PY, "-m", "booklet"]
EDIT_FROM = re.compile("人类又*经受了")
ENV = {**os.environ, "BOOKLET_NO_SERVER": "1"}  # rows without a server never find one


def run(cmd: list[str], env: dict[str, str] | None = None) -> float:
    """Run *cmd* in a new process; return its wall time."""
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env or ENV)
    return time.perf_counter() - start


def interleaved(runs: int, **jobs: Callable[[int], float]) -> dict[str, list[float]]:
    """Run every job once per round, *runs* rounds; return each job's times."""
    times: dict[str, list[float]] = {name: [] for name in jobs}
    for i in range(runs):
        for name, job in jobs.items():
            times[name].append(job(i))
    return times


def edit(path: Path, original: str, i: int) -> None:
    """Make the i-th one-sentence edit (alternating, so every edit changes the text)."""
    text = EDIT_FROM.sub(f"人类{'又' * (i % 2 + 1)}经受了", original, count=1)
    if text == original:  # the file was left with this very edit
        text = EDIT_FROM.sub("人类又又又经受了", original, count=1)
    assert text != original, f"{path} lacks {EDIT_FROM.pattern!r}"
    path.write_text(text, encoding="utf-8")


def first_chapter(project: Path) -> Path:
    """Return the first chapter file of a booklet project."""
    return sorted((project / "seeds" / "chapters").glob("*.md"))[0]


def typst_cold(source: str, workdir: Path) -> Callable[[int], float]:
    """Return a job compiling *source* with Typst in a new process."""
    typ = workdir / "doc.typ"
    typ.write_text(source, encoding="utf-8")
    code = f"import typst; typst.compile({str(typ)!r}, output={str(workdir / 'doc.pdf')!r})"
    return lambda _: run([PY, "-c", code])


def typst_incremental(source: str, workdir: Path) -> Callable[[int], float]:
    """Return a job recompiling *source* after a one-sentence edit, in one warm Compiler."""
    import typst

    typ = workdir / "inc.typ"
    typ.write_text(source, encoding="utf-8")
    compiler = typst.Compiler(str(typ))
    compiler.compile(output=str(workdir / "inc.pdf"))

    def job(i: int) -> float:
        edit(typ, source, i)
        start = time.perf_counter()
        compiler.compile(output=str(workdir / "inc.pdf"))
        return time.perf_counter() - start

    return job


def watch_job(project: Path) -> Callable[[int], float]:
    """Return a job timing an in-process rebuild after a one-sentence edit (`booklet watch`)."""
    from booklet.tools.watch import Rebuilder

    rebuilder = Rebuilder(project)
    assert rebuilder.rebuild().ok  # warm: imports, fonts, figures, chapter layouts
    rebuilder.session.settle()
    rebuilder.idle()
    chapter = first_chapter(project)
    original = chapter.read_text(encoding="utf-8")

    def job(i: int) -> float:
        edit(chapter, original, i)
        start = time.perf_counter()
        outcome = rebuilder.rebuild([chapter])
        elapsed = time.perf_counter() - start
        assert outcome.ok, outcome.error
        rebuilder.session.settle()  # as `booklet watch` does after printing the result
        rebuilder.idle()  # and once no change came for a moment: the PDF is linearised
        return elapsed

    return job


def peak_rss_mb(cmd: list[str]) -> float:
    """Return the peak resident memory of *cmd* in MB (ru_maxrss of the child)."""
    code = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
            "stdout=subprocess.DEVNULL); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([PY, "-c", code, *cmd], check=True, capture_output=True, text=True,
                         env=ENV)
    return int(out.stdout.strip()) / 1024


def pages_of(pdf: Path) -> int:
    """Return the page count of *pdf*."""
    import pypdfium2 as pdfium

    return len(pdfium.PdfDocument(str(pdf)))


def server_rows(project: Path, runs: int) -> dict[str, list[float]]:
    """Time `booklet build` in a new process handing the build to `booklet serve`."""
    from booklet.tools.server import ping, stop_server

    proc = subprocess.Popen([*BOOKLET, "serve", str(project)], stdout=subprocess.DEVNULL)
    try:
        while not ping(project):
            time.sleep(0.1)
        client = [*BOOKLET, "build", str(project), "--edition", "screen", "-q"]
        env = {k: v for k, v in os.environ.items() if k != "BOOKLET_NO_SERVER"}
        run(client, env)  # the server's first build: imports, fonts, layout of every part
        chapter = first_chapter(project)
        original = chapter.read_text(encoding="utf-8")

        def edited(i: int) -> float:
            edit(chapter, original, i)
            return run(client, env)

        times = interleaved(runs, unchanged=lambda _: run(client, env), edited=edited)
        chapter.write_text(original, encoding="utf-8")
        return times
    finally:
        stop_server(project)
        proc.wait(timeout=60)


def machine() -> str:
    """Describe the machine."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = os.getloadavg()[0]
    return (f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}; load average "
            f"{load:.1f} at the start")


def main() -> None:
    """Run every benchmark and write RESULTS.md."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="3 runs, skip 438 pages")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    runs = 3 if args.quick else args.runs
    work = Path(tempfile.mkdtemp(prefix="booklet-bench-"))
    r: dict[str, object] = {"machine": machine(), "runs": runs}

    # The seed booklet itself: a copy so that dist/ and the caches of the repo stay untouched.
    seed = work / "seed"
    shutil.copytree(ROOT / "seeds", seed / "seeds")
    shutil.copytree(ROOT / "figures", seed / "figures")
    seed_cmd = [*BOOKLET, "build", str(seed), "--edition", "screen", "-q"]
    r["cold_no_figure_cache"] = interleaved(
        runs, booklet=lambda _: (shutil.rmtree(seed / ".cache", True), run(seed_cmd))[1])
    r["seed_pages"] = pages_of(seed / "dist" / "sg-report-2023-highlights.pdf")
    seed_typst = typst_source(1)
    r["warm"] = interleaved(runs, booklet=lambda _: run(seed_cmd),
                            typst=typst_cold(seed_typst, work))
    r["watch"] = interleaved(max(runs, 5), booklet=watch_job(seed),
                             typst=typst_incremental(seed_typst, work))
    r["server"] = server_rows(seed, max(runs, 5))

    if not args.quick:
        big = booklet_project(work / "big", 71)
        big_cmd = [*BOOKLET, "build", str(big), "--edition", "screen", "-q"]
        big_typst = typst_source(71)
        cold_runs = max(3, runs // 2)
        r["cold_big"] = interleaved(cold_runs, booklet=lambda _: run(big_cmd),
                                    typst=typst_cold(big_typst, work))
        r["big_pages"] = pages_of(big / "dist" / "bench.pdf")
        r["rss_mb"] = peak_rss_mb(big_cmd)
        r["watch_big"] = interleaved(max(3, runs // 2), booklet=watch_job(big),
                                     typst=typst_incremental(big_typst, work))
        # Every edition of the long book on one core, then with one process per core.
        every = booklet_project(work / "every", 71, all_editions=True)
        every_cmd = [*BOOKLET, "build", str(every), "-q"]
        run([*every_cmd, "--jobs", "1"])  # the subset cache and the float plans are filled
        r["cores"] = interleaved(cold_runs, one=lambda _: run([*every_cmd, "--jobs", "1"]),
                                 two=lambda _: run([*every_cmd, "--jobs", "2"]))
        r["rss_every_mb"] = peak_rss_mb([*every_cmd, "--jobs", "2"])
    (ROOT / "bench" / "results.json").write_text(json.dumps(r, indent=1), "utf-8")
    write_markdown(r)
    shutil.rmtree(work, ignore_errors=True)


def write_markdown(r: dict) -> None:
    """Write bench/RESULTS.md from the results."""
    def m(row: str, who: str = "booklet") -> float:
        return statistics.median(r[row][who])

    def line(what: str, row: str, typst_what: str, target: str, who: str = "booklet") -> str:
        ours = m(row, who)
        theirs = m(row, "typst") if "typst" in r[row] else None
        ratio = f"{ours / theirs:.1f}×" if theirs else "–"
        typst = f"{theirs:.3f} s {typst_what}" if theirs else "–"
        return f"| {what} | {ours:.3f} s | {typst} | {ratio} | {target} |"

    seed, ty_cold = r["seed_pages"], m("warm", "typst")
    lines = [
        "# Benchmarks", "",
        f"Machine: {r['machine']}. Medians of {r['runs']} runs (5 for the watch and server "
        "rows), wall-clock seconds; booklet and Typst alternate in the same loop, so read "
        "the ratios: the machine is shared and absolute times move with its load. "
        "Regenerate with `make bench` (`.venv/bin/python bench/run.py`).", "",
        "| measurement | booklet | Typst 0.15 | ratio | issue 14 target |",
        "| --- | --- | --- | --- | --- |",
        line(f"warm build in a new process, seed booklet ({seed} pp, no server)", "warm",
             "cold (seed prose)", "≤ 5×"),
        line(f"watch: one-sentence edit → new screen PDF, {seed} pp", "watch",
             "incremental", f"≤ 0.3 s (≤ 1× Typst cold: {ty_cold:.2f} s)"),
    ]
    if "watch_big" in r:
        lines.append(line(f"watch: one-sentence edit, {r['big_pages']} pp", "watch_big",
                          "incremental", "≤ 0.5 s, ≤ 4×"))
        lines.append(line(f"cold build, {r['big_pages']} pp, new process", "cold_big", "cold",
                          "≤ 8×"))
    server = r["server"]
    lines += [
        f"| `booklet build` with a server running, nothing changed ({seed} pp) | "
        f"{statistics.median(server['unchanged']):.3f} s | – | "
        f"{statistics.median(server['unchanged']) / ty_cold:.1f}× Typst cold | ≤ 0.1 s |",
        f"| `booklet build` with a server running, after an edit ({seed} pp) | "
        f"{statistics.median(server['edited']):.3f} s | {ty_cold:.3f} s cold | "
        f"{statistics.median(server['edited']) / ty_cold:.1f}× | ≤ 2× |",
        f"| cold build of the seed booklet, empty figure cache ({seed} pp) | "
        f"{m('cold_no_figure_cache'):.3f} s | – | – | – |",
    ]
    if "cores" in r:
        one, two = m("cores", "one"), m("cores", "two")
        lines.append(f"| every edition (screen, print, imposed), {r['big_pages']} pp, new "
                     f"process: 1 core `--jobs 1` → 2 cores `--jobs 2` | {one:.3f} s → "
                     f"{two:.3f} s | – | ×{one / two:.2f} with 2 cores | scaling with cores |")
    if "rss_mb" in r:
        lines.append(f"| peak memory, cold build of {r['big_pages']} pp | {r['rss_mb']:.0f} MB "
                     "| – | – | ≤ 600 MB |")
    if "rss_every_mb" in r:
        lines.append(f"| peak memory of one process, every edition of {r['big_pages']} pp "
                     f"with `--jobs 2` | {r['rss_every_mb']:.0f} MB | – | – | ≤ 600 MB |")
    lines += ["", NOTES]
    path = ROOT / "bench" / "RESULTS.md"
    # The A/B sections (bench/ab_build.py, bench/ab_watch.py) are written by those scripts:
    # keep everything from the first of them on.
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    starts = [i for i in (old.find("\n## A/B"), old.find("<!-- ab:start -->")) if i >= 0]
    kept = old[min(starts):].lstrip("\n") if starts else ""
    path.write_text("\n".join(lines) + "\n" + ("\n" + kept if kept else ""), encoding="utf-8")


NOTES = """What the rows measure:

- *warm build in a new process*: `python -m booklet build <copy of the seed> --edition
  screen -q --no-server`, figure and font caches filled; Typst compiles the seed's prose
  (same fonts, page size, margins, 10.5 pt, justified, first-line indent) through its
  Python binding, also in a new process (Python start-up included on both sides).
- *watch*: `booklet watch`'s rebuild (tools.watch.Rebuilder) after a one-sentence edit of the
  first chapter: only the edited chapter is laid out again (render.segments; with its last
  figure moves when a core is idle, checked by a forked planner: render.speculate), then
  the whole screen PDF is written, unchanged pages replayed; it is published before
  linearisation, which the watcher does when idle (editions.deferred), outside the timing;
  Typst recompiles the same edit in one warm `typst.Compiler`.
- *server rows*: `booklet serve` runs; the time is that of a new `booklet build` process
  (Python start-up, the hand-over on the Unix socket, the server's work). Nothing changed:
  the server hashes every input and answers with the last result. After an edit: the server
  lays out the edited chapter and writes the screen PDF.
- *438 pp*: the seed's prose repeated as 71 chapters (bench/corpus.py), screen edition, no
  figures; the Typst document has the same text (360 pages: its layout differs).
- *every edition … cores*: the same 71 chapters with the print and imposed editions on;
  `--jobs 2` lays the print edition out in a forked process next to the screen one
  (booklet.editions.parallel); the chapters of one edition are still laid out in one
  process; its pages are drawn by one process per core when each gets 32 pages or more
  (booklet.render.drawpool; the 437-page row above uses it too).
- Peak memory: ru_maxrss of the build process (with `--jobs 2`: the larger of the two
  processes, which run at the same time)."""


if __name__ == "__main__":
    main()
