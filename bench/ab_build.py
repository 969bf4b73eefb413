"""A/B of two versions of booklet, interleaved in one loop (the machine may be shared).

Runs the old code (`git archive <commit>`, through PYTHONPATH) and the working tree in
turns, each build in a new process, and prints the medians of wall and CPU time:

- the seed booklet's screen edition, warm caches (issue 14: "new process, no server");
- the 438-page corpus (bench/corpus.py), screen edition;
- the 438-page corpus with every edition (screen, print, imposed).

The old code runs twice: with its modules compiled to bytecode beforehand, and without
(as `make setup` left it: with PYTHONDONTWRITEBYTECODE set, Python compiles booklet's
modules in every process).

Run: .venv/bin/python bench/ab_build.py --old <commit> [--runs N] [--quick]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import ROOT, booklet_project

ENV = {**os.environ, "BOOKLET_NO_SERVER": "1"}


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run *cmd*; return its wall and CPU (user + system, with its children) seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def checkout(commit: str, into: Path, compiled: bool) -> Path:
    """Extract *commit* of this repository into *into*; return its src folder."""
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit], check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    if compiled:
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(into / "src")],
                       check=True, stdout=subprocess.DEVNULL)
    return into / "src"


def compare(name: str, variants: dict[str, dict[str, str]], args: list[str],
            runs: int) -> None:
    """Time `booklet build *args*` with every variant, interleaved; print the medians."""
    for env in variants.values():  # warm every cache once (subsets, figures, templates)
        subprocess.run([sys.executable, "-m", "booklet", "build", *args], check=True,
                       stdout=subprocess.DEVNULL, env=env)
    times: dict[str, list[tuple[float, float]]] = {v: [] for v in variants}
    for _ in range(runs):
        for variant, env in variants.items():
            times[variant].append(timed([sys.executable, "-m", "booklet", "build", *args],
                                        env))
    print(f"\n{name} ({runs} runs, load average {os.getloadavg()[0]:.1f} at the end)")
    for variant, got in times.items():
        wall = statistics.median(t[0] for t in got)
        cpu = statistics.median(t[1] for t in got)
        print(f"  {variant:<22} wall {wall:7.3f} s   cpu {cpu:7.3f} s   "
              f"({' '.join(f'{t[0]:.2f}' for t in got)})")


def main() -> None:
    """Run the A/B comparisons."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--old", required=True, help="commit of the old code")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="the seed booklet only")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="booklet-ab-"))
    try:
        old = checkout(args.old, work / "old", compiled=True)
        plain = checkout(args.old, work / "old-plain", compiled=False)
        variants = {
            "old (no bytecode)": {**ENV, "PYTHONPATH": str(plain)},
            "old": {**ENV, "PYTHONPATH": str(old)},
            "new": {**ENV, "PYTHONPATH": str(ROOT / "src")},
        }
        seed = work / "seed"
        shutil.copytree(ROOT / "seeds", seed / "seeds")
        shutil.copytree(ROOT / "figures", seed / "figures")
        compare("seed booklet, screen edition, new process, warm caches", variants,
                [str(seed), "--edition", "screen", "-q"], args.runs)
        if args.quick:
            return
        del variants["old (no bytecode)"]
        big = booklet_project(work / "big", 71)
        compare("438 pp, screen edition, new process", variants, [str(big), "-q"],
                max(3, args.runs // 2))
        every = booklet_project(work / "every", 71, all_editions=True)
        compare("438 pp, every edition, new process (new: one process per core)", variants,
                [str(every), "-q"], max(3, args.runs // 2))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
