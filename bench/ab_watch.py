"""A/B of two versions of booklet on the watch and server rows of bench/run.py, interleaved.

The machine may be shared, so absolute times move with its load: this runs the old code
(a git revision, extracted to a temporary folder and put first on PYTHONPATH) and the
code of this checkout alternately, round after round, and reports each one's median.

- watch: a process per version keeps a `Rebuilder` warm (as `booklet watch` does) and
  times one rebuild after each one-sentence edit of the first chapter (run.py's edit);
- server: `booklet serve` runs for each version (two project copies), and a new
  `booklet build` process after each edit is timed (run.py's server row).

Run: .venv/bin/python bench/ab_watch.py --old 974f49b [--rounds 5] [--big]; the medians go into
bench/ab_watch.json and a section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import ROOT, booklet_project
from run import BOOKLET, PY, edit, first_chapter

_WORKER = """
import json, sys, time
sys.path.insert(0, {bench!r})
from run import edit, first_chapter
from booklet.tools.watch import Rebuilder
project = __import__("pathlib").Path({project!r})
rebuilder = Rebuilder(project)
first = rebuilder.rebuild()
assert first.ok, first.error
settle = getattr(rebuilder.session, "settle", None)  # what each version's watch loop does
idle = getattr(rebuilder, "idle", None)  # later: finish the PDF while the watcher is idle
if settle: settle()
if idle: idle()
chapter = first_chapter(project)
original = chapter.read_text(encoding="utf-8")
import resource
def cpu(who):
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime
for line in sys.stdin:
    i = int(line)
    edit(chapter, original, i)
    start = time.perf_counter()
    own, children = cpu(resource.RUSAGE_SELF), cpu(resource.RUSAGE_CHILDREN)
    outcome = rebuilder.rebuild([chapter])
    elapsed = time.perf_counter() - start
    used = cpu(resource.RUSAGE_SELF) - own + cpu(resource.RUSAGE_CHILDREN) - children
    assert outcome.ok, outcome.error
    if settle: settle()
    if idle: idle()
    print(json.dumps([elapsed, used]), flush=True)
chapter.write_text(original, encoding="utf-8")
"""


def old_tree(revision: str, work: Path) -> Path:
    """Extract the code of *revision* into *work*; return the folder to put on PYTHONPATH."""
    # The shipped defaults (layout/, styles/) sit next to src/ in a source checkout.
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision, "src", "layout",
                              "styles", "figures"], check=True, capture_output=True).stdout
    target = work / f"old-{revision}"
    with tarfile.open(fileobj=__import__("io").BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target / "src"


def environment(pythonpath: Path | None) -> dict[str, str]:
    """Return the environment of a version: the old tree first on PYTHONPATH, or none."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "BOOKLET_NO_SERVER")}
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return env


def _turns(versions: dict, i: int) -> list:
    """Return the versions' items, the first going last every other round.

    A version's idle work after its turn (the server collects garbage once idle) must not
    always fall on the same other version's timing.
    """
    items = list(versions.items())
    return items if i % 2 == 0 else items[::-1]


def watch_rows(projects: dict[str, Path], envs: dict[str, dict[str, str]], rounds: int,
               cpu: dict[str, list[float]] | None = None) -> dict[str, list[float]]:
    """Time watch rebuilds after edits, versions alternating edit by edit.

    *cpu* receives each rebuild's CPU seconds (the process and the children it forked).
    """
    workers = {}
    for name, project in projects.items():
        code = _WORKER.format(bench=str(ROOT / "bench"), project=str(project))
        workers[name] = subprocess.Popen([PY, "-c", code], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, text=True, env=envs[name])
    times: dict[str, list[float]] = {name: [] for name in projects}
    try:
        for i in range(rounds):
            for name, worker in _turns(workers, i):
                assert worker.stdin is not None and worker.stdout is not None
                worker.stdin.write(f"{i}\n")
                worker.stdin.flush()
                answer = json.loads(worker.stdout.readline())
                wall, used = answer if isinstance(answer, list) else (answer, 0.0)
                times[name].append(wall)
                if cpu is not None:
                    cpu.setdefault(name, []).append(used)
    finally:
        for worker in workers.values():
            if worker.stdin is not None:
                worker.stdin.close()
            worker.wait(timeout=120)
    return times


