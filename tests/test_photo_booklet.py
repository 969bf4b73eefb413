"""The seed booklet with eight real photographs: built, read back from the PDFs, checked."""

from __future__ import annotations

import functools
import io
import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from tests.colourdiff import cmyk_to_lab, delta_e2000
from tests.conftest import ROOT
from tests.photos import SEED_PHOTOS, add_photos

PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")
PATCH = 24  # px: the side of a sampled patch
GRID = 5  # patches across and down


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Copy the seed project and give it its eight photos at 3000 × 2000 px."""
    root = tmp_path_factory.mktemp("photos") / "project"
    shutil.copytree(ROOT / "seeds", root / "seeds")
    shutil.copytree(ROOT / "figures", root / "figures")
    add_photos(root, (3000, 2000))
    return root


_FIRST: dict[str, bytes] = {}  # the first build's PDFs, to compare with the second's


@pytest.fixture(scope="module")
def builds(project: Path) -> tuple[Any, Any]:
    """Build every edition twice; the second build should find every photo in the cache."""
    from booklet.build import build

    first = build(project)
    _FIRST.update({f.edition: f.path.read_bytes() for f in first.files})
    return first, build(project)


def _pdf(result: Any, edition: str) -> Path:
    return next(f.path for f in result.files if f.edition == edition)


_OPEN: dict[Path, Any] = {}  # PDFs stay open while the module's tests read their objects


def _images(path: Path) -> list[Any]:
    """Return the image XObjects drawn on the pages of a PDF (not soft masks)."""
    import pikepdf

    pdf = _OPEN.setdefault(path, pikepdf.open(path))
    found = {}
    for page in pdf.pages:
        for obj in (page.obj.Resources.get("/XObject") or {}).values():
            if obj.get("/Subtype") == "/Image":
                found[obj.objgen] = obj
    return list(found.values())


def _family(space: Any) -> str:
    """Return DeviceCMYK, DeviceGray, DeviceRGB, or ICCBased/N for an image colour space."""
    import pikepdf

    if isinstance(space, pikepdf.Array):
        return f"ICCBased/{int(space[1].N)}"
    return str(space)[1:]


def test_every_edition_is_built_and_the_report_counts_the_photos(builds: tuple[Any, Any],
                                                                  project: Path) -> None:
    first, _ = builds
    assert {f.edition for f in first.files} == {"screen", "print", "imposed"}
    # 8 blocks but 5 distinct files x 2 editions: repeated files are found in the cache.
    assert first.images_converted == 10 and first.images_cached == 6


def test_a_second_build_converts_nothing(builds: tuple[Any, Any], project: Path) -> None:
    _, second = builds
    assert (second.images_converted, second.images_cached) == (0, 16)
    report = json.loads(second.report.read_text(encoding="utf-8"))
    assert report["images"] == {"converted": 0, "cached": 16}
    assert "images" in report["timings"]


def test_the_cached_rebuild_is_byte_identical(builds: tuple[Any, Any]) -> None:
    second = {f.edition: f.path.read_bytes() for f in builds[1].files}
    assert second.keys() == _FIRST.keys()
    assert all(second[e] == _FIRST[e] for e in second)


def test_print_edition_has_only_cmyk_and_grey_images(builds: tuple[Any, Any]) -> None:
    spaces = [_family(i.ColorSpace) for i in _images(_pdf(builds[0], "print"))]
    assert len(spaces) == 5, spaces  # one XObject per distinct photo
    assert sorted(spaces) == ["DeviceCMYK"] * 4 + ["DeviceGray"]


def _reader_cmyk(image: Any) -> Any:
    """Return the CMYK pixels a PDF reader sees for a DCT-encoded CMYK image XObject."""
    from PIL import Image

    decoded = Image.open(io.BytesIO(image.read_raw_bytes()))
    assert decoded.mode == "CMYK"
    # Pillow undoes the inversion of an Adobe (APP14) CMYK JPEG; a PDF reader decodes the
    # raw samples and applies the /Decode array instead. They agree only when both or
    # neither invert.
    inverted = [float(v) for v in image.get("/Decode", [])][:2] == [1.0, 0.0]
    if inverted != ("adobe" in decoded.info):
        decoded = Image.fromarray(255 - np.asarray(decoded), mode="CMYK")
    return decoded


def _patches(size: tuple[int, int]) -> list[tuple[int, int, int, int]]:
    w, h = size
    return [(int(x), int(y), int(x) + PATCH, int(y) + PATCH)
            for x in np.linspace(w * 0.08, w * 0.92 - PATCH, GRID)
            for y in np.linspace(h * 0.08, h * 0.92 - PATCH, GRID)]


def _mean_cmyk(image: Any, box: tuple[int, int, int, int]) -> Any:
    from PIL import Image

    mean = np.asarray(image.crop(box), dtype=np.float64).reshape(-1, 4).mean(axis=0)
    return Image.fromarray(np.rint(mean).astype(np.uint8).reshape(1, 1, 4), mode="CMYK")


@functools.lru_cache(maxsize=16)
def _source(source: Path, ignore_profile: bool) -> tuple[Any, Any]:
    """Return a source photo's pixels and its littleCMS transform to the press's CMYK."""
    from PIL import Image, ImageCms

    image = Image.open(source)
    icc = image.info.get("icc_profile")
    src = ImageCms.ImageCmsProfile(io.BytesIO(icc)) if icc and not ignore_profile \
        else ImageCms.createProfile("sRGB")
    transform = ImageCms.buildTransform(src, ImageCms.getOpenProfile(str(PROFILE)), "RGB",
                                        "CMYK", ImageCms.Intent.RELATIVE_COLORIMETRIC,
                                        ImageCms.Flags.BLACKPOINTCOMPENSATION)
    return image.convert("RGB"), transform


def _expected(source: Path, box: tuple[int, int, int, int], ignore_profile: bool = False) -> Any:
    """Return the littleCMS CMYK of a source patch: relative colorimetric + BPC."""
    from PIL import ImageCms

    image, transform = _source(source, ignore_profile)
    patch = ImageCms.applyTransform(image.crop(box), transform)
    return _mean_cmyk(patch, (0, 0, *patch.size))


def _delta_e(a: Any, b: Any) -> float:
    return float(delta_e2000(cmyk_to_lab(a, PROFILE), cmyk_to_lab(b, PROFILE)).max())


def test_print_pixels_match_a_littlecms_transform_of_each_source(builds: tuple[Any, Any],
                                                                 project: Path) -> None:
    assert PROFILE.is_file()
    sources = {name: project / "seeds" / "images" / target
               for target, name in SEED_PHOTOS.items() if name != "camera.jpg"}
    matched = {}
    for image in _images(_pdf(builds[0], "print")):
        if str(image.ColorSpace) != "/DeviceCMYK":
            continue
        pixels = _reader_cmyk(image)
        boxes = _patches(pixels.size)
        worst = {name: max(_delta_e(_mean_cmyk(pixels, box), _expected(path, box))
                           for box in boxes[::6])
                 for name, path in sources.items()}
        best = min(worst, key=lambda n: worst[n])
        # Every sampled patch of the PDF image, against the source that matches it.
        errors = [_delta_e(_mean_cmyk(pixels, box), _expected(sources[best], box))
                  for box in boxes]
        assert max(errors) <= 2.0, (best, max(errors))
        matched[best] = max(errors)
    assert set(matched) == set(sources)  # the Adobe RGB, sRGB and untagged photos


def test_the_adobe_rgb_profile_is_honoured(project: Path, builds: tuple[Any, Any]) -> None:
    """Read as sRGB, the Adobe RGB photo would be off by more than the tolerance."""
    source = next(project / "seeds" / "images" / t for t, n in SEED_PHOTOS.items()
                  if n == "rocket.jpg")
    boxes = _patches((3000, 2000))
    off = [_delta_e(_expected(source, b), _expected(source, b, ignore_profile=True))
           for b in boxes]
    assert max(off) > 2.0


def test_screen_images_are_rgb_or_grey_at_most_the_target_resolution(
        builds: tuple[Any, Any]) -> None:
    import pdfplumber

    path = _pdf(builds[0], "screen")
    spaces = {_family(i.ColorSpace) for i in _images(path)}
    assert spaces <= {"DeviceRGB", "DeviceGray", "ICCBased/3", "ICCBased/1"}, spaces
    ppis = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for image in page.images:
                ppis.append(image["srcsize"][0] / (image["width"] / 72))
    assert len(ppis) == 8
    assert max(ppis) <= 200 * 1.01 and min(ppis) > 150, ppis


def test_screen_edition_is_within_the_size_budget(builds: tuple[Any, Any]) -> None:
    assert _pdf(builds[0], "screen").stat().st_size <= 5e6


def test_check_print_passes_with_real_photos(builds: tuple[Any, Any], project: Path) -> None:
    from booklet.check.preflight import run_checks

    report = run_checks(project, "all")
    errors = [f for f in report.findings if f.severity == "error"]
    assert errors == [] and report.exit_code == 0
    colour = [f for f in report.findings if f.check == "image-colour"]
    assert len(colour) == 2 and all("untagged RGB" in f.message for f in colour)
    assert all(f.file is not None and f.line for f in colour)
