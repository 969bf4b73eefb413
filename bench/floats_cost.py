"""What floating figures cost: the screen layout of the seed booklet with and without floats.

    .venv/bin/python bench/floats_cost.py [SIZE ...]     (default: 170x240mm A5)

Lays out the screen edition RUNS times each way (figures drawn once, fonts warm) and prints
the median seconds. Without floats is one layout; with floats is one layout plus, when a
page is short, one more layout with every move applied (render/floats.py).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RUNS = 5


def median_seconds(project, booklet, figures, floats_on: bool) -> tuple[float, int]:
    """Return the median time of RUNS layouts and the number of moves made."""
    from booklet.render import floats

    plan = floats.plan_moves
    if not floats_on:
        floats.plan_moves = lambda document: []
    try:
        times, moves = [], []
        for _ in range(RUNS):
            start = time.perf_counter()
            _, moves = floats.render_floating(booklet, figures, "screen", project)
            times.append(time.perf_counter() - start)
    finally:
        floats.plan_moves = plan
    return statistics.median(times), len(moves)


def main(sizes: list[str]) -> int:
    from tests.sizes import seed_at

    from booklet.content.chapters import load_booklet
    from booklet.content.config import load_project
    from booklet.figures.draw import draw_figures

    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            root = seed_at(size, Path(tmp) / size)
            project = load_project(root)
            booklet = load_booklet(project)
            figures = draw_figures(booklet.charts, booklet.qrs, project)
            off, _ = median_seconds(project, booklet, figures, False)
            on, moves = median_seconds(project, booklet, figures, True)
            print(f"{size}: screen layout {off:.2f} s without floats, {on:.2f} s with "
                  f"({moves} moves), median of {RUNS}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["170x240mm", "A5"]))
