"""Measure the paragraph composer from PDFs: loose lines, word spaces, runts, rules, text layer.

Renders the torture texts (plain, and with inline markup: links, emphasis, footnote calls,
English runs) and the source text at 30, 32, ... 40 em three ways: first fit (as Pango
breaks), the composer planning each text box alone ("per box", round 1 of issue 13) and the
composer planning whole paragraphs across their inline boxes; reads each PDF back with the
test suite's metrics and prints the issue-13 targets side by side.

    .venv/bin/python bench/typography_quality.py [--widths 30 32 34 36 38 40] [--no-shrink]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--widths", type=int, nargs="+", default=[30, 32, 34, 36, 38, 40])
    parser.add_argument("--no-shrink", action="store_true",
                        help="with typography.han_shrink off (on by default: Han glue may "
                             "close up a little)")
    args = parser.parse_args()

    from tests.typography.typo_harness import (
        MARKUP,
        SOURCE,
        TORTURE,
        markup_text,
        paragraphs,
        write,
        write_markup,
    )
    from tests.typography.typo_metrics import measure

    from booklet.compose.typography import TypographyOptions
    from booklet.render.patches import breaks, paragraph

    options = TypographyOptions(han_shrink=not args.no_shrink)

    texts = {"torture": TORTURE, "paragraphs": TORTURE.parent / "paragraphs.md",
             "source": SOURCE, "markup": MARKUP}
    plannable, model = breaks._plannable, paragraph._model
    print(f"{'text':<7} {'variant':<9} {'lines':>6} {'>0.25em':>8} {'>0.15em':>8} {'>0.10em':>8} "
          f"{'>0.05em':>8} {'widest':>7} {'tight':>6} {'space':>6} {'runts':>9} {'kinsoku':>8} "
          f"{'pairs':>9} {'+spaces':>8} {'pdfium':>7}")
    with tempfile.TemporaryDirectory() as folder:
        for group, variant in [(g, v) for g in ("plain", "markup")
                               for v in ("first fit", "per box", "composer")]:
            breaks._plannable = plannable if variant != "first fit" else (lambda *a: False)
            paragraph._model = model if variant == "composer" else (lambda *a: None)
            total = {"lines": 0, "l25": 0, "l15": 0, "l10": 0, "gap": 0.0, "space": 0.0,
                     "runts": 0, "paras": 0, "kinsoku": 0, "pairs": 0, "ok": 0, "spaces": 0,
                     "other": 0, "tight": 0, "l05": 0, "pdfium": 0}
            for name, path in texts.items():
                if (name == "markup") != (group == "markup"):
                    continue
                paras = [] if name == "markup" else paragraphs(path)
                source = (markup_text(path) if name == "markup"
                          else "".join(p.lstrip("# ") for p in paras))
                for width in args.widths:
                    pdf = Path(folder) / f"{name}-{width}.pdf"
                    if name == "markup":
                        write_markup(path, pdf, width, options=options)
                    else:
                        write(paras, pdf, width, options=options)
                    m = measure(pdf)
                    total["lines"] += m.full_lines
                    total["l25"] += len(m.loose(0.25))
                    total["l15"] += len(m.loose(0.15))
                    total["l10"] += len(m.loose(0.10))
                    total["l05"] += len(m.loose(0.05))
                    total["gap"] = max(total["gap"], m.max_han_gap)
                    total["tight"] += len(m.tight)
                    total["space"] = max(total["space"], m.max_word_space)
                    total["runts"] += len(m.runts)
                    total["paras"] += m.paragraphs
                    total["kinsoku"] += len(m.banned) + len(m.unit_breaks) + sum(
                        a[-1].isdigit() for a, _ in m.splits)
                    total["pairs"] += m.pairs
                    total["ok"] += m.pairs_compressed
                    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
                                          capture_output=True, text=True, check=True).stdout
                    # A line read with a space the source lacks: in a loose line (Han gaps
                    # over READ_GAP: poppler reads a gap over 0.1 em as a space), or other.
                    loose = {t for gap, t in m.han_gaps if gap > 0.095}
                    for line in text.splitlines():
                        if _inserted(line, source):
                            total["spaces" if line.replace(" ", "") in loose else "other"] += 1
                    total["pdfium"] += sum(_inserted(line, source) for line in _pdfium(pdf))
            spaces = f"{total['spaces']}+{total['other']}"
            print(f"{group:<7} {variant:<9} {total['lines']:>6} {total['l25']:>8} "
                  f"{total['l15']:>8} {total['l10']:>8} {total['l05']:>8} {total['gap']:>6.2f}em "
                  f"{total['tight']:>6} "
                  f"{total['space']:>4.2f}em "
                  f"{total['runts']:>4}/{total['paras']:<4} {total['kinsoku']:>8} "
                  f"{total['ok']:>4}/{total['pairs']:<4} "
                  f"{spaces if group == 'plain' else 'n/a':>8} "
                  f"{total['pdfium'] if group == 'plain' else 'n/a':>7}")
    breaks._plannable, paragraph._model = plannable, model
    print("plain: the two torture texts and the source text; markup: tests/fixtures/torture/"
          "markup.html; lines: full lines; >X em: lines with a Han-Han gap wider than X; "
          "tight: lines set tighter than natural (Han glue shrink); "
          "space: widest word space; runts: last lines of <= 2 characters / paragraphs; "
          "kinsoku: banned line "
          "starts/ends, split numbers; pairs: adjacent marks within 1.5 em; +spaces: lines "
          "in which pdftotext reads a space the source does not have, L+O: L in loose lines "
          "(a Han gap over 0.095 em: poppler reads a gap over 0.1 em as a space, between "
          "every character of the line, unless the line carries its text as ActualText, "
          "render/patches/drawfix.py), O anywhere else (an inserted space; the plain texts "
          "have no CJK-Latin autospace); pdfium: the same lines read by pdfium "
          "(pypdfium2 get_text_range) (n/a for the markup text: pdftotext reads one beside "
          "each superscript call and in each footnote)")
    return 0


def _inserted(line: str, source: str) -> bool:
    """Return True if the line read from a PDF has a space the source text lacks."""
    return any(line[max(k.start() - 2, 0):k.end() + 2] not in source
               for k in re.finditer(r"(?<=[^ ]) (?=[^ ])", line))


def _pdfium(pdf: Path) -> list[str]:
    """Return the lines of the PDF's text as pdfium reads it."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    lines = [line for page in document for line in page.get_textpage().get_text_range()
             .splitlines()]
    document.close()
    return lines


if __name__ == "__main__":
    sys.exit(main())
