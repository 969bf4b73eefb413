"""Photos through whole builds of small projects: bad files, crops, transparency, settings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.photos import PHOTOS, resized

CONFIG = ("title: 图片测试\nslug: photo-test\ndate: 2024-01-01\n"
          "editions: {screen: true, print: true, imposed: false}\n")


def photo_project(root: Path, photos: dict[str, str], extra: str = "") -> Path:
    """Write a project whose chapter has one photo block per entry (src -> extra YAML)."""
    (root / "seeds" / "chapters").mkdir(parents=True)
    (root / "seeds" / "images").mkdir()
    (root / "seeds" / "booklet.yaml").write_text(CONFIG + extra, encoding="utf-8")
    blocks = "".join(f"\n```photo\nsrc: images/{src}\ncaption: 照片说明\n{more}```\n"
                     for src, more in photos.items())
    (root / "seeds" / "chapters" / "01-photos.md").write_text(
        "---\ntitle: 照片\nid: photos\n---\n\n正文一段。\n" + blocks, encoding="utf-8")
    return root


def save(root: Path, name: str, source: str, size: tuple[int, int] | None = None,
         **options: object) -> Path:
    image, defaults = resized(source, size)
    path = root / "seeds" / "images" / name
    image.save(path, **{**defaults, **options})  # type: ignore[attr-defined]
    return path


def test_bad_photos_stop_the_build_with_their_lines(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from booklet.cli import main

    root = photo_project(tmp_path / "p", {"cut.jpg": "", "empty.jpg": "", "ok.jpg": ""})
    data = (PHOTOS / "coffee.jpg").read_bytes()
    (root / "seeds" / "images" / "cut.jpg").write_bytes(data[: len(data) // 3])
    (root / "seeds" / "images" / "empty.jpg").write_bytes(b"")
    shutil.copy(PHOTOS / "chelsea.jpg", root / "seeds" / "images" / "ok.jpg")
    assert main(["build", str(root)]) == 2
    output = capsys.readouterr().err
    assert "2 photo(s) cannot be used" in output
    assert "seeds/chapters/01-photos.md:9: photo.src: image 'images/cut.jpg': the image " \
           "data is damaged or cut short" in output
    assert "01-photos.md:14: photo.src: image 'images/empty.jpg': the file is empty" in output
    assert "Traceback" not in output
    assert not list((root / "dist").glob("**/*.pdf"))  # nothing published


def test_check_reports_bad_photos_and_prints_placeholders(tmp_path: Path) -> None:
    from booklet.check.preflight import run_checks

    root = photo_project(tmp_path / "p", {"anim.gif": "", "ok.jpg": ""})
    frames = [resized("astronaut.jpg", None)[0].convert("P"),
              resized("coffee.jpg", (512, 512))[0].convert("P")]
    frames[0].save(root / "seeds" / "images" / "anim.gif", save_all=True,
                   append_images=frames[1:])
    save(root, "ok.jpg", "rocket.jpg", (1200, 800))
    report = run_checks(root, "print")
    invalid = [f for f in report.findings if f.check == "image-invalid"]
    assert len(invalid) == 1 and "animated GIF" in invalid[0].message
    assert invalid[0].line == 9 and invalid[0].file.name == "01-photos.md"
    assert report.exit_code == 1


def test_the_crop_counts_in_the_effective_resolution(tmp_path: Path) -> None:
    from booklet.check.preflight import run_checks

    root = photo_project(tmp_path / "p", {"wide.jpg": "", "tall.jpg": 'aspect: "1:2"\n'
                                          "focus: [0.5, 0.3]\n"})
    save(root, "wide.jpg", "rocket.jpg", (900, 600))
    save(root, "tall.jpg", "rocket.jpg", (900, 600))
    report = run_checks(root, "print")
    found = {f.line: f for f in report.findings if f.check == "image-resolution"}
    # 900 px across a column photo is ~280 ppi: a warning; cropped to 1:2 the photo keeps
    # 300 × 600 px, which the 3:2 frame shows 300 px wide: under 200 ppi, an error.
    assert found[9].severity == "warning" and "900×600 px" in found[9].message
    assert found[14].severity == "error" and "300×600 px" in found[14].message
    assert "supply at least" in (found[14].hint or "")


def test_transparency_is_kept_over_cmyk_in_print(tmp_path: Path) -> None:
    import pikepdf
    from PIL import Image, ImageDraw

    from booklet.build import build

    root = photo_project(tmp_path / "p", {"logo.png": ""})
    image = resized("astronaut.jpg", (1200, 800))[0].convert("RGB")
    mask = Image.new("L", image.size, 0)
    ImageDraw.Draw(mask).ellipse((100, 50, 1100, 750), fill=255)
    image.putalpha(mask)
    image.save(root / "seeds" / "images" / "logo.png")
    result = build(root)
    path = next(f.path for f in result.files if f.edition == "print")
    with pikepdf.open(path) as pdf:
        images = list({o.objgen: o for p in pdf.pages
                       for o in (p.Resources.get("/XObject") or {}).values()
                       if o.get("/Subtype") == "/Image"}.values())
        assert len(images) == 1
        assert images[0].ColorSpace == pikepdf.Name.DeviceCMYK
        alpha = pikepdf.PdfImage(images[0].SMask).as_pil_image()
        assert alpha.getextrema() == (0, 255)
        assert len(images[0].read_bytes()) == 1200 * 800 * 4  # four samples a pixel


def test_intent_and_quality_are_settings_and_change_the_cache_key(tmp_path: Path) -> None:
    from booklet.build import build

    root = photo_project(tmp_path / "p", {"a.jpg": ""})
    save(root, "a.jpg", "rocket.jpg", (1200, 800))
    first = build(root, edition="print")
    assert (first.images_converted, first.images_cached) == (1, 0)
    assert build(root, edition="print").images_converted == 0
    config = root / "seeds" / "booklet.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "images: {intent: perceptual}\n",
                      encoding="utf-8")
    assert build(root, edition="print").images_converted == 1


def test_original_photos_are_never_modified(tmp_path: Path) -> None:
    from booklet.build import build

    root = photo_project(tmp_path / "p", {"a.jpg": 'aspect: "1:1"\n'})
    path = save(root, "a.jpg", "rocket.jpg", (1200, 800))
    before = path.read_bytes(), path.stat().st_mtime_ns
    build(root)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


@pytest.mark.parametrize("value", ["3:0", "wide", "50"])
def test_a_bad_aspect_is_a_located_content_error(tmp_path: Path, value: str) -> None:
    from booklet.build import build
    from booklet.errors import ContentError

    root = photo_project(tmp_path / "p", {"a.jpg": f'aspect: "{value}"\n'})
    save(root, "a.jpg", "coffee.jpg")
    with pytest.raises(ContentError) as caught:
        build(root)
    assert any("aspect" in p.format() and p.line for p in caught.value.problems)


def test_a_cropped_photo_stays_inside_its_frame(tmp_path: Path) -> None:
    """object-fit: cover draws the picture larger than its frame; the frame clips it."""
    import numpy as np
    import pdfplumber
    import pypdfium2 as pdfium

    from booklet.build import build

    root = photo_project(tmp_path / "p", {"tall.jpg": 'aspect: "1:2"\nfocus: [0.5, 0.8]\n'})
    save(root, "tall.jpg", "rocket.jpg", (1800, 1200))  # a night sky: dark all over
    path = next(f.path for f in build(root, edition="screen").files)
    with pdfplumber.open(path) as pdf:
        number, image = next((n, i) for n, p in enumerate(pdf.pages) for i in p.images)
        assert image["srcsize"] == (600, 1200) or image["srcsize"][1] / image["srcsize"][0] == 2
    page = pdfium.PdfDocument(path)[number]
    rgb = np.asarray(page.render(scale=1).to_pil().convert("RGB")).astype(int)
    pixels = rgb.mean(axis=2)
    x0, x1 = int(image["x0"]) + 5, int(image["x1"]) - 5
    # Dark and not the saturated blue of the chapter opener's band (screen #006DB0): the
    # night sky only.
    band = (rgb[..., 2] - rgb[..., 0]) > 120
    dark = (pixels < 100) & ~band
    dark_rows = int((dark[:, x0:x1].mean(axis=1) > 0.5).sum())
    assert 50 / 25.4 * 72 < dark_rows < 58 / 25.4 * 72  # the 54 mm frame, not 162 mm


def _screen_image(path: Path) -> tuple[tuple[int, int], int, float]:
    """Return the pixel size, stream bytes and effective ppi of the screen PDF's one photo."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        image = next(i for p in pdf.pages for i in p.images)
        return image["srcsize"], len(image["stream"].get_rawdata()), \
            image["srcsize"][0] / (image["width"] / 72)


