"""Visual regression: pages as small grayscale images, compared with stored goldens.

The goldens in tests/goldens/ are written by `make goldens` (python -m tests.regen_goldens),
never by hand. Regenerate them after a deliberate change of the design, the typography or
the figures, look at tests/goldens/contact-sheet.png, and commit them with the change.
"""

from __future__ import annotations

import json
from pathlib import Path

GOLDENS = Path(__file__).resolve().parent / "goldens"
DPI = 40
# Mean absolute difference per page, in grey levels (0-255). Anti-aliasing and font
# rasterisation differences between machines stay well under 1; a line of text moved,
# re-broken or restyled costs several.
TOLERANCE = 1.5


def render(pdf: Path) -> list:
    """Return the pages of *pdf* as grayscale images at the goldens' resolution."""
    from booklet.tools.proof import page_images

    return page_images(pdf, dpi=DPI, grayscale=True)


def mean_difference(a, b) -> float:
    """Mean absolute difference of two grayscale images (255 when the sizes differ)."""
    from PIL import ImageChops, ImageStat

    if a.size != b.size:
        return 255.0
    return ImageStat.Stat(ImageChops.difference(a, b)).mean[0]


def write_goldens(pdf: Path, folder: Path = GOLDENS) -> list[Path]:
    """Replace the goldens with the pages of *pdf*; return the files written."""
    from booklet.tools.proof import contact_sheet

    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("page-*.png"):
        old.unlink()
    images = render(pdf)
    paths = []
    for number, image in enumerate(images, start=1):
        path = folder / f"page-{number:02d}.png"
        image.save(path, optimize=True)
        paths.append(path)
    contact_sheet(images, page_height=160).save(folder / "contact-sheet.png", optimize=True)
    (folder / "manifest.json").write_text(json.dumps(
        {"pages": len(images), "dpi": DPI, "tolerance": TOLERANCE,
         "regenerate": "make goldens  (or: python -m tests.regen_goldens)"}, indent=2) + "\n")
    return paths


def compare_with_goldens(pdf: Path, folder: Path, tmp_path_factory) -> None:
    """Assert every page of *pdf* within TOLERANCE of the goldens in *folder*."""
    import pytest
    from PIL import Image, ImageChops, ImageOps

    manifest = folder / "manifest.json"
    if not manifest.is_file():
        pytest.skip(f"no goldens in {folder.name}/ yet: run `make goldens`")
    expected = json.loads(manifest.read_text())["pages"]
    pages = render(pdf)
    assert len(pages) == expected, (
        f"{len(pages)} pages, the goldens have {expected}: if the change is meant, "
        f"run `make goldens` and look at {folder.name}/contact-sheet.png")
    out = tmp_path_factory.mktemp("visual-diff")
    failed = []
    for number, page in enumerate(pages, start=1):
        golden = Image.open(folder / f"page-{number:02d}.png").convert("L")
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
