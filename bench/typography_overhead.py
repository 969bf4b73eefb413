"""Measure the layout-time overhead of the Chinese typography layer.

Renders the same long Chinese text (the seed's paragraphs and the torture text, repeated)
with plain WeasyPrint, with the typography layer (prepare_html + stylesheet + install) and
with it but Han glue shrink off (typography.han_shrink: false), alternating, and prints the
median CPU time of HTML(...).render() (layout, the stage the watch loop repeats) and of
write_pdf() (drawing, where justification gaps are applied).

    PYTHONPATH=src .venv/bin/python bench/typography_overhead.py [--runs 9] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gc
import html
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
SOURCES = [ROOT.parent / "shared" / "seeds" / "000_96f0efd4942c3e09.txt",
           ROOT / "tests" / "fixtures" / "source" / "un-sg-report-2023-highlights.zh.txt",
           ROOT / "tests" / "fixtures" / "torture" / "torture.md"]
CSS = """
@page { size: 170mm 240mm; margin: 20mm 18mm; }
html { font-family: "Noto Serif CJK SC"; font-size: 10.5pt; line-height: 1.75; }
p { margin: 0; text-align: justify; text-indent: 2em; hyphens: manual; }
h1 { font-family: "Noto Sans CJK SC"; font-size: 14pt; }
"""


def document(repeat: int) -> str:
    """Return an HTML document of every paragraph of the sources, `repeat` times over."""
    parts = []
    for path in SOURCES:
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            line = re.sub(r"<sup>\d+</sup>|\*\*", "", line).strip()
            if not line or line.startswith("- "):
                continue
            tag = "h1" if line.startswith("#") else "p"
            parts.append(f"<{tag}>{html.escape(line.lstrip('# '))}</{tag}>")
    body = "".join(parts) * repeat
    return (f'<html lang="zh-CN"><head><style>{CSS}</style></head>'
            f"<body>{body}</body></html>")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="timed renders per variant")
    parser.add_argument("--repeat", type=int, default=3, help="copies of the text")
    args = parser.parse_args()

    from weasyprint import CSS as Sheet
    from weasyprint import HTML

    from booklet.compose.typography import TypographyOptions, prepare_html, stylesheet
    from booklet.render.patches import justify

    source = document(args.repeat)
    options = TypographyOptions()  # Han glue shrink on, the default
    sheets = [Sheet(string=stylesheet(options))]
    natural = TypographyOptions(han_shrink=False)
    natural_sheets = [Sheet(string=stylesheet(natural))]

    # install() runs once per process in the pipeline (its version check reads WeasyPrint's
    # sources): switch the patches outside the timed region.
    def plain() -> tuple[float, float, int]:
        justify.uninstall()
        return timed(lambda: HTML(string=source).render())

    def typeset() -> tuple[float, float, int]:
        justify.install()
        return timed(lambda: HTML(string=prepare_html(source, options)).render(
            stylesheets=sheets))

    def unshrunk() -> tuple[float, float, int]:
        justify.install()
        return timed(lambda: HTML(string=prepare_html(source, natural)).render(
            stylesheets=natural_sheets))

    plain(), typeset(), unshrunk()  # warm font and Pango caches
    times: dict[str, list[tuple[float, float, int]]] = {"plain": [], "typography": [],
                                                        "no shrink": []}
    for _ in range(args.runs):  # interleaved, so that machine load hits all alike
        times["plain"].append(plain())
        times["typography"].append(typeset())
        times["no shrink"].append(unshrunk())
    justify.uninstall()
    base = statistics.median(t[0] for t in times["plain"])
    base_pdf = statistics.median(t[1] for t in times["plain"])
    print(f"{len(source) // 1024} KB of HTML, {args.runs} interleaved runs each, CPU seconds")
    print(f"{'variant':<11} {'pages':>5} {'render() median':>16} {'min':>6} {'overhead':>9} "
          f"{'write_pdf() median':>19} {'overhead':>9}")
    for name, values in times.items():
        render = statistics.median(t[0] for t in values)
        write = statistics.median(t[1] for t in values)
        print(f"{name:<11} {values[0][2]:>5} {render:>16.3f} {min(t[0] for t in values):>6.3f} "
              f"{render / base - 1:>+9.1%} {write:>19.3f} {write / base_pdf - 1:>+9.1%}")
    return 0


def timed(render: Callable[[], Any]) -> tuple[float, float, int]:
    """Return CPU seconds of render() and of write_pdf(), and the page count."""
    gc.collect()
    start = time.process_time()
    document = render()
    middle = time.process_time()
    document.write_pdf()
    return middle - start, time.process_time() - middle, len(document.pages)


if __name__ == "__main__":
    sys.exit(main())