def server_rows(projects: dict[str, Path], envs: dict[str, dict[str, str]],
                rounds: int) -> dict[str, list[float]]:
    """Time `booklet build` handed to each version's server after an edit, alternating."""
    servers = {name: subprocess.Popen([*BOOKLET, "serve", str(project)],
                                      stdout=subprocess.DEVNULL, env=envs[name])
               for name, project in projects.items()}
    times: dict[str, list[float]] = {name: [] for name in projects}
    try:
        from booklet.tools.server import ping

        for name, project in projects.items():
            deadline = time.monotonic() + 120
            while not ping(project):  # both versions speak the same protocol
                assert time.monotonic() < deadline, f"the {name} server did not start"
                time.sleep(0.2)
            client = [*BOOKLET, "build", str(project), "--edition", "screen", "-q"]
            subprocess.run(client, check=True, env=envs[name], stdout=subprocess.DEVNULL)
        originals = {name: first_chapter(p).read_text(encoding="utf-8")
                     for name, p in projects.items()}
        for i in range(rounds):
            for name, project in _turns(projects, i):
                edit(first_chapter(project), originals[name], i)
                client = [*BOOKLET, "build", str(project), "--edition", "screen", "-q"]
                time.sleep(1.5)  # the server settles (collects garbage) after each build
                start = time.perf_counter()
                subprocess.run(client, check=True, env=envs[name], stdout=subprocess.DEVNULL)
                times[name].append(time.perf_counter() - start)
    finally:
        for name, project in projects.items():
            subprocess.run([*BOOKLET, "serve", str(project), "--stop"], env=envs[name],
                           stdout=subprocess.DEVNULL, check=False)
            servers[name].wait(timeout=60)
    return times


START, END = "<!-- ab:start -->", "<!-- ab:end -->"


def write_section(report: dict) -> None:
    """Put the A/B table into bench/RESULTS.md, between START and END (kept by run.py)."""
    machine = report["machine"]
    lines = [START, "", f"## A/B: old code ({machine['old']}) and new code, interleaved", "",
             f"`bench/ab_watch.py --old {machine['old']}`: the two versions alternate edit by edit "
             f"(watch: one warm process each; server: one `booklet serve` each, a new "
             f"`booklet build` process timed after each edit), {machine['rounds']} rounds, "
             f"medians in seconds; load average {machine['load average at the end']} at the "
             "end of the run (the machine is shared). Between edits, outside the timing, a "
             "watch process does what its watch loop does while idle (collect garbage; the "
             "new code also linearises the last PDF in place). The CPU rows add the "
             "rebuilding process's CPU time and that of the processes it forked.", "",
             "| row | old | new | new/old |", "| --- | --- | --- | --- |"]
    for row, times in report.items():
        if row == "machine":
            continue
        old, new = times["old"]["median"], times["new"]["median"]
        lines.append(f"| {row} | {old:.3f} s | {new:.3f} s | ×{new / old:.2f} |")
    lines += ["", END]
    path = ROOT / "bench" / "RESULTS.md"
    text = path.read_text(encoding="utf-8")
    if START in text and END in text:
        text = text[:text.index(START)] + "\n".join(lines) + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n"
    path.write_text(text, encoding="utf-8")


def main() -> None:
    """Run the A/B rows, print their medians as JSON and put them into bench/RESULTS.md."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--old", help="git revision of the old code")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--big", action="store_true", help="also watch at 438 pages")
    parser.add_argument("--no-server", action="store_true")
    parser.add_argument("--from-json", type=Path, help="only write the table of a past run")
    args = parser.parse_args()
    if args.from_json:
        write_section(json.loads(args.from_json.read_text(encoding="utf-8")))
        return
    if not args.old:
        parser.error("--old is required")
    work = Path(tempfile.mkdtemp(prefix="booklet-ab-"))
    envs = {"old": environment(old_tree(args.old, work)), "new": environment(None)}
    results: dict[str, dict[str, list[float]]] = {}
    seeds = {}
    for name in envs:
        seeds[name] = work / f"seed-{name}"
        shutil.copytree(ROOT / "seeds", seeds[name] / "seeds")
        shutil.copytree(ROOT / "figures", seeds[name] / "figures")
    cpu: dict[str, dict[str, list[float]]] = {"watch 22 pp, CPU": {}, "watch 438 pp, CPU": {}}
    results["watch 22 pp"] = watch_rows(seeds, envs, args.rounds, cpu["watch 22 pp, CPU"])
    if not args.no_server:
        results["server after an edit, 22 pp"] = server_rows(seeds, envs, args.rounds)
    if args.big:
        bigs = {name: booklet_project(work / f"big-{name}", 71) for name in envs}
        results["watch 438 pp"] = watch_rows(bigs, envs, args.rounds, cpu["watch 438 pp, CPU"])
    results.update({row: times for row, times in cpu.items() if times})
    report = {row: {name: {"median": round(statistics.median(t), 3), "runs": [round(x, 3)
                                                                             for x in t]}
                    for name, t in times.items()} for row, times in results.items()}
    report["machine"] = {"load average at the end": round(os.getloadavg()[0], 1),
                         "old": args.old, "rounds": args.rounds}
    print(json.dumps(report, indent=1))
    (ROOT / "bench" / "ab_watch.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    write_section(report)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
