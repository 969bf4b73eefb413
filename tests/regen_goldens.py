"""Rebuild the seed booklet at every size and store its pages as the visual goldens.

    python -m tests.regen_goldens      (or: make goldens)

Writes tests/goldens/ (the seed, 170 × 240 mm) and tests/goldens/<size>/ for the other sizes
of tests/sizes.py, and a contact sheet per size in docs/ (docs/contact-sheet-<size>.png).
Run it after a deliberate change to the design, typography or figures; look at the contact
sheets before committing the new goldens with the change.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

SHEET_DPI = 50  # docs/ contact sheets: enough to see the pages, small enough for git


def main() -> int:
    from tests.conftest import ROOT
    from tests.sizes import SIZES, seed_at
    from tests.visual import GOLDENS, write_goldens

    from booklet.build import build
    from booklet.tools.proof import contact_sheet, page_images

    with tempfile.TemporaryDirectory() as tmp:
        for size, label in SIZES.items():
            root = ROOT if size == "170x240mm" else seed_at(size, Path(tmp) / label)
            result = build(root, out=Path(tmp) / f"dist-{label}", edition="screen")
            pdf = next(f.path for f in result.files if f.edition == "screen")
            folder = GOLDENS if size == "170x240mm" else GOLDENS / label
            paths = write_goldens(pdf, folder)
            sheet = ROOT / "docs" / f"contact-sheet-{label}.png"
            contact_sheet(page_images(pdf, SHEET_DPI), page_height=240).quantize(
                colors=128).save(sheet, optimize=True)
            print(f"{size}: {len(paths)} pages -> {folder.relative_to(ROOT)}/, "
                  f"{sheet.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