def test_screen_photos_are_reduced_at_the_configured_quality(tmp_path: Path) -> None:
    from booklet.build import build

    made = {}
    for quality in (30, 90):
        root = photo_project(tmp_path / f"q{quality}", {"a.jpg": ""},
                             f"images: {{screen_quality: {quality}, screen_ppi: 150}}\n")
        save(root, "a.jpg", "rocket.jpg", (3000, 2000))
        made[quality] = _screen_image(next(f.path for f in build(root, edition="screen").files))
    (size30, bytes30, ppi30), (size90, bytes90, _) = made[30], made[90]
    assert size30 == size90 and ppi30 == pytest.approx(150, abs=1.5)
    assert bytes30 * 2 < bytes90  # the quality reached the reduced JPEG


def test_the_reduction_patch_refuses_an_unreviewed_weasyprint(monkeypatch) -> None:
    from weasyprint.images import RasterImage

    from booklet.render.patches import imagedpi

    monkeypatch.setattr(RasterImage, "get_x_object", lambda self, i, r: None)
    with pytest.raises(imagedpi.ImageDpiError, match="get_x_object changed"):
        imagedpi.install()


def test_check_fails_a_screen_pdf_over_its_budget(tmp_path: Path) -> None:
    from booklet.check.preflight import run_checks

    root = photo_project(tmp_path / "p", {"a.jpg": ""}, "images: {screen_budget_mb: 0.05}\n")
    save(root, "a.jpg", "rocket.jpg", (1500, 1000))
    report = run_checks(root, "screen")
    (found,) = [f for f in report.findings if f.check == "size-budget"]
    assert found.severity == "error" and "over the budget of 0.05 MB" in found.message
    assert report.exit_code == 1


def test_tiff_and_webp_photos_build_into_both_editions(tmp_path: Path) -> None:
    import pikepdf

    from booklet.build import build

    root = photo_project(tmp_path / "p", {"a.tif": "", "b.webp": ""})
    chelsea, options = resized("chelsea.jpg", (900, 600))
    chelsea.save(root / "seeds" / "images" / "a.tif",  # type: ignore[attr-defined]
                 compression="tiff_lzw", icc_profile=options["icc_profile"])
    resized("coffee.jpg", (900, 600))[0].save(  # type: ignore[attr-defined]
        root / "seeds" / "images" / "b.webp", quality=90)
    result = build(root)
    for edition, space in (("print", "/DeviceCMYK"), ("screen", "/DeviceRGB")):
        path = next(f.path for f in result.files if f.edition == edition)
        with pikepdf.open(path) as pdf:
            spaces = {str(o.ColorSpace) if isinstance(o.ColorSpace, pikepdf.Name) else "icc"
                      for p in pdf.pages for o in (p.Resources.get("/XObject") or {}).values()
                      if o.get("/Subtype") == "/Image"}
        assert spaces in ({space}, {"icc"}) if edition == "screen" else spaces == {space}
