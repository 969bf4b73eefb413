"""Markdown images `![alt](path)` as photos (content/mdimages.py, compose/mdimages.py).

Small projects are built and their PDFs read back: the print edition's image is CMYK, the
screen's is reduced, a missing file prints the photo placeholder and makes a proof, paths are
read from seeds/ or from the chapter file and never leave seeds/.
"""

from __future__ import annotations

import json
from pathlib import Path

import pikepdf
import pytest
from tests.photos import resized

from booklet.cli import main
from booklet.content.mdimages import resolve, suggestion
from booklet.editions.proof import slug_words

CONFIG = ("title: 图片测试\nslug: md-test\ndate: 2024-01-01\n"
          "editions: {screen: true, print: true, imposed: false}\n")
FRONT = "---\ntitle: 花园\nid: garden\n---\n\n正文一段。\n\n"  # the body starts on line 6


def md_project(root: Path, body: str, image: str | None = "garden.jpg",
               size: tuple[int, int] = (1800, 1200), **options: object) -> Path:
    """Write a project with one chapter (FRONT + *body*) and seeds/images/*image*."""
    (root / "seeds" / "chapters").mkdir(parents=True)
    (root / "seeds" / "images").mkdir()
    (root / "seeds" / "booklet.yaml").write_text(CONFIG, encoding="utf-8")
    (root / "seeds" / "chapters" / "01-garden.md").write_text(FRONT + body, encoding="utf-8")
    if image is not None:
        picture, defaults = resized("coffee.jpg", size)  # untagged RGB
        picture.save(root / "seeds" / "images" / image,  # type: ignore[attr-defined]
                     **{**defaults, **options})
    return root


def pdf_images(pdf: Path) -> list[tuple[str, int]]:
    """Return (colour space, width) of each distinct raster image drawn in *pdf*."""
    found: dict[tuple[int, int], tuple[str, int]] = {}
    with pikepdf.open(pdf) as doc:
        for page in doc.pages:
            for raw in page.get_images().values():
                image = pikepdf.PdfImage(raw)
                found[raw.objgen] = (str(image.colorspace), image.width)
    return list(found.values())


def build(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["build", str(root), "--no-server", *args])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def test_print_edition_gets_cmyk_and_screen_a_reduced_copy(tmp_path, capsys):
    root = md_project(tmp_path / "p", "![花园改造后的样子](images/garden.jpg)\n\n后文。\n",
                      size=(4200, 2800))
    code, err = build(root, capsys, "-v")
    assert code == 0, err
    # Untagged RGB is assumed sRGB, with the same located warning as a photo block.
    assert "01-garden.md:8: image 'images/garden.jpg': untagged RGB" in err
    # Full resolution in print, converted to the output intent's CMYK.
    assert pdf_images(root / "dist" / "md-test-print.pdf") == [("/DeviceCMYK", 4200)]
    ((space, width),) = pdf_images(root / "dist" / "md-test.pdf")
    # Reduced to images.screen_ppi (200) at its placed size: at most the page width (170 mm).
    assert space == "/DeviceRGB" and width <= 170 / 25.4 * 200
    # Prepared once per edition into .cache/images/; a rebuild converts nothing.
    report = json.loads((root / "dist" / "md-test.report.json").read_text(encoding="utf-8"))
    assert report["images"] == {"converted": 2, "cached": 0}
    code, err = build(root, capsys)
    report = json.loads((root / "dist" / "md-test.report.json").read_text(encoding="utf-8"))
    assert code == 0 and report["images"] == {"converted": 0, "cached": 2}


def test_check_print_passes_with_a_markdown_image(tmp_path):
    from booklet.check.preflight import run_checks

    root = md_project(tmp_path / "p", "![花园](images/garden.jpg)\n")
    report = run_checks(root, "print")
    assert not [f for f in report.findings if f.check == "rgb-in-print"]
    assert [f.line for f in report.findings if f.check == "image-colour"] == [8]


def test_a_missing_image_is_a_located_placeholder_and_a_proof(tmp_path, capsys):
    import pdfplumber

    root = md_project(tmp_path / "p", "![花园改造后的样子](images/garden.jpeg)\n\n后文。\n")
    code, err = build(root, capsys)
    assert code == 0, err
    assert "seeds/chapters/01-garden.md:8: image: 'images/garden.jpeg' not found (looked " \
           "for seeds/images/garden.jpeg)" in err
    assert "did you mean images/garden.jpg?" in err
    with pdfplumber.open(root / "dist" / "md-test.pdf") as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    assert text.count("花园改造后的样子") == 1  # the caption only, not again in the box
    assert "图片待补" in text and "images/garden.jpeg" in text
    assert not pdf_images(root / "dist" / "md-test.pdf")
    with pikepdf.open(root / "dist" / "md-test-print.pdf") as pdf:
        assert "images/garden.jpeg" in (slug_words(pdf) or "")


