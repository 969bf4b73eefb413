"""Class: images that are empty, broken or decode to too many pixels: located errors."""

from __future__ import annotations

import io
import struct
import time
import zlib
from pathlib import Path

import pytest
from tests.hostile.hostile_helpers import assert_located, project, run

from booklet.content.images import MAX_PIXELS, image_problem


def png_header_only(width: int, height: int) -> bytes:
    """Return a tiny PNG whose header claims *width* × *height* pixels."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 100)) + chunk(b"IEND", b""))


def good_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "#009EDB").save(buffer, "PNG")
    return buffer.getvalue()


IMAGES = {
    "empty": (b"", "empty (0 bytes)"),
    "not an image": (b"this is text, not a JPEG\n" * 10, "cannot be decoded"),
    "truncated": (good_png()[:60], "cannot be decoded"),
    "13000 x 13000": (png_header_only(13000, 13000), "13000 × 13000 pixels"),
}


@pytest.mark.parametrize("name", list(IMAGES))
def test_image_problem(name):
    import weasyprint  # noqa: F401  (it makes Pillow lenient on import; we must not be)

    data, words = IMAGES[name]
    start = time.perf_counter()
    assert words in (image_problem(data, "x.jpg" if name != "13000 x 13000" else "x.png") or "")
    assert time.perf_counter() - start < 2  # refused before decoding


def test_a_good_image_passes():
    assert image_problem(good_png(), "ok.png") is None
    assert MAX_PIXELS < 13000 * 13000


@pytest.mark.parametrize("name", list(IMAGES))
@pytest.mark.parametrize("how", ["photo", "markdown"])
def test_broken_photo_is_a_located_error(tmp_path, capsys, name, how):
    data, _ = IMAGES[name]
    body = ("```photo\nsrc: images/p.png\ncaption: 图\n```\n" if how == "photo"
            else "正文。\n\n![图](images/p.png)\n")
    root = project(tmp_path / "p", body=body)
    (root / "seeds" / "images").mkdir()
    (root / "seeds" / "images" / "p.png").write_bytes(data)
    code, err = run(capsys, "build", str(root))
    assert code == 2
    if how == "photo":  # photo blocks are opened by the image stage, in its own words
        assert_located(err, "01-test.md:", "photo.src", "images/p.png")
    else:  # so are Markdown images, located at their own line
        assert_located(err, "01-test.md:8", "images/p.png")


def test_fifo_image_is_refused(tmp_path, capsys):
    import os

    root = project(tmp_path / "p", body="```photo\nsrc: images/p.jpg\ncaption: 图\n```\n")
    (root / "seeds" / "images").mkdir()
    os.mkfifo(root / "seeds" / "images" / "p.jpg")
    code, err = run(capsys, "build", str(root))
    assert code == 2
    assert_located(err, "01-test.md:", "named pipe")


def test_check_print_is_not_ready_with_a_broken_photo(tmp_path, capsys):
    root = project(tmp_path / "p", body="```photo\nsrc: images/p.jpg\ncaption: 图\n```\n")
    (root / "seeds" / "images").mkdir()
    (root / "seeds" / "images" / "p.jpg").write_bytes(b"")
    code = __import__("booklet.cli", fromlist=["main"]).main(
        ["check", str(root), "--edition", "print"])
    out = capsys.readouterr()
    assert code != 0
    assert "empty" in out.out + out.err


def test_oversized_image_from_css_is_refused_by_the_fetcher(tmp_path):
    from booklet.render.fetcher import ProjectFetcher

    (tmp_path / "big.png").write_bytes(png_header_only(13000, 13000))
    fetcher = ProjectFetcher([tmp_path])
    with pytest.raises(ValueError):
        fetcher.fetch((tmp_path / "big.png").as_uri())
    assert "megapixels" in fetcher.refused[0][1].message
    assert Path(tmp_path / "big.png").stat().st_size < 1000


def test_broken_image_in_a_data_url_is_a_located_error(tmp_path, capsys):
    import base64

    data = base64.b64encode(png_header_only(13000, 13000)).decode()
    root = project(tmp_path / "p", body=f"正文。\n\n![图](data:image/png;base64,{data})\n")
    code, err = run(capsys, "build", str(root))
    assert code == 2
    assert_located(err, "01-test.md:8", "13000 × 13000 pixels")


def test_data_url_images_are_checked_by_the_fetcher(tmp_path):
    import base64

    from booklet.render.fetcher import ProjectFetcher

    fetcher = ProjectFetcher([tmp_path])
    bad = "data:image/png;base64," + base64.b64encode(png_header_only(13000, 13000)).decode()
    with pytest.raises(ValueError):
        fetcher.fetch(bad)
    good = "data:image/png;base64," + base64.b64encode(good_png()).decode()
    assert fetcher.fetch(good).status == 200
