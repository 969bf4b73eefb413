"""Visual regression of the seed booklet against tests/goldens/ (see tests/visual.py)."""

from __future__ import annotations

import json

import pytest
from tests.visual import GOLDENS, TOLERANCE, mean_difference, render


def test_pages_match_the_goldens(screen_pdf, tmp_path_factory):
    """Every page within TOLERANCE grey levels of its golden; regenerate with `make goldens`."""
    from PIL import Image, ImageChops, ImageOps

    manifest = GOLDENS / "manifest.json"
    if not manifest.is_file():
        pytest.skip("no goldens yet: run `make goldens`")
    expected = json.loads(manifest.read_text())["pages"]
    pages = render(screen_pdf)
    assert len(pages) == expected, (
        f"{len(pages)} pages, the goldens have {expected}: if the change is meant, "
        "run `make goldens` and look at tests/goldens/contact-sheet.png")
    out = tmp_path_factory.mktemp("visual-diff")
    failed = []
    for number, page in enumerate(pages, start=1):
        golden = Image.open(GOLDENS / f"page-{number:02d}.png").convert("L")
        diff = mean_difference(page, golden)
        if diff > TOLERANCE:
            # Keep what changed for the reader: the new page, the golden, the difference.
            page.save(out / f"page-{number:02d}-new.png")
            golden.save(out / f"page-{number:02d}-golden.png")
            if page.size == golden.size:
                ImageOps.invert(ImageChops.difference(page, golden)).save(
                    out / f"page-{number:02d}-diff.png")
            failed.append(f"page {number}: {diff:.2f}")
    assert not failed, (f"pages differ from the goldens ({', '.join(failed)}); images in {out}. "
                        "If the change is meant: `make goldens`, then commit tests/goldens/")