def test_check_reports_a_missing_markdown_image_at_its_line(tmp_path):
    from booklet.check.preflight import run_checks

    root = md_project(tmp_path / "p", "![花园](images/garden.jpeg)\n", image=None)
    report = run_checks(root, "print")
    (missing,) = [f for f in report.findings if f.check == "image-missing"]
    assert missing.severity == "error" and missing.line == 8
    assert missing.file.name == "01-garden.md"
    assert not [f for f in report.findings if f.check == "render"]


def test_a_path_relative_to_the_chapter_file_works(tmp_path, capsys):
    root = md_project(tmp_path / "p", "![花园](../images/garden.jpg)\n")
    code, err = build(root, capsys, "--edition", "print")
    assert code == 0 and "not found" not in err, err
    assert [s for s, _ in pdf_images(root / "dist" / "md-test-print.pdf")] == ["/DeviceCMYK"]


@pytest.mark.parametrize("path", ["../../outside.jpg", "../../../etc/passwd",
                                  "/etc/passwd", "images/../../../x.png"])
def test_a_path_out_of_seeds_is_a_located_error(tmp_path, capsys, path):
    root = md_project(tmp_path / "p", f"后文。\n\n![图]({path})\n")
    (root / "outside.jpg").write_bytes((root / "seeds" / "images" / "garden.jpg").read_bytes())
    code, err = build(root, capsys)
    assert code == 2
    assert f"01-garden.md:10: image '{path}':" in err
    assert "outside seeds/" in err or "absolute path" in err
    assert not (root / "dist").exists() or not list((root / "dist").glob("*.pdf"))


@pytest.mark.parametrize("body,line", [
    ("文字![花园](images/garden.jpg)文字。\n", 8),
    ("第一行，\n![花园](images/garden.jpg)\n", 9),
    ("## 标题![花园](images/garden.jpg)\n", 8),
    ("正文[^1]。\n\n[^1]: 注释![花园](images/garden.jpg)\n", 10),
    ("| 甲 | 乙 |\n| --- | --- |\n| ![花园](images/garden.jpg) | 二 |\n", 10),
])
def test_an_image_inside_text_is_a_located_error(tmp_path, capsys, body, line):
    root = md_project(tmp_path / "p", body)
    code, err = build(root, capsys)
    assert code == 2
    assert f"01-garden.md:{line}: image 'images/garden.jpg' is inside a line of text" in err
    assert "on its own line, with a blank line before and after it" in err


def test_resolve_reads_seeds_first_then_the_chapter_folder(tmp_path):
    seeds = tmp_path / "seeds"
    chapter = seeds / "chapters" / "01.md"
    (seeds / "images").mkdir(parents=True)
    (seeds / "chapters").mkdir()
    (seeds / "images" / "a.jpg").write_bytes(b"x")
    assert resolve("images/a.jpg", chapter, seeds) == ("images/a.jpg", "")
    assert resolve("../images/a.jpg", chapter, seeds) == ("images/a.jpg", "")
    assert resolve("./../images/a.jpg", chapter, seeds) == ("images/a.jpg", "")
    assert resolve("images/b.jpg", chapter, seeds) == ("images/b.jpg", "")  # missing: seeds/
    assert resolve("../images/b.jpg", chapter, seeds) == ("images/b.jpg", "")
    assert resolve("images/%E5%9B%BE.jpg", chapter, seeds) == ("images/图.jpg", "")
    assert resolve("../../x.jpg", chapter, seeds)[0] is None


def test_suggestion_names_the_nearest_file(tmp_path):
    (tmp_path / "images" / "sub").mkdir(parents=True)
    for name in ("garden.jpg", "tomatoes.jpg", "sub/garden-2.png"):
        (tmp_path / "images" / name).write_bytes(b"x")
    assert suggestion("images/garden.jpeg", tmp_path) == "images/garden.jpg"
    assert suggestion("image/tomatoes.jpg", tmp_path) == "images/tomatoes.jpg"
    assert suggestion("images/zzzzzzzz.gif", tmp_path) is None


def test_exif_orientation_and_the_pixel_limit_apply(tmp_path, capsys):
    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    root = md_project(tmp_path / "p", "![花园](images/garden.jpg)\n", exif=exif.tobytes())
    code, err = build(root, capsys, "--edition", "print")
    assert code == 0, err
    assert pdf_images(root / "dist" / "md-test-print.pdf") == [("/DeviceCMYK", 1200)]
    with (root / "seeds" / "booklet.yaml").open("a", encoding="utf-8") as config:
        config.write("images: {max_megapixels: 1}\n")
    code, err = build(root, capsys)
    assert code == 2
    assert "01-garden.md:8: image 'images/garden.jpg': 1200×1800 px is 2 megapixels" in err \
        or "01-garden.md:8: image 'images/garden.jpg': 1800×1200 px is 2 megapixels" in err


def test_an_image_in_a_callout_is_a_located_error(tmp_path, capsys):
    root = md_project(tmp_path / "p", "```callout\ntitle: 框\n"
                      "text: 文字![花园](images/garden.jpg)\n```\n")
    code, err = build(root, capsys)
    assert code == 2
    assert "01-garden.md:8: image 'images/garden.jpg' inside a callout block" in err
