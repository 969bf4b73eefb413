"""What the seed booklet's chart text costs to draw, with and without `patches/svgletters.py`.

    .venv/bin/python bench/svg_text.py [RUNS]     (default 15; run `make pdf` once before)

Lays out one page per seed chart (the SVGs the last build left in .cache/figures, as <img>)
and writes it RUNS times each of three ways, alternating, in one process (fonts warm, as in a
watch session): without the patch; with it and an empty memo (a new process, a changed font);
with the memo the previous write left (a watch or server rebuild redrawing the charts).
WeasyPrint lays SVG text out and draws it while writing, so the write is timed. Prints the
medians, the load average, the memo's counters, and checks the PDFs are the same.
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


MODES = ("off", "empty memo", "kept memo")


def write_once(html: str, base: Path, mode: str) -> tuple[float, bytes, dict[str, int]]:
    """Render *html*, then time its write_pdf() in *mode*; return the time, PDF and counters."""
    from weasyprint import HTML

    from booklet.render.layout import font_config
    from booklet.render.patches import install_patches, svgletters

    install_patches()
    if mode != "kept memo":
        svgletters.uninstall()  # also forgets the memo
    if mode == "empty memo":
        svgletters.install()
    document = HTML(string=html, base_url=str(base)).render(font_config=font_config())
    start = time.perf_counter()
    pdf = document.write_pdf()
    return time.perf_counter() - start, pdf, svgletters.stats()


def main() -> None:
    """Alternate the three ways RUNS times; print medians and check the bytes."""
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else RUNS
    files = charts()
    pages = "".join(f'<p style="break-after: page"><img src="{p.name}" style="width: 150mm"></p>'
                    for p in files)
    html = f"<html><body>{pages}</body></html>"
    base = files[0].parent
    times: dict[str, list[float]] = {mode: [] for mode in MODES}
    outputs: dict[str, bytes] = {}
    counters: dict[str, dict[str, int]] = {}
    write_once(html, base, "off")  # warm fonts and caches
    for _ in range(runs):
        for mode in MODES:
            seconds, outputs[mode], counters[mode] = write_once(html, base, mode)
            times[mode].append(seconds)
    print(f"{len(files)} charts, {runs} alternated runs, load {os.getloadavg()[0]:.2f}")
    for mode in MODES:
        print(f"{mode:10s}: write_pdf median {statistics.median(times[mode]) * 1000:6.1f} ms "
              f"(min {min(times[mode]) * 1000:6.1f})  {counters[mode]}")
    print("PDF bytes identical:", len(set(outputs.values())) == 1)


if __name__ == "__main__":
    main()
