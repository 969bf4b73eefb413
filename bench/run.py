"""Benchmarks of booklet against Typst; writes bench/RESULTS.md.

Run: .venv/bin/python bench/run.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import ROOT, booklet_project, typst_source

PY = sys.executable
BOOKLET = [PY, "-m", "booklet"]


def timed(cmd: list[str], runs: int, env: dict[str, str] | None = None,
          before: object = None) -> list[float]:
    """Run *cmd* *runs* times in new processes; return wall times."""
    times = []
    for _ in range(runs):
        if callable(before):
            before()
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - start)
    return times


def peak_rss_mb(cmd: list[str]) -> float:
    """Return the peak resident memory of *cmd* in MB (ru_maxrss of the child)."""
    code = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
            "stdout=subprocess.DEVNULL); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([PY, "-c", code, *cmd], check=True, capture_output=True, text=True)
    return int(out.stdout.strip()) / 1024


def typst_times(source: str, runs: int, workdir: Path) -> tuple[list[float], int]:
    """Compile *source* with Typst in new processes; return times and page count."""
    typ = workdir / "doc.typ"
    typ.write_text(source, encoding="utf-8")
    pdf = workdir / "doc.pdf"
    cmd = [PY, "-c", f"import typst; typst.compile({str(typ)!r}, output={str(pdf)!r})"]
    times = timed(cmd, runs)
    import pypdfium2 as pdfium

    return times, len(pdfium.PdfDocument(str(pdf)))


def pages_of(pdf: Path) -> int:
    """Return the page count of *pdf*."""
    import pypdfium2 as pdfium

    return len(pdfium.PdfDocument(str(pdf)))


def median(xs: list[float]) -> float:
    """Return the median of *xs*."""
    return statistics.median(xs)


def watch_rebuild(project: Path, runs: int) -> list[float]:
    """Time in-process rebuilds after a one-sentence edit, as `booklet watch` does them."""
    from booklet.tools.watch import Rebuilder

    rebuilder = Rebuilder(project)
    rebuilder.rebuild()  # warm: imports, fonts, figures, chapter layouts
    chapter = sorted((project / "seeds" / "chapters").glob("*.md"))[0]
    original = chapter.read_text(encoding="utf-8")
    times = []
    for i in range(runs):
        edited = original.replace("人类经受了", f"人类{'又' * (i % 2 + 1)}经受了", 1)
        if edited == original:
            edited = original.replace("。", "。这是一个新句子。", 1)
        chapter.write_text(edited, encoding="utf-8")
        start = time.perf_counter()
        outcome = rebuilder.rebuild([chapter])
        times.append(time.perf_counter() - start)
        assert outcome.ok, outcome.error
    chapter.write_text(original, encoding="utf-8")
    return times


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
    return (f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}")


def main() -> None:
    """Run every benchmark and write RESULTS.md."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="3 runs, skip 440 pages")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    runs = 3 if args.quick else args.runs
    work = Path(tempfile.mkdtemp(prefix="booklet-bench-"))
    results: dict[str, object] = {"machine": machine(), "runs": runs}

    # The seed booklet itself: a copy so that dist/ and the caches of the repo stay untouched.
    seed = work / "seed"
    shutil.copytree(ROOT / "seeds", seed / "seeds")
    shutil.copytree(ROOT / "figures", seed / "figures")
    cache = seed / ".cache"
    cold_cmd = [*BOOKLET, "build", str(seed), "--edition", "screen", "-q"]
    results["cold"] = timed(cold_cmd, runs, before=lambda: shutil.rmtree(cache, True))
    timed(cold_cmd, 1)  # fill the figure cache
    results["warm"] = timed(cold_cmd, runs)
    results["booklet_pages"] = pages_of(seed / "dist" / "sg-report-2023-highlights.pdf")
    results["watch"] = watch_rebuild(seed, max(runs, 5))

    typst_seed, typst_seed_pages = typst_times(typst_source(1), runs, work)
    results["typst_seed"] = typst_seed
    results["typst_seed_pages"] = typst_seed_pages

    scale = {}
    # One copy of the seed prose is about 6 body pages (+ cover, colophon, contents, back).
    for copies in (1, 17) if args.quick else (1, 17, 71):
        proj = booklet_project(work / f"scale-{copies}", copies)
        cmd = [*BOOKLET, "build", str(proj), "--edition", "screen", "-q"]
        ours = timed(cmd, runs if copies < 40 else max(3, runs // 2))
        pages = pages_of(proj / "dist" / "bench.pdf")
        theirs, tpages = typst_times(typst_source(copies), runs, work)
        row = {"pages": pages, "booklet": ours, "typst_pages": tpages, "typst": theirs}
        if copies == 71:
            row["rss_mb"] = peak_rss_mb(cmd)
            row["watch"] = watch_rebuild(proj, 3)
        scale[copies] = row
    results["scale"] = scale
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=1), "utf-8")
    write_markdown(results)
    shutil.rmtree(work, ignore_errors=True)


