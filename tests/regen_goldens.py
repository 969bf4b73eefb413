"""Rebuild the seed booklet and store its pages as the visual goldens.

    python -m tests.regen_goldens      (or: make goldens)

Run it after a deliberate change to the design, typography or figures; look at
tests/goldens/contact-sheet.png before committing the new goldens with the change.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path


def main() -> int:
    from tests.conftest import ROOT
    from tests.visual import GOLDENS, write_goldens

    from booklet.build import build

    with tempfile.TemporaryDirectory() as tmp:
        result = build(ROOT, out=Path(tmp), edition="screen")
        pdf = next(f.path for f in result.files if f.edition == "screen")
        paths = write_goldens(pdf)
    print(f"{len(paths)} pages -> {GOLDENS.relative_to(ROOT)}/ "
          f"(look at {GOLDENS.relative_to(ROOT)}/contact-sheet.png)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
