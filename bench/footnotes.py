"""Footnote cost against their number: CPU seconds to lay out 250 and 1000 footnotes.

Run: .venv/bin/python bench/footnotes.py   (medians of 3 runs each; CPU time of this
process, so other load on the machine does not count).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.conftest import make_project


def chapter(n: int) -> str:
    """Return a chapter with *n* footnote calls in one long paragraph."""
    calls = "".join(f"第{i}句正文，联合国在各地开展工作。[^{i}]" for i in range(1, n + 1))
    notes = "".join(f"[^{i}]: 注释{i}：资料来源说明。\n" for i in range(1, n + 1))
    return "---\ntitle: 注释\nid: notes\n---\n\n" + calls + "\n\n" + notes


def layout_seconds(n: int) -> float:
    """Return the CPU time of loading, composing and laying out *n* footnotes."""
    from booklet.compose.html import compose
    from booklet.content.chapters import load_booklet
    from booklet.content.config import load_project
    from booklet.render.layout import render

    with tempfile.TemporaryDirectory() as tmp:
        root = make_project(Path(tmp), chapter(n))
        start = time.process_time()
        project = load_project(root)
        booklet = load_booklet(project)
        render(compose(booklet, None, "screen"), project)
        return time.process_time() - start


def main() -> None:
    layout_seconds(10)  # warm imports and fonts
    results = {n: statistics.median(layout_seconds(n) for _ in range(3)) for n in (250, 1000)}
    for n, seconds in results.items():
        print(f"{n:5d} footnotes: {seconds:6.2f} s CPU")
    print(f"ratio 1000/250: {results[1000] / results[250]:.2f} (4.0 = linear)")


if __name__ == "__main__":
    main()
