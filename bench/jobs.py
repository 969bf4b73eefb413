"""Cold build of the 437-page corpus, screen edition only, at --jobs 1, 2, … (issue 14 item 5).

Each build runs in a new process, as `booklet build --edition screen --jobs N` does, and the
job counts take turns in one loop (the machine may be shared), with Typst's cold compile of
the same text in the same loop. For every build it records the wall time, the CPU time of the
main process and of the drawing processes it forked, and how long the main process waited
for them; medians are printed as a Markdown table. The main process's CPU time plus its wait
is the wall time the build would take with a free core per process.

Run: .venv/bin/python bench/jobs.py [--runs N] [--jobs 1,2]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import booklet_project, typst_source

PY = sys.executable
ENV = {**os.environ, "BOOKLET_NO_SERVER": "1"}
COPIES = 71  # 437 pages

# What `booklet build --edition screen -q --jobs N` runs, plus the CPU split at the end.
DRIVER = """
import json, resource, sys, time
from pathlib import Path
start = time.perf_counter()
from booklet.build import build
result = build(Path(sys.argv[1]), edition="screen", one_shot=True, jobs=int(sys.argv[2]))
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"main_cpu": me.ru_utime + me.ru_stime, "children_cpu": kids.ru_utime
                  + kids.ru_stime, "wait": result.timings.get("parallel-draw-wait", 0.0),
                  "write": result.timings["write"], "layout": result.timings["render-screen"],
                  "pages": result.files[0].pages}))
"""


def booklet_run(project: Path, jobs: int) -> dict[str, float]:
    """Build in a new process; return wall time and the driver's figures."""
    start = time.perf_counter()
    done = subprocess.run([PY, "-c", DRIVER, str(project), str(jobs)], env=ENV, check=True,
                          capture_output=True, text=True)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["wall"] = time.perf_counter() - start
    return figures


def typst_run(typ: Path) -> float:
    """Compile *typ* with Typst in a new process; return the wall time."""
    code = f"import typst; typst.compile({str(typ)!r}, output={str(typ.with_suffix('.pdf'))!r})"
    start = time.perf_counter()
    subprocess.run([PY, "-c", code], check=True, env=ENV)
    return time.perf_counter() - start


def main() -> None:
    """Measure and print the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--jobs", default=",".join(str(n) for n in
                                                   range(1, max(2, os.cpu_count() or 1) + 1)))
    args = parser.parse_args()
    counts = [int(n) for n in args.jobs.split(",")]
    with tempfile.TemporaryDirectory() as work:
        project = booklet_project(Path(work) / "big", COPIES)
        typ = Path(work) / "doc.typ"
        typ.write_text(typst_source(COPIES), encoding="utf-8")
        try:
            import typst  # noqa: F401
        except ImportError:
            typ = None  # type: ignore[assignment]
        booklet_run(project, 1)  # the subset cache and the float plan are filled
        runs: dict[int, list[dict[str, float]]] = {n: [] for n in counts}
        typst_times: list[float] = []
        for _ in range(args.runs):
            for n in counts:
                runs[n].append(booklet_run(project, n))
            if typ is not None:
                typst_times.append(typst_run(typ))
    load = os.getloadavg()
    print(f"load average at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; "
          f"{os.cpu_count()} cores; {args.runs} runs each, interleaved; medians")
    pages = runs[counts[0]][0]["pages"]
    typst_cold = statistics.median(typst_times) if typst_times else None
    print(f"\n| {pages} pp, screen | wall | × Typst cold | speed-up (wall) | CPU main + "
          "drawing processes | main waited | wall on free cores (main CPU + wait) |")
    print("|---|---|---|---|---|---|---|")
    base = statistics.median(r["wall"] for r in runs[counts[0]])
    for n in counts:
        def med(key: str, n: int = n) -> float:
            return statistics.median(r[key] for r in runs[n])
        wall = med("wall")
        ratio = f"{wall / typst_cold:.1f}×" if typst_cold else "–"
        print(f"| `--jobs {n}` | {wall:.2f} s | {ratio} | ×{base / wall:.2f} | "
              f"{med('main_cpu'):.2f} + {med('children_cpu'):.2f} s | {med('wait'):.2f} s | "
              f"{med('main_cpu') + med('wait'):.2f} s |")
    if typst_cold:
        print(f"\nTypst cold compile of the same text: {typst_cold:.2f} s")
    print("\nlayout (wall) per job count:",
          {n: round(statistics.median(r["layout"] for r in runs[n]), 2) for n in counts},
          "write (wall):", {n: round(statistics.median(r["write"] for r in runs[n]), 2)
                            for n in counts})


if __name__ == "__main__":
    main()
