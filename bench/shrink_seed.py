"""Measure Han glue shrink on the seed booklet at the six page sizes, from the PDFs.

Builds the seed's screen edition at each size of tests/sizes.py with `typography.han_shrink`
on (the default) and off, reads each PDF back with the typography tests' metrics, text style
by text style, for the justified prose: the serif face at any size (body, lists, callouts,
footnotes, table text) and the Kai face above 10 pt (pull quotes); captions, cards, heads
and folios are set ragged or are not paragraphs. It prints per size and in all: full lines,
lines whose widest Han gap is over 0.05, 0.10 and 0.15 em, the widest gap, lines set tighter
than natural, runts, lines not flush, kinsoku faults (all text), and the page count.

    .venv/bin/python bench/shrink_seed.py [--sizes A5 B5]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


def measure_styles(pdf: Path) -> dict[str, float]:
    """Return the metrics of every text style of the PDF, summed (widest gap: the widest)."""
    from tests.typography.typo_metrics import Metrics, _justify, _kinsoku, load_rows

    rows = load_rows(pdf)
    styles = Counter((c["fontname"], round(c["size"], 1)) for r in rows for c in r.chars)
    out = {"lines": 0, "l05": 0, "l10": 0, "l15": 0, "gap": 0.0, "tight": 0, "runts": 0,
           "short": 0}
    for (font, size), count in styles.items():
        if not ("Serif" in font or ("WenKai" in font and size > 10)):
            continue
        body = [r for r in rows if all(round(c["size"], 1) == size for c in r.chars)
                and sum(c["fontname"] == font for c in r.chars) >= len(r.chars) / 2]
        if count < 40 or len(body) < 3:
            continue
        m = Metrics(lines=len(body))
        _justify(m, body, size)
        out["lines"] += m.full_lines
        out["l05"] += len(m.loose(0.05))
        out["l10"] += len(m.loose(0.10))
        out["l15"] += len(m.loose(0.15))
        out["gap"] = max(out["gap"], m.max_han_gap)
        out["tight"] += len(m.tight)
        out["runts"] += len(m.runts)
        out["short"] += len(m.short)
    whole = Metrics()
    _kinsoku(whole, rows)
    out["kinsoku"] = len(whole.banned) + len(whole.unit_breaks)
    return out


def main() -> int:
    from tests.sizes import SIZES, seed_at

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=list(SIZES))
    args = parser.parse_args()

    import pypdfium2

    from booklet.build import build

    print(f"{'size':<10} {'shrink':<6} {'pages':>5} {'lines':>6} {'>0.05em':>8} {'>0.10em':>8} "
          f"{'>0.15em':>8} "
          f"{'widest':>7} {'tight':>6} {'runts':>6} {'kinsoku':>8} {'short':>6}")
    totals: dict[str, Counter] = {"on": Counter(), "off": Counter()}
    widest = {"on": 0.0, "off": 0.0}
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            for shrink in ("on", "off"):
                root = Path(folder) / f"{SIZES[size]}-{shrink}"
                seed_at(size, root)
                config = root / "seeds" / "booklet.yaml"
                text = config.read_text(encoding="utf-8")
                config.write_text(text.replace("typography:\n", "typography:\n  han_shrink: "
                                               f"{'true' if shrink == 'on' else 'false'}\n", 1),
                                  encoding="utf-8")
                result = build(root, out=root / "dist", edition="screen")
                pdf = next(f.path for f in result.files if f.edition == "screen")
                m = measure_styles(pdf)
                pages = len(pypdfium2.PdfDocument(pdf))
                print(f"{size:<10} {shrink:<6} {pages:>5} {m['lines']:>6} {m['l05']:>8} "
                      f"{m['l10']:>8} "
                      f"{m['l15']:>8} {m['gap']:>6.3f}em {m['tight']:>6} {m['runts']:>6} "
                      f"{m['kinsoku']:>8} {m['short']:>6}")
                totals[shrink].update({k: v for k, v in m.items() if k != "gap"})
                totals[shrink]["pages"] += pages
                widest[shrink] = max(widest[shrink], m["gap"])
                shutil.rmtree(root)
    for shrink, t in totals.items():
        print(f"{'all':<10} {shrink:<6} {t['pages']:>5} {t['lines']:>6} {t['l05']:>8} "
              f"{t['l10']:>8} "
              f"{t['l15']:>8} {widest[shrink]:>6.3f}em {t['tight']:>6} {t['runts']:>6} "
              f"{t['kinsoku']:>8} {t['short']:>6}")
    print("lines: full lines of the prose styles (serif; Kai above 10 pt); >X em: lines "
          "whose widest Han gap is over X; tight: lines set tighter than natural; short: full "
          "lines not flush; kinsoku: banned line starts/ends and number-unit breaks, all text")
    return 0


if __name__ == "__main__":
    sys.exit(main())
