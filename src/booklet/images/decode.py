"""Open a photo safely: refuse what would crash, hang or exhaust memory, with a reason."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ACCEPTED = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "TIFF": "TIFF", "WEBP": "WebP"}
MODES = {"RGB", "RGBA", "L", "LA", "CMYK", "P", "PA", "1", "I;16", "I;16B", "I;16L", "I"}
FIX_EXPORT = "export the photo again as an 8-bit RGB JPEG, PNG, TIFF or WebP"


class ImageRejected(Exception):
    """A photo that cannot be used, with what is wrong and how to fix it."""

    def __init__(self, message: str, hint: str = FIX_EXPORT) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass
class Decoded:
    """A decoded photo: 8-bit pixels, its embedded ICC profile and what was adjusted."""

    image: Any  # PIL.Image.Image in RGB, RGBA, L, LA or CMYK
    format: str
    icc: bytes | None
    notes: list[tuple[str, str]] = field(default_factory=list)  # (warning, hint)
    transposed: bool = False  # turned upright from its EXIF orientation


def read_header(data: bytes, max_pixels: float) -> Any:
    """Open *data* lazily (header only) and refuse formats and sizes we do not decode."""
    from PIL import Image, UnidentifiedImageError

    if not data:
        raise ImageRejected("the file is empty (0 bytes)", "copy the photo again")
    limit = f"above the limit of {max_pixels / 1e6:.0f}"
    with warnings.catch_warnings():
        # Our own limit is applied below; Pillow's warning would only repeat it.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=None)
        except Image.DecompressionBombError as exc:
            raise ImageRejected(f"refused unread: more than {2 * Image.MAX_IMAGE_PIXELS / 1e6:.0f}"
                                f" megapixels, {limit} (a decompression bomb or a needlessly "
                                "huge file)", "resize the photo") from exc
        except UnidentifiedImageError as exc:
            raise ImageRejected("not an image file Pillow can read (damaged, or another "
                                "format)") from exc
        except (OSError, SyntaxError, ValueError) as exc:
            raise ImageRejected(f"the image header is damaged: {exc}", "copy the photo "
                                "again or re-export it") from exc
    fmt = image.format or "?"
    if fmt == "GIF":
        what = "an animated GIF" if getattr(image, "n_frames", 1) > 1 else "a GIF"
        raise ImageRejected(f"{what} is not a photo format booklet prints (256 colours)",
                            FIX_EXPORT)
    if fmt not in ACCEPTED:
        raise ImageRejected(f"{fmt} images are not accepted", FIX_EXPORT)
    width, height = image.size
    if width * height > max_pixels:
        raise ImageRejected(
            f"{width}×{height} px is {width * height / 1e6:.0f} megapixels, {limit} (a "
            "decompression bomb or a needlessly huge file)",
            "resize the photo, or raise images.max_megapixels in booklet.yaml")
    if width < 1 or height < 1:
        raise ImageRejected(f"the image is {width}×{height} px")
    if getattr(image, "n_frames", 1) > 1 and fmt != "MPO":
        raise ImageRejected(f"the {ACCEPTED[fmt]} file has {image.n_frames} frames (animated "
                            "or multi-page)", "export the one frame to print")
    if image.mode not in MODES:
        raise ImageRejected(f"colour mode {image.mode} is not supported", FIX_EXPORT)
    return image


def decode(path: Path, data: bytes, max_pixels: float) -> Decoded:
    """Decode *data* (the bytes of *path*) to 8-bit pixels, or raise ImageRejected."""
    from PIL import ImageFile, ImageOps

    image = read_header(data, max_pixels)
    fmt = ACCEPTED[image.format]
    icc = image.info.get("icc_profile") or None
    notes: list[tuple[str, str]] = []
    # WeasyPrint sets LOAD_TRUNCATED_IMAGES for the whole process when imported; a cut-short
    # photo would then decode with a grey band instead of being reported.
    lenient, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            image.load()
    except Exception as exc:  # Pillow raises OSError, SyntaxError, struct.error, ValueError
        raise ImageRejected(f"the image data is damaged or cut short ({exc})",
                            "copy the photo again; a download or copy may have stopped "
                            "early") from exc
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient
    transposed = image.getexif().get(0x0112, 1) not in (0, 1)  # a phone's "rotated" flag
    if transposed:
        image = ImageOps.exif_transpose(image)
    mode = image.mode
    if fmt == "PNG" and len(data) > 24 and data[24] == 16 and not mode.startswith("I"):
        notes.append(("16-bit PNG read as 8 bits per channel",
                      "export 8-bit to control the conversion yourself"))
    if mode.startswith("I"):
        notes.append((f"16-bit {'greyscale ' if mode != 'I' else ''}image reduced to 8 bits",
                      "export 8-bit to control the conversion yourself"))
        image = _to_8bit(image)
    elif mode in ("P", "PA", "1"):
        has_alpha = mode == "PA" or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
    if image.mode == "CMYK" and icc is None:
        notes.append(("CMYK image without an ICC profile: assumed to be in the print "
                      "edition's output profile", "ask for the photo in RGB, or with the "
                      "CMYK profile it was separated for"))
    image.info.pop("icc_profile", None)
    return Decoded(image, fmt, icc, notes, transposed)


def _to_8bit(image: Any) -> Any:
    """Scale 16-bit (or 32-bit integer) greyscale to 8-bit L."""
    import numpy as np
    from PIL import Image

    pixels = np.asarray(image, dtype=np.float64)
    top = 65535.0 if pixels.max(initial=0) > 255 else 255.0
    scaled = np.clip(np.rint(pixels * (255.0 / top)), 0, 255).astype(np.uint8)
    return Image.fromarray(scaled, mode="L")