def write_markdown(r: dict) -> None:
    """Write bench/RESULTS.md from the results."""
    m = median
    ty = m(r["typst_seed"])
    lines = [
        "# Benchmarks", "",
        f"Machine: {r['machine']}. Medians of {r['runs']} runs, wall-clock seconds, each build a "
        "new process unless noted. Regenerate with `make bench` (`.venv/bin/python bench/run.py`).",
        "",
        "| measurement | booklet | Typst | ratio |", "| --- | --- | --- | --- |",
        f"| (a) cold build of the booklet ({r['booklet_pages']} pages, screen edition, no figure "
        f"cache) | {m(r['cold']):.2f} s | {ty:.2f} s (seed prose, {r['typst_seed_pages']} pages) "
        f"| {m(r['cold']) / ty:.1f}× |",
        f"| (b) warm build (figure cache filled) | {m(r['warm']):.2f} s | {ty:.2f} s | "
        f"{m(r['warm']) / ty:.1f}× |",
        f"| (c) `booklet watch` rebuild after a one-sentence edit | {m(r['watch']):.2f} s "
        "| – | – |",
    ]
    for copies, row in r["scale"].items():
        b, t = m(row["booklet"]), m(row["typst"])
        lines.append(f"| (d) seed prose ×{copies}: {row['pages']} pages "
                     f"(Typst {row['typst_pages']}) | {b:.2f} s "
                     f"({1000 * b / row['pages']:.0f} ms/page) | {t:.2f} s | {b / t:.1f}× |")
        if "watch" in row:
            lines.append(f"| (c) watch rebuild at {row['pages']} pages | {m(row['watch']):.2f} s "
                         "| – | – |")
        if "rss_mb" in row:
            lines.append(f"| (e) peak memory at {row['pages']} pages | {row['rss_mb']:.0f} MB "
                         "| – | – |")
    lines += ["", NOTES]
    (ROOT / "bench" / "RESULTS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


NOTES = """What the rows measure:

- (a)/(b): `python -m booklet build <copy of the project> --edition screen -q` in a new
  process, with the seed booklet's 5 figures, photos placeholders, contents and footnote;
  (a) with an empty figure cache, (b) with it filled (no figure drawn, matplotlib not
  imported). Typst compiles the seed's prose (same fonts, page size, margins, 10.5 pt,
  justified, first-line indent) through its Python binding, also in a new process.
- (c): `booklet watch` keeps the process, fonts, templates, parsed chapters and laid-out
  parts warm; after a one-sentence edit it lays out only the edited chapter (booklet.segments),
  merges the parts and writes the screen edition.
- (d)/(e): the seed's prose repeated as N chapters, screen edition, no figures; the Typst
  document has the same text. ms/page is booklet's time divided by its page count.

Where booklet's time goes (seed booklet, warm process): importing WeasyPrint ~0.4 s (its cffi
declarations alone ~0.2-0.3 s), layout ~0.6 s for 22 pages, writing the PDF ~0.5 s (font
subsetting 0.14 s, SVG figures 0.24 s, compression 0.09 s). In watch mode layout drops to the
edited chapter (~0.15 s) and font subsets are reused, so writing the whole PDF is what is left;
at a few hundred pages writing dominates, which is why (c) grows with the page count."""


if __name__ == "__main__":
    main()
