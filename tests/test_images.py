"""The image stage: decoding safety, colour, cropping, caching; located messages for bad photos."""

from __future__ import annotations

import io
import struct
import time
import zlib
from pathlib import Path

import numpy as np
import pytest
from tests.colourdiff import delta_e2000
from tests.photos import PHOTOS

from booklet.images.decode import ImageRejected, decode
from booklet.images.prepare import crop_box

LIMIT = 60e6
CMYK_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")


def _bytes(image, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, **options)
    return buffer.getvalue()


def _photo(name: str = "astronaut.jpg"):
    from PIL import Image

    return Image.open(PHOTOS / name)


def _rejected(data: bytes) -> str:
    with pytest.raises(ImageRejected) as caught:
        decode(Path("x"), data, LIMIT)
    return caught.value.message


def test_ciede2000_matches_published_pairs() -> None:
    """Sharma, Wu & Dalal (2005), table 1: pairs 1, 7 and 17."""
    pairs = [((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425),
             ((50, 0, 0), (50, -1, 2), 2.3669),
             ((50, 2.5, 0), (56, -27, -3), 31.9030)]
    for a, b, expected in pairs:
        assert delta_e2000(np.array(a, float), np.array(b, float)) == pytest.approx(expected,
                                                                                    abs=1e-4)


def test_jpeg_png_tiff_and_webp_decode_to_8_bit_rgb() -> None:
    photo = _photo().convert("RGB")
    for fmt in ("JPEG", "PNG", "TIFF", "WEBP"):
        decoded = decode(Path("x"), _bytes(photo, format=fmt), LIMIT)
        assert decoded.image.mode == "RGB" and decoded.image.size == (512, 512), fmt


def test_the_embedded_profile_is_kept_and_greyscale_stays_grey() -> None:
    rocket = decode(PHOTOS / "rocket.jpg", (PHOTOS / "rocket.jpg").read_bytes(), LIMIT)
    from booklet.images.colour import profile_name

    assert profile_name(rocket.icc) == "Adobe RGB (1998)"
    grey = decode(PHOTOS / "camera.jpg", (PHOTOS / "camera.jpg").read_bytes(), LIMIT)
    assert grey.image.mode == "L"


def test_png_with_alpha_keeps_it() -> None:
    rgba = _photo().convert("RGBA")
    rgba.putalpha(128)
    assert decode(Path("x"), _bytes(rgba, format="PNG"), LIMIT).image.mode == "RGBA"


def test_empty_truncated_and_unknown_files_are_refused() -> None:
    import weasyprint.images  # noqa: F401  (sets LOAD_TRUNCATED_IMAGES for the process)
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES
    assert "empty" in _rejected(b"")
    data = (PHOTOS / "coffee.jpg").read_bytes()
    assert "damaged or cut short" in _rejected(data[: len(data) // 2])
    assert "not an image" in _rejected(b"%PDF-1.7 not a photo")


def test_an_animated_gif_is_refused() -> None:
    frames = [_photo().convert("P"), _photo("chelsea.jpg").resize((512, 512)).convert("P")]
    gif = _bytes(frames[0], format="GIF", save_all=True, append_images=frames[1:])
    assert "animated GIF" in _rejected(gif)


def test_16_bit_greyscale_is_reduced_with_a_note() -> None:
    from PIL import Image

    grey = np.asarray(_photo("camera.jpg"), dtype=np.uint16) * 257
    data = _bytes(Image.fromarray(grey), format="PNG")
    decoded = decode(Path("x"), data, LIMIT)
    assert decoded.image.mode == "L"
    assert np.array_equal(np.asarray(decoded.image), np.asarray(_photo("camera.jpg")))
    assert any("16-bit" in note for note, _ in decoded.notes)


def test_cmyk_jpeg_without_profile_is_used_with_a_note() -> None:
    data = _bytes(_photo().convert("CMYK"), format="JPEG", quality=90)
    decoded = decode(Path("x"), data, LIMIT)
    assert decoded.image.mode == "CMYK" and decoded.icc is None
    assert any("CMYK image without an ICC profile" in note for note, _ in decoded.notes)


def _png_claiming(width: int, height: int) -> bytes:
    """Return a tiny PNG whose header claims *width* × *height* pixels."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + \
            struct.pack(">I", zlib.crc32(kind + body))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + \
        chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def test_a_decompression_bomb_is_refused_before_decoding() -> None:
    start = time.perf_counter()
    assert "megapixels, above the limit" in _rejected(_png_claiming(12_000, 12_000))
    # Above Pillow's own hard limit too (2 × MAX_IMAGE_PIXELS), still a message.
    assert "megapixels, above the limit" in _rejected(_png_claiming(60_000, 60_000))
    assert time.perf_counter() - start < 2


def test_crop_keeps_the_focus_inside() -> None:
    assert crop_box((3000, 2000), 1.0, (0.5, 0.5)) == (500, 0, 2500, 2000)
    assert crop_box((3000, 2000), 1.0, (0.0, 0.5)) == (0, 0, 2000, 2000)
    assert crop_box((3000, 2000), 1.0, (0.9, 0.5)) == (1000, 0, 3000, 2000)
    assert crop_box((2000, 3000), 2.0, (0.5, 0.2)) == (0, 100, 2000, 1100)


def test_prepared_transparent_print_image_has_a_cmyk_twin() -> None:
    from PIL import Image

    from booklet.images.decode import Decoded
    from booklet.images.prepare import Settings, prepare

    rgba = _photo().convert("RGBA")
    rgba.putalpha(Image.linear_gradient("L").resize(rgba.size))
    settings = Settings("print", "", (0.5, 0.5), "relative", True, 95, 0,
                        CMYK_PROFILE.read_bytes())
    out = prepare(Decoded(rgba, "PNG", None), settings)
    assert out.suffix == ".png" and out.twin is not None
    assert len(zlib.decompress(out.twin[1])) == 512 * 512 * 4


def test_cmyk_for_the_output_profile_passes_through_untouched() -> None:
    from booklet.images.decode import decode as run
    from booklet.images.prepare import Settings, prepare

    profile = CMYK_PROFILE.read_bytes()
    data = _bytes(_photo().convert("CMYK"), format="JPEG", quality=90, icc_profile=profile)
    settings = Settings("print", "", (0.5, 0.5), "relative", True, 95, 0, profile)
    assert prepare(run(Path("x"), data, LIMIT), settings, data).data == data


def test_perceptual_and_relative_intents_differ() -> None:
    from booklet.images.colour import convert

    profile = CMYK_PROFILE.read_bytes()
    image = _photo("rocket.jpg")
    icc = image.info["icc_profile"]
    relative = np.asarray(convert(image, icc, profile, "CMYK", "relative", True), float)
    perceptual = np.asarray(convert(image, icc, profile, "CMYK", "perceptual", True), float)
    assert np.abs(relative - perceptual).mean() > 0.5
