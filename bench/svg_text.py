"""What the seed booklet's chart text costs to draw, with and without `patches/svgletters.py`.

    .venv/bin/python bench/svg_text.py [RUNS]     (default 15; run `make pdf` once before)

Lays out one page per seed chart (the SVGs the last build left in .cache/figures, as <img>)
and writes it RUNS times each way, alternating, in one process (fonts warm, as in a watch
session). WeasyPrint lays SVG text out and draws it while writing, so the write is timed.
Prints the medians, the load average, the memo's counters, and checks the PDFs are the same.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 15


def charts() -> list[Path]:
    """Return the seed's chart SVGs (RGB versions) from the figure cache."""
    found = sorted(p for p in (ROOT / ".cache" / "figures").glob("*.svg")
                   if not p.name.endswith(".cmyk.svg") and not p.name.startswith("qr-"))
    if not found:
        sys.exit("no chart SVGs in .cache/figures: run `make pdf` first")
    return found


def write_once(html: str, base: Path, memo_on: bool) -> tuple[float, bytes]:
    """Render *html*, then time its write_pdf() with the memo on or off."""
    from weasyprint import HTML

    from booklet.render.patches import install_patches, svgletters

    install_patches()
    if not memo_on:
        svgletters.uninstall()
    document = HTML(string=html, base_url=str(base)).render()
    start = time.perf_counter()
    pdf = document.write_pdf()
    return time.perf_counter() - start, pdf


def main() -> None:
    """Alternate the two ways RUNS times; print medians and check the bytes."""
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else RUNS
    files = charts()
    pages = "".join(f'<p style="break-after: page"><img src="{p.name}" style="width: 150mm"></p>'
                    for p in files)
    html = f"<html><body>{pages}</body></html>"
    base = files[0].parent
    times: dict[bool, list[float]] = {True: [], False: []}
    outputs: dict[bool, bytes] = {}
    write_once(html, base, True)  # warm fonts and caches
    for _ in range(runs):
        for memo_on in (False, True):
            seconds, outputs[memo_on] = write_once(html, base, memo_on)
            times[memo_on].append(seconds)
    from booklet.render.patches import svgletters

    write_once(html, base, True)
    print(f"{len(files)} charts, {runs} alternated runs, load {os.getloadavg()[0]:.2f}")
    print(f"memo counters (one write): {svgletters.stats()}")
    for memo_on in (False, True):
        print(f"svgletters {'on ' if memo_on else 'off'}: write_pdf median "
              f"{statistics.median(times[memo_on]) * 1000:.1f} ms "
              f"(min {min(times[memo_on]) * 1000:.1f})")
    print("PDF bytes identical:", outputs[True] == outputs[False])


if __name__ == "__main__":
    main()
